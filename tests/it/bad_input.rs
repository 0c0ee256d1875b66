//! Hostile and broken input: every case ends in a clear diagnostic, never a
//! panic, and quickly (times are printed, not asserted: machines are noisy).

use std::path::Path;
use std::time::Instant;

fn check(root: &Path) -> Vec<(String, String)> {
    let t = Instant::now();
    let diags = prikaz::project::Project::open(&[root.to_path_buf()], root).check();
    eprintln!("{}: {:?}", root.display(), t.elapsed());
    diags
        .iter()
        .map(|d| (d.code.to_string(), d.message.clone()))
        .collect()
}

fn one(name: &str, bytes: &[u8]) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(name), bytes).expect("write");
    check(dir.path())
}

fn codes(d: &[(String, String)]) -> Vec<&str> {
    d.iter().map(|(c, _)| c.as_str()).collect()
}

#[test]
fn file_of_50_megabytes_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = std::fs::File::create(dir.path().join("huge.yaml")).expect("create");
    f.set_len(50 * 1024 * 1024).expect("set_len");
    let d = check(dir.path());
    assert_eq!(codes(&d), ["too-large"], "{d:?}");
    assert!(d[0].1.contains("50 МБ"), "{d:?}");
}

#[test]
fn ten_thousand_levels_of_nesting_hit_the_depth_budget() {
    let mut s = String::from("kind: document\nid: d\ntitle: T\nblocks: ");
    s.push_str(&"[".repeat(10_000));
    s.push_str(&"]".repeat(10_000));
    let d = one("deep.yaml", s.as_bytes());
    assert_eq!(codes(&d), ["yaml-limit"], "{d:?}");
    let mut m = String::from("kind: document\nid: d\ntitle: T\nx: ");
    m.push_str(&"{a: ".repeat(10_000));
    m.push('1');
    m.push_str(&"}".repeat(10_000));
    // Deep maps under an unknown key are rejected before the parser descends.
    let d = one("deep-map.yaml", m.as_bytes());
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        ["yaml-limit", "unknown-key"].contains(&d[0].0.as_str()),
        "{d:?}"
    );
}

#[test]
fn alias_bomb_is_stopped() {
    let mut s = String::from(
        "kind: document\nid: d\ntitle: T\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        s.push_str(&format!("x{i}: &a{i} [{}]\n", vec![prev; 9].join(", ")));
    }
    let d = one("bomb.yaml", s.as_bytes());
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        ["yaml-limit", "unknown-key"].contains(&d[0].0.as_str()),
        "{d:?}"
    );
}

#[test]
fn invalid_utf8_is_reported_with_its_line() {
    let d = one(
        "latin1.yaml",
        b"kind: order\ntitle: \xcf\xf0\xe8\xea\xe0\xe7\n",
    );
    assert_eq!(codes(&d), ["not-utf8"], "{d:?}");
    assert!(d[0].1.contains("строка 2"), "{d:?}");
}

#[test]
fn binary_file_is_refused() {
    let d = one(
        "image.yaml",
        &[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xd8],
    );
    assert_eq!(codes(&d), ["not-text"], "{d:?}");
}

#[test]
fn empty_file_is_reported() {
    assert_eq!(codes(&one("empty.yaml", b"")), ["empty-file"]);
}

#[test]
fn directory_named_like_a_plan_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("x.yaml")).expect("mkdir");
    let d = check(dir.path());
    assert_eq!(codes(&d), ["io", "io"], "{d:?}");
    assert!(d[0].1.contains("каталог"), "{d:?}");
    assert!(d[1].1.contains("нет файлов планов"), "{d:?}");
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("a")).expect("mkdir");
    std::os::unix::fs::symlink(dir.path(), dir.path().join("a/loop")).expect("symlink");
    let d = check(dir.path());
    assert_eq!(codes(&d), ["io"], "{d:?}");
    assert!(d[0].1.contains("циклическая"), "{d:?}");
}

