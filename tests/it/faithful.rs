//! The seed documents as they were really typed, defects included: the
//! diagnostics `check` gives for each are pinned, so a rule that stops
//! catching a real defect fails here.

use std::path::PathBuf;

fn report(seed: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/faithful");
    let project =
        prikaz::project::Project::open(&[root.join("registry.yaml"), root.join(seed)], &root);
    let ws = project.workspace();
    project
        .check()
        .iter()
        .map(|d| {
            let at = d
                .span
                .map(|s| {
                    let (l, c) = ws.sources.line_col(s.file, s.start);
                    format!("{}:{l}:{c}", ws.sources.name(s.file))
                })
                .unwrap_or_default();
            format!("{:?} {} {at} {}", d.severity, d.code, d.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn seed_000_defects_are_found() {
    insta::assert_snapshot!(report("000"));
}

#[test]
fn seed_001_defects_are_found() {
    insta::assert_snapshot!(report("001"));
}

#[test]
fn seed_004_defects_are_found() {
    insta::assert_snapshot!(report("004"));
}
