//! `prikaz import`: an existing order (Word, OpenDocument, legacy .doc and
//! .rtf through LibreOffice, or plain text copied out of a PDF) becomes a
//! draft plan that loads.
//!
//! Readers (`docx`, `odt`, `text`) turn a file into paragraphs and tables
//! (`source`); the recogniser (`order`, `blocks`, `tables`) finds the
//! requisites, the preamble and its acts, the clauses with their nesting,
//! deadlines and control clause, the signature, visas and executor, the
//! appendices with their stamps and their tables; `people` matches names
//! and bodies against the registry and proposes entries for the rest;
//! `emit` writes YAML. Printed numbers are kept as fixed numbers and
//! hand-typed references as typed, so `check` reports what the original
//! gets wrong; what cannot be placed is kept as text with an `# import:`
//! comment, never dropped.

use std::path::Path;

use crate::plan::{Organisation, Person, Position};

mod blocks;
mod clauses;
mod docx;
mod emit;
mod odt;
mod order;
mod people;
mod proposed;
mod refs;
mod requisites;
pub mod source;
mod tables;
mod text;
mod xml;

pub use source::Node;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("не удалось прочитать «{path}»: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("файл не является пакетом Office Open XML или OpenDocument: {0}")]
    Package(String),
    #[error("ошибка XML в части {part}: {message}")]
    Xml { part: String, message: String },
    #[error("формат «.{0}» не поддерживается: импортируются .docx, .odt, .doc, .rtf, .txt и .md")]
    Format(String),
    #[error(
        "для файлов .{0} нужен LibreOffice (команда soffice): установите его (пакет libreoffice-writer) или сохраните документ в Word как .docx"
    )]
    NoOffice(String),
    #[error("LibreOffice не смог преобразовать файл: {0}")]
    Convert(String),
    #[error("в файле не найдено ни одного абзаца текста")]
    Empty,
    #[error("файл слишком велик для приказа ({0} МБ; предел — 64 МБ)")]
    TooBig(u64),
}

const MAX_INPUT: u64 = 64 << 20;

/// What the registry already knows: bodies, people and positions to match.
#[derive(Default)]
pub struct Known<'a> {
    pub orgs: Vec<&'a Organisation>,
    pub people: Vec<&'a Person>,
    pub positions: Vec<&'a Position>,
    /// Ids already taken by any plan file: new ids avoid them.
    pub taken: Vec<String>,
}

/// One file of the draft plan: a name inside the output folder and its text.
#[derive(Debug, Clone)]
pub struct OutFile {
    pub name: String,
    pub text: String,
}

/// What the importer itself noticed in the original: a stamp naming
/// another order, a reference it could not place. `at` is the paragraph's
/// line (text) or ordinal (packages) in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Remark {
    pub at: usize,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Imported {
    pub id: String,
    /// `order` or `document`.
    pub kind: &'static str,
    pub files: Vec<OutFile>,
    pub remarks: Vec<Remark>,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The plan's id; by default made from the issuer, year and number.
    pub id: Option<String>,
}

/// Reads any supported file into paragraphs and tables.
pub fn read(path: &Path) -> Result<Vec<Node>, ImportError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let bytes = || {
        std::fs::read(path).map_err(|source| ImportError::Read {
            path: path.display().to_string(),
            source,
        })
    };
    // An order is kilobytes; a file of a hundred megabytes is not one.
    if let Ok(m) = std::fs::metadata(path)
        && m.len() > MAX_INPUT
    {
        return Err(ImportError::TooBig(m.len() >> 20));
    }
    let nodes = match ext.as_str() {
        "docx" | "docm" | "dotx" => docx::read(&bytes()?)?,
        "odt" | "ott" => odt::read(&bytes()?)?,
        "txt" | "md" | "text" | "" => {
            let b = bytes()?;
            text::read(&decode_text(&b))
        }
        "doc" | "rtf" | "wps" => docx::read(&convert(path, &ext)?)?,
        other => return Err(ImportError::Format(other.to_string())),
    };
    if nodes.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(nodes)
}

/// Text files from Windows are often in cp1251; UTF-8 (with or without a
/// BOM) is tried first.
fn decode_text(b: &[u8]) -> String {
    let b = b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b);
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => b.iter().map(|&c| cp1251(c)).collect(),
    }
}

fn cp1251(c: u8) -> char {
    match c {
        0..=0x7f => c as char,
        0xc0..=0xff => char::from_u32(0x410 + u32::from(c - 0xc0)).unwrap_or('?'),
        0xa8 => 'Ё',
        0xb8 => 'ё',
        0x96 => '–',
        0x97 => '—',
        0xab => '«',
        0xbb => '»',
        0xb9 => '№',
        0xa0 => '\u{a0}',
        0x93 => '“',
        0x94 => '”',
        0x84 => '„',
        _ => '?',
    }
}

