//! The fast YAML reader (`load::subset`) must give exactly serde-saphyr's
//! values and spans whenever it does not decline: on every real plan and
//! fixture, and on thousands of mutated plans.

use std::path::{Path, PathBuf};

use prikaz::diag::Sources;
use prikaz::load::{Reader, parse_file_with};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml") {
            out.push(p);
        }
    }
}

fn corpus() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    yaml_files(&root.join("plans"), &mut files);
    yaml_files(&root.join("tests/fixtures"), &mut files);
    files
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect()
}

/// `Some(true)`: both agree; `Some(false)`: they differ; `None`: declined.
fn agree(text: &str) -> Result<bool, String> {
    let mut sources = Sources::default();
    let id = sources.add("x.yaml".into(), text.to_string());
    let fast = parse_file_with(id, text, Reader::Subset);
    let Ok(fast) = fast else {
        return Ok(false);
    };
    match parse_file_with(id, text, Reader::Saphyr) {
        Ok(slow) => {
            let (f, s) = (format!("{fast:#?}"), format!("{slow:#?}"));
            if f == s {
                Ok(true)
            } else {
                let diff = similar::TextDiff::from_lines(&s, &f)
                    .unified_diff()
                    .context_radius(3)
                    .to_string();
                Err(format!("values differ (- serde-saphyr, + fast):\n{diff}"))
            }
        }
        Err(d) => Err(format!(
            "fast reader accepted what serde-saphyr rejects: {}",
            d.message
        )),
    }
}

#[test]
fn fast_reader_reads_every_real_plan_exactly_as_serde_saphyr() {
    let corpus = corpus();
    assert!(corpus.len() > 5);
    for (path, text) in &corpus {
        let real = path.components().any(|c| c.as_os_str() == "plans");
        match agree(text) {
            Ok(true) => {}
            Ok(false) if !real => {}
            Ok(false) => panic!("the fast reader declines the real plan {}", path.display()),
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
}

/// A small deterministic generator, so a failure reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    ": ", " #", "- ", "'", "\"", "|", ">", "[", "]", "{", "}", ", ", "&a ", "*a", "!t ", "\n",
    "  ", "\t", "\\", "~", "null", "yes", "012", "1e3", "-", "\n  ", "\n\n", ":", "#", "''", "\\n",
    "|-\n", ">-\n  ", "? ", "%", "---\n", "0x1F", "true", " ", "ё", "\u{a0}",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return text.to_string();
    }
    let n = rng.below(lines.len());
    match rng.below(6) {
        0 => {
            lines.remove(n);
        }
        1 => {
            let l = lines[n].clone();
            lines.insert(n, l);
        }
        2 => {
            let l = &mut lines[n];
            if rng.below(2) == 0 {
                l.insert_str(0, &" ".repeat(1 + rng.below(2)));
            } else if l.starts_with(' ') {
                l.remove(0);
            }
        }
        3 if n + 1 < lines.len() => lines.swap(n, n + 1),
        _ => {
            let l = &mut lines[n];
            let bounds: Vec<usize> = (0..=l.len()).filter(|&i| l.is_char_boundary(i)).collect();
            let at = bounds[rng.below(bounds.len())];
            l.insert_str(at, TOKENS[rng.below(TOKENS.len())]);
        }
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[test]
fn fast_reader_agrees_with_serde_saphyr_on_mutated_plans_or_declines() {
    let corpus = corpus();
    // PRIKAZ_MUTANTS=seed,scale runs a longer or different search.
    let (seed, scale) = std::env::var("PRIKAZ_MUTANTS")
        .ok()
        .and_then(|v| {
            let (a, b) = v.split_once(',')?;
            Some((a.parse().ok()?, b.parse().ok()?))
        })
        .unwrap_or((0x9e37_79b9_7f4a_7c15_u64, 1_usize));
    let mut rng = Rng(seed | 1);
    let (mut accepted, mut total) = (0, 0);
    for (path, text) in &corpus {
        // Large files cost serde-saphyr time: fewer mutants of them.
        let rounds = scale * if text.len() > 20_000 { 60 } else { 250 };
        for _ in 0..rounds {
            let mut m = mutate(text, &mut rng);
            if rng.below(3) == 0 {
                m = mutate(&m, &mut rng);
            }
            total += 1;
            match agree(&m) {
                Ok(true) => accepted += 1,
                Ok(false) => {}
                Err(e) => panic!("mutant of {}:\n{m}\n\n{e}", path.display()),
            }
        }
    }
    eprintln!("the fast reader took {accepted} of {total} mutants");
    // Most single mutations keep a plan valid: the fast path must take them,
    // or this test would prove nothing.
    assert!(
        accepted * 4 > total,
        "the fast reader took only {accepted} of {total} mutants"
    );
}

#[test]
fn duplicate_key_in_a_large_mapping_is_left_to_serde_saphyr_which_reports_it() {
    // A row of 40 cells: past the small linear key set, into the hashed one.
    let mut text = String::from(
        "kind: appendix\nid: a\ntitle: T\nblocks:\n  - activities:\n      columns:\n        - { key: k0, title: K }\n      sections:\n        - title: S\n          rows:\n            - id: r1\n",
    );
    for i in 0..40 {
        text.push_str(&format!("              k{i}: v\n"));
    }
    let mut sources = Sources::default();
    let id = sources.add("x.yaml".into(), text.clone());
    assert!(parse_file_with(id, &text, Reader::Subset).is_ok());
    text.push_str("              k7: again\n");
    let id = sources.add("y.yaml".into(), text.clone());
    assert!(parse_file_with(id, &text, Reader::Subset).is_err());
    let d = parse_file_with(id, &text, Reader::Auto).expect_err("duplicate key");
    assert_eq!(d.code, "duplicate-key");
    let span = d.span.expect("located");
    assert_eq!(&text[span.start..span.start + 2], "k7");
    assert!(span.start > text.len() - 20, "points at the second k7");
}
