//! The first hour: prikaz finds the repository's root from any folder, as
//! cargo finds `Cargo.toml`; one plan is checked and built with the whole
//! registry; `new` writes only ids the registry has.

use std::path::PathBuf;
use std::process::Command;

use crate::common::repo;

use crate::common::{copy_plans, prikaz_in, stderr_of as stderr};

/// A copy of the repository's plans with the 718 order's signatory
/// misspelled: one broken plan among correct ones.
fn copy_with_one_broken_plan() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("repo");
    copy_plans(&root);
    let order = root.join("plans/smolensk-2020-718/order.yaml");
    let text = std::fs::read_to_string(&order).expect("read");
    std::fs::write(
        &order,
        text.replace("signatory: talkina", "signatory: talkna"),
    )
    .expect("write");
    (tmp, root)
}

#[test]
fn checking_one_plan_from_any_folder_loads_the_registry_and_reports_that_plan_only() {
    let (_tmp, root) = copy_with_one_broken_plan();
    let plan = root.join("plans/smolensk-2024-978");
    // The same plan, named from the root, from its own folder, from plans/.
    for (dir, arg) in [
        (root.clone(), "plans/smolensk-2024-978"),
        (plan.clone(), "."),
        (root.join("plans"), "smolensk-2024-978"),
    ] {
        let o = prikaz_in(&dir, &["check", arg]);
        assert_eq!(o.status.code(), Some(0), "{arg} in {dir:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("0 ошибок, 0 предупреждений"),
            "{}",
            stderr(&o)
        );
    }
    // The broken plan is reported wherever it is named from, with the same
    // file name, relative to the repository's root.
    let mut seen = Vec::new();
    for (dir, args) in [
        (root.clone(), vec!["check"]),
        (plan.clone(), vec!["check"]),
        (plan.clone(), vec!["check", "../smolensk-2020-718"]),
        (
            root.join("plans"),
            vec!["check", "smolensk-2020-718/order.yaml"],
        ),
    ] {
        let o = prikaz_in(&dir, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?} in {dir:?}");
        let err = stderr(&o);
        assert!(
            err.contains("plans/smolensk-2020-718/order.yaml:"),
            "{args:?} in {dir:?}: {err}"
        );
        assert!(
            err.contains("talkina"),
            "the hint names the registry's id: {err}"
        );
        seen.push(
            err.lines()
                .filter(|l| l.contains("order.yaml:"))
                .map(str::to_string)
                .collect::<Vec<_>>(),
        );
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
}

#[test]
fn build_from_a_plans_folder_writes_that_plan_into_the_repositorys_out() {
    let (_tmp, root) = copy_with_one_broken_plan();
    let o = prikaz_in(
        &root.join("plans/smolensk-2024-978"),
        &["build", "--format", "docx", "."],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out: Vec<String> = std::fs::read_dir(root.join("out"))
        .expect("the repository's out/")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
        .collect();
    assert!(out.iter().any(|f| f.contains("978")), "{out:?}");
    assert!(!out.iter().any(|f| f.contains("718")), "{out:?}");
}

#[test]
fn textconv_inside_a_plan_folder_resolves_the_registry() {
    let o = prikaz_in(
        &repo().join("plans/smolensk-2024-978"),
        &["textconv", "order.yaml"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("978-ОД"), "{text}");
    assert!(!text.contains("[?]"), "{text}");
}

#[test]
fn prikaz_toml_names_where_the_plans_live() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    let plans = root.join("docs/orders");
    std::fs::create_dir_all(&plans).expect("mkdir");
    for (name, text) in [
        ("registry.yaml", crate::rules::REGISTRY),
        ("order.yaml", crate::rules::ORDER),
        ("appendix.yaml", crate::rules::APPENDIX),
    ] {
        std::fs::write(plans.join(name), text).expect("write");
    }
    std::fs::write(
        root.join("prikaz.toml"),
        "plans = \"docs/orders\"\nout = \"build\"\n",
    )
    .expect("toml");
    std::fs::create_dir_all(root.join("notes")).expect("mkdir");
    let o = prikaz_in(&root.join("notes"), &["build", "--format", "docx"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(root.join("build/manifest.json").is_file());
    std::fs::write(root.join("prikaz.toml"), "plans = \"../../etc\"\n").expect("toml");
    let o = prikaz_in(root, &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("за пределы репозитория"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn new_in_this_repository_writes_only_ids_its_registry_has_and_passes_check() {
    let (_tmp, root) = copy_with_one_broken_plan();
    let o = prikaz_in(
        &root,
        &["new", "--date", "2025-03-01", "plans/2025-my-plan"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = prikaz_in(&root, &["check", "plans/2025-my-plan"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!root.join("plans/2025-my-plan/registry.yaml").exists());
    // Chosen parties are used as given.
    let o = prikaz_in(
        &root.join("plans"),
        &[
            "new",
            "--date",
            "2024-10-31",
            "--issuer",
            "smolensk-mon",
            "--signatory",
            "khnycheva",
            "2024-other",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let order = std::fs::read_to_string(root.join("plans/2024-other/order.yaml")).expect("order");
    assert!(order.contains("issuer: smolensk-mon"), "{order}");
    assert!(order.contains("signatory: khnycheva"), "{order}");
    let o = prikaz_in(&root, &["check", "plans/2024-other"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A signatory out of office on the date is refused, as check would.
    let o = prikaz_in(
        &root,
        &[
            "new",
            "--date",
            "2025-05-01",
            "--signatory",
            "khnycheva",
            "plans/2025-y",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("не занимает должность"),
        "{}",
        stderr(&o)
    );
    // An id the registry lacks is refused, with the closest one.
    let o = prikaz_in(&root, &["new", "--signatory", "talkna", "plans/2025-x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("«talkina»"), "{}", stderr(&o));
    assert!(!root.join("plans/2025-x").exists());
}

#[test]
fn new_in_an_empty_folder_writes_a_registry_and_passes_check() {
    let tmp = tempfile::tempdir().expect("tmp");
    let o = prikaz_in(tmp.path(), &["new", "plans/2025-first"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = prikaz_in(tmp.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = prikaz_in(&tmp.path().join("plans/2025-first"), &["check", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `fmt --check`, `journal` and `verify` read the repository's plans from a
/// plan's folder as from the root.
#[test]
fn fmt_journal_and_verify_work_from_a_plan_folder() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("repo");
    copy_plans(&root);
    let deep = root.join("plans/smolensk-2024-978");
    let o = prikaz_in(&deep, &["fmt", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let from_root = prikaz_in(&root, &["journal"]);
    let from_deep = prikaz_in(&deep, &["journal"]);
    assert_eq!(from_root.status.code(), Some(0), "{}", stderr(&from_root));
    assert_eq!(from_deep.stdout, from_root.stdout);
    assert!(String::from_utf8_lossy(&from_deep.stdout).contains("978-ОД"));
    let o = prikaz_in(&deep, &["build", "--format", "docx"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = prikaz_in(&root, &["verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// An editor or a hook hands the unsaved text: `check -` reads it with the
/// repository's registry, in place of the file `--stdin-name` names, and
/// reports that text only; `textconv -` prints its document.
#[test]
fn check_and_textconv_read_a_plan_from_standard_input() {
    use std::io::Write;
    let run = |args: &[&str], input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .current_dir(repo().join("plans/smolensk-2024-978"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write");
        child.wait_with_output().expect("wait")
    };
    let order =
        std::fs::read_to_string(repo().join("plans/smolensk-2020-718/order.yaml")).expect("order");
    let o = run(&["check", "-"], &order);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let broken = order.replace("signatory: talkina", "signatory: talkna");
    let o = run(
        &[
            "check",
            "-",
            "--stdin-name",
            "../smolensk-2020-718/order.yaml",
        ],
        &broken,
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("plans/smolensk-2020-718/order.yaml:"), "{err}");
    assert!(err.contains("«talkina»"), "{err}");
    assert!(
        err.contains("в 1 файле"),
        "only the text given is reported: {err}"
    );
    let o = run(&["textconv", "-"], &order);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("718-ОД"));
}

/// The conventions of a command-line tool: completions, a man page,
/// `help`, `-q` and `-v`, Russian severity labels.
#[test]
fn completions_man_page_help_quiet_and_verbose() {
    let here = repo();
    let out = |args: &[&str]| prikaz_in(&here, args);
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = out(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("prikaz"),
            "{shell}"
        );
    }
    let man = out(&["man"]);
    assert!(String::from_utf8_lossy(&man.stdout).contains(".TH prikaz 1"));
    let help = out(&["help", "build"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("Использование: prikaz build"));
    let o = out(&["check", "-q"]);
    assert!(o.status.success());
    assert!(o.stderr.is_empty() && o.stdout.is_empty(), "{}", stderr(&o));
    let o = out(&["-v", "check"]);
    assert!(stderr(&o).contains("корень репозитория:"), "{}", stderr(&o));
    let (_tmp, root) = copy_with_one_broken_plan();
    let o = prikaz_in(&root, &["check", "--quiet"]);
    let err = stderr(&o);
    assert!(err.starts_with("ошибка[unknown-reference]"), "{err}");
    assert!(!err.contains("итого"), "{err}");
}

/// `prikaz hook install` writes a pre-commit hook that runs both `fmt
/// --check` and `check`: a real commit of a broken plan is refused, a
/// correct one goes through; a foreign hook is kept unless `--force`.
#[test]
fn the_installed_hook_refuses_a_commit_of_a_broken_plan() {
    let (_tmp, root) = copy_with_one_broken_plan();
    let git = |args: &[&str]| {
        Command::new("git")
            .current_dir(&root)
            .args([
                "-c",
                "user.name=Делопроизводитель",
                "-c",
                "user.email=clerk@example.org",
            ])
            .args(args)
            // No other prikaz than the one under test.
            .env("PATH", "/usr/bin:/bin")
            .output()
            .expect("git is needed for this test")
    };
    // Start from correct plans: the copy's broken signatory mended.
    let order = root.join("plans/smolensk-2020-718/order.yaml");
    let text = std::fs::read_to_string(&order).expect("read");
    std::fs::write(
        &order,
        text.replace("signatory: talkna", "signatory: talkina"),
    )
    .expect("write");
    assert!(git(&["init", "-q"]).status.success());
    let o = prikaz_in(&root, &["hook", "install"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let hook = std::fs::read_to_string(root.join(".git/hooks/pre-commit")).expect("hook");
    assert!(
        hook.contains("fmt --check") && hook.contains("check --deny-warnings"),
        "{hook}"
    );
    assert!(!hook.contains("exec "), "{hook}");
    assert!(git(&["add", "-A"]).status.success());
    let ok = git(&["commit", "-q", "-m", "Планы"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    std::fs::write(&order, text).expect("break");
    let refused = git(&["commit", "-q", "-am", "Опечатка в подписанте"]);
    assert!(
        !refused.status.success(),
        "the hook let a broken plan through"
    );
    assert!(stderr(&refused).contains("talkina"), "{}", stderr(&refused));
    let log = git(&["rev-list", "--count", "HEAD"]);
    assert_eq!(String::from_utf8_lossy(&log.stdout).trim(), "1");
    // Someone else's hook stays unless asked.
    std::fs::write(root.join(".git/hooks/pre-commit"), "#!/bin/sh\nexit 0\n").expect("foreign");
    let o = prikaz_in(&root, &["hook", "install"]);
    assert_eq!(o.status.code(), Some(2));
    let o = prikaz_in(&root, &["hook", "install", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A plan saved on Windows (CRLF, a UTF-8 byte-order mark) checks as the
/// same plan, and `fmt` formats its layout but keeps both.
#[test]
fn fmt_keeps_windows_line_endings_and_the_byte_order_mark() {
    let tmp = tempfile::tempdir().expect("tmp");
    let plans = tmp.path().join("plans");
    std::fs::create_dir_all(&plans).expect("mkdir");
    std::fs::write(plans.join("registry.yaml"), crate::rules::REGISTRY).expect("registry");
    std::fs::write(plans.join("order.yaml"), crate::rules::ORDER).expect("order");
    let windows = format!(
        "\u{feff}{}",
        crate::rules::APPENDIX
            .replace("title: План мероприятий", "title:    План мероприятий")
            .replace('\n', "\r\n")
    );
    std::fs::write(plans.join("appendix.yaml"), &windows).expect("appendix");
    let o = prikaz_in(tmp.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = prikaz_in(tmp.path(), &["fmt", "--check"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the extra spaces are a layout difference"
    );
    let o = prikaz_in(tmp.path(), &["fmt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let after = std::fs::read_to_string(plans.join("appendix.yaml")).expect("read");
    assert!(after.starts_with('\u{feff}'), "the BOM is kept");
    assert!(after.contains("title: План мероприятий\r\n"), "{after:?}");
    assert!(
        !after.replace("\r\n", "").contains('\n'),
        "every line ends in CRLF"
    );
    let o = prikaz_in(tmp.path(), &["fmt", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `diff` reads the repository's plans from a plan's folder as from the
/// root: the same change is reported, not «no changes».
#[test]
fn diff_from_a_plan_folder_reports_the_same_changes_as_from_the_root() {
    let h = crate::common::History::new();
    h.edit("order.yaml", "date: 2024-10-31", "date: 2024-11-01");
    h.commit("другая дата");
    let from_root = h.stdout(&["diff", "HEAD~1", "HEAD"]);
    assert!(from_root.contains("01.11.2024"), "{from_root}");
    let deep = std::fs::read_dir(h.path().join("plans"))
        .expect("plans")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| h.path().join("plans"));
    let o = prikaz_in(&deep, &["diff", "HEAD~1", "HEAD"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), from_root);
}
