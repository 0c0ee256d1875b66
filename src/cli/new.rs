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
    match scaffold(&a.dir, date) {
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

pub fn scaffold(dir: &Path, date: chrono::NaiveDate) -> Result<Vec<PathBuf>, String> {
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
    let has_registry = walkdir::WalkDir::new(plans_root)
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
    let order = ORDER_TEMPLATE
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
    let appendix = APPENDIX_TEMPLATE.replace("{id}", &id).replace("{month}", &{
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
issuer: ministry
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
control: { person: deputy }
signatory: minister
executor: deputy
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
              responsible: Министерство
"#;