/// A plan saved by Notepad (CRLF line ends) reads as the same plan: no
/// «missing-kind» at 1:1, the same documents.
#[test]
fn windows_line_endings_read_as_the_same_plans() {
    let root = crate::common::repo();
    let files = [
        "registry.yaml",
        "smolensk-2024-978/order.yaml",
        "smolensk-2024-978/appendix.yaml",
    ];
    let read = |crlf: bool| -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .map(|f| {
                let text = std::fs::read_to_string(root.join("plans").join(f)).expect("read");
                let text = if crlf {
                    text.replace('\n', "\r\n")
                } else {
                    text
                };
                (f.to_string(), text.into_bytes())
            })
            .collect()
    };
    let analyse = |crlf: bool| {
        let p = prikaz::project::Project::from_memory(read(crlf), &root);
        let a = p.analyze(prikaz::project::Options::default());
        let codes: Vec<String> = a.diags.iter().map(|d| d.code.to_string()).collect();
        (codes, a.docs)
    };
    let (lf_codes, lf_docs) = analyse(false);
    let (crlf_codes, crlf_docs) = analyse(true);
    assert!(lf_codes.is_empty(), "{lf_codes:?}");
    assert_eq!(crlf_codes, lf_codes);
    assert_eq!(crlf_docs, lf_docs);
}

/// `fmt` reads under `check`'s budget: nesting that `check` refuses is
/// refused with the same message (it overflowed the stack at about 5,000
/// levels), and tab indentation is named as the syntax error it is.
#[test]
fn fmt_refuses_what_check_refuses_with_the_same_words() {
    let mut deep = String::from("kind: document\nid: d\ntitle: T\nblocks: ");
    deep.push_str(&"[".repeat(5_000));
    deep.push_str(&"]".repeat(5_000));
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .args(["fmt", "--check"])
            .arg(&p)
            .output()
            .expect("run prikaz")
    };
    let o = run("deep.yaml", &deep);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let check = one("deep.yaml", deep.as_bytes());
    assert_eq!(codes(&check), ["yaml-limit"]);
    assert!(
        err.contains(&check[0].1),
        "fmt: {err}\ncheck: {}",
        check[0].1
    );
    assert!(!err.contains("в порядке"), "{err}");

    let o = run("tabs.yaml", "kind: order\nid: x\nclauses:\n\t- id: a\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("в отступе знак табуляции"), "{err}");
    assert!(!err.contains("изменило бы данные"), "{err}");
}

/// Symlinks under the plans that lead outside are not followed: a file of
/// the host (a token, /etc/passwd) never reaches a diagnostic.
#[cfg(unix)]
#[test]
fn symlinks_leading_out_of_the_plans_are_refused_not_read() {
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.yaml"), "token: s3cr3t-value\n").expect("write");
    std::fs::create_dir(outside.path().join("more")).expect("mkdir");
    std::fs::write(
        outside.path().join("more/x.yaml"),
        "kind: order\nid: s3cr3t\n",
    )
    .expect("write");
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        dir.path().join("a.yaml"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(outside.path().join("more"), dir.path().join("sub"))
        .expect("symlink");
    // A link inside the folder is fine.
    std::fs::write(dir.path().join("real.yaml"), "kind: registry\n").expect("write");
    std::os::unix::fs::symlink(dir.path().join("real.yaml"), dir.path().join("alias.yml"))
        .expect("symlink");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .arg("check")
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run prikaz");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("s3cr3t"), "a file outside was read: {err}");
    assert_eq!(
        err.matches("символическая ссылка за пределы").count(),
        2,
        "{err}"
    );
}

/// Nothing a plan holds reaches the terminal raw: an ESC sequence typed in a
/// value (it cleared the screen and set the window title) is shown escaped,
/// and a 100,000-character value is not echoed whole (it was 393 KB).
#[test]
fn diagnostics_escape_control_characters_and_cap_echoed_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("esc.yaml"),
        b"kind: order\nid: x\ntitle: \x1b]0;pwned\x07\x1b[2J\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("long.yaml"),
        format!(
            "kind: document\nid: d\ntitle: T\nperiod: {}\n",
            "9".repeat(100_000)
        ),
    )
    .expect("write");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .args(["check", "--color", "always"])
        .arg(dir.path())
        .output()
        .expect("run prikaz");
    let err = String::from_utf8_lossy(&o.stderr);
    // Colours are ESC [ … m; nothing else may start with ESC.
    let raw_escapes = err
        .split('\u{1b}')
        .skip(1)
        .filter(|s| {
            !s.starts_with('[')
                || !s.split_once('m').is_some_and(|(code, _)| {
                    code[1..].chars().all(|c| c.is_ascii_digit() || c == ';')
                })
        })
        .count();
    assert_eq!(raw_escapes, 0, "{err:?}");
    assert!(!err.contains('\u{7}'), "BEL reached the terminal");
    assert!(err.contains("\\u{1b}"), "{err}");
    assert!(
        o.stderr.len() < 20_000,
        "{} bytes of stderr",
        o.stderr.len()
    );
}

