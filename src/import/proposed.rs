//! Registry entries the importer proposes for bodies and people the
//! registry does not know, in a file of their own for a clerk to check.

use super::OutFile;
use super::clauses::Ctx;
use super::emit::{self, Y};
use super::people::{self, fresh, translit};

pub(super) fn sentence_case(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A person the registry does not know: an entry to check and keep.
pub(super) fn propose(
    ctx: &mut Ctx,
    name: &str,
    position: &[String],
    org: &str,
    date: Option<&str>,
) -> String {
    let Some((ini, surname)) = people::split_short(name) else {
        return "unknown".into();
    };
    let id = fresh(&mut ctx.taken, &translit(&surname));
    let pos_text = position.join(" ");
    let acting = pos_text.to_lowercase().starts_with("и.о.")
        || pos_text.to_lowercase().starts_with("исполняющ");
    let pos_name = if acting {
        pos_text
            .split_once(' ')
            .map(|(_, r)| r.to_string())
            .unwrap_or_default()
    } else {
        pos_text.to_lowercase()
    };
    let pos_id = fresh(
        &mut ctx.taken,
        &format!(
            "{org}-{}",
            translit(&pos_name)
                .split('-')
                .take(2)
                .collect::<Vec<_>>()
                .join("-")
        ),
    );
    let mut pos = Y::map();
    pos.set("id", Y::raw(&pos_id));
    pos.set_noted(
        "name",
        Y::s(if acting {
            nominative(&pos_name)
        } else {
            pos_name.clone()
        }),
        if acting {
            vec!["import: именительный падеж выведен из родительного — проверьте".into()]
        } else {
            Vec::new()
        },
    );
    if acting {
        let mut cases = Y::map();
        cases.set("gen", Y::s(&pos_name));
        pos.set("cases", cases);
    }
    ctx.proposed_positions.push(pos);
    let mut p = Y::map();
    p.set("id", Y::raw(&id));
    p.set("surname", Y::s(&surname));
    p.set("initials", Y::s(&ini));
    let feminine = surname.ends_with('а') || surname.ends_with('я');
    p.set_noted(
        "gender",
        Y::raw(if feminine { "ж" } else { "м" }),
        vec!["import: пол указан по окончанию фамилии — проверьте".into()],
    );
    let mut t = Y::map();
    t.set("position", Y::raw(&pos_id));
    t.set("org", Y::raw(org));
    if acting {
        t.set("acting", Y::raw("true"));
    }
    if let Some(d) = date {
        t.set("from", Y::raw(d));
        t.set("to", Y::raw(d));
    }
    p.set("positions", Y::seq([t]));
    ctx.proposals.push(p);
    id
}

pub(super) fn registry_file(ctx: &Ctx) -> Option<OutFile> {
    if ctx.proposals.is_empty() && ctx.proposed_orgs.is_empty() {
        return None;
    }
    let mut reg = Y::map();
    reg.set("kind", Y::raw("registry"));
    if !ctx.proposed_orgs.is_empty() {
        reg.set("organisations", Y::seq(ctx.proposed_orgs.clone()));
    }
    if !ctx.proposed_positions.is_empty() {
        reg.set("positions", Y::seq(ctx.proposed_positions.clone()));
    }
    if !ctx.proposals.is_empty() {
        reg.set("people", Y::seq(ctx.proposals.clone()));
    }
    Some(OutFile {
        name: "registry-proposed.yaml".into(),
        text: emit::file(
            &[
                "Предложено prikaz import: органов и лиц из документа нет в реестре.".into(),
                "Проверьте записи (падежи, пол, даты должностей) и перенесите их в общий реестр."
                    .into(),
            ],
            &reg,
        ),
    })
}

/// A position's nominative from its genitive («министра» → «министр»,
/// «заместителя министра» → «заместитель министра»): the head word changes,
/// its dependants are genitive already.
pub(super) fn nominative(genitive: &str) -> String {
    let (head, rest) = genitive.split_once(' ').unwrap_or((genitive, ""));
    let head = if let Some(stem) = head.strip_suffix("теля") {
        format!("{stem}тель")
    } else if let Some(stem) = head.strip_suffix('я') {
        format!("{stem}ь")
    } else if let Some(stem) = head.strip_suffix('а') {
        stem.to_string()
    } else {
        head.to_string()
    };
    if rest.is_empty() {
        head
    } else {
        format!("{head} {rest}")
    }
}

/// A body's genitive from its name: the head noun changes, the rest of a
/// Russian body's name is genitive already («Министерство образования и
/// науки …» → «Министерства образования и науки …»).
pub(super) fn genitive_of_name(name: &str) -> Option<String> {
    let (head, rest) = name.split_once(' ')?;
    let g = match head {
        "Министерство" => "Министерства",
        "Департамент" => "Департамента",
        "Управление" => "Управления",
        "Комитет" => "Комитета",
        "Администрация" => "Администрации",
        "Отдел" => "Отдела",
        "Правительство" => "Правительства",
        "Агентство" => "Агентства",
        "Инспекция" => "Инспекции",
        "Служба" => "Службы",
        _ => return None,
    };
    Some(format!("{g} {rest}"))
}

/// An executor the registry does not know: «Фамилия Имя Отчество» and a
/// telephone on the next line.
pub(super) fn propose_executor(ctx: &mut Ctx, text: &str) -> Option<String> {
    let mut lines = text.lines();
    let words: Vec<&str> = lines.next()?.split_whitespace().collect();
    let [surname, name, patronymic] = words.as_slice() else {
        return None;
    };
    let capital = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().skip(1).all(char::is_lowercase)
    };
    if !(capital(surname) && capital(name) && capital(patronymic)) {
        return None;
    }
    let phone = lines
        .next()
        .map(str::trim)
        .filter(|l| l.chars().filter(char::is_ascii_digit).count() >= 5);
    let id = fresh(&mut ctx.taken, &translit(surname));
    let mut p = Y::map();
    p.set("id", Y::raw(&id));
    p.set("surname", Y::s(*surname));
    p.set("name", Y::s(*name));
    p.set("patronymic", Y::s(*patronymic));
    let feminine = patronymic.ends_with("вна") || patronymic.ends_with("чна");
    p.set_noted(
        "gender",
        Y::raw(if feminine { "ж" } else { "м" }),
        vec!["import: пол указан по отчеству — проверьте".into()],
    );
    if let Some(ph) = phone {
        p.set("phone", Y::s(ph));
    }
    ctx.proposals.push(p);
    Some(id)
}