/// `.doc` and `.rtf`: LibreOffice headless writes a .docx next to a
/// temporary copy; its own profile folder keeps it off a running instance.
fn convert(path: &Path, ext: &str) -> Result<Vec<u8>, ImportError> {
    let office = ["soffice", "libreoffice"]
        .into_iter()
        .find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok()
        })
        .ok_or_else(|| ImportError::NoOffice(ext.to_string()))?;
    let dir = tempfile::tempdir().map_err(|e| ImportError::Convert(e.to_string()))?;
    let input = dir.path().join(format!("source.{ext}"));
    std::fs::copy(path, &input).map_err(|source| ImportError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let profile = dir.path().join("profile");
    let out = std::process::Command::new(office)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&input)
        .output()
        .map_err(|e| ImportError::Convert(e.to_string()))?;
    let docx = dir.path().join("source.docx");
    std::fs::read(&docx)
        .map_err(|_| ImportError::Convert(String::from_utf8_lossy(&out.stderr).trim().to_string()))
}

/// The draft plan for what was read.
pub fn import(nodes: &[Node], known: &Known, opts: &Options) -> Imported {
    let nodes = tidy(nodes);
    order::recognise(&nodes, known, opts)
}

/// Clean text everywhere and drop empty paragraphs; a table before the
/// order's title (a letterhead or a date line laid out in cells) becomes
/// paragraphs, row by row.
fn tidy(nodes: &[Node]) -> Vec<Node> {
    let mut out = Vec::with_capacity(nodes.len());
    // Only an order has a letterhead: a stand-alone document's first small
    // table is a table.
    let order = nodes.iter().take(20).any(|n| {
        matches!(n, Node::Para(p) if requisites::doc_kind(&source::Para { text: source::clean(&p.text), ..p.clone() }).is_some())
    });
    let title_seen = |out: &Vec<Node>| {
        out.iter().any(|n| match n {
            Node::Para(p) => requisites::is_title_like(&p.text),
            Node::Table(_) => false,
        })
    };
    for n in nodes {
        match n {
            Node::Para(p) => {
                // Tabs separate a date from a number, a position from a name.
                let text: String = p
                    .text
                    .split('\n')
                    .map(|l| {
                        l.split('\t')
                            .map(source::clean)
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join("\t")
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                let text = text.trim_matches('\n').to_string();
                if text.trim().is_empty() {
                    continue;
                }
                out.push(Node::Para(source::Para { text, ..p.clone() }));
            }
            Node::Table(g) if order && !title_seen(&out) && g.rows.len() <= 4 && out.len() < 12 => {
                for row in &g.rows {
                    let cells: Vec<String> = row
                        .iter()
                        .map(|c| source::clean(&c.text()))
                        .filter(|s| !s.is_empty())
                        .collect();
                    if !cells.is_empty() {
                        out.push(Node::Para(source::Para {
                            text: cells.join("\t"),
                            at: g.at,
                            ..source::Para::default()
                        }));
                    }
                }
            }
            Node::Table(g) => {
                let mut g = g.clone();
                for row in &mut g.rows {
                    for c in row {
                        c.paras = c.paras.iter().map(|p| source::clean(p)).collect();
                    }
                }
                out.push(Node::Table(g));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "ПРИКАЗ",
        "П Р И К А З",
        "\n",
        "\n\n",
        "\t",
        "|",
        "| a | b |\n",
        "|--|--|\n",
        "1. ",
        "2.1. ",
        "– ",
        "а) ",
        "**",
        "<b>",
        "</i>",
        "Приложение № 2\n",
        "к приказу ",
        "от 06.10.20 № 418-ОД",
        "УТВЕРЖДЕН",
        "« 31 » 10 20 24 г.",
        "№ ",
        "Д.С. Хнычева",
        "И.о. министра",
        "приказываю:",
        "Контроль за исполнением настоящего приказа возложить на ",
        "в срок до ",
        "{{",
        "{%",
        "приказом Министерства от 01.01.2024 № 1 «",
        "»",
        "Обозначения",
        "ОО – школы",
        "  ",
        "\u{a0}",
        "„",
        "“",
        "2024",
        "Кластер 1",
        "№\tМероприятие\tСрок\n",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
        /// Any text, however broken, gives a draft and never a panic.
        #[test]
        fn any_text_imports_without_panic(parts in proptest::collection::vec(0..PIECES.len() + 1, 0..60), tail in ".{0,40}") {
            let text: String = parts
                .iter()
                .map(|&i| PIECES.get(i).copied().unwrap_or(tail.as_str()))
                .collect();
            let nodes = text::read(&text);
            let out = import(&nodes, &Known::default(), &Options::default());
            prop_assert!(!out.files.is_empty());
        }
    }

    #[test]
    fn a_table_inside_the_order_is_kept_as_comments_not_dropped() {
        let text = "ПРИКАЗ\n\n01.02.2025\t№ 5\n\nО составе комиссии\n\nприказываю:\n\n1. Утвердить состав комиссии:\n\nФамилия\tДолжность\nИванов\tдиректор\n\n2. Контроль за исполнением настоящего приказа оставляю за собой.\n\nМинистр\tА.Б. Петров\n";
        let out = import(&text::read(text), &Known::default(), &Options::default());
        let order = &out.files[0].text;
        assert!(order.contains("# import: | Иванов | директор |"), "{order}");
        assert!(order.contains("control: self"), "{order}");
    }

    #[test]
    fn broken_packages_are_errors_not_panics() {
        for bytes in [&b""[..], b"PK\x03\x04", b"<w:document>"] {
            assert!(docx::read(bytes).is_err());
            assert!(odt::read(bytes).is_err());
        }
    }
}
