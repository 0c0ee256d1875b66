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

/// A temporary git repository holding seed 000 (order 978-ОД) under `plans/`.
pub struct History {
    dir: tempfile::TempDir,
}

impl History {
    pub fn new() -> History {
        let dir = tempfile::tempdir().expect("tmp");
        seed_978_with(dir.path(), &[]);
        let h = History { dir };
        h.git(&["init", "-q", "-b", "main"]);
        h.commit("исходная редакция");
        h
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn git(&self, args: &[&str]) -> String {
        let o = Command::new("git")
            .current_dir(self.path())
            .args([
                "-c",
                "user.name=Тест",
                "-c",
                "user.email=test@example.org",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.path())
            .output()
            .expect("git is needed to script histories");
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    pub fn commit(&self, msg: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
    }

    /// Replaces `from` by `to` once in `plans/<file>`.
    pub fn edit(&self, file: &str, from: &str, to: &str) {
        let p = self.path().join("plans").join(file);
        let text = std::fs::read_to_string(&p).expect("read");
        assert!(text.contains(from), "{file} lacks «{from}»");
        std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
    }

    /// Cuts the text from `start` up to (not including) `end` and inserts it
    /// before `before`.
    pub fn move_block(&self, file: &str, start: &str, end: &str, before: &str) {
        let p = self.path().join("plans").join(file);
        let text = std::fs::read_to_string(&p).expect("read");
        let a = text.find(start).expect("start");
        let b = text[a..].find(end).expect("end") + a;
        let block = text[a..b].to_string();
        let rest = format!("{}{}", &text[..a], &text[b..]);
        let at = rest.find(before).expect("before");
        std::fs::write(&p, format!("{}{block}{}", &rest[..at], &rest[at..])).expect("write");
    }

    pub fn prikaz(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .current_dir(self.path())
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .expect("run prikaz")
    }

    #[track_caller]
    pub fn stdout(&self, args: &[&str]) -> String {
        let o = self.prikaz(args);
        assert!(
            o.status.success(),
            "prikaz {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    pub fn diff_json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = vec!["diff", "--format", "json"];
        a.extend_from_slice(args);
        serde_json::from_str(&self.stdout(&a)).expect("json")
    }
}

/// `word/document.xml` of a DOCX.
pub fn docx_xml(bytes: &[u8]) -> String {
    String::from_utf8(zip_part(bytes, "word/document.xml")).expect("utf-8")
}

/// One part of a DOCX (zip) package.
pub fn zip_part(bytes: &[u8], name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = Vec::new();
    z.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_end(&mut out)
        .expect("read");
    out
}

/// Runs prikaz in `dir`, without colours.
pub fn prikaz_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run prikaz")
}

/// What a run printed on standard error.
pub fn stderr_of(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// A copy of the repository's `plans/` as `<root>/plans`: a repository of
/// the real plans a test may change.
pub fn copy_plans(root: &Path) {
    for e in walkdir::WalkDir::new(repo().join("plans")) {
        let e = e.expect("walk");
        let to = root.join(e.path().strip_prefix(repo()).expect("inside"));
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
}
