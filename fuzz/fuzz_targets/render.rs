//! Render after resolve: whatever the resolver accepts, both backends turn
//! into a file without panicking, and the DOCX holds only characters XML
//! allows. Panics are not caught here (the CLI catches them per document),
//! so that the fuzzer sees them.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use prikaz::project::{Options, Project};
use prikaz::render::pdf::{Engine, PdfSettings};

mod common;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(Engine::new)
}

fuzz_target!(|data: &[u8]| {
    let project = Project::from_memory(common::files(data), std::path::Path::new("."));
    let analysis = project.analyze(Options::build(false));
    for d in &analysis.docs {
        if let Ok(docx) = prikaz::render::docx::render(d) {
            assert!(docx.starts_with(b"PK"), "not a zip");
        }
        let _ = engine().render(d, PdfSettings::default());
    }
});
