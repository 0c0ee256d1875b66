//! Sign-off on real plans and scripted repositories: registration numbers,
//! the journal, visas and the approval sheet, the electronic-signature stamp
//! and QR code, `build --final`, the manifest and `verify`.

use std::path::Path;
use std::process::Command;

use crate::common::{History, docx_xml, repo};

const EXTRA: &str = "kind: order
id: extra
issuer: smolensk-mon
date: 2024-10-31
status: signed
title: О проведении совещания
clauses:
  - id: meet
    text: Провести совещание с руководителями общеобразовательных организаций.
signatory: khnycheva
";

fn write(h: &History, name: &str, text: &str) {
    std::fs::write(h.path().join("plans").join(name), text).expect("write");
}

fn read(h: &History, name: &str) -> String {
    std::fs::read_to_string(h.path().join("plans").join(name)).expect("read")
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn register_assigns_the_next_number_of_the_issuer_register_and_year() {
    let h = History::new();
    write(&h, "extra.yaml", EXTRA);
    let out = h.stdout(&["register", "plans/extra.yaml"]);
    assert_eq!(
        out,
        "зарегистрирован: приказ «extra» от 31.10.2024 № 979-ОД\n"
    );
    let text = read(&h, "extra.yaml");
    assert!(
        text.contains("date: 2024-10-31\nnumber: 979-ОД\nstatus: registered\n"),
        "{text}"
    );
    let o = h.prikaz(&["check", "--deny-warnings"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A registered order is never numbered again.
    let o = h.prikaz(&["register", "plans/extra.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("уже зарегистрирован под номером «979-ОД»"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn register_counts_every_file_and_only_the_same_year() {
    let h = History::new();
    write(
        &h,
        "other.yaml",
        &EXTRA
            .replace("id: extra", "id: other")
            .replace("status: signed", "number: 990-ОД\nstatus: registered"),
    );
    write(
        &h,
        "last-year.yaml",
        &EXTRA
            .replace("id: extra", "id: last-year")
            .replace("2024-10-31", "2023-10-31")
            .replace("status: signed", "number: 2000-ОД\nstatus: registered"),
    );
    write(&h, "extra.yaml", EXTRA);
    h.stdout(&["register", "plans/extra.yaml"]);
    assert!(read(&h, "extra.yaml").contains("number: 991-ОД"));
}

#[test]
fn register_refuses_an_unsigned_order() {
    let h = History::new();
    write(
        &h,
        "extra.yaml",
        &EXTRA.replace("status: signed", "status: approval"),
    );
    let o = h.prikaz(&["register", "plans/extra.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("не подписан (статус «на согласовании»)"),
        "{}",
        stderr(&o)
    );
    assert!(!read(&h, "extra.yaml").contains("number:"));
}

#[test]
fn register_refuses_while_two_orders_share_a_number() {
    let h = History::new();
    write(
        &h,
        "twin.yaml",
        &EXTRA
            .replace("id: extra", "id: twin")
            .replace("status: signed", "number: 978-ОД\nstatus: registered"),
    );
    write(&h, "extra.yaml", EXTRA);
    let o = h.prikaz(&["register", "plans/extra.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("уже присвоен другому приказу"), "{err}");
    assert!(err.contains("номер не присвоен"), "{err}");
    assert!(!read(&h, "extra.yaml").contains("number:"));
}

#[test]
fn journal_lists_the_real_orders_in_registration_order() {
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .current_dir(repo())
            .args(args)
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let csv = run(&["journal", "--format", "csv"]);
    // A byte-order mark first, so Excel reads UTF-8; `;` between cells.
    let csv = csv.strip_prefix('\u{feff}').expect("a BOM").to_string();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "Дата;Номер;Орган;Заголовок;Подписал;Статус");
    assert!(
        lines[1].starts_with("06.10.2020;718-ОД;smolensk-dept;"),
        "{csv}"
    );
    assert!(
        lines[2].starts_with("31.10.2024;978-ОД;smolensk-mon;"),
        "{csv}"
    );
    assert!(lines[2].ends_with(";Д.С. Хнычева;зарегистрирован"), "{csv}");
    // The two orders of 2025, by date.
    assert!(lines[3].starts_with("14.03.2025;412;"), "{csv}");
    assert!(lines[4].starts_with("29.08.2025;87-од;"), "{csv}");
    assert_eq!(lines.len(), 5);
    let commas = run(&["journal", "--format", "csv", "--separator", ","]);
    assert!(
        commas
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("06.10.2020,718-ОД,")),
        "{commas}"
    );
    // `--out` writes the file, atomically, instead of the terminal.
    let tmp = tempfile::tempdir().expect("tmp");
    let to = tmp.path().join("журнал.csv");
    let printed = run(&[
        "journal",
        "--format",
        "csv",
        "--out",
        to.to_str().expect("utf-8"),
    ]);
    assert!(printed.contains("записан"), "{printed}");
    let written = std::fs::read_to_string(&to).expect("journal written");
    assert_eq!(written, format!("\u{feff}{csv}"));
    run(&[
        "journal",
        "--format",
        "csv",
        "--out",
        tmp.path().to_str().expect("utf-8"),
    ]);
    assert!(tmp.path().join("journal.csv").is_file());
    let only_2024 = run(&["journal", "--year", "2024", "--format", "csv"]);
    assert_eq!(only_2024.lines().count(), 2, "{only_2024}");
    let by_issuer = run(&["journal", "--issuer", "smolensk-dept"]);
    assert!(by_issuer.contains("718-ОД") && !by_issuer.contains("978-ОД"));
    assert!(by_issuer.starts_with("Дата"), "{by_issuer}");
    assert!(by_issuer.ends_with("всего: 1\n"), "{by_issuer}");
}

#[test]
fn journal_renders_through_both_backends() {
    let dir = tempfile::tempdir().expect("tmp");
    for format in ["pdf", "docx"] {
        let o = Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .current_dir(repo())
            .args(["journal", "--year", "2024", "--format", format, "--out"])
            .arg(dir.path())
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let docx = std::fs::read(dir.path().join("журнал_2024.docx")).expect("docx");
    let text = crate::parity::text_of(&docx);
    assert!(
        text.iter().any(|t| t.contains("ЖУРНАЛ РЕГИСТРАЦИИ")),
        "{text:?}"
    );
    assert!(text.iter().any(|t| t == "978-ОД"), "{text:?}");
    assert!(dir.path().join("журнал_2024.pdf").is_file());
}

/// Seed 000 with one order edit, built to `out/` of the history; the DOCX text.
fn build_docx(h: &History, args: &[&str]) -> (Vec<String>, String) {
    let mut a = vec!["build", "--format", "docx", "--out", "out"];
    a.extend_from_slice(args);
    let o = h.prikaz(&a);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(h.path().join("out/2024-10-31_978-ОД.docx")).expect("docx");
    let text = crate::parity::text_of(&bytes);
    let xml = docx_xml(&bytes);
    (text, xml)
}

const ESIGN: &str = "esign: { certificate: 01AB23CD45EF, from: 2024-02-01, to: 2025-05-01 }\n";

#[test]
fn electronic_signature_replaces_the_handwritten_one_with_the_stamp() {
    let h = History::new();
    h.edit(
        "order.yaml",
        "signatory: khnycheva\n",
        &format!("signatory: khnycheva\n{ESIGN}"),
    );
    let (text, _) = build_docx(&h, &[]);
    let stamp = text
        .iter()
        .find(|t| t.starts_with("ДОКУМЕНТ ПОДПИСАН"))
        .unwrap_or_else(|| panic!("no stamp in {text:#?}"));
    assert_eq!(
        stamp,
        "ДОКУМЕНТ ПОДПИСАН\nЭЛЕКТРОННОЙ ПОДПИСЬЮ\nСертификат: 01AB23CD45EF\nВладелец: Хнычева Д.С.\nДействителен с 01.02.2024 по 01.05.2025"
    );
}

#[test]
fn qr_code_is_drawn_as_vectors_in_pdf_and_anchored_bottom_right_in_docx() {
    let h = History::new();
    h.edit(
        "order.yaml",
        "signatory: khnycheva\n",
        "signatory: khnycheva\nqr: https://docs.example.org/prikaz/2024/978-ОД\n",
    );
    let (_, xml) = build_docx(&h, &[]);
    assert!(xml.contains("<wp:anchor"), "the QR is not anchored");
    assert!(
        xml.contains("<wp:align>right</wp:align>"),
        "not at the right"
    );
    assert!(
        xml.contains("<wp:align>bottom</wp:align>"),
        "not at the bottom"
    );
    let o = h.prikaz(&["build", "--format", "pdf", "--out", "pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = std::fs::read(h.path().join("pdf/2024-10-31_978-ОД.pdf")).expect("pdf");
    let has_image = pdf
        .windows(15)
        .any(|w| w == b"/Subtype /Image" || w.starts_with(b"/Subtype/Image"));
    assert!(!has_image, "the QR code must be vector, not an image");
    let o = h.prikaz(&["textconv", "plans/order.yaml"]);
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .contains("QR: https://docs.example.org/prikaz/2024/978-ОД")
    );
}

const APPROVALS: &str = "approvals:\n  - { person: shelabina, date: 2024-10-31, result: remarks, remarks: Уточнить сроки }\n";

#[test]
fn approvals_print_as_visas_under_the_signature_by_default() {
    let h = History::new();
    h.edit(
        "order.yaml",
        "signatory: khnycheva\n",
        &format!("signatory: khnycheva\n{APPROVALS}"),
    );
    let (text, _) = build_docx(&h, &[]);
    assert!(
        text.iter().any(|t| t
            == "Заместитель министра\tН.В.\u{a0}Шелабина\t31.10.2024\nСогласовано с\u{a0}замечаниями: Уточнить сроки"),
        "{text:#?}"
    );
    assert!(!text.iter().any(|t| t.contains("ЛИСТ СОГЛАСОВАНИЯ")));
}

#[test]
fn approvals_print_as_a_separate_sheet_when_the_profile_says_so() {
    let h = History::new();
    h.edit(
        "order.yaml",
        "signatory: khnycheva\n",
        &format!("signatory: khnycheva\n{APPROVALS}"),
    );
    h.edit(
        "registry.yaml",
        "      title_bold: false\n",
        "      title_bold: false\n      approvals: sheet\n",
    );
    let (text, _) = build_docx(&h, &[]);
    let at = text
        .iter()
        .position(|t| t.starts_with("ЛИСТ СОГЛАСОВАНИЯ"))
        .unwrap_or_else(|| panic!("no sheet in {text:#?}"));
    let rest = &text[at..];
    for want in [
        "Должность",
        "Заместитель министра",
        "Н.В.\u{a0}Шелабина",
        "31.10.2024",
        "Согласовано с\u{a0}замечаниями: Уточнить сроки",
    ] {
        assert!(rest.iter().any(|t| t == want), "no «{want}» in {rest:#?}");
    }
    // The sheet follows the appendix: it is the last thing in the document.
    assert!(text[..at].iter().any(|t| t.starts_with("ПЛАН МЕРОПРИЯТИЙ")));
}

#[test]
fn final_build_says_exactly_what_is_missing() {
    let h = History::new();
    h.edit("order.yaml", "number: 978-ОД\n", "");
    h.edit("order.yaml", "status: registered", "status: approval");
    h.edit(
        "registry.yaml",
        "      title_bold: false\n",
        "      title_bold: false\n      approvers: [deputy-minister]\n",
    );
    let o = h.prikaz(&["build", "--final", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for want in [
        "final-not-signed",
        "не подписан: статус «на согласовании»",
        "final-number-missing",
        "final-approval-missing",
        "нет визы: заместитель министра",
        "окончательная редакция (--final) не собирается",
    ] {
        assert!(err.contains(want), "no «{want}» in:\n{err}");
    }
    assert!(!h.path().join("out").exists(), "nothing is written");
}

// ------------------------------------------------------------ manifest

fn build_in(dir: &Path, env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_prikaz"));
    cmd.current_dir(dir)
        .args(["build", "--final", "--out", "out"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read_to_string(dir.join("out/manifest.json")).expect("manifest")
}

#[test]
fn manifests_are_identical_across_directories_time_zones_and_locales() {
    let h = History::new();
    let other = tempfile::tempdir().expect("tmp");
    let clone = other.path().join("elsewhere");
    h.git(&["clone", "-q", ".", clone.to_str().expect("utf-8 path")]);
    let a = build_in(h.path(), &[("TZ", "UTC"), ("LANG", "C")]);
    let b = build_in(
        &clone,
        &[
            ("TZ", "Asia/Vladivostok"),
            ("LANG", "ru_RU.UTF-8"),
            ("LC_ALL", "ru_RU.UTF-8"),
        ],
    );
    assert_eq!(a, b);
    let m: serde_json::Value = serde_json::from_str(&a).expect("json");
    let head = h.git(&["rev-parse", "HEAD"]);
    assert_eq!(m["commit"], head.trim());
    assert_eq!(m["uncommitted"], serde_json::json!([]));
    assert_eq!(m["final"], true);
    let outputs = m["outputs"].as_array().expect("outputs");
    assert_eq!(outputs.len(), 2, "{m:#}");
    for o in outputs {
        let bytes = std::fs::read(h.path().join("out").join(o["file"].as_str().expect("file")))
            .expect("output");
        assert_eq!(o["sha256"], prikaz::records::manifest::sha256_hex(&bytes));
        let sources: Vec<&str> = o["sources"]
            .as_array()
            .expect("sources")
            .iter()
            .filter_map(|s| s["path"].as_str())
            .collect();
        assert_eq!(
            sources,
            [
                "plans/appendix.yaml",
                "plans/order.yaml",
                "plans/registry.yaml"
            ]
        );
    }
}

#[test]
fn manifest_lists_uncommitted_sources() {
    let h = History::new();
    h.edit(
        "appendix.yaml",
        "deadline: Ноябрь 2024",
        "deadline: Декабрь 2024",
    );
    let m: serde_json::Value = serde_json::from_str(&build_in(h.path(), &[])).expect("json");
    assert_eq!(m["uncommitted"], serde_json::json!(["plans/appendix.yaml"]));
}

#[test]
fn verify_passes_on_a_fresh_build_and_catches_tampering_and_edits() {
    let h = History::new();
    build_in(h.path(), &[]);
    let out = h.stdout(&["verify"]);
    assert!(out.contains("проверено файлов: 2; все совпадают"), "{out}");
    // A changed PDF in out/.
    let pdf = h.path().join("out/2024-10-31_978-ОД.pdf");
    let good = std::fs::read(&pdf).expect("pdf");
    let mut bad = good.clone();
    bad.extend_from_slice(b"%tampered\n");
    std::fs::write(&pdf, &bad).expect("write");
    let o = h.prikaz(&["verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("2024-10-31_978-ОД.pdf: файл в out не совпадает с manifest.json"),
        "{}",
        stderr(&o)
    );
    std::fs::write(&pdf, &good).expect("restore");
    // A source edited after the build.
    h.edit(
        "appendix.yaml",
        "deadline: Ноябрь 2024",
        "deadline: Декабрь 2024",
    );
    let o = h.prikaz(&["verify"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("источник plans/appendix.yaml изменён после сборки"),
        "{err}"
    );
    assert!(err.contains("пересборка даёт другой файл"), "{err}");
}

/// Registrations started together take turns: every order gets its own
/// number, none is given twice (before the lock, two runs at once gave both
/// orders «979-ОД» ten times out of ten).
#[test]
fn registrations_run_at_the_same_time_never_share_a_number() {
    const N: usize = 16;
    let h = History::new();
    for i in 0..N {
        write(
            &h,
            &format!("o{i}.yaml"),
            &EXTRA.replace("id: extra", &format!("id: o{i}")),
        );
    }
    let children: Vec<std::process::Child> = (0..N)
        .map(|i| {
            std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"))
                .current_dir(h.path())
                .args(["register", &format!("plans/o{i}.yaml")])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn prikaz")
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().expect("wait");
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let mut numbers: Vec<String> = (0..N)
        .map(|i| {
            let text = read(&h, &format!("o{i}.yaml"));
            text.lines()
                .find_map(|l| l.strip_prefix("number: "))
                .unwrap_or_else(|| panic!("o{i} has no number:\n{text}"))
                .to_string()
        })
        .collect();
    numbers.sort();
    let expected: Vec<String> = (979..979 + N).map(|n| format!("{n}-ОД")).collect();
    assert_eq!(numbers, expected);
    let o = h.prikaz(&["check", "--deny-warnings"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// What a killed build leaves behind (`.prikaz-*.tmp`) is reported by
/// `verify`, and removed by the next build once it is old.
#[test]
fn verify_reports_temporaries_a_killed_build_left() {
    let h = History::new();
    build_in(h.path(), &[]);
    let tmp = h.path().join("out/.prikaz-XyZ123.tmp");
    std::fs::write(&tmp, b"%PDF-1.7 half").expect("write");
    let o = h.prikaz(&["verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(".prikaz-XyZ123.tmp: временный файл прерванной сборки"),
        "{}",
        stderr(&o)
    );
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&tmp)
        .expect("open")
        .set_modified(hour_ago)
        .expect("mtime");
    build_in(h.path(), &[]);
    assert!(!tmp.exists(), "the next build removes it");
    let out = h.stdout(&["verify"]);
    assert!(out.contains("все совпадают"), "{out}");
}

const CLAUSE_REMARKS: &str = "approvals:\n  - { person: shelabina, date: 2024-10-31, result: remarks, remarks: Уточнить срок отчёта, clause: omsu }\n";

#[test]
fn remarks_that_name_a_clause_become_a_word_comment_anchored_at_it() {
    let h = History::new();
    h.edit(
        "order.yaml",
        "signatory: khnycheva\n",
        &format!("signatory: khnycheva\n{CLAUSE_REMARKS}"),
    );
    let (text, xml) = build_docx(&h, &[]);
    // The visa still prints its remarks.
    assert!(
        text.iter().any(|t| t.ends_with("Уточнить срок отчёта")),
        "{text:#?}"
    );
    let bytes = std::fs::read(h.path().join("out/2024-10-31_978-ОД.docx")).expect("docx");
    let comments = String::from_utf8(crate::common::zip_part(&bytes, "word/comments.xml")).unwrap();
    assert!(
        comments.contains(r#"w:author="Н.В. Шелабина""#),
        "{comments}"
    );
    assert!(
        comments.contains(r#"w:date="2024-10-31T00:00:00Z""#),
        "{comments}"
    );
    assert!(comments.contains("Уточнить срок отчёта"), "{comments}");
    // Anchored at clause 3 («Руководителям органов …»), its whole paragraph.
    let start = xml.find("<w:commentRangeStart").expect("a comment range");
    let end = xml.find("<w:commentRangeEnd").expect("its end");
    let between = &xml[start..end];
    assert!(
        between.contains("Руководителям органов местного самоуправления"),
        "{between}"
    );
    assert!(
        !between.contains("</w:p>"),
        "the range stays in one paragraph"
    );
    assert!(
        xml[end..].contains("commentReference"),
        "Word shows the mark"
    );
}

#[test]
fn remarks_naming_an_unknown_clause_or_no_remarks_are_errors_of_check() {
    let h = History::new();
    h.edit(
        "order.yaml",
        "signatory: khnycheva\n",
        "signatory: khnycheva\napprovals:\n  - { person: shelabina, date: 2024-10-30, remarks: Уточнить, clause: omsy }\n  - { person: khnycheva, date: 2024-10-30, clause: omsu }\n",
    );
    let o = h.prikaz(&["check"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("пункт «omsy»: нет такого id в этом приказе"),
        "{err}"
    );
    assert!(err.contains("возможно, имелось в виду «omsu»"), "{err}");
    assert!(
        err.contains("виза указывает пункт «omsu», но замечаний нет"),
        "{err}"
    );
}

#[test]
#[ignore = "needs LibreOffice (writer)"]
fn libreoffice_reads_the_remarks_as_a_comment_on_their_clause() {
    let h = History::new();
    h.edit(
        "order.yaml",
        "signatory: khnycheva\n",
        &format!("signatory: khnycheva\n{CLAUSE_REMARKS}"),
    );
    build_docx(&h, &[]);
    let docx = h.path().join("comment.docx");
    std::fs::copy(h.path().join("out/2024-10-31_978-ОД.docx"), &docx).expect("copy");
    let profile = h.path().join("lo-profile");
    let o = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "odt", "--outdir"])
        .arg(h.path())
        .arg(&docx)
        .output()
        .expect("soffice");
    assert!(o.status.success(), "{}", stderr(&o));
    let odt = std::fs::read(h.path().join("comment.odt")).expect("LibreOffice wrote the ODT");
    let content = String::from_utf8(crate::common::zip_part(&odt, "content.xml")).unwrap();
    let at = content.find("<office:annotation ").expect("an annotation");
    let end = content.find("<office:annotation-end").expect("its end");
    let comment = &content[at..end];
    assert!(
        comment.contains("<dc:creator>Н.В. Шелабина</dc:creator>"),
        "{comment}"
    );
    assert!(
        comment.contains("<dc:date>2024-10-31T00:00:00</dc:date>"),
        "{comment}"
    );
    assert!(comment.contains("Уточнить срок отчёта"), "{comment}");
    assert!(
        comment.contains("Руководителям органов местного самоуправления"),
        "{comment}"
    );
}
