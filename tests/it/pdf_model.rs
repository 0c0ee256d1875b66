//! PDF backend on the hand-built sample model: layout, reproducible bytes, the
//! emblem, templates and their errors (through the public `render::pdf` API).

use prikaz::model::Document;
use prikaz::render::pdf::{Engine, PdfError, PdfSettings};

use crate::sample;

#[test]
fn sample_order_lays_out_on_several_pages() {
    let engine = Engine::new();
    let paged = engine.layout(&sample::order(40)).expect("layout");
    assert!(paged.pages().len() >= 3, "{} pages", paged.pages().len());
}

#[test]
fn hanging_clause_layout_lays_out() {
    let mut doc = sample::order(2);
    doc.profile.clause_hanging = true;
    let paged = Engine::new().layout(&doc).expect("layout");
    assert!(paged.pages().len() >= 2);
}

#[test]
fn two_renders_give_identical_bytes() {
    let engine = Engine::new();
    let doc = sample::order(5);
    let a = engine.render(&doc, PdfSettings::default()).expect("pdf");
    let b = engine.render(&doc, PdfSettings::default()).expect("pdf");
    assert!(a.starts_with(b"%PDF-"));
    assert_eq!(a, b);
}

#[test]
fn emblem_is_drawn_from_the_model_bytes() {
    let mut doc = sample::order(1);
    sample::with_emblem(&mut doc);
    let with = Engine::new()
        .render(&doc, PdfSettings::default())
        .expect("pdf");
    let without = Engine::new()
        .render(&sample::order(1), PdfSettings::default())
        .expect("pdf");
    assert!(with.len() > without.len());
    assert!(with.windows(6).any(|w| w == b"/Image"), "no image XObject");
}

#[test]
fn unknown_template_is_an_error_not_a_panic() {
    let mut doc = sample::order(1);
    doc.profile.template = "nope".into();
    assert!(matches!(
        Engine::new().layout(&doc),
        Err(PdfError::UnknownTemplate(_))
    ));
    doc.profile.template = "../../etc/passwd".into();
    assert!(matches!(
        Engine::new().layout(&doc),
        Err(PdfError::BadTemplateName(_))
    ));
}

/// An engine with one extra template from a temporary directory, and the
/// sample order set to use it.
fn with_template(name: &str, text: &str) -> (tempfile::TempDir, Engine, Document) {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join(format!("{name}.typ")), text).expect("write");
    let mut engine = Engine::new();
    assert_eq!(engine.add_template_dir(dir.path()).expect("templates"), 1);
    let mut doc = sample::order(1);
    doc.profile.template = name.into();
    (dir, engine, doc)
}

#[test]
fn a_template_from_the_templates_directory_replaces_the_layout() {
    // A second issuer needs only a template file: no code.
    let (_dir, engine, doc) = with_template(
        "municipal",
        "#let render(doc) = [Муниципальный бланк: #doc.body.letterhead.number]\n",
    );
    let paged = engine.layout(&doc).expect("layout");
    assert_eq!(paged.pages().len(), 1);
}

#[test]
fn template_errors_point_at_the_template_line() {
    let (_dir, engine, doc) = with_template(
        "broken",
        "#let render(doc) = {\n  [ok]\n  undefined-function(1)\n}\n",
    );
    let Err(PdfError::Layout(diags, sources)) = engine.layout(&doc) else {
        panic!("expected a layout error");
    };
    let d = &diags[0];
    assert!(d.message.starts_with("ошибка в шаблоне"), "{}", d.message);
    let span = d.span.expect("located");
    assert!(sources.name(span.file).ends_with("broken.typ"));
    let (line, _) = sources.line_col(span.file, span.start);
    assert_eq!(line, 3);
}
