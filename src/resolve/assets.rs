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
    /// Feeds what the documents can print of the emblems (path, size and
    /// bytes) to `hash`: with the registry's text, what every unit's
    /// result depends on beyond its own files.
    pub fn fingerprint(&self, hash: &mut impl FnMut(&[u8])) {
        for (org, e) in &self.emblems {
            hash(org.as_bytes());
            match e {
                Ok(e) => {
                    hash(e.path.as_bytes());
                    hash(&e.height_mm.to_bits().to_le_bytes());
                    hash(&e.bytes);
                }
                Err(d) => hash(d.message.as_bytes()),
            }
        }
    }

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
/// Largest emblem once decoded: a 16 mm coat of arms needs a few hundred
/// pixels; this leaves room for any scan and stops decompression bombs.
const EMBLEM_MAX_SIDE: u32 = 8192;
const EMBLEM_MAX_PIXELS: u64 = 25_000_000;
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
    let fail = |why: String| {
        Diagnostic::error(
            Code::EmblemUnreadable,
            format!("герб «{}»: {why}", path.get()),
        )
        .at(span_of(org.file, path))
        .hint("путь указывается от файла реестра, внутри репозитория; поддерживаются PNG и JPEG до 5 МБ")
    };
    let within = crate::load::named::confinement(&registry, &ws.root);
    let bytes = crate::load::named::read_confined(&registry, path.get(), &within, EMBLEM_MAX_BYTES)
        .map_err(|e| fail(e.to_string()))?;
    let ext = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "jpg"
    } else {
        return Err(fail("это не PNG и не JPEG".into()));
    };
    // The size the image would take once decoded, from its header alone: a
    // small file can claim gigabytes of pixels.
    let (w, h) = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| fail(format!("изображение не читается ({e})")))?
        .into_dimensions()
        .map_err(|e| fail(format!("изображение не читается ({e})")))?;
    if w > EMBLEM_MAX_SIDE || h > EMBLEM_MAX_SIDE || u64::from(w) * u64::from(h) > EMBLEM_MAX_PIXELS
    {
        return Err(fail(format!(
            "изображение слишком велико: {w}×{h} точек (допустимо до {EMBLEM_MAX_SIDE} по стороне)"
        )));
    }
    // Decoded once here, within those bounds: a damaged image is reported at
    // the registry's `emblem:`, not as a template error of the PDF.
    image::load_from_memory(&bytes).map_err(|e| fail(format!("изображение повреждено ({e})")))?;
    Ok(Emblem {
        path: format!(
            "/assets/emblem-{}.{ext}",
            typo::file_stem(org.item.id.get())
        ),
        bytes,
        height_mm: EMBLEM_HEIGHT_MM,
    })
}
