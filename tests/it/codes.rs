//! The list of diagnostic codes is one enum: every code is explained by
//! `prikaz explain`, listed in the README's table and pinned by a test that
//! checks where it is reported.

use std::process::Command;

use prikaz::diag::Code;
use prikaz::diag::codes::markdown_table;

use crate::common::repo;

#[test]
fn every_code_has_an_explanation_with_an_example_and_a_fix() {
    for c in Code::ALL {
        let e = c.explanation();
        assert_ne!(e, c.summary(), "{c}: no explanation");
        assert!(
            e.contains("Пример ошибки:") || e.contains("Как исправить:"),
            "{c}: no example of the mistake"
        );
        assert!(
            e.contains("Исправление") || e.contains("Как исправить:"),
            "{c}: no fix"
        );
        assert_eq!(Code::from_name(c.as_str()), Some(*c));
    }
}

#[test]
fn readme_rule_table_is_the_list_of_codes() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let start = "<!-- codes: made from prikaz::diag::codes::markdown_table -->\n";
    let from = readme.find(start).expect("README has the codes marker") + start.len();
    let to = from + readme[from..].find("<!-- /codes -->").expect("end marker");
    assert_eq!(
        &readme[from..to],
        markdown_table(),
        "README's table of codes is out of date: paste `markdown_table()`"
    );
}

/// Test functions of the suite: (name, body).
fn test_functions() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let dir = repo().join("tests/it");
    for entry in std::fs::read_dir(&dir).expect("tests/it") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        for chunk in text.split("#[test]").skip(1) {
            let name = chunk
                .split("fn ")
                .nth(1)
                .and_then(|r| r.split('(').next())
                .unwrap_or("")
                .to_string();
            out.push((name, chunk.to_string()));
        }
    }
    out
}

#[test]
fn every_code_has_a_test_that_checks_its_location() {
    // A location is checked by the rules suite's `expect` (file, line and
    // column), its `pos` (line and column of a needle), `line_col`, or by a
    // pinned snapshot of `file:line:column`.
    let located = ["expect(", "line_col", "pos(", "(x.line, x.column)"];
    let tests = test_functions();
    let snapshots: String = std::fs::read_dir(repo().join("tests/it/snapshots"))
        .expect("snapshots")
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .collect();
    let mut missing = Vec::new();
    for c in Code::ALL {
        let quoted = format!("\"{c}\"");
        let in_test = tests
            .iter()
            .any(|(_, body)| body.contains(&quoted) && located.iter().any(|m| body.contains(m)));
        let pinned = snapshots
            .lines()
            .any(|l| l.split_whitespace().nth(1) == Some(c.as_str()) && l.contains(".yaml:"));
        if !in_test && !pinned {
            missing.push(c.as_str());
        }
    }
    assert!(
        missing.is_empty(),
        "codes without a located test: {missing:?}"
    );
}

#[test]
fn explain_prints_the_code_and_suggests_a_near_one() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .args(args)
            .output()
            .expect("run prikaz")
    };
    let o = run(&["explain", "duplicate-id"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("duplicate-id — id повторяется"), "{out}");
    assert!(out.contains("Исправление:"), "{out}");

    let o = run(&["explain", "duplicat-id"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("возможно, имелось в виду «duplicate-id»"),
        "{err}"
    );

    let o = run(&["explain"]);
    let list = String::from_utf8_lossy(&o.stdout);
    assert_eq!(list.lines().count(), Code::ALL.len());
}