/// A path that holds no plan is a usage error (exit 2), not a clean check:
/// a CI pointed at the wrong folder used to stay green with «0 ошибок».
#[test]
fn a_folder_without_plans_is_exit_2_with_a_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    for cmd in ["check", "build"] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .arg(cmd)
            .arg(dir.path())
            .args(if cmd == "build" {
                vec!["--out", "out"]
            } else {
                vec![]
            })
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("run prikaz");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{cmd}: {err}");
        assert!(err.contains("нет файлов планов"), "{cmd}: {err}");
    }
}

/// Two files that link to each other are named as what they are, and the
/// depth budget speaks Russian, not Rust's debug text.
#[cfg(unix)]
#[test]
fn file_link_loops_and_depth_breaches_are_told_in_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(dir.path().join("b.yaml"), dir.path().join("a.yaml")).expect("ln");
    std::os::unix::fs::symlink(dir.path().join("a.yaml"), dir.path().join("b.yaml")).expect("ln");
    let d = check(dir.path());
    assert!(!d.is_empty());
    assert!(
        d.iter().all(|(_, m)| m.contains("никуда не ведёт")),
        "{d:?}"
    );
    let mut deep = String::from("kind: document\nid: d\ntitle: T\nblocks: ");
    deep.push_str(&"[".repeat(10_000));
    deep.push_str(&"]".repeat(10_000));
    let d = one("deep.yaml", deep.as_bytes());
    assert_eq!(codes(&d), ["yaml-limit"], "{d:?}");
    assert!(d[0].1.contains("вложенность"), "{d:?}");
    assert!(!d[0].1.contains("Depth"), "{d:?}");
}

fn files_of(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("read out")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        .collect()
}

/// A write that fails part-way (here a file-size limit, as a full disk
/// would) used to leave the first files new and the rest old under the old
/// manifest, with exit 1. The set is now staged whole before anything is
/// put in place: `out/` is untouched, and the exit is 2 (I/O).
#[cfg(unix)]
#[test]
fn a_write_failing_part_way_changes_nothing_in_out_and_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The dated orders (PDF/A needs a date), two documents of five files.
    let plans = dir.path().join("plans");
    for f in [
        "registry.yaml",
        "smolensk-2020-718/order.yaml",
        "smolensk-2020-718/appendix-1.yaml",
        "smolensk-2020-718/appendix-2.yaml",
        "smolensk-2024-978/order.yaml",
        "smolensk-2024-978/appendix.yaml",
    ] {
        let to = plans.join(f);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(crate::common::repo().join("plans").join(f), to).expect("copy");
    }
    // The order the PDF/A build writes in and the sizes it writes, from a
    // scratch build; then a size limit that lets a file through but stops a
    // later, larger one.
    let scratch = dir.path().join("scratch");
    let first = crate::common::build(&plans, &scratch, &["--pdfa"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let order: Vec<String> = String::from_utf8_lossy(&first.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("записан "))
        .map(|l| l.split(" (").next().unwrap_or(l).to_string())
        .collect();
    let sizes: Vec<u64> = order
        .iter()
        .map(|p| std::fs::metadata(p).expect("written").len())
        .collect();
    let (j, limit) = (1..sizes.len())
        .filter_map(|j| {
            let before = sizes[..j].iter().max().copied().unwrap_or(0);
            // Half way, in 512-byte blocks, with a block of margin each side.
            (sizes[j] > before + 2048).then(|| (j, (before + sizes[j]) / 2 / 512))
        })
        .next()
        .expect("a later file larger than the ones before it");
    let failing = std::path::Path::new(&order[j])
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let out = dir.path().join("out");
    crate::common::build_ok(&plans, &out, &[]);
    let before = files_of(&out);
    // PDF/A changes every PDF: a build that wrote its first files and then
    // failed would be visible.
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {limit}; exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_prikaz"))
        .args(["build"])
        .arg(&plans)
        .arg("--out")
        .arg(&out)
        .arg("--pdfa")
        .current_dir(crate::common::repo())
        .env("NO_COLOR", "1")
        .output()
        .expect("run prikaz");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "не удалось записать {}",
            out.join(&failing).display()
        )),
        "{err}"
    );
    assert!(err.contains("каталог не изменён"), "{err}");
    assert!(
        files_of(&out) == before,
        "out/ changed: {:?}",
        files_of(&out).keys()
    );
}
