//! Turning a reference call (`appendix("plan")`, `person("x", "dat")`) into
//! print text within a unit. `validate` uses the errors, `resolve` the text;
//! both call this one function so a checked reference is the printed one.

use std::cell::RefCell;
use std::collections::BTreeSet;

use crate::diag::{Code, closest};
use crate::index::{Index, Target, Unit, UnitKind};
use crate::lang::expr::Call;
use crate::lang::morph::{self, Case, Gender};
use crate::plan::{Act, GenderSpec, Person};

pub type RefError = (Code, String, Option<String>);

pub struct Refs<'i, 'a> {
    pub ix: &'i Index<'a>,
    pub unit: &'i Unit<'a>,
    /// Ids the unit's texts referred to (to find appendices never referred to).
    pub used: RefCell<BTreeSet<String>>,
}

pub fn near<'k>(id: &str, known: impl IntoIterator<Item = &'k str>) -> Option<String> {
    closest(id, known).map(|k| format!("возможно, имелось в виду «{k}»"))
}

fn case_arg(call: &Call) -> Result<Case, RefError> {
    match &call.arg {
        None => Ok(Case::Nom),
        Some(a) => Case::parse(a).ok_or_else(|| {
            (
                Code::InvalidValue,
                format!("неизвестный падеж «{a}» в {}()", call.func),
                Some(format!("падежи: {}", Case::NAMES.join(", "))),
            )
        }),
    }
}

pub fn gender(p: &Person) -> Gender {
    match p.gender.get() {
        GenderSpec::M => Gender::M,
        GenderSpec::F => Gender::F,
    }
}

