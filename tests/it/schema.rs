//! The JSON Schema accepts exactly what prikaz accepts: every plan and
//! fixture passes a real validator (Python `jsonschema`, as editors use
//! the schema through yaml-language-server), and every fixture with a type
//! or key error fails it and `check` alike. `schema --repo` adds the
//! repository's ids, so a misspelt column key fails too.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::repo;

fn yaml_under(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    out.sort();
    out
}

fn schema(args: &[&str], at: &Path) -> PathBuf {
    let o = Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .current_dir(repo())
        .arg("schema")
        .args(args)
        .output()
        .expect("prikaz schema");
    assert!(o.status.success());
    std::fs::write(at, &o.stdout).expect("write schema");
    at.to_path_buf()
}

/// Files the validator rejects.
fn rejected(schema: &Path, files: &[PathBuf]) -> Vec<String> {
    let o = Command::new("python3")
        .arg(repo().join("tests/tools/schema.py"))
        .arg(schema)
        .args(files)
        .output()
        .expect("python3 with jsonschema and PyYAML is needed for this test");
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        o.status.success() && out.contains("files rejected"),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out.lines()
        .filter(|l| !l.starts_with("schema:"))
        .filter_map(|l| l.split(": ").next().map(str::to_string))
        .collect()
}

#[test]
#[ignore = "needs python3 with jsonschema and PyYAML"]
fn every_plan_and_fixture_passes_the_schema_and_every_broken_fixture_fails_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let plain = schema(&[], &tmp.path().join("schema.json"));
    let mut good = yaml_under(&repo().join("plans"));
    good.extend(
        yaml_under(&repo().join("tests/fixtures"))
            .into_iter()
            .filter(|p| !p.starts_with(repo().join("tests/fixtures/schema"))),
    );
    assert!(good.len() >= 20, "{}", good.len());
    assert_eq!(rejected(&plain, &good), Vec::<String>::new());
    let bad = yaml_under(&repo().join("tests/fixtures/schema"));
    assert!(bad.len() >= 6);
    for f in &bad {
        assert_eq!(
            rejected(&plain, std::slice::from_ref(f)).len(),
            1,
            "{f:?} passes the schema"
        );
        // `check` refuses it with the code its first line names.
        let text = std::fs::read_to_string(f).expect("read");
        let code = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .and_then(|l| l.split_whitespace().next())
            .expect("the fixture names its code");
        let o = Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .args(["check", "--format", "json"])
            .arg(f)
            .output()
            .expect("check");
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            out.contains(&format!("\"code\":\"{code}\"")),
            "{f:?}: {out}"
        );
    }
}

#[test]
#[ignore = "needs python3 with jsonschema and PyYAML"]
fn the_repository_schema_offers_its_ids_and_refuses_a_misspelt_column() {
    let tmp = tempfile::tempdir().expect("tmp");
    let with_ids = schema(&["--repo"], &tmp.path().join("repo.json"));
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&with_ids).expect("read")).expect("json");
    let people = &v["$defs"]["OrderFile"]["properties"]["signatory"]["enum"];
    assert!(
        people
            .as_array()
            .is_some_and(|p| p.iter().any(|x| x == "khnycheva")),
        "{people}"
    );
    let plans = yaml_under(&repo().join("plans"));
    assert_eq!(rejected(&with_ids, &plans), Vec::<String>::new());
    let appendix = std::fs::read_to_string(repo().join("plans/smolensk-2024-978/appendix.yaml"))
        .expect("read");
    let typo = tmp.path().join("appendix.yaml");
    std::fs::write(&typo, appendix.replacen("responsible:", "responsibl:", 1)).expect("write");
    assert_eq!(rejected(&with_ids, std::slice::from_ref(&typo)).len(), 1);
    let plain = schema(&[], &tmp.path().join("plain.json"));
    assert_eq!(rejected(&plain, std::slice::from_ref(&typo)).len(), 0);
}
