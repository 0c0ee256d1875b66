//! Incremental builds (`out/manifest.json` records each file's inputs): what
//! did not change is kept untouched, what changed is made again, the result
//! is the build from scratch byte for byte, and `verify` names exactly what
//! is stale.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{copy_plans, prikaz_in, stderr_of};

/// Every file of `out` with its bytes and its inode: a file put in place
/// again gets a new inode even when its bytes are the same.
fn files(out: &Path) -> BTreeMap<String, (Vec<u8>, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::read_dir(out)
        .expect("out")
        .filter_map(|e| e.ok())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(e.path()).expect("read");
            let ino = e.metadata().expect("meta").ino();
            (name, (bytes, ino))
        })
        .collect()
}

/// Names whose file was put in place again between `a` and `b`.
fn rewritten(
    a: &BTreeMap<String, (Vec<u8>, u64)>,
    b: &BTreeMap<String, (Vec<u8>, u64)>,
) -> Vec<String> {
    b.iter()
        .filter(|(n, (_, ino))| a.get(*n).is_none_or(|(_, old)| old != ino))
        .map(|(n, _)| n.clone())
        .collect()
}

fn build(root: &Path, args: &[&str]) -> String {
    let o = prikaz_in(root, &[&["build"], args].concat());
    assert!(o.status.success(), "{}", stderr_of(&o));
    stderr_of(&o)
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let p = root.join(file);
    let text = std::fs::read_to_string(&p).expect("read");
    assert!(text.contains(from), "{file} has no «{from}»");
    std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
}

#[cfg(unix)]
#[test]
fn a_rebuild_keeps_unchanged_files_untouched_and_equals_a_build_from_scratch() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    copy_plans(root);
    build(root, &[]);
    let first = files(&root.join("out"));
    // Nothing changed: no file is put in place again, the manifest neither.
    let said = build(root, &[]);
    assert!(
        said.contains("документы не изменились со сборки (5)"),
        "{said}"
    );
    assert_eq!(
        rewritten(&first, &files(&root.join("out"))),
        Vec::<String>::new()
    );
    // One plan changed: its two files and the manifest, nothing else.
    edit(
        root,
        "plans/smolensk-2024-978/appendix.yaml",
        "Ноябрь 2024",
        "Декабрь 2024",
    );
    let said = build(root, &[]);
    assert!(
        said.contains("собрано документов: 1, файлов: 2") && said.contains("не перезаписаны: 4"),
        "{said}"
    );
    let second = files(&root.join("out"));
    assert_eq!(
        rewritten(&first, &second),
        [
            "2024-10-31_978-ОД.docx",
            "2024-10-31_978-ОД.pdf",
            "manifest.json"
        ]
    );
    // The same bytes as a build from scratch of the same plans.
    let o = prikaz_in(root, &["build", "--force", "--out", "scratch"]);
    assert!(o.status.success(), "{}", stderr_of(&o));
    let scratch = files(&root.join("scratch"));
    let bytes = |m: &BTreeMap<String, (Vec<u8>, u64)>| -> BTreeMap<String, Vec<u8>> {
        m.iter().map(|(n, (b, _))| (n.clone(), b.clone())).collect()
    };
    assert_eq!(bytes(&second), bytes(&scratch));
    // --force makes every document again (the manifest, the same bytes,
    // stays).
    build(root, &["--force"]);
    let forced = files(&root.join("out"));
    assert_eq!(rewritten(&second, &forced).len(), forced.len() - 1);
    assert!(!rewritten(&second, &forced).contains(&"manifest.json".to_string()));
    assert_eq!(bytes(&forced), bytes(&scratch));
}

#[cfg(unix)]
#[test]
fn a_registry_entry_change_remakes_exactly_the_documents_that_print_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    copy_plans(root);
    build(root, &[]);
    let first = files(&root.join("out"));
    // Талкина signs order 718 only; the registry is a source of every plan.
    edit(
        root,
        "plans/registry.yaml",
        "initials: Е.П.",
        "initials: Е.Р.",
    );
    build(root, &[]);
    let second = files(&root.join("out"));
    assert_eq!(
        rewritten(&first, &second),
        [
            "2020-10-06_718-ОД.docx",
            "2020-10-06_718-ОД.pdf",
            "manifest.json"
        ]
    );
    // An organisation's profile: every order it issues, no other.
    edit(
        root,
        "plans/registry.yaml",
        "      title_bold: false\n",
        "      title_bold: true\n",
    );
    build(root, &[]);
    let third = files(&root.join("out"));
    assert_eq!(
        rewritten(&second, &third),
        [
            "2024-10-31_978-ОД.docx",
            "2024-10-31_978-ОД.pdf",
            "manifest.json"
        ]
    );
}

