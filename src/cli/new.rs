//! `prikaz new`: the scaffold of an order with its appendix (and a registry
//! when the repository has none) that passes `check`.

use std::path::{Path, PathBuf};

use super::NewArgs;

/// The scaffold of `prikaz new`: a registry (if the repository has none), an
/// order and its appendix that pass `check`.
pub(super) fn new(a: NewArgs) -> i32 {
    let date = match &a.date {
        Some(d) => match crate::plan::parse_date(d) {
            Some(d) => d,
            None => {
                eprintln!("ошибка: некорректная дата «{d}»: ожидается ГГГГ-ММ-ДД");
                return 2;
            }
        },
        None => today(),
    };
    let who = match choose(&a, date) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("ошибка: {e}");
            return 2;
        }
    };
    match scaffold(&a.dir, date, who.as_ref()) {
        Ok(written) => {
            for w in written {
                println!("создан {}", w.display());
            }
            0
        }
        Err(e) => {
            eprintln!("ошибка: {e}");
            2
        }
    }
}

/// Today's date (UTC) from the system clock: only `new` asks for it; documents never do.
fn today() -> chrono::NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    chrono::NaiveDate::from_num_days_from_ce_opt(719_163 + days as i32).unwrap_or_default()
}

/// Who the new order is from, chosen among the ids of the repository's
/// registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parties {
    pub issuer: String,
    /// What the plan's rows print as responsible: the issuer's short name.
    pub responsible: String,
    pub signatory: String,
    pub executor: String,
}

/// The parties of `a` (or the first fitting ones) in the registry of the
/// repository `a.dir` is made in; `None` when it has no registry yet.
fn choose(a: &super::NewArgs, date: chrono::NaiveDate) -> Result<Option<Parties>, String> {
    let at = crate::project::root::absolute(&a.dir);
    let Some(layout) = at
        .ancestors()
        .skip(1)
        .find(|d| d.is_dir())
        .and_then(|d| crate::project::root::discover(d).ok().flatten())
    else {
        return Ok(None);
    };
    let project = crate::project::Project::open(std::slice::from_ref(&layout.plans), &layout.root);
    let registries: Vec<&crate::plan::RegistryFile> = project
        .workspace()
        .files
        .iter()
        .filter_map(|(_, p)| match p {
            crate::load::Parsed::Registry(r) => Some(r),
            _ => None,
        })
        .collect();
    if registries.is_empty() {
        return Ok(None);
    }
    parties(
        &registries,
        date,
        a.issuer.as_deref(),
        a.signatory.as_deref(),
        a.executor.as_deref(),
    )
    .map(Some)
}

/// The choice itself: the ids asked for must exist (with the closest as a
/// hint); otherwise the first organisation with someone in office on
/// `date`, its first such person signs, the next one executes.
pub fn parties(
    registries: &[&crate::plan::RegistryFile],
    date: chrono::NaiveDate,
    issuer: Option<&str>,
    signatory: Option<&str>,
    executor: Option<&str>,
) -> Result<Parties, String> {
    let orgs: Vec<&crate::plan::Organisation> =
        registries.iter().flat_map(|r| &r.organisations).collect();
    let people: Vec<&crate::plan::Person> = registries.iter().flat_map(|r| &r.people).collect();
    let in_office = |p: &crate::plan::Person, org: &str| {
        p.positions.iter().any(|t| {
            t.org.as_ref().is_none_or(|o| o.get() == org)
                && t.from.as_ref().is_none_or(|f| f.get().0 <= date)
                && t.to.as_ref().is_none_or(|e| e.get().0 >= date)
        })
    };
    let unknown = |what: &str, id: &str, known: Vec<&str>| {
        let hint = crate::diag::closest(id, known)
            .map(|k| format!("; возможно, имелось в виду «{k}»"))
            .unwrap_or_default();
        format!("{what} «{id}»: нет такого id{hint}")
    };
    let org = match issuer {
        Some(id) => *orgs.iter().find(|o| o.id.get() == id).ok_or_else(|| {
            unknown(
                "организация",
                id,
                orgs.iter().map(|o| o.id.get().as_str()).collect(),
            )
        })?,
        None => *orgs
            .iter()
            .find(|o| people.iter().any(|p| in_office(p, o.id.get())))
            .ok_or(
                "в реестре нет органа, в котором кто-либо состоит в должности на дату приказа",
            )?,
    };
    let person = |asked: Option<&str>, what: &str, not: Option<&str>| -> Result<String, String> {
        match asked {
            Some(id) => people
                .iter()
                .find(|p| p.id.get() == id)
                .map(|p| p.id.get().clone())
                .ok_or_else(|| {
                    unknown(
                        what,
                        id,
                        people.iter().map(|p| p.id.get().as_str()).collect(),
                    )
                }),
            None => people
                .iter()
                .filter(|p| in_office(p, org.id.get()))
                .find(|p| Some(p.id.get().as_str()) != not)
                .or_else(|| people.iter().find(|p| in_office(p, org.id.get())))
                .map(|p| p.id.get().clone())
                .ok_or_else(|| {
                    format!(
                        "в реестре нет лица в должности в «{}» на дату приказа",
                        org.id.get()
                    )
                }),
        }
    };
    let signatory = person(signatory, "лицо", None)?;
    // Who signs must hold office on the order's date, as `check` requires.
    if people
        .iter()
        .any(|p| p.id.get() == &signatory && !in_office(p, org.id.get()))
    {
        return Err(format!(
            "лицо «{signatory}» не занимает должность в «{}» на {}: укажите --date или другого подписанта",
            org.id.get(),
            date.format("%d.%m.%Y")
        ));
    }
    let executor = person(executor, "лицо", Some(&signatory))?;
    Ok(Parties {
        issuer: org.id.get().clone(),
        responsible: org.short.as_ref().unwrap_or(&org.name).get().clone(),
        signatory,
        executor,
    })
}

