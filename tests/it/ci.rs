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

/// A build spread over three runners: each builds its share, `manifest
/// merge` joins them, and the result is byte for byte the build of
/// everything on one machine, which `verify` accepts. A share missing or
/// given twice is refused.
#[test]
fn the_union_of_the_shards_equals_a_full_build_byte_for_byte() {
    let root = crate::common::repo();
    let tmp = tempfile::tempdir().expect("tmp");
    let at = |name: &str| tmp.path().join(name);
    let run = |args: &[&str]| {
        let o = prikaz_in(&root, args);
        assert!(o.status.success(), "{args:?}: {}", err(&o));
    };
    let s = |p: &Path| p.to_str().expect("utf-8").to_string();
    run(&["build", "--format", "docx", "--out", &s(&at("all"))]);
    let mut shares = Vec::new();
    for k in 1..=3 {
        let dir = at(&format!("shard{k}"));
        run(&[
            "build",
            "--format",
            "docx",
            "--shard",
            &format!("{k}/3"),
            "--out",
            &s(&dir),
        ]);
        shares.push(dir);
    }
    let each: Vec<usize> = shares.iter().map(|d| files(d).len() - 1).collect();
    assert_eq!(
        each.iter().sum::<usize>(),
        files(&at("all")).len() - 1,
        "{each:?}"
    );
    let mut merge = vec!["manifest".to_string(), "merge".into()];
    merge.extend(shares.iter().map(|d| s(d)));
    merge.extend(["--out".into(), s(&at("merged"))]);
    run(&merge.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(files(&at("merged")), files(&at("all")));
    for f in files(&at("all")) {
        assert_eq!(
            std::fs::read(at("merged").join(&f)).expect("merged"),
            std::fs::read(at("all").join(&f)).expect("all"),
            "{f}"
        );
    }
    run(&["verify", "--out", &s(&at("merged"))]);
    // A share's own folder verifies as that share.
    run(&["verify", "--out", &s(&shares[0])]);
    let o = prikaz_in(
        &root,
        &[
            "manifest",
            "merge",
            &s(&shares[0]),
            &s(&shares[1]),
            "--out",
            &s(&at("x")),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("нет доли 3/3"), "{}", err(&o));
    let o = prikaz_in(
        &root,
        &[
            "manifest",
            "merge",
            &s(&shares[0]),
            &s(&shares[0]),
            &s(&shares[1]),
            "--out",
            &s(&at("x")),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
}

/// A build of more than a few documents says how far it is: in a CI log
/// (not a terminal) a plain line every tenth, then a summary with the
/// size written; `-q` says nothing but errors.
#[test]
fn a_build_of_many_documents_reports_progress_in_plain_lines_and_a_summary() {
    let tmp = tempfile::tempdir().expect("tmp");
    let plans = tmp.path().join("plans");
    std::fs::create_dir_all(&plans).expect("mkdir");
    std::fs::write(plans.join("registry.yaml"), crate::rules::REGISTRY).expect("registry");
    for i in 0..12 {
        let order = crate::rules::ORDER
            .replace("id: o1", &format!("id: o{i}"))
            .replace("number: 10-ОД", &format!("number: {}-ОД", 10 + i))
            .replace("plan", &format!("plan{i}"));
        let appendix = crate::rules::APPENDIX.replace("id: plan", &format!("id: plan{i}"));
        std::fs::write(plans.join(format!("o{i}.yaml")), order).expect("order");
        std::fs::write(plans.join(format!("a{i}.yaml")), appendix).expect("appendix");
    }
    let o = prikaz_in(tmp.path(), &["build", "--format", "docx"]);
    let e = err(&o);
    assert!(o.status.success(), "{e}");
    assert!(e.contains("собрано 12 из 12 документов"), "{e}");
    assert!(
        e.lines()
            .filter(|l| l.starts_with("собрано ") && l.contains(" из 12"))
            .count()
            >= 5,
        "{e}"
    );
    assert!(
        e.contains("собрано документов: 12, файлов: 12 (") && e.contains("КБ) за "),
        "{e}"
    );
    let o = prikaz_in(tmp.path(), &["-q", "build", "--format", "docx"]);
    assert!(o.status.success());
    assert!(o.stderr.is_empty() && o.stdout.is_empty(), "{}", err(&o));
}
