//! Helpers shared by the integration tests: the repository, the `prikaz`
//! binary, external tools, and copies of a real plan with one edit.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `prikaz build PLANS --out OUT ARGS…` with extra environment.
pub fn build_env(plans: &Path, out: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_prikaz"));
    cmd.current_dir(repo())
        .arg("build")
        .arg(plans)
        .arg("--out")
        .arg(out)
        .args(args)
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run prikaz")
}

pub fn build(plans: &Path, out: &Path, args: &[&str]) -> Output {
    build_env(plans, out, args, &[])
}

#[track_caller]
pub fn build_ok(plans: &Path, out: &Path, args: &[&str]) {
    let o = build(plans, out, args);
    assert!(
        o.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Runs an external tool that the test needs; its stdout.
pub fn tool(name: &str, args: &[&str]) -> String {
    let o = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed for this test: {e}"));
    assert!(
        o.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A copy of the registry and of seed 000 (order 978-ОД and its appendix)
/// under `dir/plans`, with `(file, from, to)` replacements applied once each.
pub fn seed_978_with(dir: &Path, edits: &[(&str, &str, &str)]) -> PathBuf {
    let plans = dir.join("plans");
    std::fs::create_dir_all(&plans).expect("mkdir");
    for (name, from) in [
        ("registry.yaml", "plans/registry.yaml"),
        ("order.yaml", "plans/smolensk-2024-978/order.yaml"),
        ("appendix.yaml", "plans/smolensk-2024-978/appendix.yaml"),
    ] {
        let mut text = std::fs::read_to_string(repo().join(from)).expect("read seed");
        for (file, a, b) in edits {
            if *file == name {
                assert!(text.contains(a), "{name} lacks «{a}»");
                text = text.replacen(a, b, 1);
            }
        }
        std::fs::write(plans.join(name), text).expect("write");
    }
    plans
}