pub fn scaffold(
    dir: &Path,
    date: chrono::NaiveDate,
    who: Option<&Parties>,
) -> Result<Vec<PathBuf>, String> {
    use chrono::Datelike;
    if dir.exists()
        && dir
            .read_dir()
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!(
            "каталог «{}» уже существует и не пуст",
            dir.display()
        ));
    }
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| "укажите имя каталога".to_string())?;
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("не удаётся создать «{}»: {e}", dir.display()))?;
    let school_start = if date.month() >= 9 {
        date.year()
    } else {
        date.year() - 1
    };
    let mut written = Vec::new();
    let plans_root = dir.parent().unwrap_or(Path::new("."));
    let has_registry = who.is_some()
        || walkdir::WalkDir::new(plans_root)
            .max_depth(3)
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| {
                e.file_type().is_file()
                    && std::fs::read_to_string(e.path())
                        .is_ok_and(|t| t.lines().any(|l| l.trim() == "kind: registry"))
            });
    if !has_registry {
        let reg = plans_root.join("registry.yaml");
        std::fs::write(&reg, REGISTRY_TEMPLATE)
            .map_err(|e| format!("не удаётся записать «{}»: {e}", reg.display()))?;
        written.push(reg);
    }
    // The template's own registry's ids, when `new` writes that registry.
    let who = who.cloned().unwrap_or_else(|| Parties {
        issuer: "ministry".into(),
        responsible: "Министерство".into(),
        signatory: "minister".into(),
        executor: "deputy".into(),
    });
    let control = if who.executor == who.signatory {
        "self".to_string()
    } else {
        format!("{{ person: {} }}", who.executor)
    };
    let order = ORDER_TEMPLATE
        .replace("{issuer}", &who.issuer)
        .replace("{signatory}", &who.signatory)
        .replace("{executor}", &who.executor)
        .replace("{control}", &control)
        .replace("{id}", &id)
        .replace("{date}", &date.format("%Y-%m-%d").to_string())
        .replace(
            "{period}",
            &format!("{}/{}", school_start, school_start + 1),
        )
        .replace(
            "{deadline}",
            &crate::lang::morph::date_numeric(date + chrono::Days::new(30)),
        );
    let appendix = APPENDIX_TEMPLATE
        // A JSON string is a YAML double-quoted scalar: a colon or a quote
        // in the name stays text.
        .replace(
            "{responsible}",
            &serde_json::to_string(&who.responsible).unwrap_or_default(),
        )
        .replace("{id}", &id)
        .replace("{month}", &{
            let d = date + chrono::Days::new(30);
            format!(
                "{} {}",
                crate::lang::deadline::MONTHS_NOM[d.month0() as usize],
                d.year()
            )
        });
    for (name, text) in [("order.yaml", order), ("appendix.yaml", appendix)] {
        let p = dir.join(name);
        std::fs::write(&p, text)
            .map_err(|e| format!("не удаётся записать «{}»: {e}", p.display()))?;
        written.push(p);
    }
    Ok(written)
}

const REGISTRY_TEMPLATE: &str = r#"# Реестр: органы, люди, должности, учреждения, сокращения.
kind: registry
organisations:
  - id: ministry
    name: Министерство образования и науки области
    short: Министерство
    cases:
      gen: Министерства образования и науки области
      dat: Министерству образования и науки области
    place: г. Город
    letterhead:
      - МИНИСТЕРСТВО ОБРАЗОВАНИЯ И НАУКИ ОБЛАСТИ
    registers: [ОД]
positions:
  - id: minister
    name: министр
    cases: { gen: министра, dat: министру, acc: министра, ins: министром }
  - id: deputy-minister
    name: заместитель министра
    cases: { gen: заместителя министра, dat: заместителю министра, acc: заместителя министра, ins: заместителем министра }
people:
  - id: minister
    surname: Иванов
    name: Иван
    patronymic: Иванович
    gender: м
    positions:
      - { position: minister, org: ministry, from: 2020-01-01 }
  - id: deputy
    surname: Петрова
    name: Мария
    patronymic: Сергеевна
    gender: ж
    phone: 8 (000) 000-00-00
    positions:
      - { position: deputy-minister, org: ministry, from: 2020-01-01 }
institutions: []
abbreviations: []
"#;

const ORDER_TEMPLATE: &str = r#"kind: order
id: {id}
issuer: {issuer}
date: {date}
status: draft
period: "{period}"
title: Об утверждении плана мероприятий
preamble: >-
  В целях организации работы
clauses:
  - id: approve
    text: Утвердить план мероприятий ({{ appendix("{id}-plan") }}).
  - id: report
    text: Представить отчёт о выполнении плана
    deadline: до {deadline}
control: {control}
signatory: {signatory}
executor: {executor}
appendices: [{id}-plan]
"#;

const APPENDIX_TEMPLATE: &str = r#"kind: appendix
id: {id}-plan
title: План мероприятий
blocks:
  - activities:
      numbering: hierarchical
      columns:
        - { key: activity, title: Мероприятие }
        - { key: deadline, title: Срок, type: deadline }
        - { key: responsible, title: Ответственный }
      sections:
        - title: Организационные мероприятия
          rows:
            - id: meeting
              activity: Совещание с исполнителями плана
              deadline: {month}
              responsible: {responsible}
"#;
