//! Text never leaves its box: every real plan and fixture, and tables made
//! to be too narrow, are built and read back with `tests/tools/overflow.py`
//! (words crossing a table rule, overprinting another word, or past the
//! page edge; a copy of the team's measuring tool, needs pdfplumber).

use std::path::Path;
use std::process::Command;

use crate::common::{build_ok, repo};
use crate::rules::{APPENDIX, ORDER, REGISTRY, edit};

fn write(dir: &Path, files: &[(&str, &str)]) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write");
    }
}

#[test]
#[ignore = "needs python3 with pdfplumber"]
fn no_word_crosses_a_table_rule_in_any_plan_fixture_or_narrow_table() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut sets = vec![repo().join("plans"), repo().join("tests/fixtures/kinds")];
    // A column far narrower than its header and words: it is widened.
    let narrow = tmp.path().join("narrow");
    let appendix = edit(
        APPENDIX,
        "        - { key: responsible, title: Ответственный }",
        "        - { key: responsible, title: Ответственный исполнитель, width: 1 }",
    );
    let appendix = edit(
        &appendix,
        "        - { key: activity, title: Мероприятие }",
        "        - { key: activity, title: Мероприятие, width: 40 }",
    );
    write(
        &narrow,
        &[
            ("registry.yaml", REGISTRY),
            ("order.yaml", ORDER),
            ("appendix.yaml", &appendix),
        ],
    );
    sets.push(narrow);
    // Eight columns of long words on a portrait page: the table is set
    // smaller, then hyphenated.
    let wide = tmp.path().join("wide");
    let mut cols = String::new();
    let mut cells = String::new();
    for i in 0..8 {
        cols.push_str(&format!(
            "        - {{ key: c{i}, title: Ответственный }}\n"
        ));
        cells.push_str(&format!(
            "              c{i}: Высококвалифицированный специалист-методист\n"
        ));
    }
    let appendix = format!(
        "kind: appendix\nid: plan\ntitle: План мероприятий\nblocks:\n  - activities:\n      columns:\n{cols}      rows:\n            - id: r1\n{cells}"
    );
    write(
        &wide,
        &[
            ("registry.yaml", REGISTRY),
            ("order.yaml", ORDER),
            ("appendix.yaml", &appendix),
        ],
    );
    sets.push(wide);
    let mut pdfs = Vec::new();
    for (i, plans) in sets.iter().enumerate() {
        let out = tmp.path().join(format!("out{i}"));
        build_ok(plans, &out, &["--format", "pdf"]);
        for e in std::fs::read_dir(&out).expect("out") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "pdf") {
                pdfs.push(p);
            }
        }
    }
    assert!(pdfs.len() >= 5, "{pdfs:?}");
    let o = Command::new("python3")
        .arg(repo().join("tests/tools/overflow.py"))
        .args(&pdfs)
        .output()
        .expect("python3 is needed for this test");
    let report = String::from_utf8_lossy(&o.stdout);
    eprintln!("{report}{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "text outside its box:\n{report}");
    assert!(report.contains("overflow: 0 words"), "{report}");
}
