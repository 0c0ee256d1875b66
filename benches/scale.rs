//! The scale of a real archive (run: `cargo bench --bench scale`): a
//! repository of 1,000 orders with ~100 activities each, built and rebuilt
//! as a clerk's CI does, every figure the whole `prikaz` process, its peak
//! memory the kernel's own accounting (wait4):
//! - `build --format pdf | docx | all` from scratch (`--force`);
//! - typst alone producing the same PDFs (the resolved documents handed to
//!   the engine, nothing of ours around it) and the ratio of the whole
//!   `build --format all` to it;
//! - the rebuild after one plan changed, and with nothing changed;
//! - `verify` of that output, `diff HEAD~1 HEAD` with one changed plan;
//! - the growth series (time and peak of `build --format all`).
//!
//! Settings: PRIKAZ_SCALE_PLANS (1000), PRIKAZ_SCALE_SERIES ("10,100,1000";
//! add 5000 for the long series), PRIKAZ_SCALE_RUNS (3), PRIKAZ_BIN (another
//! prikaz binary to measure, e.g. an older one).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "repo.rs"]
mod repo;

const ROWS: usize = 100;

/// One finished process: wall time and peak resident memory.
#[derive(Clone, Copy)]
struct Run {
    wall: Duration,
    peak_mib: f64,
}

fn bin() -> PathBuf {
    std::env::var_os("PRIKAZ_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_prikaz")))
}

/// Runs `cmd` to its end and reads its peak memory from the kernel.
fn measure(cmd: Command) -> Run {
    measure_out(cmd).0
}

/// [`measure`], with what the command printed on standard output.
// The child is reaped by wait4 (for its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn measure_out(mut cmd: Command) -> (Run, String) {
    let t = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    // The pipe is drained by a thread so a chatty child never blocks.
    let mut stderr = child.stderr.expect("stderr");
    let mut stdout = child.stdout.expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet reaped; the pointers are valid.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = t.elapsed();
    let err = reader.join().unwrap_or_default();
    let out = out_reader.join().unwrap_or_default();
    assert!(r == pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{cmd:?} failed: {err}"
    );
    let run = Run {
        wall,
        peak_mib: usage.ru_maxrss as f64 / 1024.0,
    };
    (run, out)
}

fn prikaz(root: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.current_dir(root).args(args).arg("-q");
    c
}

/// Median of `runs` runs of what `make` builds (`before` runs untimed
/// first, each time).
fn median(runs: usize, mut before: impl FnMut(), make: impl Fn() -> Command) -> Run {
    let mut v: Vec<Run> = (0..runs)
        .map(|_| {
            before();
            measure(make())
        })
        .collect();
    v.sort_by_key(|r| r.wall);
    let mid = v[v.len() / 2];
    let peak = v.iter().map(|r| r.peak_mib).fold(0.0, f64::max);
    Run {
        wall: mid.wall,
        peak_mib: peak,
    }
}

fn show(name: &str, r: Run) {
    println!(
        "{name:<52} median {:>9.2} s   peak {:>7.0} MiB",
        r.wall.as_secs_f64(),
        r.peak_mib
    );
}

/// The child mode: typst alone on every document of `root`, in parallel as
/// `build` renders, timed from the first layout to the last PDF.
fn typst_alone(root: &Path) {
    let plans = root.join("plans");
    let project = prikaz::project::Project::open(std::slice::from_ref(&plans), root);
    let docs = project
        .analyze(prikaz::project::Options::default())
        .into_documents()
        .docs;
    let engine = prikaz::render::pdf::Engine::new();
    let settings = prikaz::render::pdf::PdfSettings::default();
    let t = Instant::now();
    // The same workers as `build` (rayon's pool would nest documents).
    let bytes: usize =
        prikaz::build::in_workers(&docs, |d| engine.render(d, settings).expect("pdf").len())
            .iter()
            .sum();
    println!("{} {}", t.elapsed().as_secs_f64(), bytes);
}

