//! `build --compare REV --tracked`: the new revision's DOCX with what
//! changed since REV as Word revisions, for reviewers who read changes in
//! Word's or LibreOffice's review pane. Both revisions are rendered by the
//! same DOCX backend, so their bodies differ only where the documents do;
//! [`merge`] aligns them and marks the differences.

use std::io::{Cursor, Read};

use crate::model::Document;

mod align;
mod merge;
mod parse;

#[derive(Debug, thiserror::Error)]
pub enum TrackedError {
    #[error("DOCX: {0}")]
    Render(#[from] crate::render::docx::DocxError),
    #[error("пакет DOCX: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("пакет DOCX: {0}")]
    Io(#[from] std::io::Error),
    #[error("в DOCX нет тела документа (w:body)")]
    NoBody,
}

/// Who made the changes and when: the revisions carry it.
#[derive(Debug, Clone)]
pub struct Revisor {
    pub author: String,
    /// ISO 8601, UTC: `2025-08-29T10:15:00Z`.
    pub date: String,
}

impl Revisor {
    pub fn at(author: &str, seconds: i64) -> Revisor {
        let date = chrono::DateTime::from_timestamp(seconds, 0)
            .unwrap_or_default()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        Revisor {
            author: author.to_string(),
            date,
        }
    }
}

fn part(docx: &[u8], name: &str) -> Result<String, TrackedError> {
    let mut z = zip::ZipArchive::new(Cursor::new(docx))?;
    let mut f = z.by_name(name)?;
    let mut s = String::new();
    f.read_to_string(&mut s)?;
    Ok(s)
}

/// Who made each change since REV: the paragraph and row texts of the
/// document (as its DOCX prints them) after every commit, oldest first. A
/// text added is the first commit's after which it stays; a text removed,
/// the first commit's after which it is gone for good.
pub struct Authorship {
    steps: Vec<(Revisor, std::collections::HashSet<String>)>,
    /// For what no commit made (changes not committed yet).
    pub fallback: Revisor,
}

impl Authorship {
    pub fn new(fallback: Revisor) -> Authorship {
        Authorship {
            steps: Vec::new(),
            fallback,
        }
    }

    /// The document as it was after a commit by `who` (`None`: not there).
    pub fn push(&mut self, who: Revisor, doc: Option<&Document>) -> Result<(), TrackedError> {
        let mut texts = std::collections::HashSet::new();
        if let Some(doc) = doc {
            let xml = part(&crate::render::docx::render(doc)?, "word/document.xml")?;
            let (s, e) = body_range(&xml).ok_or(TrackedError::NoBody)?;
            collect(&parse::blocks(&xml[s..e]), &mut texts);
        }
        self.steps.push((who, texts));
        Ok(())
    }

    fn of(&self, added: bool, text: &str) -> &Revisor {
        let n = self.steps.len();
        let found = (0..n).find(|&i| {
            self.steps[i..]
                .iter()
                .all(|(_, t)| t.contains(text) == added)
        });
        found.map_or(&self.fallback, |i| &self.steps[i].0)
    }
}

fn collect(blocks: &[parse::Block], out: &mut std::collections::HashSet<String>) {
    for b in blocks {
        match b {
            parse::Block::P(p) => {
                out.insert(p.text.clone());
            }
            parse::Block::T(t) => {
                for r in &t.rows {
                    out.insert(r.text.clone());
                    for c in &r.cells {
                        collect(&c.blocks, out);
                    }
                }
            }
            parse::Block::Other(_) => {}
        }
    }
}

/// The body element of `document.xml`: (start, end) byte offsets.
fn body_range(xml: &str) -> Option<(usize, usize)> {
    let start = xml.find("<w:body>")?;
    let end = xml.rfind("</w:body>")? + "</w:body>".len();
    Some((start, end))
}

/// The tracked DOCX of `new` against `old` and the number of revisions in it.
pub fn tracked(
    old: &Document,
    new: &Document,
    who: &Authorship,
) -> Result<(Vec<u8>, usize), TrackedError> {
    let old_docx = crate::render::docx::render(old)?;
    let new_docx = crate::render::docx::render(new)?;
    let old_xml = part(&old_docx, "word/document.xml")?;
    let new_xml = part(&new_docx, "word/document.xml")?;
    let (os, oe) = body_range(&old_xml).ok_or(TrackedError::NoBody)?;
    let (ns, ne) = body_range(&new_xml).ok_or(TrackedError::NoBody)?;
    let old_blocks = parse::blocks(&old_xml[os..oe]);
    let new_blocks = parse::blocks(&new_xml[ns..ne]);
    let mut w = merge::Writer::new(Box::new(|added, text| {
        let r = who.of(added, text);
        merge::attrs(&r.author, &r.date)
    }));
    w.blocks(&old_blocks, &new_blocks);
    let xml = format!(
        "{}<w:body>{}</w:body>{}",
        &new_xml[..ns],
        w.out,
        &new_xml[ne..]
    );
    // The new revision's package with the merged body: same parts, same
    // order, written as the DOCX backend writes its packages.
    let mut zin = zip::ZipArchive::new(Cursor::new(&new_docx))?;
    let mut entries = Vec::with_capacity(zin.len());
    for i in 0..zin.len() {
        let mut f = zin.by_index(i)?;
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data)?;
        if name == "word/document.xml" {
            data = xml.clone().into_bytes();
        }
        entries.push((name, data));
    }
    Ok((crate::render::docx::pack(&entries)?, w.revisions))
}
