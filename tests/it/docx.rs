//! DOCX: parity with the model the PDF is laid out from, and real clients.
//! Tests marked `#[ignore]` need LibreOffice (writer, headless), poppler's
//! pdftotext and python-docx; `.ci/run` installs them and runs these with
//! `--include-ignored`.
use std::process::Command;

use prikaz::model::{Block, Body, Clause, Document, Row};
use prikaz::render::docx;

use crate::common::{build, repo, tool};
use crate::parity;

/// Every document of `plans/`, resolved.
fn plan_documents() -> Vec<Document> {
    documents_in("plans")
}

fn documents_in(dir: &str) -> Vec<Document> {
    documents_at(&repo().join(dir))
}

pub(crate) fn documents_at(dir: &std::path::Path) -> Vec<Document> {
    let root = repo();
    let project = prikaz::project::Project::open(&[dir.to_path_buf()], &root);
    let analysis = project.analyze(prikaz::project::Options::default());
    assert!(
        analysis
            .diags
            .iter()
            .all(|d| d.severity != prikaz::diag::Severity::Error),
        "plans/ must check clean: {:?}",
        analysis.diags.first().map(|d| &d.message)
    );
    assert!(!analysis.docs.is_empty());
    analysis.docs
}

fn numbers_of(cs: &[Clause], out: &mut Vec<String>) {
    for c in cs {
        out.push(c.marker.clone());
        numbers_of(&c.children, out);
    }
}

/// Clause markers and first cells of table rows, in reading order: the
/// numbering a reader sees.
fn numbering(doc: &Document) -> Vec<String> {
    fn tables(out: &mut Vec<String>, blocks: &[Block]) {
        for b in blocks {
            if let Block::Table(t) = b {
                for r in &t.rows {
                    if let Row::Cells { cells, .. } = r
                        && let Some(p) = cells.first().and_then(|c| c.paras.first())
                    {
                        out.push(p.text.clone());
                    }
                }
            }
        }
    }
    fn order(out: &mut Vec<String>, o: &prikaz::model::Order) {
        numbers_of(&o.clauses, out);
        for a in &o.appendices {
            tables(out, &a.blocks);
        }
    }
    let mut out = Vec::new();
    match &doc.body {
        Body::Order(o) => order(&mut out, o),
        Body::Standalone(s) => tables(&mut out, &s.blocks),
        Body::Bundle(b) => b.orders.iter().for_each(|o| order(&mut out, o)),
    }
    out
}

#[test]
fn docx_text_equals_the_model_for_every_plan() {
    let docs = plan_documents();
    assert!(docs.len() >= 3);
    assert_parity(docs);
}

#[test]
fn docx_text_equals_the_model_for_every_block_kind() {
    // Marker matrix, generic table with a grouped header, grouped lists.
    let docs = documents_in("tests/fixtures/kinds");
    let mut kinds = 0;
    for d in &docs {
        if let Body::Standalone(s) = &d.body {
            kinds += s
                .blocks
                .iter()
                .filter(|b| matches!(b, Block::Table(_)))
                .count();
        }
    }
    assert!(kinds >= 2, "the fixture lost its tables");
    assert_parity(docs);
}

#[test]
fn docx_text_equals_the_model_for_a_bundle() {
    let tmp = tempfile::tempdir().expect("tmp");
    let plans = with_bundle(tmp.path(), "cover: [Сборник приказов]\n");
    let docs: Vec<Document> = documents_at(&plans)
        .into_iter()
        .filter(|d| matches!(d.body, Body::Bundle(_)))
        .collect();
    assert_eq!(docs.len(), 1);
    assert_parity(docs);
}

