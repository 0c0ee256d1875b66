use std::path::Path;

use super::*;
use crate::diag::Code;

const REGISTRY: &str = "kind: registry
organisations:
  - id: min
    name: Министерство образования
    short: Министерство
    cases: { gen: Министерства образования }
    registers: [ОД]
positions:
  - id: minister
    name: министр
    cases: { gen: министра, dat: министру, acc: министра, ins: министром }
people:
  - id: ivanov
    surname: Иванов
    name: Иван
    patronymic: Иванович
    gender: м
    positions:
      - { position: minister, org: min, from: 2020-01-01 }
";

const ORDER: &str = "kind: order
id: o1
issuer: min
date: 2024-10-31
title: О проведении совещания
clauses:
  - id: hold
    text: Провести совещание.
signatory: ivanov
";

fn project(files: &[(&str, &str)]) -> Project {
    Project::from_texts(files, Path::new("."))
}

fn codes(diags: &[Diagnostic]) -> Vec<Code> {
    diags.iter().map(|d| d.code).collect()
}

#[test]
fn a_clean_project_checks_clean_and_resolves_every_document() {
    let p = project(&[("registry.yaml", REGISTRY), ("o1.yaml", ORDER)]);
    let a = p.analyze(Options::default());
    assert!(a.diags.is_empty(), "{:?}", a.diags);
    assert!(a.buildable());
    assert_eq!(a.docs.len(), 1);
    assert_eq!(a.docs[0].id, "o1");
}

#[test]
fn check_reports_what_only_the_resolver_finds_with_its_location() {
    // The issuer has no genitive form: no rule looks for it, the letterhead
    // needs it. `check` must say so, at the issuer of the order.
    let registry = REGISTRY.replace("    cases: { gen: Министерства образования }\n", "");
    let p = project(&[("registry.yaml", &registry), ("o1.yaml", ORDER)]);
    let diags = p.check();
    let d = diags
        .iter()
        .find(|d| d.code == "missing-case")
        .unwrap_or_else(|| panic!("no missing-case in {:?}", codes(&diags)));
    assert!(d.is_error());
    let span = d.span.expect("located");
    assert_eq!(p.sources().name(span.file), "o1.yaml");
    assert_eq!(p.sources().line_col(span.file, span.start), (3, 9));
    assert!(!p.analyze(Options::default()).buildable());
}

#[test]
fn a_finding_reported_by_two_stages_is_shown_once() {
    let mut diags = vec![
        Diagnostic::error(Code::Io, "m").at(Span {
            file: 0,
            start: 1,
            end: 2,
        }),
        Diagnostic::error(Code::Io, "m").at(Span {
            file: 0,
            start: 1,
            end: 2,
        }),
    ];
    diag::sort(&mut diags);
    diag::dedup(&mut diags);
    assert_eq!(diags.len(), 1);
}

#[test]
fn setting_one_file_reparses_only_that_file() {
    let mut p = project(&[("registry.yaml", REGISTRY), ("o1.yaml", ORDER)]);
    assert_eq!(p.parses(), 2);
    let before = p.sources().text(0).as_ptr();
    let broken = ORDER.replace("signatory: ivanov", "signatory: ivanof");
    let id = p.set_file("o1.yaml", broken.into_bytes());
    assert_eq!(p.parses(), 3, "only the edited file is parsed again");
    assert_eq!(
        p.sources().text(0).as_ptr(),
        before,
        "the registry's text is kept, not re-read"
    );
    let diags = p.check();
    let d = diags
        .iter()
        .find(|d| d.code == "unknown-reference")
        .unwrap_or_else(|| panic!("{:?}", codes(&diags)));
    assert_eq!(d.span.map(|s| s.file), Some(id));
    assert_eq!(d.hint.as_deref(), Some("возможно, имелось в виду «ivanov»"));
    // Fixing the file again makes the project clean.
    p.set_file("o1.yaml", ORDER.as_bytes().to_vec());
    assert!(p.check().is_empty());
}

