//! The post-processing pass over the archive docx-rs wrote: repeating table
//! headers, section setup, properties and language; then a deterministic re-pack.

use std::io::{Cursor, Read, Write};

use super::DocxError;
use crate::model::{Body, ClauseComment, Document, Order};

/// How [`finish`] must set up each section's `sectPr`, in document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionSetup {
    /// Carries the header references (the first section; later ones inherit).
    pub header_refs: bool,
    /// The first page of this section has its own header (no page number).
    pub title_page: bool,
    /// Page numbering restarts at 1.
    pub restart: bool,
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// `docProps/core.xml` from the model: title, author, language and the
/// order's date (never the clock).
fn core_xml(doc: &Document) -> String {
    let date = doc
        .meta
        .date
        .as_deref()
        .map(|d| format!("{d}T00:00:00Z"))
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".into());
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>",
            "<cp:lastModifiedBy>{author}</cp:lastModifiedBy><dc:language>{lang}</dc:language>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>"#,
            "<cp:revision>1</cp:revision></cp:coreProperties>"
        ),
        title = xml_escape(&doc.meta.title),
        author = xml_escape(&doc.meta.author),
        lang = xml_escape(&doc.meta.language),
        date = date,
    )
}

/// Marks the first `counts[i]` rows of the i-th top-level table of
/// `document.xml` as header rows repeated on every page (`<w:tblHeader/>`).
/// docx-rs has no API for it; this is the one place that edits its XML.
pub fn mark_header_rows(xml: &str, counts: &[usize]) -> String {
    let mut out = String::with_capacity(xml.len() + counts.iter().sum::<usize>() * 32);
    let mut depth = 0usize;
    let mut table = 0usize;
    let mut row_in_table = 0usize;
    let mut rest = xml;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let end = rest.find('>').map(|e| e + 1).unwrap_or(rest.len());
        let tag = &rest[..end];
        out.push_str(tag);
        rest = &rest[end..];
        if tag.starts_with("<w:tbl>") || tag.starts_with("<w:tbl ") {
            depth += 1;
            if depth == 1 {
                row_in_table = 0;
            }
        } else if tag.starts_with("</w:tbl>") {
            if depth == 1 {
                table += 1;
            }
            depth = depth.saturating_sub(1);
        } else if depth == 1 && (tag.starts_with("<w:tr>") || tag.starts_with("<w:tr ")) {
            let header = row_in_table < counts.get(table).copied().unwrap_or(0);
            row_in_table += 1;
            if header {
                // docx-rs writes `<w:trPr>…</w:trPr>` or `<w:trPr />` first.
                if let Some(r) = rest.strip_prefix("<w:trPr />") {
                    out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
                    rest = r;
                } else if let Some(r) = rest.strip_prefix("<w:trPr>") {
                    out.push_str("<w:trPr><w:tblHeader />");
                    rest = r;
                } else {
                    out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// docx-rs names images `rIdImage<n>` from a process-wide counter: number
/// them in order of first use in `document.xml` instead, in the XML parts and
/// in the media file names alike.
fn renumber_images(entries: &mut [(String, Vec<u8>)]) {
    static ID: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = ID.get_or_init(|| {
        regex::Regex::new(r"rIdImage(\d+)")
            .unwrap_or_else(|_| unreachable!("a fixed, tested pattern"))
    });
    let mut map = std::collections::HashMap::new();
    if let Some((_, doc)) = entries.iter().find(|(n, _)| n == "word/document.xml") {
        for c in re.captures_iter(&String::from_utf8_lossy(doc)) {
            let next = map.len() + 1;
            map.entry(c[1].to_string()).or_insert(next);
        }
    }
    if map.is_empty() {
        return;
    }
    let rename = |s: &str| -> String {
        re.replace_all(s, |c: &regex::Captures| match map.get(&c[1]) {
            Some(n) => format!("rIdImage{n}"),
            None => c[0].to_string(),
        })
        .into_owned()
    };
    for (name, data) in entries.iter_mut() {
        *name = rename(name);
        if name.ends_with(".xml") || name.ends_with(".rels") {
            *data = rename(&String::from_utf8_lossy(data)).into_bytes();
        }
    }
}

/// Rewrites `w14:paraId` values as a sequence starting at `*next`.
fn renumber_para_ids(xml: &str, next: &mut u32) -> String {
    const KEY: &str = "w14:paraId=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find(KEY) {
        let start = i + KEY.len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push_str(&format!("{:08X}", *next));
        *next += 1;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Sets each `<w:sectPr>` of `document.xml` up as `setup` says: header
/// references first (schema order), `pgNumType` before `cols`, `titlePg` last.
pub fn set_up_sections(xml: &str, setup: &[SectionSetup]) -> String {
    static STRIP: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let strip = STRIP.get_or_init(|| {
        regex::Regex::new(r"<w:headerReference [^>]*/>|<w:titlePg ?/>|<w:pgNumType [^>]*/>")
            .unwrap_or_else(|_| unreachable!("a fixed, tested pattern"))
    });
    let mut out = String::with_capacity(xml.len() + setup.len() * 200);
    let mut rest = xml;
    let mut k = 0;
    while let Some(i) = rest.find("<w:sectPr>") {
        let open = i + "<w:sectPr>".len();
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let close = rest.find("</w:sectPr>").unwrap_or(rest.len());
        let body = strip.replace_all(&rest[..close], "").into_owned();
        rest = &rest[close..];
        let s = setup.get(k).copied().unwrap_or(SectionSetup {
            header_refs: false,
            title_page: false,
            restart: false,
        });
        k += 1;
        if s.header_refs {
            out.push_str(r#"<w:headerReference w:type="default" r:id="rIdHeader1" />"#);
            out.push_str(r#"<w:headerReference w:type="first" r:id="rIdHeader2" />"#);
        }
        let body = if s.restart {
            match body.find("<w:cols") {
                Some(c) => format!(r#"{}<w:pgNumType w:start="1" />{}"#, &body[..c], &body[c..]),
                None => format!(r#"{body}<w:pgNumType w:start="1" />"#),
            }
        } else {
            body
        };
        out.push_str(&body);
        if s.title_page {
            out.push_str("<w:titlePg />");
        }
    }
    out.push_str(rest);
    out
}

/// Adds the document language to the default run properties of `styles.xml`,
/// last in `w:rPr` as the schema orders it.
/// `<w:suppressAutoHyphens>` in the paragraph properties of styles: off in
/// the body style (so in every style based on it) unless `body` asks for
/// hyphenation, on again in the table styles of hyphenated columns.
fn set_hyphenation(styles: &str, body: bool) -> String {
    use super::styles::st;
    let mut out = styles.to_string();
    let mut set = |id: &str, prop: &str| {
        let marker = format!("w:styleId=\"{id}\">");
        let Some(at) = out.find(&marker) else { return };
        let end = out[at..].find("</w:style>").map_or(out.len(), |e| at + e);
        if let Some(p) = out[at..end].find("<w:pPr>") {
            out.insert_str(at + p + "<w:pPr>".len(), prop);
        } else {
            out.insert_str(end, &format!("<w:pPr>{prop}</w:pPr>"));
        }
    };
    if !body {
        set(st::BODY, "<w:suppressAutoHyphens />");
    }
    for id in [st::TABLE_TEXT_HY, st::TABLE_HEADER_HY, st::TABLE_DASH_HY] {
        set(id, "<w:suppressAutoHyphens w:val=\"0\" />");
    }
    out
}

fn set_language(styles: &str, lang: &str) -> String {
    let tag = format!(
        r#"<w:lang w:val="{0}" w:eastAsia="{0}" w:bidi="ar-SA" />"#,
        xml_escape(lang)
    );
    let Some(start) = styles.find("<w:rPrDefault>") else {
        return styles.to_string();
    };
    match styles[start..].find("</w:rPr>") {
        Some(end) => {
            let at = start + end;
            format!("{}{}{}", &styles[..at], tag, &styles[at..])
        }
        None => styles.to_string(),
    }
}

/// The part without the characters XML 1.0 does not allow (C0 controls but
/// tab, line feed and carriage return; U+FFFE, U+FFFF), or `None` when it
/// has none.
fn xml_chars_only(data: &[u8]) -> Option<Vec<u8>> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
            || c >= '\u{10000}'
    };
    let text = String::from_utf8_lossy(data);
    if text.chars().all(allowed) {
        return None;
    }
    Some(
        text.chars()
            .filter(|c| allowed(*c))
            .collect::<String>()
            .into_bytes(),
    )
}

/// Post-processes the archive docx-rs wrote and re-packs it with fixed
/// timestamps, fixed entry order and fixed compression: reproducible bytes.
/// `word/comments.xml` with the approvers' remarks on clauses, numbered as
/// the order's paragraphs anchor them (orders in document order, visas in
/// order); `None` when there are none.
pub(super) fn comments_xml(doc: &Document) -> Option<String> {
    let orders: Vec<&Order> = match &doc.body {
        Body::Order(o) => vec![o],
        Body::Bundle(b) => b.orders.iter().collect(),
        Body::Standalone(_) => Vec::new(),
    };
    let comments: Vec<&ClauseComment> = orders.iter().flat_map(|o| o.clause_comments()).collect();
    if comments.is_empty() {
        return None;
    }
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    );
    for (i, c) in comments.iter().enumerate() {
        let date = c
            .date
            .as_ref()
            .map(|d| format!(r#" w:date="{}""#, xml_escape(d)))
            .unwrap_or_default();
        xml.push_str(&format!(
            r#"<w:comment w:id="{}" w:author="{}"{date}><w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:comment>"#,
            i + 1,
            xml_escape(&c.author),
            xml_escape(&c.text),
        ));
    }
    xml.push_str("</w:comments>");
    Some(xml)
}

pub(super) fn finish(
    packed: Vec<u8>,
    doc: &Document,
    header_rows: &[usize],
    setup: &[SectionSetup],
) -> Result<Vec<u8>, DocxError> {
    let mut zin = zip::ZipArchive::new(Cursor::new(packed)).map_err(DocxError::Repack)?;
    let mut entries = Vec::with_capacity(zin.len());
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).map_err(DocxError::Repack)?;
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).map_err(DocxError::RepackRead)?;
        entries.push((name, data));
    }
    let lang = if doc.meta.language == "ru" {
        "ru-RU".to_string()
    } else {
        doc.meta.language.clone()
    };
    let comments = comments_xml(doc);
    for (name, data) in &mut entries {
        match name.as_str() {
            "word/document.xml" => {
                let xml = String::from_utf8_lossy(data);
                let xml = mark_header_rows(&xml, header_rows);
                *data = set_up_sections(&xml, setup).into_bytes();
            }
            "word/styles.xml" => {
                let xml = String::from_utf8_lossy(data);
                let xml = set_language(&xml, &lang);
                *data = set_hyphenation(&xml, doc.profile.hyphenate).into_bytes();
            }
            "word/settings.xml" => {
                let xml = String::from_utf8_lossy(data);
                // Hyphenation is on for the document; the body style turns
                // it off unless the profile asks for it, the styles of the
                // columns that need it turn it back on.
                *data = xml
                    .replacen(
                        "<w:defaultTabStop ",
                        "<w:autoHyphenation /><w:defaultTabStop ",
                        1,
                    )
                    .into_bytes();
            }
            "docProps/core.xml" => *data = core_xml(doc).into_bytes(),
            // docx-rs collects comments only outside sections: written
            // here, with the relationship Word and LibreOffice look for.
            "word/comments.xml" => {
                if let Some(xml) = &comments {
                    *data = xml.clone().into_bytes();
                }
            }
            "word/_rels/document.xml.rels" if comments.is_some() => {
                let xml = String::from_utf8_lossy(data);
                if !xml.contains("relationships/comments\"") {
                    *data = xml
                        .replacen(
                            "</Relationships>",
                            r#"<Relationship Id="rIdComments" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml" /></Relationships>"#,
                            1,
                        )
                        .into_bytes();
                }
            }
            _ => {}
        }
    }
    renumber_images(&mut entries);
    // docx-rs numbers paragraphs from a thread-wide counter: renumber them
    // per package so that the bytes do not depend on earlier renders.
    let mut next_id = 1u32;
    for (name, data) in &mut entries {
        if name.starts_with("word/") && name.ends_with(".xml") {
            let xml = String::from_utf8_lossy(data);
            *data = renumber_para_ids(&xml, &mut next_id).into_bytes();
        }
        // `check` refuses such characters; this keeps the file valid XML
        // whatever reaches the writer (Word will not open a file with one).
        if (name.ends_with(".xml") || name.ends_with(".rels"))
            && let Some(clean) = xml_chars_only(data)
        {
            *data = clean;
        }
    }
    pack(&entries)
}

/// A package of these parts in this order, the same bytes on every machine:
/// fixed timestamps and permissions.
pub fn pack(entries: &[(String, Vec<u8>)]) -> Result<Vec<u8>, DocxError> {
    let mut out = Cursor::new(Vec::new());
    {
        let mut zout = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        for (name, data) in entries {
            zout.start_file(name.as_str(), opts)
                .map_err(DocxError::Pack)?;
            zout.write_all(data).map_err(DocxError::PackWrite)?;
        }
        zout.finish().map_err(DocxError::Pack)?;
    }
    Ok(out.into_inner())
}
