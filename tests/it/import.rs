//! `prikaz import`: every plan read back from its own DOCX prints the same
//! text; the seed texts import, build and keep their real defects for
//! `check`; LibreOffice's .odt and .doc of a built DOCX import the same.

use std::path::{Path, PathBuf};

use super::common::{build_ok, prikaz_in, repo, stderr_of};

/// A repository with the real registries and no plans, for imports.
fn empty_repo(dir: &Path) -> PathBuf {
    let plans = dir.join("plans");
    std::fs::create_dir_all(&plans).expect("mkdir");
    for name in ["registry.yaml", "registry-kaluga.yaml"] {
        std::fs::copy(repo().join("plans").join(name), plans.join(name)).expect("copy registry");
    }
    std::fs::write(dir.join("prikaz.toml"), "").expect("config");
    dir.to_path_buf()
}

/// The plan directories of the repository and the main file of each.
fn plans() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(repo().join("plans")).expect("plans") {
        let dir = e.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        let main = std::fs::read_dir(&dir)
            .expect("plan dir")
            .map(|f| f.expect("file").path())
            .find(|f| {
                std::fs::read_to_string(f).is_ok_and(|t| {
                    t.lines()
                        .any(|l| l == "kind: order" || l == "kind: document")
                })
            })
            .expect("main file");
        let name = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        out.push((name, main));
    }
    out.sort();
    out
}

fn textconv(dir: &Path, file: &Path) -> String {
    let o = prikaz_in(dir, &["textconv", &file.to_string_lossy()]);
    assert!(
        o.status.success(),
        "textconv {}: {}",
        file.display(),
        stderr_of(&o)
    );
    assert!(
        !stderr_of(&o).contains("не собирается"),
        "{} does not resolve: {}",
        file.display(),
        stderr_of(&o)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Imports `doc` into `repo` as plan `id`; the plan's main file and what
/// the command printed.
fn import(repo_dir: &Path, doc: &Path, id: &str) -> (PathBuf, String) {
    let o = prikaz_in(repo_dir, &["import", &doc.to_string_lossy(), "--id", id]);
    assert!(
        o.status.success(),
        "import {}: {}",
        doc.display(),
        stderr_of(&o)
    );
    let dir = repo_dir.join("plans").join(id);
    let main = ["order.yaml", "document.yaml"]
        .iter()
        .map(|f| dir.join(f))
        .find(|f| f.exists())
        .expect("imported main file");
    (
        main,
        format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr_of(&o)),
    )
}

fn built_docx(name: &str, out: &Path) -> PathBuf {
    build_ok(&repo().join("plans").join(name), out, &["--format", "docx"]);
    std::fs::read_dir(out)
        .expect("out")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|x| x == "docx"))
        .expect("a docx")
}

#[test]
fn every_plan_reads_back_from_its_own_docx_with_the_same_text() {
    let tmp = tempfile::tempdir().expect("tmp");
    let r = empty_repo(&tmp.path().join("repo"));
    for (name, main) in plans() {
        let docx = built_docx(&name, &tmp.path().join("out").join(&name));
        let (imported, said) = import(&r, &docx, &format!("rt-{name}"));
        assert!(
            !said.contains("ошибка["),
            "{name}: the import of our own DOCX has errors:\n{said}"
        );
        let want = textconv(&repo(), &main);
        let got = textconv(&r, &imported);
        let diff = similar::TextDiff::from_lines(&want, &got)
            .unified_diff()
            .to_string();
        assert!(
            want == got,
            "{name}: the text differs after the round trip:\n{diff}"
        );
    }
}

fn seed(n: &str) -> PathBuf {
    let dir = repo().join("tests/fixtures/seeds");
    std::fs::read_dir(&dir)
        .expect("seeds")
        .map(|e| e.expect("entry").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|f| f.to_string_lossy().starts_with(n))
        })
        .expect("seed file")
}

/// Each seed's real defects, as `check` names them after the import.
const DEFECTS: &[(&str, &[&str])] = &[
    // 978-ОД: a deadline a year late, the wrong school year, «ШПРО» for «ШНРО».
    (
        "000",
        &[
            "deadline-outside-period",
            "year-outside-period",
            "abbr-near-miss",
        ],
    ),
    // 718-ОД: clause «4.2» twice, appendix numbers typed by hand.
    (
        "001",
        &[
            "number-repeated",
            "hand-typed-reference",
            "deadline-no-year",
        ],
    ),
    // The municipal roadmap: a deadline that is two dates, a school named two ways.
    (
        "004",
        &["deadline-unparsed", "institution-alias", "abbr-undefined"],
    ),
];

