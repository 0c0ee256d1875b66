//! The shape of the code: stages are folders of `src/`, dependencies between
//! them run one way (from the command line down to diagnostics), nothing
//! imports `cli`, and no source file is longer than a reader can hold.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::repo;

/// The stages from the bottom up; a stage may use only stages of a lower
/// rank. Stages of one rank (the rules and the resolver; review and records)
/// do not use each other.
const STAGES: &[(&str, u8)] = &[
    ("diag", 0),
    ("lang", 1),
    ("model", 1),
    ("plan", 2),
    ("load", 3),
    ("index", 4),
    ("check", 5),
    ("resolve", 5),
    ("project", 6),
    ("render", 7),
    ("build", 8),
    ("review", 9),
    ("records", 9),
    ("import", 10),
    ("lsp", 10),
    ("preview", 10),
    ("cli", 11),
];

/// Lines of code a source file may have (tests in sibling files do not count).
const MAX_LINES: usize = 650;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().and_then(|e| e.to_str()) == Some("rs") {
            out.push(p);
        }
    }
}

/// The file's text without its inline `#[cfg(test)] mod tests { … }`.
fn shipped_text(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read");
    match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

fn is_test_file(path: &Path) -> bool {
    path.file_stem().and_then(|s| s.to_str()) == Some("tests")
}

/// The stage a file belongs to: its folder under `src/`.
fn stage_of(src: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(src).ok()?;
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_str()?.to_string();
    parts.next()?; // files directly in src/ (lib.rs, main.rs) are no stage
    Some(first)
}

/// Stage → the stages its shipped code names as `crate::STAGE`.
fn stage_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = repo().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files.iter().filter(|f| !is_test_file(f)) {
        let Some(stage) = stage_of(&src, f) else {
            continue;
        };
        let text = shipped_text(f);
        let deps = graph.entry(stage.clone()).or_default();
        for (i, _) in text.match_indices("crate::") {
            let name: String = text[i + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() && name != stage {
                deps.insert(name);
            }
        }
    }
    graph
}

#[test]
fn every_folder_of_src_is_a_known_stage() {
    let src = repo().join("src");
    let known: BTreeSet<&str> = STAGES.iter().map(|(s, _)| *s).collect();
    for e in std::fs::read_dir(&src).expect("src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            assert!(known.contains(name), "src/{name} is not in STAGES");
        } else {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            assert!(
                ["lib.rs", "main.rs"].contains(&name),
                "src/{name}: code lives in a stage's folder"
            );
        }
    }
}

#[test]
fn stages_depend_only_on_lower_stages() {
    let rank: BTreeMap<&str, u8> = STAGES.iter().copied().collect();
    let mut wrong = Vec::new();
    for (stage, deps) in stage_graph() {
        let Some(&r) = rank.get(stage.as_str()) else {
            wrong.push(format!("{stage}: unknown stage"));
            continue;
        };
        for d in deps {
            match rank.get(d.as_str()) {
                Some(&dr) if dr < r => {}
                Some(_) => wrong.push(format!("{stage} → {d}")),
                None => wrong.push(format!("{stage} → {d}: unknown stage")),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "dependencies against the stage order: {wrong:#?}"
    );
}

#[test]
fn main_is_thin_and_nothing_but_main_calls_the_cli() {
    let main = std::fs::read_to_string(repo().join("src/main.rs")).expect("main.rs");
    assert!(main.lines().count() <= 10, "main.rs: {main}");
    for (stage, deps) in stage_graph() {
        assert!(!deps.contains("cli"), "{stage} imports cli");
    }
}

#[test]
fn no_source_file_is_longer_than_a_reader_can_hold() {
    let src = repo().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut long = Vec::new();
    for f in files.iter().filter(|f| !is_test_file(f)) {
        let code = shipped_text(f)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .count();
        if code > MAX_LINES {
            long.push(format!(
                "{}: {code}",
                f.strip_prefix(&src).unwrap_or(f).display()
            ));
        }
    }
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines of code: {long:#?}"
    );
}

#[test]
fn below_the_cli_nothing_prints_or_exits() {
    let src = repo().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut found = Vec::new();
    for f in files.iter().filter(|f| !is_test_file(f)) {
        if matches!(stage_of(&src, f).as_deref(), Some("cli") | None) {
            continue;
        }
        let text = shipped_text(f);
        for needle in ["println!(", "eprintln!(", "print!(", "std::process::exit"] {
            if text.contains(needle) {
                found.push(format!("{}: {needle}", f.display()));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}
