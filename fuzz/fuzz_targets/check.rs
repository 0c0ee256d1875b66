//! Loader, rules and resolver on arbitrary files: no panic, and `check`
//! reports exactly what making the documents reports.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prikaz::project::{Options, Project};

mod common;

fuzz_target!(|data: &[u8]| {
    let project = Project::from_memory(common::files(data), std::path::Path::new("."));
    let analysis = project.analyze(Options::default());
    assert_eq!(project.check(), analysis.diags, "check and build disagree");
    for d in &analysis.docs {
        let _ = prikaz::render::text::render(d);
    }
});
