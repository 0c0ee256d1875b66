//! Property tests: no input, however broken, makes the loader, validator,
//! resolver or either backend panic.

use proptest::prelude::*;

const BASE: &[(&str, &str)] = &[
    ("registry.yaml", include_str!("../../plans/registry.yaml")),
    (
        "order.yaml",
        include_str!("../../plans/smolensk-2024-978/order.yaml"),
    ),
    (
        "appendix.yaml",
        include_str!("../../plans/smolensk-2024-978/appendix.yaml"),
    ),
];

fn run(files: &[(String, String)]) {
    run_with(files, false)
}

/// One engine for all cases: fonts and the standard library load once.
fn engine() -> &'static prikaz::render::pdf::Engine {
    static E: std::sync::OnceLock<prikaz::render::pdf::Engine> = std::sync::OnceLock::new();
    E.get_or_init(prikaz::render::pdf::Engine::new)
}

fn run_with(files: &[(String, String)], pdf: bool) {
    let names: Vec<&String> = files.iter().map(|(n, _)| n).collect();
    let files = files
        .iter()
        .map(|(n, t)| (n.clone(), t.clone().into_bytes()))
        .collect();
    let project = prikaz::project::Project::from_memory(files, std::path::Path::new("."));
    let analysis = project.analyze(prikaz::project::Options::default());
    // `check` resolves only what can fail; it must find exactly what
    // making the documents finds.
    assert_eq!(
        project.check(),
        analysis.diags,
        "check and build disagree on {names:?}"
    );
    for d in &analysis.docs {
        let _ = prikaz::render::docx::render(d);
        if pdf {
            let _ = engine().render(d, prikaz::render::pdf::PdfSettings::default());
        }
    }
}

fn cut(s: &str, at: usize, len: usize, insert: &str) -> String {
    let mut a = at.min(s.len());
    while !s.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (a + len).min(s.len());
    while !s.is_char_boundary(b) {
        b -= 1;
    }
    format!("{}{}{}", &s[..a], insert, &s[b..])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        run(&[("x.yaml".into(), text)]);
    }

    #[test]
    fn arbitrary_plan_like_text_never_panics(text in "(kind: (order|appendix|document|registry)\n)?([a-z_]{1,8}: [-\\[\\]{}:&*!|>'\"0-9а-яА-Я ,.]{0,30}\n){0,12}") {
        run(&[("x.yaml".into(), text)]);
    }

    #[test]
    fn mutated_real_plans_never_panic(file in 0usize..3, at in 0usize..20_000, len in 0usize..64, insert in "[-\\[\\]{}:&*!|>'\"0-9 \n{}а-я(%#]{0,12}") {
        let files: Vec<(String, String)> = BASE
            .iter()
            .enumerate()
            .map(|(i, (n, t))| (n.to_string(), if i == file { cut(t, at % (t.len() + 1), len, &insert) } else { t.to_string() }))
            .collect();
        run_with(&files, true);
    }
}