#[test]
fn seed_texts_import_and_check_reports_their_defects() {
    let tmp = tempfile::tempdir().expect("tmp");
    let r = empty_repo(tmp.path());
    for (n, codes) in DEFECTS {
        let (_, said) = import(&r, &seed(n), &format!("seed-{n}"));
        for code in *codes {
            assert!(
                said.contains(&format!("[{code}]")),
                "seed {n}: no {code} in:\n{said}"
            );
        }
    }
    // The stamp of 718-ОД's appendix names order № 418-ОД: the importer says so.
    let (_, said) = import(&r, &seed("001"), "seed-001-again");
    assert!(
        said.contains("№ 418-ОД, а номер приказа — 718-ОД"),
        "{said}"
    );
    assert!(said.contains("отметка «Приложение № 2»"), "{said}");
}

#[test]
fn seed_000_keeps_its_structure_clauses_deadlines_and_plan_table() {
    let tmp = tempfile::tempdir().expect("tmp");
    let r = empty_repo(tmp.path());
    let (main, _) = import(&r, &seed("000"), "s0");
    let order = std::fs::read_to_string(&main).expect("order");
    for want in [
        "issuer: smolensk-mon",
        "date: 2024-10-31",
        "number: 978-ОД",
        "period: 2024/2025",
        "signatory: khnycheva",
        "person: shelabina",
        "deadline: до 20.07.2025",
        "items: dash",
        "operative: spaced",
        "kind: приказ",
    ] {
        assert!(order.contains(want), "no «{want}» in:\n{order}");
    }
    let app = std::fs::read_to_string(main.with_file_name("appendix-1.yaml")).expect("appendix");
    for want in [
        "- activities:",
        "numbering: hierarchical",
        "number: \"3.12\"",
        "type: deadline",
    ] {
        assert!(app.contains(want), "no «{want}» in:\n{app}");
    }
}

