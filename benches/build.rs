//! `build` timings, in process (run: `cargo bench --bench build`):
//! - warm build of seed 000 (order and appendix) from the YAML files: load,
//!   check, resolve, typst layout and PDF export;
//! - the same document through typst alone (our World, layout and export,
//!   nothing of ours before it): the overhead ratio of the whole build;
//! - DOCX generation for seed 000 and for a 1,000-row activity plan;
//! - peak memory of the process.
//!
//! typst memoises layout across compilations (comemo); every timed run
//! starts with the cache evicted, so the figures are what a fresh build pays
//! per document after start-up. The memoised figure is printed separately.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use prikaz::render::pdf::{Engine, PdfSettings};

/// The hand-built model of the tests; the bench uses only its large order.
#[path = "../tests/it/sample.rs"]
#[allow(dead_code)]
mod sample;

fn median(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    (v[0], v[v.len() / 2], v[v.len() - 1])
}

fn time(runs: usize, mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    f();
    let v = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    median(v)
}

fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn show(name: &str, (min, med, max): (Duration, Duration, Duration)) {
    println!("{name:<58} median {med:>10.2?} (min {min:.2?}, max {max:.2?})");
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let paths = [
        root.join("plans/registry.yaml"),
        root.join("plans/smolensk-2024-978"),
    ];
    let engine = Engine::new();
    let settings = PdfSettings::default();
    let runs = 15;

    let pipeline = |evict: bool| {
        if evict {
            typst::comemo::evict(0);
        }
        let project = prikaz::project::Project::open(&paths, &root);
        let analysis = project.analyze(prikaz::project::Options::default());
        assert!(analysis.buildable());
        let doc = &analysis.docs[0];
        engine.render(doc, settings).expect("pdf").len()
    };
    let whole = time(runs, || {
        pipeline(true);
    });
    let memo = time(runs, || {
        pipeline(false);
    });

    let project = prikaz::project::Project::open(&paths, &root);
    let doc = project
        .analyze(prikaz::project::Options::default())
        .docs
        .into_iter()
        .next()
        .expect("seed 000 resolves");
    let typst_alone = time(runs, || {
        typst::comemo::evict(0);
        engine.render(&doc, settings).expect("pdf");
    });
    let pages = engine.layout(&doc).map(|p| p.pages().len()).unwrap_or(0);
    let front = time(runs, || {
        let project = prikaz::project::Project::open(&paths, &root);
        let _ = project.analyze(prikaz::project::Options::default());
    });
    let docx_000 = time(runs, || {
        let _ = prikaz::render::docx::render(&doc);
    });
    let big = sample::order(1000);
    let docx_1000 = time(5, || {
        let _ = prikaz::render::docx::render(&big);
    });
    let pdf_1000 = time(3, || {
        typst::comemo::evict(0);
        engine.render(&big, settings).expect("pdf");
    });
    let big_pages = engine.layout(&big).map(|p| p.pages().len()).unwrap_or(0);

    println!("seed 000: {pages} pages; sample plan of 1,000 rows: {big_pages} pages");
    show("build seed 000 from YAML (PDF, cache evicted)", whole);
    show("build seed 000 from YAML (PDF, typst cache warm)", memo);
    show(
        "typst alone: layout+export of the same document",
        typst_alone,
    );
    show("load+check+resolve of seed 000", front);
    show("DOCX seed 000", docx_000);
    show("DOCX 1,000-row activity plan", docx_1000);
    show("PDF 1,000-row activity plan (typst)", pdf_1000);
    println!(
        "overhead of the whole build over typst alone: {:.2}x (target <= 1.2x)",
        whole.1.as_secs_f64() / typst_alone.1.as_secs_f64()
    );
    if let Some(mib) = peak_rss_mib() {
        println!("peak memory (VmHWM): {mib:.1} MiB");
    }
}