#[test]
fn fingerprints_after_edits_equal_those_of_a_fresh_project() {
    let mut p = project(&[("registry.yaml", REGISTRY), ("o1.yaml", ORDER)]);
    let first = p.fingerprints();
    let edited = ORDER.replace("signatory: ivanov", "signatory: ivanof");
    p.set_file("o1.yaml", edited.clone().into_bytes());
    p.set_file("o2.yaml", ORDER.replace("id: o1", "id: o2").into_bytes());
    let fresh = project(&[
        ("registry.yaml", REGISTRY),
        ("o1.yaml", &edited),
        ("o2.yaml", &ORDER.replace("id: o1", "id: o2")),
    ]);
    assert_eq!(
        p.fingerprints(),
        fresh.fingerprints(),
        "only the edited digests change"
    );
    assert_ne!(p.fingerprints()[0], first[0]);
    p.remove_file("o2.yaml");
    p.set_file("o1.yaml", ORDER.as_bytes().to_vec());
    assert_eq!(p.fingerprints(), first);
}

#[test]
fn a_file_that_stops_parsing_keeps_its_name_and_reports_in_place() {
    let mut p = project(&[("registry.yaml", REGISTRY), ("o1.yaml", ORDER)]);
    let id = p.set_file("o1.yaml", b"kind: order\nid: [\n".to_vec());
    let diags = p.check();
    assert!(
        diags.iter().any(|d| d.span.is_some_and(|s| s.file == id)),
        "{:?}",
        codes(&diags)
    );
    assert!(p.analyze(Options::default()).docs.is_empty());
    p.set_file("o1.yaml", ORDER.as_bytes().to_vec());
    assert!(p.check().is_empty(), "the old parse error is gone");
}

#[test]
fn a_new_file_joins_and_a_removed_one_leaves_the_analysis() {
    let mut p = project(&[("registry.yaml", REGISTRY)]);
    assert!(p.analyze(Options::default()).docs.is_empty());
    p.set_file("o1.yaml", ORDER.as_bytes().to_vec());
    assert_eq!(p.analyze(Options::default()).docs.len(), 1);
    p.remove_file("o1.yaml");
    assert!(p.analyze(Options::default()).docs.is_empty());
}

#[test]
fn the_final_edition_demands_more_than_a_draft() {
    let p = project(&[("registry.yaml", REGISTRY), ("o1.yaml", ORDER)]);
    let draft = p.analyze(Options::default());
    assert!(draft.docs[0].meta.draft);
    let fin = p.analyze(Options::build(true));
    assert!(!fin.buildable(), "a draft is not the final edition");
    assert!(fin.diags.len() > draft.diags.len());
}

#[test]
fn document_sources_name_the_plan_and_the_registry() {
    let p = project(&[("registry.yaml", REGISTRY), ("o1.yaml", ORDER)]);
    let docs = p.analyze(Options::default()).into_documents();
    assert_eq!(
        docs.sources.get("o1").map(Vec::as_slice),
        Some(&["o1.yaml".to_string(), "registry.yaml".to_string()][..])
    );
}

#[test]
fn every_problem_the_resolver_finds_in_an_order_is_reported_at_once() {
    // No genitive of the issuer (letterhead) and no accusative of the
    // controller's position (control clause): both, not the first only.
    let registry = REGISTRY
        .replace("    cases: { gen: Министерства образования }\n", "")
        .replace(", acc: министра", "");
    let order = ORDER.replace(
        "signatory: ivanov",
        "signatory: ivanov\ncontrol: { person: ivanov }",
    );
    let p = project(&[("registry.yaml", &registry), ("o1.yaml", &order)]);
    let diags = p.check();
    let places: Vec<(usize, usize)> = diags
        .iter()
        .filter(|d| d.code == Code::MissingCase)
        .filter_map(|d| d.span)
        .map(|s| p.sources().line_col(s.file, s.start))
        .collect();
    assert_eq!(places.len(), 2, "{diags:?}");
    assert!(places.contains(&(3, 9)), "the issuer: {places:?}");
}

/// The seed plans of the repository, as `(name, text)`.
fn seed_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root.join("plans")).sort_by_file_name() {
        let e = e.expect("walk");
        let name = e
            .path()
            .strip_prefix(root)
            .expect("rel")
            .to_string_lossy()
            .into_owned();
        if e.file_type().is_file() && name.ends_with(".yaml") {
            out.push((name, std::fs::read_to_string(e.path()).expect("read")));
        }
    }
    out
}

fn from_owned(files: &[(String, String)]) -> Project {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    project(&refs)
}

