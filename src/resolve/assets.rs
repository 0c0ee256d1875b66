//! Files the registry names (an organisation's emblem), read once per
//! analysis for the rules and every document that prints them.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic};
use crate::index::{Entry, Index, span_of};
use crate::lang::typo;
use crate::load::Workspace;
use crate::model::Emblem;
use crate::plan::{Organisation, Text};

/// Each organisation's emblem, or why it could not be read.
#[derive(Debug, Default)]
pub struct Assets {
    emblems: BTreeMap<String, Result<Emblem, Diagnostic>>,
}

/// Reads every emblem the registry names, once.
pub fn load(ws: &Workspace, ix: &Index) -> Assets {
    let mut emblems = BTreeMap::new();
    for (id, o) in &ix.orgs {
        if let Some(path) = &o.item.emblem {
            emblems.insert(id.to_string(), load_emblem(ws, o, path));
        }
    }
    Assets { emblems }
}

impl Assets {
    /// Why emblems could not be read, located at their paths.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.emblems
            .values()
            .filter_map(|r| r.as_ref().err().cloned())
    }

    /// The emblem of organisation `org`, when it has one that could be read.
    pub fn emblem(&self, org: &str) -> Option<&Emblem> {
        self.emblems.get(org).and_then(|r| r.as_ref().ok())
    }
}

/// Largest emblem image accepted (a coat of arms is a few hundred KiB).
const EMBLEM_MAX_BYTES: u64 = 5 * 1024 * 1024;
/// Height of the emblem on the letterhead (ГОСТ Р 7.0.97 practice: 15–17 mm).
const EMBLEM_HEIGHT_MM: f32 = 16.0;

/// Reads an organisation's emblem: a PNG or JPEG file, its path relative to
/// the registry file that names it.
fn load_emblem(
    ws: &Workspace,
    org: &Entry<Organisation>,
    path: &Text,
) -> Result<Emblem, Diagnostic> {
    let registry = ws.root.join(ws.sources.name(org.file));
    let file = registry
        .parent()
        .unwrap_or(ws.root.as_path())
        .join(path.get());
    let fail = |why: String| {
        Diagnostic::error(
            Code::EmblemUnreadable,
            format!("герб «{}»: {why}", path.get()),
        )
        .at(span_of(org.file, path))
        .hint("путь указывается от файла реестра; поддерживаются PNG и JPEG до 5 МБ")
    };
    let meta = std::fs::metadata(&file).map_err(|e| fail(format!("файл не прочитан ({e})")))?;
    if meta.len() > EMBLEM_MAX_BYTES {
        return Err(fail(format!("файл слишком велик ({} байт)", meta.len())));
    }
    let bytes = std::fs::read(&file).map_err(|e| fail(format!("файл не прочитан ({e})")))?;
    let ext = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "jpg"
    } else {
        return Err(fail("это не PNG и не JPEG".into()));
    };
    Ok(Emblem {
        path: format!(
            "/assets/emblem-{}.{ext}",
            typo::file_stem(org.item.id.get())
        ),
        bytes,
        height_mm: EMBLEM_HEIGHT_MM,
    })
}
