//! What a team's CI runs: on a merge request that proposes a new order (a
//! draft among signed ones), the signed documents still get their final
//! edition, the draft is built as a draft, and `verify` accepts the set.

use std::path::Path;

use crate::common::{copy_plans, prikaz_in, stderr_of as err};

/// The text of every XML part of a DOCX: the draft mark is in the headers.
fn all_parts(path: &Path) -> String {
    use std::io::Read;
    let bytes = std::fs::read(path).expect("docx");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("part");
        // The style named «Отметка «ПРОЕКТ»» is in every edition's styles.
        if f.name().ends_with(".xml") && f.name() != "word/styles.xml" {
            f.read_to_string(&mut out).expect("utf-8");
        }
    }
    out
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("out")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
        .collect();
    v.sort();
    v
}

#[test]
fn final_signed_only_builds_the_signed_orders_and_leaves_the_draft_out() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("repo");
    copy_plans(&root);
    // A new order proposed as a draft, with no number yet.
    let o = prikaz_in(&root, &["new", "--date", "2025-03-01", "plans/2025-new"]);
    assert!(o.status.success(), "{}", err(&o));
    // `--final` alone refuses: the draft is not ready.
    let o = prikaz_in(
        &root,
        &["build", "--final", "--format", "docx", "--out", "final"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("final-not-signed"), "{}", err(&o));
    // `--signed-only`: every signed document, the draft left out.
    let o = prikaz_in(
        &root,
        &[
            "build",
            "--final",
            "--signed-only",
            "--format",
            "docx",
            "--out",
            "final",
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        err(&o).contains("не подписаны и в окончательную редакцию не входят: 1"),
        "{}",
        err(&o)
    );
    let out = files(&root.join("final"));
    assert!(out.iter().any(|f| f.contains("978-ОД")), "{out:?}");
    assert!(!out.iter().any(|f| f.starts_with("2025-03-01")), "{out:?}");
    let xml = all_parts(&root.join("final/2024-10-31_978-ОД.docx"));
    assert!(
        !xml.contains("ПРОЕКТ"),
        "the final edition carries no draft mark"
    );
    let o = prikaz_in(&root, &["verify", "--out", "final"]);
    assert!(o.status.success(), "{}", err(&o));
    // The drafts as drafts, with the mark, in their own folder.
    let o = prikaz_in(
        &root,
        &[
            "build",
            "--format",
            "docx",
            "--out",
            "drafts",
            "plans/2025-new",
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    let draft = files(&root.join("drafts"));
    let docx = draft
        .iter()
        .find(|f| f.ends_with(".docx"))
        .expect("the draft's DOCX");
    assert!(
        all_parts(&root.join("drafts").join(docx)).contains("ПРОЕКТ"),
        "{docx}"
    );
}
