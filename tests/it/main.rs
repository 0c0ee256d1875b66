//! The integration tests, in one binary: each module links the library (and
//! typst with it) once instead of once per file.
//!
//! Tests marked `#[ignore]` need real clients (poppler, qpdf, LibreOffice,
//! python-docx); `.ci/run` installs them and runs `cargo test -- --include-ignored`.

mod architecture;
mod bad_input;
mod cli;
mod codes;
mod common;
mod docx;
mod faithful;
mod fuzz;
mod pdf;
mod review;
mod rules;
mod signoff;
mod subset;
