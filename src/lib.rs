//! prikaz: roadmaps written as YAML become official Russian orders (приказы)
//! with appendices and activity tables, as PDF and DOCX.
//!
//! Stages, each a folder, dependencies one way (top to bottom):
//! - [`diag`], [`lang`] (deadlines, morphology, typography, expressions);
//! - [`plan`] (the plan format), [`load`] (files → plans, located errors);
//! - [`index`] (entities, numbering, references);
//! - [`check`] (domain rules) and [`resolve`] (print text) → [`model`];
//! - [`project`]: the one pipeline every command goes through;
//! - [`render`] (PDF, DOCX, text) and [`build`] (files on disk);
//! - [`review`] (diff, compare, fmt) and [`records`] (register, journal,
//!   manifest, verify);
//! - [`cli`], which nothing imports.

// Diagnostics travel by value through `Result`s once per file, never on a hot
// path; plan enums are built once per file. Boxing them would only add noise.
#![allow(clippy::result_large_err, clippy::large_enum_variant)]

pub mod build;
pub mod check;
pub mod cli;
pub mod diag;
pub mod import;
pub mod index;
pub mod lang;
pub mod load;
pub mod lsp;
pub mod model;
pub mod plan;
pub mod preview;
pub mod project;
pub mod records;
pub mod render;
pub mod resolve;
pub mod review;