/// A build killed between putting its files in place leaves new documents
/// under the old manifest: `verify` names exactly those files.
#[test]
fn verify_names_exactly_the_files_a_half_finished_build_left_stale() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    copy_plans(root);
    build(root, &[]);
    let o = prikaz_in(root, &["verify"]);
    assert!(o.status.success(), "{}", stderr_of(&o));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("входные данные не менялись"), "{said}");
    let old_manifest = std::fs::read(root.join("out/manifest.json")).expect("manifest");
    edit(
        root,
        "plans/smolensk-2024-978/appendix.yaml",
        "Ноябрь 2024",
        "Декабрь 2024",
    );
    build(root, &[]);
    std::fs::write(root.join("out/manifest.json"), old_manifest).expect("restore");
    let o = prikaz_in(root, &["verify"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr_of(&o);
    let stale: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("не совпадает с manifest.json"))
        .collect();
    assert_eq!(stale.len(), 2, "{err}");
    assert!(
        stale.iter().all(|l| l.contains("2024-10-31_978-ОД.")),
        "{err}"
    );
    assert!(!err.contains("718") && !err.contains("412"), "{err}");
    // --rebuild renders every document and finds the same.
    let o = prikaz_in(root, &["verify", "--rebuild"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr_of(&o)
            .matches("не совпадает с manifest.json")
            .count(),
        2
    );
}

fn verbose_build(root: &Path) -> String {
    build(root, &["-v"])
}

/// The figures of `-v`: «проверено заново: A из B» and «сделано M».
fn work_of(said: &str) -> (usize, usize, usize) {
    let numbers = |key: &str| -> Vec<usize> {
        let line = said
            .lines()
            .find(|l| l.contains(key))
            .unwrap_or_else(|| panic!("no «{key}» in:\n{said}"));
        let from = line.find(key).map_or(0, |i| i + key.len());
        line[from..]
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect()
    };
    let checked = numbers("проверено заново:");
    let made = numbers("(сделано ");
    (checked[0], checked[1], made[0])
}

#[test]
fn a_rebuild_checks_and_makes_only_the_plans_that_changed() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    copy_plans(root);
    let (checked, of, made) = work_of(&verbose_build(root));
    assert_eq!((checked, made), (of, of), "a first build does everything");
    // Nothing changed: nothing checked again, nothing made.
    assert_eq!(work_of(&verbose_build(root)), (0, of, 0));
    edit(
        root,
        "plans/smolensk-2024-978/appendix.yaml",
        "Ноябрь 2024",
        "Декабрь 2024",
    );
    assert_eq!(work_of(&verbose_build(root)), (1, of, 1));
    // A file deleted from out/ is made again, without checking anything.
    std::fs::remove_file(root.join("out/2020-10-06_718-ОД.pdf")).expect("rm");
    let said = verbose_build(root);
    assert_eq!(work_of(&said), (0, of, 1), "{said}");
    assert!(root.join("out/2020-10-06_718-ОД.pdf").is_file());
    // The registry is read by every plan: all are checked, and only the
    // documents that print the changed entry are made again.
    edit(
        root,
        "plans/registry.yaml",
        "initials: Е.П.",
        "initials: Е.Р.",
    );
    let said = verbose_build(root);
    assert_eq!(work_of(&said).0, of, "{said}");
    assert!(said.contains("собрано документов: 1"), "{said}");
}

/// Runs `check` over the copy, with the cache or without it.
fn check_output(root: &Path, cached: bool) -> (Option<i32>, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"));
    cmd.current_dir(root).args(["check"]).env("NO_COLOR", "1");
    if !cached {
        cmd.env("PRIKAZ_NO_CACHE", "1");
    }
    let o = cmd.output().expect("run");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn a_cached_check_reports_exactly_what_a_fresh_check_reports() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    copy_plans(root);
    let fresh = check_output(root, false);
    assert!(
        !root.join(".prikaz-cache").exists(),
        "PRIKAZ_NO_CACHE writes nothing"
    );
    assert_eq!(check_output(root, true), fresh, "a cold cache");
    assert_eq!(check_output(root, true), fresh, "a warm cache");
    let cache = root.join(".prikaz-cache");
    assert!(cache.join("units.json").is_file());
    let ignore = std::fs::read_to_string(cache.join(".gitignore")).expect("gitignore");
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    // Every kind of edit: a warning (a hand-typed reference), an error in
    // an appendix (an unknown reference), the registry, a file removed.
    let edits: [(&str, &str, &str); 3] = [
        (
            "plans/smolensk-2024-978/order.yaml",
            "Утвердить",
            "Утвердить (см. приложение № 2)",
        ),
        (
            "plans/smolensk-2024-978/appendix.yaml",
            "              audience: ОМСУ, МОЦ, ОО\n",
            "              audience: ОМСУ, МОЦ, ОО, {{ person(\"никто\") }}\n",
        ),
        ("plans/registry.yaml", "initials: Е.П.", "initials: Е.Р."),
    ];
    for (file, from, to) in edits {
        edit(root, file, from, to);
        let fresh = check_output(root, false);
        assert_eq!(check_output(root, true), fresh, "after editing {file}");
        assert_eq!(check_output(root, true), fresh, "again after {file}");
    }
    let reported = check_output(root, false);
    assert!(reported.1.contains("никто") || reported.2.contains("никто"));
    // The order that printed the bad reference is gone: so is its error.
    std::fs::remove_dir_all(root.join("plans/smolensk-2024-978")).expect("rm");
    let fresh = check_output(root, false);
    assert_eq!(check_output(root, true), fresh, "after removing a plan");
    assert!(!fresh.1.contains("никто") && !fresh.2.contains("никто"));
}
