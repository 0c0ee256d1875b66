//! The preview's renderer on the seed plans.

use std::path::Path;

use super::render::Renderer;
use crate::project::Project;

const ORDER: &str = "plans/smolensk-2024-978/order.yaml";
const KALUGA: &str = "plans/kaluga-2025-412/order.yaml";

fn renderer() -> Renderer {
    let p = Project::open(&[Path::new("plans").to_path_buf()], Path::new("."));
    let mut r = Renderer::new(p, crate::render::pdf::Engine::new());
    r.follow(ORDER);
    r
}

fn text(r: &Renderer, name: &str) -> String {
    let p = r.project();
    p.sources().text(p.file_id(name).unwrap()).to_string()
}

#[test]
fn the_document_of_the_saved_plan_is_shown_and_can_be_switched() {
    let mut r = renderer();
    let s = r.render();
    assert_eq!(s.document.as_deref(), Some("smolensk-2024-978"));
    assert_eq!(s.page_count, 8);
    assert!(s.pages[0].starts_with("<svg"), "{}", &s.pages[0][..40]);
    assert_eq!(s.documents.len(), 5);
    assert!(
        s.documents
            .iter()
            .any(|d| d.title.starts_with("Приказ № 978-ОД Об утверждении"))
    );
    // A save in another order's file shows that order.
    let kaluga = text(&r, KALUGA).replacen("title:", "title: ", 1);
    assert!(r.set_file(KALUGA, Some(kaluga.into_bytes())));
    let s = r.render();
    assert_eq!(s.document.as_deref(), Some("kaluga-2025-412"));
    let kaluga_pages = s.page_count;
    assert!(kaluga_pages > 0 && kaluga_pages != 8);
    r.select("smolensk-2024-978");
    assert_eq!(r.render().page_count, 8);
}

#[test]
fn a_broken_plan_keeps_the_last_good_pages_marked_stale_with_its_diagnostics() {
    let mut r = renderer();
    let first = r.render().pages.clone();
    let good = text(&r, ORDER);
    r.set_file(
        ORDER,
        Some(
            good.replace("signatory: khnycheva", "signatory: nobody")
                .into_bytes(),
        ),
    );
    let s = r.render();
    assert!(s.stale);
    assert_eq!(s.pages, first, "the last good pages stay");
    let d = &s.diagnostics[0];
    assert_eq!((d.file.as_str(), d.code), (ORDER, "unknown-reference"));
    assert_eq!(d.source, "signatory: nobody");
    assert_eq!(d.column, 12);
    // A file that does not even parse: the same.
    r.set_file(ORDER, Some(b"kind: order\nid: [\n".to_vec()));
    let s = r.render();
    assert!(s.stale && s.page_count == 8, "{:?}", s.message);
    assert!(
        s.diagnostics.iter().any(|d| d.file == ORDER),
        "{:?}",
        s.diagnostics
    );
    assert_eq!(s.document.as_deref(), Some("smolensk-2024-978"));
    // Put right: fresh pages, nothing stale.
    r.set_file(ORDER, Some(good.into_bytes()));
    let s = r.render();
    assert!(
        !s.stale && s.diagnostics.is_empty() && s.page_count == 8,
        "{:?}",
        s.message
    );
}

#[test]
fn an_edit_of_the_title_changes_the_first_pages_only() {
    let mut r = renderer();
    let before = r.render().page_hashes.clone();
    assert_eq!(before.len(), 8);
    let edited = text(&r, ORDER).replace(
        "адресной\n  поддержки",
        "адресной\n  и постоянной поддержки",
    );
    r.set_file(ORDER, Some(edited.into_bytes()));
    let after = &r.render().page_hashes;
    assert_ne!(after[0], before[0]);
    // The appendix's pages (numbered on their own) are the same pages.
    assert_eq!(after[4..], before[4..]);
}

#[test]
fn an_unchanged_save_renders_nothing() {
    let mut r = renderer();
    r.render();
    let same = text(&r, ORDER);
    assert!(!r.set_file(ORDER, Some(same.into_bytes())));
}
