//! The integration tests, in one binary: each module links the library (and
//! typst with it) once instead of once per file.
//!
//! Tests marked `#[ignore]` need real clients (poppler, qpdf, LibreOffice,
//! python-docx); `.ci/run` installs them and runs `cargo test -- --include-ignored`.

mod architecture;
mod bad_input;
mod budgets;
mod ci;
mod cli;
mod clients;
mod codes;
mod common;
mod docs;
mod docx;
mod docx_model;
mod faithful;
mod fuzz;
mod import;
mod incremental;
mod layout;
mod lossless;
mod lsp;
mod parity;
mod pdf;
mod pdf_model;
mod review;
mod root;
mod rules;
mod sample;
mod schema;
mod signoff;
mod subset;
mod tracked;