/// Surname, name and patronymic as the registry has them: «Фоминых Вера Алексеевна».
pub fn full_name(p: &Person) -> String {
    [Some(&p.surname), p.name.as_ref(), p.patronymic.as_ref()]
        .into_iter()
        .flatten()
        .map(|t| t.get().as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `В.А.` from the stated initials or from the name and patronymic.
pub fn initials(p: &Person) -> String {
    if let Some(i) = &p.initials {
        return i.get().replace(' ', "");
    }
    let mut s = String::new();
    for part in [&p.name, &p.patronymic].into_iter().flatten() {
        if let Some(c) = part.get().chars().next() {
            s.push(c);
            s.push('.');
        }
    }
    s
}

pub fn surname_in(p: &Person, case: Case) -> Result<String, RefError> {
    let given = match case {
        Case::Nom => Some(p.surname.get().clone()),
        Case::Gen => p.surname_cases.genitive.as_ref().map(|t| t.get().clone()),
        Case::Dat => p.surname_cases.dat.as_ref().map(|t| t.get().clone()),
        Case::Acc => p.surname_cases.acc.as_ref().map(|t| t.get().clone()),
        Case::Ins => p.surname_cases.ins.as_ref().map(|t| t.get().clone()),
        Case::Pre => p.surname_cases.pre.as_ref().map(|t| t.get().clone()),
    };
    given
        .or_else(|| morph::surname(p.surname.get(), gender(p), case))
        .ok_or_else(|| {
            (
                Code::MissingCase,
                format!(
                    "фамилия «{}» не склоняется по правилам: нужен {} падеж",
                    p.surname.get(),
                    case.name_ru()
                ),
                Some(format!(
                    "укажите его в реестре: surname_cases: {{ {}: … }} у лица «{}»",
                    case_key(case),
                    p.id.get()
                )),
            )
        })
}

pub fn case_key(case: Case) -> &'static str {
    match case {
        Case::Nom => "nom",
        Case::Gen => "gen",
        Case::Dat => "dat",
        Case::Acc => "acc",
        Case::Ins => "ins",
        Case::Pre => "pre",
    }
}

/// A name from a `cases` block, or an error naming the key to add.
pub fn case_form(
    nom: &str,
    cases: &crate::plan::Cases,
    case: Case,
    what: &str,
    id: &str,
) -> Result<String, RefError> {
    let form = match case {
        Case::Nom => Some(nom),
        Case::Gen => cases.genitive.as_ref().map(|t| t.get().as_str()),
        Case::Dat => cases.dat.as_ref().map(|t| t.get().as_str()),
        Case::Acc => cases.acc.as_ref().map(|t| t.get().as_str()),
        Case::Ins => cases.ins.as_ref().map(|t| t.get().as_str()),
        Case::Pre => cases.pre.as_ref().map(|t| t.get().as_str()),
    };
    form.map(str::to_string).ok_or_else(|| {
        (
            Code::MissingCase,
            format!("для {what} «{id}» не указан {} падеж", case.name_ru()),
            Some(format!(
                "добавьте в реестр: cases: {{ {}: … }}",
                case_key(case)
            )),
        )
    })
}

/// `приказа Департамента … от 08.06.2022 № 548-ОД «Об утверждении …»`.
pub fn act_text(ix: &Index, act: &Act, case: Case) -> Result<String, RefError> {
    let kind = act.kind.get();
    let kind = morph::common_noun(kind, case).unwrap_or_else(|| kind.clone());
    let issuer = match (&act.issuer_gen, &act.issuer) {
        (Some(g), _) => Some(g.get().clone()),
        (None, Some(id)) => match ix.orgs.get(id.get().as_str()) {
            Some(o) => Some(case_form(
                o.item.name.get(),
                &o.item.cases,
                Case::Gen,
                "организации",
                id.get(),
            )?),
            None => {
                return Err((
                    Code::UnknownReference,
                    format!("организация «{}»: нет такого id", id.get()),
                    near(id.get(), ix.orgs.keys().copied()),
                ));
            }
        },
        (None, None) => None,
    };
    let mut s = kind;
    if let Some(i) = issuer {
        s.push(' ');
        s.push_str(&i);
    }
    s.push_str(&format!(
        " от {} № {} «{}»",
        morph::date_numeric(act.date.get().0),
        act.number.get().trim(),
        outer_quotes_off(act.title.get().trim())
    ));
    Ok(s)
}

/// A title typed in its own quotes loses them (the reference adds its own),
/// but only a pair that encloses the whole title: the closing quote of a
/// name at the end («… программы «Развитие образования»») stays.
pub(crate) fn outer_quotes_off(t: &str) -> &str {
    let depth_ok = |inner: &str| {
        let mut depth = 0i32;
        for c in inner.chars() {
            match c {
                '«' => depth += 1,
                '»' => depth -= 1,
                _ => {}
            }
            if depth < 0 {
                return false;
            }
        }
        depth == 0
    };
    for (open, close) in [('«', '»'), ('"', '"')] {
        if let Some(inner) = t.strip_prefix(open).and_then(|x| x.strip_suffix(close))
            && depth_ok(inner)
        {
            return inner;
        }
    }
    t
}

impl<'i, 'a> Refs<'i, 'a> {
    pub fn new(ix: &'i Index<'a>, unit: &'i Unit<'a>) -> Self {
        Refs {
            ix,
            unit,
            used: RefCell::new(BTreeSet::new()),
        }
    }

    pub fn resolve(&self, call: &Call) -> Result<String, RefError> {
        let id = call.id.as_str();
        match call.func.as_str() {
            "appendix" => {
                let case = case_arg(call)?;
                match self.unit.numbers.by_id.get(id) {
                    Some(n) if n.target == Target::Appendix => {
                        self.used.borrow_mut().insert(id.to_string());
                        let word = morph::common_noun("приложение", case).unwrap_or_default();
                        Ok(if n.number.is_empty() {
                            word
                        } else {
                            format!("{word} № {}", n.number)
                        })
                    }
                    _ => {
                        let attached = self.unit.appendices.iter().map(|(a, _)| a.get().as_str());
                        if self.ix.appendices.contains_key(id) {
                            Err((
                                Code::AppendixNotAttached,
                                format!("приложение «{id}» не входит в этот приказ"),
                                Some("добавьте его в список appendices приказа".into()),
                            ))
                        } else {
                            Err((
                                Code::UnknownReference,
                                format!("приложение «{id}»: нет такого id"),
                                near(id, attached),
                            ))
                        }
                    }
                }
            }
            "num" | "clause" => match self.unit.numbers.by_id.get(id) {
                Some(n) => {
                    self.used.borrow_mut().insert(id.to_string());
                    if call.func == "num" {
                        Ok(n.number.clone())
                    } else if n.number.is_empty() {
                        Err((
                            Code::InvalidValue,
                            format!("у «{id}» нет номера: на него нельзя сослаться как на пункт"),
                            None,
                        ))
                    } else {
                        Ok(format!("п. {}", n.number))
                    }
                }
                None => Err((
                    Code::UnknownReference,
                    format!("пункт, строка или приложение «{id}»: нет такого id"),
                    near(id, self.unit.numbers.by_id.keys().map(String::as_str)),
                )),
            },
            "act" => {
                let case = case_arg(call)?;
                let acts: &[Act] = match self.unit.kind {
                    UnitKind::Order(o) => &o.acts,
                    UnitKind::Document(_) => &[],
                };
                match acts.iter().find(|a| a.id.get() == id) {
                    Some(a) => act_text(self.ix, a, case),
                    None => Err((
                        Code::UnknownReference,
                        format!("акт «{id}»: нет такого id в списке acts"),
                        near(id, acts.iter().map(|a| a.id.get().as_str())),
                    )),
                }
            }
            "person" => {
                let Some(p) = self.ix.people.get(id) else {
                    return Err((
                        Code::UnknownReference,
                        format!("лицо «{id}»: нет такого id"),
                        near(id, self.ix.people.keys().copied()),
                    ));
                };
                let p = p.item;
                match call.arg.as_deref() {
                    Some("full") => Ok(full_name(p)),
                    Some("rev") => Ok(format!("{} {}", p.surname.get(), initials(p))),
                    _ => {
                        let case = case_arg(call)?;
                        Ok(format!("{} {}", initials(p), surname_in(p, case)?))
                    }
                }
            }
            "inst" => {
                let Some(i) = self.ix.institutions.get(id) else {
                    return Err((
                        Code::UnknownReference,
                        format!("учреждение «{id}»: нет такого id"),
                        near(id, self.ix.institutions.keys().copied()),
                    ));
                };
                match call.arg.as_deref() {
                    Some("full") => Ok(i.item.name.get().clone()),
                    None | Some("short") => {
                        Ok(i.item.short.as_ref().unwrap_or(&i.item.name).get().clone())
                    }
                    Some(other) => Err((
                        Code::InvalidValue,
                        format!("inst(): неизвестный вид названия «{other}»"),
                        Some("допустимо «full» или «short»".into()),
                    )),
                }
            }
            "org" => {
                let Some(o) = self.ix.orgs.get(id) else {
                    return Err((
                        Code::UnknownReference,
                        format!("организация «{id}»: нет такого id"),
                        near(id, self.ix.orgs.keys().copied()),
                    ));
                };
                if call.arg.as_deref() == Some("short") {
                    return Ok(o.item.short.as_ref().unwrap_or(&o.item.name).get().clone());
                }
                let case = case_arg(call)?;
                case_form(o.item.name.get(), &o.item.cases, case, "организации", id)
            }
            other => Err((
                Code::TemplateSyntax,
                format!("неизвестная функция «{other}»"),
                None,
            )),
        }
    }
}
