//! The command line speaks Russian, including clap's own parts.

use std::process::Command;

fn prikaz(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .args(args)
        .output()
        .expect("run prikaz")
}

#[test]
fn usage_errors_are_told_in_russian_with_exit_code_2() {
    let o = prikaz(&["bild"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("неизвестная команда «bild»; возможно, имелось в виду «build»"),
        "{err}"
    );
    let o = prikaz(&["build", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("недопустимое значение «xml»"), "{err}");
    assert!(err.contains("pdf, docx, all"), "{err}");
}

#[test]
fn help_and_version_succeed() {
    let o = prikaz(&["build", "--help"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("Использование: prikaz build [ПАРАМЕТРЫ] [ПУТЬ…]"),
        "{out}"
    );
    assert!(prikaz(&["-V"]).status.success());
}

/// Every `prikaz …` command line of the CI templates in `ci/`, split into words
/// (quotes removed, redirections dropped).
fn ci_command_lines() -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    // A CI variable or expression stands for a value: `1` fits every place
    // one is used (a shard number, a revision, a name).
    let vars = regex::Regex::new(r"\$\{\{[^}]*\}\}|\$[A-Za-z_][A-Za-z0-9_]*").expect("regex");
    for name in [
        "github-actions.yml",
        "gitlab-ci.yml",
        "github-actions-sharded.yml",
        "gitlab-ci-sharded.yml",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("ci")
            .join(name);
        let text = std::fs::read_to_string(&path).expect("ci template");
        let _: serde_json::Value =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for line in text.lines() {
            let Some(at) = line.find("prikaz ") else {
                continue;
            };
            // Only where a command starts: a script line or `run:`.
            let before = line[..at].trim();
            if !(before.is_empty() || before == "-" || before.ends_with("run:")) {
                continue;
            }
            let rest = vars.replace_all(&line[at..], "1");
            let words: Vec<String> = rest
                .split_whitespace()
                .take_while(|w| !w.starts_with('>') && !w.starts_with('|'))
                .map(|w| w.trim_matches('"').to_string())
                .collect();
            let sub = words.get(1).cloned().unwrap_or_default();
            if sub.chars().all(|c| c.is_ascii_lowercase()) && !sub.is_empty() && sub != "for" {
                out.push((name.to_string(), words));
            }
        }
    }
    out
}

#[test]
fn ci_templates_use_only_real_commands_and_flags() {
    let lines = ci_command_lines();
    for (file, words) in &lines {
        let r = prikaz::cli::command().try_get_matches_from(words);
        assert!(r.is_ok(), "{file}: {words:?}: {:?}", r.err());
    }
    for want in [
        vec!["check", "--deny-warnings"],
        vec!["fmt", "--check"],
        vec!["build", "--final"],
        vec!["verify"],
        vec!["diff", "--format", "markdown"],
    ] {
        for file in ["github-actions.yml", "gitlab-ci.yml"] {
            assert!(
                lines.iter().any(|(f, w)| f == file
                    && w[1] == want[0]
                    && want[1..].iter().all(|x| w.iter().any(|y| y == x))),
                "{file} lacks `prikaz {}`",
                want.join(" ")
            );
        }
    }
}

/// What only the resolver used to find (the issuer's genitive for the
/// letterhead) stops `check` too, located at the order's issuer, and `build`
/// writes nothing.
#[test]
fn check_refuses_what_build_would_refuse_with_the_location() {
    let dir = tempfile::tempdir().expect("tmp");
    let plans = crate::common::seed_978_with(
        dir.path(),
        &[(
            "registry.yaml",
            "      gen: Министерства образования и науки Смоленской области\n",
            "",
        )],
    );
    let o = Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .arg("check")
        .arg(&plans)
        .env("NO_COLOR", "1")
        .current_dir(dir.path())
        .output()
        .expect("run prikaz");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("ошибка[missing-case]"), "{err}");
    assert!(err.contains("plans/order.yaml:5:9"), "{err}");
    let out = dir.path().join("out");
    let b = crate::common::build(&plans, &out, &[]);
    assert_eq!(b.status.code(), Some(1));
    assert!(!out.exists(), "a refused build writes nothing");
}