fn typst_alone_runs(root: &Path, runs: usize) -> (Duration, f64) {
    let mut walls = Vec::new();
    let mut peak: f64 = 0.0;
    for _ in 0..runs {
        let mut c = Command::new(std::env::current_exe().expect("exe"));
        c.env("PRIKAZ_SCALE_TYPST", root);
        let (run, text) = measure_out(c);
        let secs: f64 = text
            .split_whitespace()
            .next()
            .and_then(|s| s.parse().ok())
            .expect("child prints its time");
        walls.push(Duration::from_secs_f64(secs));
        // The child's peak includes loading and resolving: an upper bound.
        peak = peak.max(run.peak_mib);
    }
    walls.sort();
    (walls[walls.len() / 2], peak)
}

fn main() {
    if let Some(root) = std::env::var_os("PRIKAZ_SCALE_TYPST") {
        typst_alone(Path::new(&root));
        return;
    }
    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    let plans: usize = env("PRIKAZ_SCALE_PLANS", "1000").parse().expect("plans");
    let runs: usize = env("PRIKAZ_SCALE_RUNS", "3").parse().expect("runs");
    let series: Vec<usize> = env("PRIKAZ_SCALE_SERIES", "10,100,1000")
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!("binary: {}", bin().display());

    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    repo::generate(root, plans, ROWS);
    repo::git(root, &["init", "-q"]);
    repo::git(root, &["add", "-A"]);
    repo::git(root, &["commit", "-qm", "a"]);
    println!("repository: {plans} orders × {ROWS} activities");

    let out = root.join("out");
    let clean = || {
        let _ = std::fs::remove_dir_all(&out);
    };
    let mut all = None;
    for format in ["pdf", "docx", "all"] {
        let r = median(runs, clean, || prikaz(root, &["build", "--format", format]));
        show(&format!("build --format {format} (from scratch)"), r);
        if format == "all" {
            all = Some(r);
            let (typst, peak) = typst_alone_runs(root, runs);
            println!(
                "{:<52} median {:>9.2} s   peak {:>7.0} MiB",
                "typst alone, the same PDFs (in process)",
                typst.as_secs_f64(),
                peak
            );
            println!(
                "build --format all / typst alone: {:.2}x (target <= 1.2x)",
                r.wall.as_secs_f64() / typst.as_secs_f64()
            );
        }
    }
    // The output of a full build stays; each rebuild follows one edit.
    measure(prikaz(root, &["build", "--format", "all"]));
    let mut flip = false;
    let edit = |flip: &mut bool| {
        *flip = !*flip;
        let wording = if *flip {
            "вебинары"
        } else {
            "семинары и совещания"
        };
        repo::write_plan(root, plans / 2, ROWS, wording);
    };
    let r = median(
        runs,
        || edit(&mut flip),
        || prikaz(root, &["build", "--format", "all"]),
    );
    show("rebuild after one changed plan", r);
    let r = median(runs, || {}, || prikaz(root, &["build", "--format", "all"]));
    show("rebuild with nothing changed", r);
    let r = median(runs, || {}, || prikaz(root, &["verify"]));
    show("verify of the output", r);
    repo::write_plan(root, plans / 2, ROWS, "консультации");
    repo::git(root, &["commit", "-qam", "b"]);
    let r = median(
        runs,
        || {},
        || prikaz(root, &["diff", "HEAD~1", "HEAD", "--format", "json"]),
    );
    show("diff HEAD~1 HEAD (one changed plan)", r);

    println!("growth of `build --format all` from scratch:");
    for n in series {
        if let (true, Some(r)) = (n == plans, all) {
            show(&format!("  {n} orders"), r);
            continue;
        }
        let d = tempfile::tempdir().expect("tmp");
        repo::generate(d.path(), n, ROWS);
        let out = d.path().join("out");
        let r = median(
            if n >= 1000 { 1 } else { runs },
            || {
                let _ = std::fs::remove_dir_all(&out);
            },
            || prikaz(d.path(), &["build", "--format", "all"]),
        );
        show(&format!("  {n} orders"), r);
    }
}
