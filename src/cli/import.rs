//! `prikaz import FILE`: a legacy order becomes a draft plan in
//! `plans/<id>/`, then `check` says what the original gets wrong.

use std::path::{Path, PathBuf};

use crate::import::{self, Known, Options};
use crate::load::Parsed;

use super::{ColorWhen, OutputFormat};

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Документ: .docx, .odt, .doc, .rtf (через LibreOffice) или текст .txt/.md
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
    /// Каталог плана (по умолчанию plans/<id>/ в корне репозитория)
    #[arg(long, value_name = "КАТАЛОГ")]
    pub out: Option<PathBuf>,
    /// Идентификатор плана (по умолчанию из органа, года и номера)
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// Перезаписать файлы в непустом каталоге плана
    #[arg(long)]
    pub force: bool,
    #[arg(long, value_enum, value_name = "КОГДА", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

pub(super) fn import(a: ImportArgs) -> i32 {
    let layout = crate::project::root::discover(&crate::project::root::absolute(Path::new(".")))
        .ok()
        .flatten();
    let plans = layout
        .as_ref()
        .map_or_else(|| PathBuf::from("plans"), |l| l.plans.clone());
    let root = layout
        .as_ref()
        .map_or_else(|| PathBuf::from("."), |l| l.root.clone());
    let project = plans
        .is_dir()
        .then(|| crate::project::Project::open(std::slice::from_ref(&plans), &root));
    let mut known = Known::default();
    if let Some(p) = &project {
        for (_, parsed) in &p.workspace().files {
            match parsed {
                Parsed::Registry(r) => {
                    known.orgs.extend(&r.organisations);
                    known.people.extend(&r.people);
                    known.positions.extend(&r.positions);
                    for id in r
                        .organisations
                        .iter()
                        .map(|o| &o.id)
                        .chain(r.people.iter().map(|p| &p.id))
                        .chain(r.positions.iter().map(|p| &p.id))
                    {
                        known.taken.push(id.get().clone());
                    }
                }
                Parsed::Order(o) => {
                    known.taken.push(o.id.get().clone());
                    known
                        .taken
                        .extend(o.acts.iter().map(|a| a.id.get().clone()));
                }
                Parsed::Appendix(x) => known.taken.push(x.id.get().clone()),
                Parsed::Document(x) => known.taken.push(x.id.get().clone()),
                Parsed::Bundle(x) => known.taken.push(x.id.get().clone()),
            }
        }
    }
    let nodes = match import::read(&a.file) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("ошибка: {e}");
            return 2;
        }
    };
    let imported = import::import(&nodes, &known, &Options { id: a.id.clone() });
    let dir = a.out.clone().unwrap_or_else(|| plans.join(&imported.id));
    if !a.force && std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some()) {
        eprintln!(
            "ошибка: каталог «{}» не пуст; укажите другой (--out) или перезапишите (--force)",
            dir.display()
        );
        return 2;
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("ошибка: не удалось создать «{}»: {e}", dir.display());
        return 2;
    }
    let quiet = !super::chatty();
    let mut written = Vec::new();
    for f in &imported.files {
        let path = dir.join(&f.name);
        if let Err(e) = crate::build::write_atomic(&path, f.text.as_bytes()) {
            eprintln!("ошибка: не удалось записать «{}»: {e}", path.display());
            return 2;
        }
        if !quiet {
            println!("записан {}", path.display());
        }
        written.push(path);
    }
    let source = a.file.display();
    for r in &imported.remarks {
        eprintln!("предупреждение: {source}:{}: {}", r.at, r.message);
    }
    // What `check` says of the draft, in the context of the whole repository.
    // The registry comes along when the plan sits outside plans/.
    let mut load = vec![plans.clone()];
    if !crate::project::root::absolute(&dir).starts_with(crate::project::root::absolute(&plans)) {
        load.push(dir.clone());
    }
    load.retain(|p| p.is_dir());
    let checked = crate::project::Project::open(&load, &root);
    let analysis = checked.analyze_with(
        crate::project::Options::check(),
        &mut crate::project::cache::UnitCache::memory(),
        &crate::project::Wants::everything(false),
    );
    let dir_abs = crate::project::root::absolute(&dir);
    let own: Vec<crate::diag::Diagnostic> = analysis
        .diags
        .iter()
        .filter(|d| {
            d.span.is_some_and(|s| {
                let name = checked.sources().name(s.file);
                let p = crate::project::root::absolute(&root.join(name));
                p.starts_with(&dir_abs)
            })
        })
        .cloned()
        .collect();
    super::report(
        checked.sources(),
        &own,
        OutputFormat::Human,
        a.color,
        written.len(),
    );
    0
}
