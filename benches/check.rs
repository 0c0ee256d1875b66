//! `check` over a large generated repository: 1,000 plans of ~100 activities
//! each (target: under 1 s on a 2-core machine). Prints median and spread.
//! Run: `cargo bench --bench check`.

use std::path::PathBuf;
use std::time::Instant;

#[path = "repo.rs"]
mod repo;

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plans: usize = std::env::var("PRIKAZ_BENCH_PLANS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let rows = 100;
    let t = Instant::now();
    repo::generate(dir.path(), plans, rows);
    eprintln!(
        "generated {plans} plans × {rows} activities in {:?}",
        t.elapsed()
    );
    let root: PathBuf = dir.path().join("plans");
    // PRIKAZ_BENCH_KEEP=1 leaves the generated repository for other tools
    // (`farm-bench`, `/usr/bin/time`); its path is printed.
    let dir = if std::env::var_os("PRIKAZ_BENCH_KEEP").is_some() {
        eprintln!("repository kept in {}", dir.keep().display());
        None
    } else {
        Some(dir)
    };
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let project = prikaz::project::Project::open(std::slice::from_ref(&root), &root);
        let diags = project.check();
        times.push(t.elapsed());
        count = project.workspace().files.len();
        assert!(
            diags
                .iter()
                .all(|d| d.severity != prikaz::diag::Severity::Error),
            "{:?}",
            diags.first().map(|d| &d.message)
        );
    }
    times.sort();
    // Stage split of one run: parsing against the rules.
    let t = Instant::now();
    let project = prikaz::project::Project::open(std::slice::from_ref(&root), &root);
    let load = t.elapsed();
    let t = Instant::now();
    let _ = project.check();
    println!("  load {load:?}, rules and resolve {:?}", t.elapsed());
    println!(
        "check: {count} files, {} activities: median {:?} (min {:?}, max {:?})",
        plans * rows,
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );

    // The whole program, as a clerk or CI runs it.
    let mut proc_times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .arg("check")
            .arg(&root)
            .output()
            .expect("run prikaz");
        proc_times.push(t.elapsed());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    proc_times.sort();
    println!(
        "`prikaz check` process: median {:?} (min {:?}, max {:?})",
        proc_times[2], proc_times[0], proc_times[4]
    );

    // The two YAML readers on one core over the same texts.
    let texts: Vec<String> = (0..project.sources().len())
        .map(|id| project.sources().text(id).to_string())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut sources = prikaz::diag::Sources::default();
    let id = sources.add("x.yaml".into(), String::new());
    for (name, reader) in [
        ("fast reader (load::subset)", prikaz::load::Reader::Subset),
        ("serde-saphyr", prikaz::load::Reader::Saphyr),
    ] {
        let t = Instant::now();
        for text in &texts {
            let parsed = prikaz::load::parse_file_with(id, text, reader);
            assert!(parsed.is_ok(), "{name} fails on a generated plan");
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "  {name}: {:.0} MB in {:.2} s on one core = {:.0} MB/s",
            bytes as f64 / 1e6,
            secs,
            bytes as f64 / 1e6 / secs
        );
    }
    drop(dir);
}