#[test]
fn a_cached_analysis_gives_the_diagnostics_and_documents_of_a_full_one() {
    let mut files = seed_files();
    let mut cache = UnitCache::memory();
    let all = Wants::everything(true);
    for round in 0..3 {
        if round == 2 {
            // One edited plan: only its unit is checked again.
            let (_, text) = files
                .iter_mut()
                .find(|(n, _)| n.ends_with("smolensk-2024-978/appendix.yaml"))
                .expect("seed");
            *text = text.replacen("Ноябрь 2024", "Декабрь 2024", 1);
        }
        let p = from_owned(&files);
        let full = p.analyze(Options::default());
        let cached = p.analyze_with(Options::default(), &mut cache, &all);
        assert_eq!(cached.diags, full.diags, "round {round}");
        assert_eq!(cached.docs, full.docs, "round {round}");
        assert_eq!(cached.entries.len(), full.docs.len());
        let expected = match round {
            0 => full.entries.len(),
            1 => 0,
            _ => 1,
        };
        assert_eq!(cached.checked, expected, "round {round}");
        // A unit from the cache is not even numbered; its document is, when made.
        assert_eq!(cached.numbered, expected, "round {round}");
    }
}

#[test]
fn a_numbering_error_is_reported_on_every_cached_run() {
    let mut cache = UnitCache::memory();
    let wants = Wants::everything(false);
    let id = ORDER
        .lines()
        .find_map(|l| l.trim().strip_prefix("- id: "))
        .expect("a clause id");
    let twice = ORDER.replacen(
        &format!("- id: {id}\n"),
        &format!("- id: {id}\n    text: Ещё.\n  - id: {id}\n"),
        1,
    );
    assert_ne!(twice, ORDER, "the order has a clause to repeat");
    for _ in 0..2 {
        let p = project(&[("registry.yaml", REGISTRY), ("o1.yaml", &twice)]);
        let a = p.analyze_with(Options::check(), &mut cache, &wants);
        assert!(
            codes(&a.diags).contains(&Code::DuplicateId),
            "{:?}",
            codes(&a.diags)
        );
        assert_eq!(a.numbered, 1);
    }
}

#[test]
fn a_unit_with_errors_is_never_taken_from_the_cache() {
    let bad = ORDER.replace("Провести совещание.", "Провести {{ person(\"petrov\") }}.");
    let mut cache = UnitCache::memory();
    let wants = Wants::everything(false);
    for _ in 0..2 {
        let p = project(&[("r.yaml", REGISTRY), ("o.yaml", &bad)]);
        let a = p.analyze_with(Options::check(), &mut cache, &wants);
        assert_eq!(a.checked, 1);
        assert!(codes(&a.diags).contains(&Code::UnknownReference));
    }
    // Fixed in the registry, not in the order: the order is checked again.
    let registry = REGISTRY.replace("  - id: ivanov", "  - id: petrov\n    surname: Петров\n    name: Пётр\n    gender: м\n    positions: []\n  - id: ivanov");
    let p = project(&[("r.yaml", &registry), ("o.yaml", &bad)]);
    let a = p.analyze_with(Options::check(), &mut cache, &wants);
    assert_eq!(a.checked, 1);
    assert!(
        !codes(&a.diags).contains(&Code::UnknownReference),
        "{:?}",
        a.diags
    );
}

#[test]
fn documents_the_same_in_two_projects_have_the_same_content_fingerprint() {
    let files = seed_files();
    let a = from_owned(&files);
    let renamed: Vec<(String, String)> = files
        .iter()
        .map(|(n, t)| (format!("HEAD~1:{n}"), t.clone()))
        .collect();
    let b = from_owned(&renamed);
    assert_eq!(a.fingerprints(), b.fingerprints());
    let mut changed = files.clone();
    let (_, text) = changed
        .iter_mut()
        .find(|(n, _)| n.ends_with("smolensk-2024-978/appendix.yaml"))
        .expect("seed");
    *text = text.replacen("Ноябрь 2024", "Декабрь 2024", 1);
    let c = from_owned(&changed);
    let differ: Vec<String> = a
        .fingerprints()
        .into_iter()
        .zip(c.fingerprints())
        .filter(|(x, y)| x != y)
        .map(|(x, _)| x.0)
        .collect();
    assert_eq!(differ, ["smolensk-2024-978"]);
}
