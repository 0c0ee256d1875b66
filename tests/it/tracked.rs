//! `build --compare REV --tracked`: the new revision's DOCX with the
//! changes since REV as Word revisions by the commit's author; accepted in
//! LibreOffice it is the new revision, rejected the old.

use std::path::{Path, PathBuf};

use super::common::{History, docx_xml, repo};

/// Seed 978-ОД edited in two commits: «Сидоров П.П.» moves a deadline,
/// then «Петрова Е.В.» makes the rest: a clause inserted (clauses after
/// it renumbered), a dash item deleted, a deadline changed, a plan row
/// deleted (rows after it renumbered), a row moved to another section, a
/// cell changed, a dash item moved.
fn edited() -> History {
    let h = History::new();
    // Before REV: a heading over the plan table, which becomes a paragraph.
    h.edit(
        "appendix.yaml",
        "  - activities:\n",
        "  - heading: Мероприятия по направлениям\n  - activities:\n",
    );
    h.commit("заголовок");
    h.edit("order.yaml", "до 20.07.2025", "до 25.07.2025");
    h.git(&["-c", "user.name=Сидоров П.П.", "commit", "-qam", "срок"]);
    h.edit(
        "order.yaml",
        "  - id: omsu\n",
        "  - id: extra\n    text: Провести совещание с руководителями школ.\n  - id: omsu\n",
    );
    h.edit(
        "order.yaml",
        "      - id: omsu-participation\n        text: >-\n          обеспечить реализацию утвержденного плана мероприятий («дорожной\n          карты») в части обеспечения участия общеобразовательных организаций в\n          мероприятиях;\n",
        "",
    );
    h.edit("appendix.yaml", "Результаты мониторингов рассматриваются коллегиально на совещаниях с\n                руководителями ОМСУ\n              deadline: Август 2025\n              responsible: РОИВ", "Результаты мониторингов рассматриваются коллегиально на совещаниях с\n                руководителями ОМСУ\n              deadline: Июль 2025\n              responsible: РОИВ");
    h.move_block(
        "appendix.yaml",
        "            - id: zemsky-teacher",
        "            - id: resource-meeting",
        "            - id: monitoring-dynamics",
    );
    h.move_block(
        "order.yaml",
        "      - id: schools-participation",
        "      - id: schools-report",
        "      - id: schools-plans",
    );
    h.edit(
        "appendix.yaml",
        "  - heading: Мероприятия по направлениям\n",
        "  - paragraph: Мероприятия по направлениям\n",
    );
    h.edit(
        "order.yaml",
        "signatory: khnycheva\n",
        "signatory: khnycheva\napprovals:\n  - { person: shelabina, date: 2024-10-31, result: remarks, remarks: Уточнить срок отчёта, clause: soiro-report }\n",
    );
    h.git(&["-c", "user.name=Петрова Е.В.", "commit", "-qam", "правка"]);
    h
}

