//! prikaz: roadmaps written as YAML become official Russian orders (приказы)
//! with appendices and activity tables, as PDF and DOCX.
//!
//! Stages: [`load`] (files → plan types, located errors) → [`validate`]
//! (domain rules) → [`resolve`] (numbering, references, cases, typography) →
//! [`model`] (plain data) → `render::pdf` / `render::docx`.

// Diagnostics travel by value through `Result`s once per file, never on a hot
// path; plan enums are built once per file. Boxing them would only add noise.
#![allow(clippy::result_large_err, clippy::large_enum_variant)]

pub mod build;
pub mod cli;
pub mod compare;
pub mod deadline;
pub mod diag;
pub mod diff;
pub mod fmt;
pub mod git;
pub mod index;
pub mod lifecycle;
pub mod load;
pub mod manifest;
pub mod model;
pub mod morph;
pub mod plan;
pub mod refs;
pub mod render;
pub mod resolve;
pub mod resolve_signoff;
pub mod snapshot;
pub mod text;
pub mod typo;
pub mod validate;