#[test]
fn unsupported_and_broken_files_are_refused_with_a_message() {
    let tmp = tempfile::tempdir().expect("tmp");
    let r = empty_repo(tmp.path());
    let bad = tmp.path().join("bad.docx");
    std::fs::write(&bad, b"not a zip").expect("write");
    let o = prikaz_in(&r, &["import", &bad.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr_of(&o).contains("не является пакетом"),
        "{}",
        stderr_of(&o)
    );
    let pdf = tmp.path().join("x.pdf");
    std::fs::write(&pdf, b"%PDF").expect("write");
    let o = prikaz_in(&r, &["import", &pdf.to_string_lossy()]);
    assert!(
        stderr_of(&o).contains("не поддерживается"),
        "{}",
        stderr_of(&o)
    );
}

/// Word recall of each seed in the DOCX built from its import, with the
/// judges' own `recall.py`.
#[test]
#[ignore = "needs python3; run by .ci/run"]
fn seed_imports_build_to_documents_with_the_seeds_words() {
    let tmp = tempfile::tempdir().expect("tmp");
    let r = empty_repo(tmp.path());
    for (n, _) in DEFECTS {
        let (main, _) = import(&r, &seed(n), &format!("seed-{n}"));
        // Built despite the defects check reports: the original has them.
        let project = prikaz::project::Project::open(&[r.join("plans")], &r);
        let analysis = project.analyze(prikaz::project::Options::check());
        let id = format!("seed-{n}");
        let entry = analysis.entries.iter().find(|e| e.id == id).expect("entry");
        let doc = analysis.make(entry).expect("document");
        let docx = tmp.path().join(format!("{n}.docx"));
        std::fs::write(&docx, prikaz::render::docx::render(&doc).expect("docx")).expect("write");
        let pdf = tmp.path().join(format!("{n}.pdf"));
        let engine = prikaz::render::pdf::Engine::new();
        let settings = prikaz::render::pdf::PdfSettings { pdfa: false };
        std::fs::write(&pdf, engine.render(&doc, settings).expect("pdf")).expect("write");
        // The PDF repeats the plan's header on every page, as the seed's
        // text (flattened from pages) does; the DOCX has it once.
        for (what, out, floor) in [("pdf", &pdf, 0.97), ("docx", &docx, 0.95)] {
            let o = std::process::Command::new("python3")
                .arg(repo().join("tests/tools/recall.py"))
                .arg(seed(n))
                .arg(out)
                .output()
                .expect("python3");
            let report = String::from_utf8_lossy(&o.stdout).into_owned();
            println!("seed {n} {what} ({}): {report}", main.display());
            let share: f64 = report
                .lines()
                .find_map(|l| {
                    l.strip_prefix("recall ")?
                        .rsplit("= ")
                        .next()?
                        .trim()
                        .parse()
                        .ok()
                })
                .expect("a recall figure");
            assert!(
                share >= floor,
                "seed {n} {what}: recall {share} < {floor}:\n{report}"
            );
        }
    }
}

/// LibreOffice's .odt, .doc and .rtf of a built DOCX import to the same text.
#[test]
#[ignore = "needs LibreOffice; run by .ci/run"]
fn libreoffice_odt_doc_and_rtf_of_a_built_docx_import_the_same() {
    let tmp = tempfile::tempdir().expect("tmp");
    let r = empty_repo(&tmp.path().join("repo"));
    for (name, main) in plans() {
        let docx = built_docx(&name, &tmp.path().join("out").join(&name));
        let want = textconv(&repo(), &main);
        for ext in ["odt", "doc", "rtf"] {
            let conv = tmp.path().join("conv").join(&name);
            std::fs::create_dir_all(&conv).expect("mkdir");
            let o = std::process::Command::new("soffice")
                .arg(format!(
                    "-env:UserInstallation=file://{}/lo-profile",
                    tmp.path().display()
                ))
                .args(["--headless", "--norestore", "--convert-to", ext, "--outdir"])
                .arg(&conv)
                .arg(&docx)
                .output()
                .expect("soffice");
            assert!(
                o.status.success(),
                "soffice: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let file = conv.join(docx.with_extension(ext).file_name().expect("name"));
            let (imported, _) = import(&r, &file, &format!("{ext}-{name}"));
            let got = textconv(&r, &imported);
            let diff = similar::TextDiff::from_lines(&want, &got)
                .unified_diff()
                .to_string();
            assert!(want == got, "{name}.{ext}: the text differs:\n{diff}");
        }
    }
}

/// Visas with remarks, printed under the signature or on an approval
/// sheet, come back as `approvals:` with their results.
#[test]
fn approval_visas_and_sheets_come_back_with_their_results() {
    for style in ["visas", "sheet"] {
        let tmp = tempfile::tempdir().expect("tmp");
        let src = tmp.path().join("src");
        super::common::copy_plans(&src);
        std::fs::write(src.join("prikaz.toml"), "").expect("config");
        let edit = |file: &str, from: &str, to: &str| {
            let p = src.join("plans").join(file);
            let t = std::fs::read_to_string(&p).expect("read");
            assert!(t.contains(from), "{file} lacks {from}");
            std::fs::write(&p, t.replacen(from, to, 1)).expect("write");
        };
        edit(
            "registry-kaluga.yaml",
            "approvals: visas",
            &format!("approvals: {style}"),
        );
        edit(
            "obninsk-2025-87/order.yaml",
            "{ person: obninsk-sorokin, date: 2025-08-28, result: agreed }",
            "{ person: obninsk-sorokin, date: 2025-08-28, result: remarks, remarks: Уточнить сроки отчётов, clause: coordinator }",
        );
        let out = tmp.path().join("out");
        let o = prikaz_in(
            &src,
            &[
                "build",
                "plans/obninsk-2025-87",
                "--format",
                "docx",
                "--out",
                &out.to_string_lossy(),
            ],
        );
        assert!(o.status.success(), "{}", stderr_of(&o));
        let docx = std::fs::read_dir(&out)
            .expect("out")
            .map(|e| e.expect("e").path())
            .find(|p| p.extension().is_some_and(|x| x == "docx"))
            .expect("docx");
        let r = tmp.path().join("repo");
        std::fs::create_dir_all(r.join("plans")).expect("mkdir");
        std::fs::write(r.join("prikaz.toml"), "").expect("config");
        for f in ["registry.yaml", "registry-kaluga.yaml"] {
            std::fs::copy(src.join("plans").join(f), r.join("plans").join(f)).expect("copy");
        }
        let (main, said) = import(&r, &docx, "rt-visas");
        let order = std::fs::read_to_string(&main).expect("order");
        assert!(
            order.contains("result: remarks") && order.contains("Уточнить сроки отчётов"),
            "{style}: {order}"
        );
        // The remark was a comment anchored at clause 2: it names it again.
        assert!(
            order.contains("clause: p2"),
            "{style}: the remark lost its clause:\n{order}"
        );
        assert!(!said.contains("ошибка["), "{style}: {said}");
        let want = textconv(&src, &src.join("plans/obninsk-2025-87/order.yaml"));
        let got = textconv(&r, &main);
        let diff = similar::TextDiff::from_lines(&want, &got)
            .unified_diff()
            .to_string();
        assert!(want == got, "{style}: the text differs:\n{diff}");
    }
}

/// A new user's repository has no registry yet: the body, the signatory and
/// the executor are proposed in `registry-proposed.yaml`, and the draft
/// loads and checks without errors of its own.
#[test]
fn a_repository_without_a_registry_gets_proposed_entries_that_load() {
    let tmp = tempfile::tempdir().expect("tmp");
    let docx = built_docx("obninsk-2025-87", &tmp.path().join("out"));
    let r = tmp.path().join("new");
    std::fs::create_dir_all(r.join("plans")).expect("mkdir");
    std::fs::write(r.join("prikaz.toml"), "").expect("config");
    let (main, said) = import(&r, &docx, "uoo-87");
    assert!(!said.contains("ошибка["), "{said}");
    let reg =
        std::fs::read_to_string(main.with_file_name("registry-proposed.yaml")).expect("proposals");
    for want in [
        "kind: registry",
        "name: Управление общего образования",
        "gen: Управления общего образования Администрации города Обнинска",
        "- АДМИНИСТРАЦИЯ ГОРОДА ОБНИНСКА",
        "date_style: words",
        "surname: Белоусова",
        "initials: Н.Г.",
        "surname: Ступина",
        "phone: 8 (48439) 5-81-37",
        "# import: пол указан",
    ] {
        assert!(reg.contains(want), "no «{want}» in:\n{reg}");
    }
    let order = std::fs::read_to_string(&main).expect("order");
    assert!(order.contains("executor: stupina"), "{order}");
}

/// The text and the DOCX of every document of the plans at `files`, built
/// despite what `check` says (the faithful copies keep their defects).
fn documents(root: &Path, files: &[PathBuf]) -> Vec<(String, String, Vec<u8>)> {
    let project = prikaz::project::Project::open(files, root);
    let analysis = project.analyze(prikaz::project::Options::check());
    analysis
        .entries
        .iter()
        .filter_map(|e| {
            let doc = analysis.make(e)?;
            let docx = prikaz::render::docx::render(&doc).expect("docx");
            Some((e.id.clone(), prikaz::render::text::render(&doc), docx))
        })
        .collect()
}

/// The fixture documents too: the faithful copies of the seeds (defects
/// included) and the document with every block kind (a marker matrix with
/// a three-storey header, «# $ * [ ]» in a cell) read back from their DOCX
/// print the same text.
#[test]
fn every_fixture_document_reads_back_from_its_own_docx_with_the_same_text() {
    let fixtures = repo().join("tests/fixtures");
    let sets: Vec<(PathBuf, Vec<&str>)> = vec![
        (fixtures.join("faithful"), vec!["000", "001", "004"]),
        (fixtures.join("kinds"), vec!["matrix.yaml"]),
    ];
    for (root, parts) in sets {
        for part in parts {
            let files = vec![root.join("registry.yaml"), root.join(part)];
            let tmp = tempfile::tempdir().expect("tmp");
            let r = tmp.path().join("repo");
            std::fs::create_dir_all(r.join("plans")).expect("mkdir");
            std::fs::write(r.join("prikaz.toml"), "").expect("config");
            std::fs::copy(root.join("registry.yaml"), r.join("plans/registry.yaml"))
                .expect("registry");
            for (id, want, docx) in documents(&root, &files) {
                let file = tmp.path().join(format!("{id}.docx"));
                std::fs::write(&file, &docx).expect("write");
                let new_id = format!("rt-{id}");
                let (main, _) = import(&r, &file, &new_id);
                let dir = main.parent().expect("dir").to_path_buf();
                let got = documents(&r, &[r.join("plans/registry.yaml"), dir])
                    .into_iter()
                    .find(|(i, _, _)| *i == new_id)
                    .map(|(_, t, _)| t)
                    .unwrap_or_else(|| panic!("{part}: the import of {id} does not resolve"));
                let diff = similar::TextDiff::from_lines(&want, &got)
                    .unified_diff()
                    .to_string();
                assert!(
                    want == got,
                    "{part} ({id}): the text differs after the round trip:\n{diff}"
                );
            }
        }
    }
}