fn tracked(h: &History) -> PathBuf {
    let out = h.path().join("tracked");
    let o = h.prikaz(&[
        "build",
        "--compare",
        "HEAD~2",
        "--tracked",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("исправлений:"), "{said}");
    out.join("2024-10-31_978-ОД_исправления.docx")
}

#[test]
fn tracked_docx_marks_insertions_deletions_and_renumbering_by_the_commit_author() {
    let h = edited();
    let path = tracked(&h);
    let xml = docx_xml(&std::fs::read(&path).expect("docx"));
    // Each revision by the author of the commit that made it.
    assert!(xml.contains("w:author=\"Петрова Е.В.\""), "no author");
    assert!(
        !xml.contains("w:author=\"Тест\""),
        "the first commit's author on a revision"
    );
    assert!(xml.contains("w:date=\"20"), "no date");
    let deadline = xml.find(">25.07.2025.<").expect("new deadline");
    let opened = xml[..deadline].rfind("<w:ins ").expect("inside w:ins");
    assert!(
        xml[opened..deadline].contains("w:author=\"Сидоров П.П.\""),
        "the deadline is not by its commit's author: {}",
        &xml[opened..deadline]
    );
    let clause = xml.find("Провести совещание").expect("new clause");
    let opened = xml[..clause].rfind("<w:ins ").expect("inside w:ins");
    assert!(
        xml[opened..clause].contains("w:author=\"Петрова Е.В.\""),
        "the clause is not by its commit's author"
    );
    // The new clause is inserted, with its paragraph break.
    let ins = xml.find("Провести совещание").expect("new clause");
    assert!(
        xml[..ins].rfind("<w:ins ").is_some_and(|i| ins - i < 200),
        "the new clause is not inside w:ins"
    );
    assert!(
        xml.contains("<w:rPr><w:ins w:id="),
        "no inserted paragraph mark"
    );
    // The old deadline deleted, the new inserted, word by word.
    assert!(
        xml.contains("<w:delText xml:space=\"preserve\">20.07.2025.</w:delText>"),
        "old deadline"
    );
    assert!(
        xml.contains("<w:t xml:space=\"preserve\">25.07.2025.</w:t>"),
        "new deadline"
    );
    // The deleted dash item and the renumbered clause («3.» → «4.»).
    assert!(
        xml.contains("<w:delText xml:space=\"preserve\">–\u{a0}обеспечить реализацию"),
        "deleted item"
    );
    assert!(
        xml.contains("<w:delText xml:space=\"preserve\">3.</w:delText>"),
        "old number"
    );
    // Table rows: a whole row deleted or inserted carries its mark.
    assert!(
        xml.contains("<w:trPr>") && xml.contains("<w:del w:id="),
        "no row revisions"
    );
    let row_marks = xml.matches("</w:trPr>").count();
    assert!(row_marks > 0);
    // A dash item moved within its clause: a named move at both ends.
    assert!(
        xml.contains("<w:moveFromRangeStart ") && xml.contains("<w:moveToRangeStart "),
        "no move"
    );
    let name = xml
        .split("<w:moveFromRangeStart ")
        .nth(1)
        .and_then(|r| r.split("w:name=\"").nth(1))
        .and_then(|r| r.split('"').next())
        .expect("move name");
    assert!(
        xml.contains("<w:moveToRangeStart w:id=")
            && xml.matches(&format!("w:name=\"{name}\"")).count() == 2,
        "the move's ends are not named alike"
    );
    assert!(
        xml.contains("<w:moveFrom w:id=") && xml.contains("<w:moveTo w:id="),
        "no moved runs"
    );
    // The heading that became a paragraph: a property change, the old style kept in it.
    let change = xml
        .find("<w:pPrChange ")
        .expect("no paragraph property change");
    assert!(
        xml[change..]
            .split("</w:pPrChange>")
            .next()
            .is_some_and(|c| c.contains("<w:pStyle w:val=\"PrikazHeading\"")),
        "the old style is not recorded"
    );
    // The remark on the changed clause stays anchored at it.
    let anchor = xml
        .find("<w:commentRangeStart")
        .expect("the comment's anchor is lost");
    assert!(
        xml[anchor..].find("25.07.2025").is_some_and(|d| d < 2000),
        "the anchor is not at the changed clause"
    );
    assert!(xml.contains("<w:commentReference"), "no comment reference");
    // Unchanged paragraphs are copied as they are.
    assert!(xml.contains("дорожных карт"), "title");
    // Made twice, the same bytes: nothing of the machine or the hour in it.
    let first = std::fs::read(&path).expect("docx");
    let again = std::fs::read(tracked(&h)).expect("docx");
    assert_eq!(first, again, "the tracked DOCX is not deterministic");
}

#[test]
fn tracked_needs_compare_and_says_when_nothing_changed() {
    let h = History::new();
    let o = h.prikaz(&["build", "--tracked"]);
    assert!(!o.status.success());
    let o = h.prikaz(&["build", "--compare", "HEAD", "--tracked", "--out", "t"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("изменений относительно «HEAD» нет"));
}

fn lo_text(mode: &str, docx: &Path, out: &Path) -> String {
    let o = std::process::Command::new("python3")
        .arg(repo().join("tests/tools/tracked.py"))
        .arg(mode)
        .arg(docx)
        .arg(out)
        .output()
        .expect("python3");
    assert!(
        o.status.success(),
        "tracked.py {mode}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read_to_string(out).expect("text")
}

/// LibreOffice's «accept all» gives exactly the new revision's document,
/// «reject all» the old one.
#[test]
#[ignore = "needs LibreOffice with python3-uno; run by .ci/run"]
fn libreoffice_accept_all_gives_the_new_revision_and_reject_all_the_old() {
    let h = edited();
    let path = tracked(&h);
    let build = |name: &str| -> PathBuf {
        let out = h.path().join(name);
        let o = h.prikaz(&[
            "build",
            "plans",
            "--format",
            "docx",
            "--force",
            "--out",
            &out.to_string_lossy(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out.join("2024-10-31_978-ОД.docx")
    };
    let new = build("new");
    h.git(&["checkout", "-q", "HEAD~2"]);
    let old = build("old");
    h.git(&["checkout", "-q", "-"]);
    let t = h.path();
    let count = lo_text("count", &path, &t.join("count.txt"));
    assert!(
        count
            .lines()
            .next()
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n > 5),
        "{count}"
    );
    assert!(
        count.contains("Петрова Е.В.") && count.contains("Сидоров П.П."),
        "{count}"
    );
    let accepted = lo_text("accept", &path, &t.join("acc.txt"));
    let want_new = lo_text("text", &new, &t.join("new.txt"));
    assert!(
        accepted == want_new,
        "accept all:\n{}",
        similar::TextDiff::from_lines(&want_new, &accepted).unified_diff()
    );
    let rejected = lo_text("reject", &path, &t.join("rej.txt"));
    let want_old = lo_text("text", &old, &t.join("old.txt"));
    assert!(
        rejected == want_old,
        "reject all:\n{}",
        similar::TextDiff::from_lines(&want_old, &rejected).unified_diff()
    );
}
