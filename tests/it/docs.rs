//! The format reference (`docs/format.md`) teaches by example: every file
//! it shows under «Файл `NAME.yaml`» is written out, and together they must
//! check clean (warnings included) and be formatted as `prikaz fmt` would.

use crate::common::repo;

#[test]
fn every_example_of_the_format_reference_checks_clean_and_is_formatted() {
    let doc = std::fs::read_to_string(repo().join("docs/format.md")).expect("docs/format.md");
    let re =
        regex::Regex::new(r"(?s)Файл `([^`]+\.yaml)`[^\n]*\n\n```yaml\n(.*?)```").expect("regex");
    let dir = tempfile::tempdir().expect("tmp");
    let mut n = 0;
    for c in re.captures_iter(&doc) {
        let (name, body) = (&c[1], &c[2]);
        let path = dir.path().join(name);
        assert!(!path.exists(), "{name} is shown twice");
        std::fs::write(&path, body).expect("write");
        let formatted = prikaz::review::fmt::format(body).expect("fmt");
        assert_eq!(formatted, body, "{name} is not as `prikaz fmt` writes it");
        n += 1;
    }
    assert!(n >= 15, "only {n} example files found");
    let project = prikaz::project::Project::open(&[dir.path().to_path_buf()], dir.path());
    let diags = project.analyze(prikaz::project::Options::default()).diags;
    let shown = prikaz::diag::render_plain(project.sources(), &diags);
    assert!(diags.is_empty(), "{shown}");
}