/// A copy of the repository's `plans/` at `to`.
fn copy_plans(to: &std::path::Path) {
    for entry in walkdir::WalkDir::new(repo().join("plans")) {
        let entry = entry.expect("walk");
        let rel = entry
            .path()
            .strip_prefix(repo().join("plans"))
            .expect("rel");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// A copy of `plans/` under `dir` with a bundle of the two Smolensk orders;
/// `cover` gives its cover keys.
fn with_bundle(dir: &std::path::Path, cover: &str) -> std::path::PathBuf {
    let plans = dir.join("plans");
    copy_plans(&plans);
    std::fs::write(
        plans.join("bundle.yaml"),
        format!(
            "kind: bundle\nid: sbornik\ntitle: Сборник приказов\n{cover}orders: [smolensk-2020-718, smolensk-2024-978]\n"
        ),
    )
    .expect("write");
    plans
}

fn assert_parity(docs: Vec<Document>) {
    for doc in docs {
        let bytes = docx::render(&doc).expect("docx");
        let got = parity::text_of(&bytes);
        let want = parity::expected_text(&doc);
        if got != want {
            let at = got
                .iter()
                .zip(&want)
                .position(|(a, b)| a != b)
                .unwrap_or(got.len().min(want.len()));
            panic!(
                "{}: paragraph {at} differs:\n  docx:  {:?}\n  model: {:?}",
                doc.file_stem,
                got.get(at),
                want.get(at)
            );
        }
        // Every clause number and row number appears in the DOCX, in order.
        let text = got.join("\n");
        let mut from = 0;
        for n in numbering(&doc) {
            match text[from..].find(&n) {
                Some(i) => from += i + n.len(),
                None => panic!("{}: number «{n}» missing or out of order", doc.file_stem),
            }
        }
    }
}

#[test]
fn docx_of_every_plan_is_reproducible() {
    for doc in plan_documents() {
        assert!(
            docx::render(&doc).expect("docx") == docx::render(&doc).expect("docx"),
            "{}",
            doc.file_stem
        );
    }
}

#[test]
fn build_all_writes_pdf_and_docx_for_every_plan() {
    let tmp = tempfile::tempdir().expect("tmp");
    let o = build(&repo().join("plans"), tmp.path(), &["--format", "all"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for doc in plan_documents() {
        for ext in ["pdf", "docx"] {
            let p = tmp.path().join(format!("{}.{ext}", doc.file_stem));
            assert!(p.is_file(), "{} missing", p.display());
        }
    }
}

#[test]
fn bad_input_never_leaves_a_file_in_out() {
    let tmp = tempfile::tempdir().expect("tmp");
    let plans = tmp.path().join("plans");
    std::fs::create_dir_all(&plans).expect("mkdir");
    std::fs::copy(
        repo().join("plans/registry.yaml"),
        plans.join("registry.yaml"),
    )
    .expect("copy");
    std::fs::copy(
        repo().join("plans/smolensk-2024-978/order.yaml"),
        plans.join("order.yaml"),
    )
    .expect("copy");
    let out = tmp.path().join("out");
    let cases: [(&str, Vec<u8>); 4] = [
        ("appendix.yaml", b"kind: appendix\nid: x\n\xff\xfe broken utf-8\n".to_vec()),
        ("appendix.yaml", b"\x00\x01\x02\x03binary".to_vec()),
        (
            "appendix.yaml",
            b"a: &a [1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c]\n"
                .to_vec(),
        ),
        ("appendix.yaml", "[".repeat(10_000).into_bytes()),
    ];
    for (name, bytes) in cases {
        std::fs::write(plans.join(name), bytes).expect("write");
        let o = build(&plans, &out, &["--format", "all"]);
        assert!(!o.status.success());
        let left: Vec<_> = std::fs::read_dir(&out)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "files left in out/: {left:?}");
    }
}

fn soffice() -> &'static str {
    if Command::new("soffice").arg("--version").output().is_ok() {
        "soffice"
    } else {
        "libreoffice"
    }
}

/// Text without any white space: line breaks, no-break spaces and the gaps
/// a viewer reports inside letter-spaced words («П Р И К А З») do not count.
fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Pages of a PDF, as poppler counts them.
fn pages(pdf: &std::path::Path) -> usize {
    tool("pdfinfo", &[pdf.to_str().expect("utf-8")])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Also pins that the PDF and the DOCX paginate alike: a clerk holds the
/// two side by side, so each real plan has as many pages in LibreOffice as
/// in the PDF (line pitch of Word's single spacing, the same cell padding
/// and column widths in both backends).
#[test]
#[ignore = "needs LibreOffice (writer), pdftotext, pdfinfo and pdfplumber"]
fn libreoffice_converts_every_docx_and_keeps_every_clause_and_row() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    let o = build(&repo().join("plans"), &out, &["--format", "all"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf_dir = tmp.path().join("lo");
    let profile = tmp.path().join("lo-profile");
    let mut differ = Vec::new();
    for doc in plan_documents() {
        let docx = out.join(format!("{}.docx", doc.file_stem));
        tool(
            soffice(),
            &[
                &format!("-env:UserInstallation=file://{}", profile.display()),
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                pdf_dir.to_str().expect("utf-8"),
                docx.to_str().expect("utf-8"),
            ],
        );
        let pdf = pdf_dir.join(format!("{}.pdf", doc.file_stem));
        assert!(
            pdf.is_file(),
            "LibreOffice wrote no PDF for {}",
            doc.file_stem
        );
        // -raw keeps the content-stream order: cell by cell, not line by line
        // across the columns of a table.
        let text = flat(&tool(
            "pdftotext",
            &["-raw", pdf.to_str().expect("utf-8"), "-"],
        ));
        // Every paragraph's opening words (clauses, rows, headings) survive.
        for p in parity::expected_text(&doc) {
            let words: Vec<&str> = p
                .split(['\n', '\t'])
                .next()
                .unwrap_or("")
                .split_whitespace()
                .take(4)
                .collect();
            if words.is_empty() {
                continue;
            }
            let head = flat(&words.join(" "));
            assert!(
                text.contains(&head),
                "{}: «{head}» not in LibreOffice's PDF",
                doc.file_stem
            );
        }
        let ours = pages(&out.join(format!("{}.pdf", doc.file_stem)));
        let theirs = pages(&pdf);
        eprintln!("{}: PDF {ours} pages, LibreOffice {theirs}", doc.file_stem);
        if ours != theirs {
            differ.push(format!(
                "{}: PDF {ours}, DOCX in LibreOffice {theirs}",
                doc.file_stem
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "page counts differ:\n{}",
        differ.join("\n")
    );
    // LibreOffice's layout of the DOCX keeps every word in its cell too.
    let lo_pdfs: Vec<String> = std::fs::read_dir(&pdf_dir)
        .expect("lo")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .map(|p| p.display().to_string())
        .collect();
    let mut args = vec![repo().join("tests/tools/overflow.py").display().to_string()];
    args.extend(lo_pdfs);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let report = tool("python3", &args);
    assert!(report.contains("overflow: 0 words"), "{report}");
}

#[test]
#[ignore = "needs python3 with python-docx"]
fn python_docx_reads_tables_rows_and_header_flags() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    let o = build(&repo().join("plans"), &out, &["--format", "docx"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let script = r#"
import sys, docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
for t in d.tables:
    flags = [tr.trPr is not None and tr.trPr.find(qn('w:tblHeader')) is not None for tr in t._tbl.tr_lst]
    print(len(t.rows), sum(flags), int(all(flags[:sum(flags)])))
"#;
    for doc in plan_documents() {
        let path = out.join(format!("{}.docx", doc.file_stem));
        let got = tool("python3", &["-c", script, path.to_str().expect("utf-8")]);
        let mut want = Vec::new();
        let mut blocks: Vec<&Block> = Vec::new();
        match &doc.body {
            Body::Order(o) => {
                if o.signature.electronic.is_some() {
                    want.push("1 0 1".to_string());
                }
                for a in &o.appendices {
                    blocks.extend(&a.blocks);
                }
            }
            Body::Standalone(s) => blocks.extend(&s.blocks),
            Body::Bundle(_) => continue,
        }
        for b in blocks {
            if let Block::Table(t) = b {
                let header = t.header.len() + usize::from(t.number_row);
                want.push(format!("{} {header} 1", header + t.rows.len()));
            }
        }
        assert_eq!(got.lines().collect::<Vec<_>>(), want, "{}", doc.file_stem);
    }
}

/// A bundle's DOCX contents cite each order's pages by PAGEREF fields to
/// bookmarks at its first and last paragraphs, with the pages of the PDF's
/// layout as the cached results: Word shows them before any update, even
/// when only the DOCX is built. The lines name the issuer; «стр.» heads the
/// page column; only the cover lines asked for are bold.
#[test]
fn bundle_contents_in_the_docx_carry_the_pdf_pages_as_pageref_fields() {
    let tmp = tempfile::tempdir().expect("tmp");
    let plans = with_bundle(
        tmp.path(),
        "cover: [Министерство образования, Сборник приказов, Смоленск 2024]\ncover_bold: 2\n",
    );
    let doc = documents_at(&plans)
        .into_iter()
        .find(|d| matches!(d.body, Body::Bundle(_)))
        .expect("bundle");
    let paged = prikaz::render::pdf::Engine::new()
        .layout(&doc)
        .expect("layout");
    let pages = prikaz::render::pdf::order_pages(&paged);
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(
        pages[0].0 < pages[0].1 && pages[0].1 < pages[1].0,
        "{pages:?}"
    );
    let out = tmp.path().join("out");
    let o = build(&plans, &out, &["--format", "docx"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(out.join("sbornik.docx")).expect("docx");
    let xml = crate::common::docx_xml(&bytes);
    for (i, (from, to)) in pages.iter().enumerate() {
        for (mark, n) in [
            (format!("_prikaz_order_{}", i + 1), from),
            (format!("_prikaz_order_{}_end", i + 1), to),
        ] {
            assert!(
                xml.contains(&format!("w:name=\"{mark}\"")),
                "bookmark {mark}"
            );
            let field = format!("PAGEREF {mark} \\h");
            let at = xml.find(&field).unwrap_or_else(|| panic!("{field}"));
            let cached = &xml[at..];
            let t = cached.find("<w:t").expect("cached result");
            let text = &cached[t..];
            let start = text.find('>').expect("tag") + 1;
            let end = text.find("</w:t>").expect("end");
            assert_eq!(&text[start..end], n.to_string(), "{mark}");
        }
    }
    let lines = parity::text_of(&bytes);
    assert!(lines.iter().any(|l| l == "стр."), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.replace('\u{a0}', " ").starts_with(
            "Приказ Департамента Смоленской области по образованию и науке от 06.10.2020"
        )),
        "{:?}",
        &lines[..4]
    );
    // Two bold cover lines, the third plain.
    let cover = &xml[..xml.find("Смоленск 2024").expect("cover")];
    let last_run = &cover[cover.rfind("<w:r>").expect("run")..];
    assert!(
        !last_run.contains("<w:b />") && !last_run.contains("<w:b/>"),
        "{last_run}"
    );
    assert!(xml[..xml.find("Сборник приказов</w:t>").expect("cover")].contains("<w:b"));
}

/// The DOCX hyphenates where the PDF does: the document turns automatic
/// hyphenation on, the body style turns it off unless the profile asks
/// (`hyphenate: true`), and the cells of columns the fitting could hold only
/// with hyphenation use the styles that turn it on again.
#[test]
fn docx_hyphenates_the_columns_the_pdf_hyphenates_and_the_body_only_when_asked() {
    use crate::rules::{APPENDIX, ORDER, REGISTRY, edit};
    let wide = crate::layout::wide_appendix();
    let hyphenating = edit(
        REGISTRY,
        "    registers: [ОД]\n",
        "    registers: [ОД]\n    profile: { hyphenate: true }\n",
    );
    for (registry, appendix, body) in [
        (REGISTRY, wide.as_str(), false),
        (hyphenating.as_str(), APPENDIX, true),
    ] {
        let tmp = tempfile::tempdir().expect("tmp");
        let plans = tmp.path().join("plans");
        std::fs::create_dir_all(&plans).expect("mkdir");
        for (name, text) in [
            ("registry.yaml", registry),
            ("order.yaml", ORDER),
            ("appendix.yaml", appendix),
        ] {
            std::fs::write(plans.join(name), text).expect("write");
        }
        let out = tmp.path().join("out");
        let o = build(&plans, &out, &["--format", "all"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let path = std::fs::read_dir(&out)
            .expect("out")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "docx"))
            .expect("docx");
        let bytes = std::fs::read(path).expect("read");
        let settings =
            String::from_utf8(crate::common::zip_part(&bytes, "word/settings.xml")).expect("utf-8");
        assert!(settings.contains("<w:autoHyphenation />"), "{settings}");
        let styles =
            String::from_utf8(crate::common::zip_part(&bytes, "word/styles.xml")).expect("utf-8");
        let body_style = &styles[styles.find("w:styleId=\"PrikazBody\"").expect("body")..];
        let body_style = &body_style[..body_style.find("</w:style>").expect("end")];
        assert_eq!(
            !body_style.contains("<w:suppressAutoHyphens />"),
            body,
            "{body_style}"
        );
        let xml = crate::common::docx_xml(&bytes);
        assert_eq!(
            xml.contains("w:val=\"PrikazTableTextHy\""),
            !body,
            "hyphenated cells"
        );
    }
}

/// A generic table's header may be bold or italic, whole or cell by cell,
/// and its columns aligned one by one; both backends print what the model
/// says.
#[test]
fn a_generic_table_prints_its_header_emphasis_and_column_alignment() {
    let docs = documents_in("tests/fixtures/kinds");
    let t = docs
        .iter()
        .flat_map(|d| match &d.body {
            Body::Standalone(s) => s.blocks.iter().collect::<Vec<_>>(),
            Body::Order(o) => o.appendices.iter().flat_map(|a| &a.blocks).collect(),
            Body::Bundle(_) => Vec::new(),
        })
        .find_map(|b| match b {
            Block::Table(t)
                if t.caption.as_deref().map(|c| c.replace('\u{a0}', " "))
                    == Some("Распределение по кластерам".into()) =>
            {
                Some(t)
            }
            _ => None,
        })
        .expect("the generic table");
    use prikaz::model::{Align, Emphasis};
    assert_eq!(t.align, vec![Align::Left, Align::Center, Align::Center]);
    assert_eq!(t.header[0][0].emphasis, Emphasis::Italic);
    assert_eq!(t.header[0][1].emphasis, Emphasis::Bold);
    assert_eq!(t.header[1][0].emphasis, Emphasis::Bold);
    let doc = docs
        .iter()
        .find(|d| {
            prikaz::render::text::render(d)
                .replace('\u{a0}', " ")
                .contains("Распределение по кластерам")
        })
        .expect("doc");
    let xml = crate::common::docx_xml(&docx::render(doc).expect("docx"));
    let cell = |text: &str| {
        let at = xml
            .find(&format!(">{text}</w:t>"))
            .unwrap_or_else(|| panic!("{text}"));
        let p = xml[..at]
            .rfind("<w:p>")
            .or_else(|| xml[..at].rfind("<w:p "))
            .expect("para");
        xml[p..at].to_string()
    };
    assert!(cell("Кластер").contains("<w:i />"), "{}", cell("Кластер"));
    assert!(
        cell("Число школ").contains("<w:b />"),
        "{}",
        cell("Число школ")
    );
    assert!(cell("12").contains("w:val=\"center\""), "{}", cell("12"));
}

/// A group's title is a bold line flush left kept with its items, not one
/// more paragraph like them; `numbering: continuous` numbers the items
/// through all groups.
#[test]
fn group_titles_are_subheadings_and_items_may_be_numbered_through_the_groups() {
    let docs = documents_in("tests/fixtures/kinds");
    let blocks: Vec<&Block> = docs
        .iter()
        .flat_map(|d| match &d.body {
            Body::Standalone(s) => s.blocks.iter().collect::<Vec<_>>(),
            Body::Order(o) => o.appendices.iter().flat_map(|a| &a.blocks).collect(),
            Body::Bundle(_) => Vec::new(),
        })
        .collect();
    let at = blocks
        .iter()
        .position(|b| matches!(b, Block::Subheading { text } if text == "Кластер 1"))
        .expect("group title");
    let markers = |b: &Block| match b {
        Block::List(l) => l.items.iter().map(|i| i.marker.clone()).collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    assert_eq!(markers(blocks[at + 1]), vec!["1.", "2."]);
    assert!(matches!(blocks[at + 2], Block::Subheading { text } if text == "Кластер 2"));
    assert_eq!(markers(blocks[at + 3]), vec!["3."]);
    let doc = docs
        .iter()
        .find(|d| prikaz::render::text::render(d).contains("Кластер 1"))
        .expect("doc");
    let xml = crate::common::docx_xml(&docx::render(doc).expect("docx"));
    let title = xml.find(">Кластер 1</w:t>").expect("title");
    let p = xml[..title].rfind("<w:p").expect("para");
    assert!(
        xml[p..title].contains("PrikazSubheading"),
        "{}",
        &xml[p..title]
    );
}
