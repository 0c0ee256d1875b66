//! prikaz: roadmaps written as YAML become official Russian orders (приказы)
//! with appendices and activity tables, as PDF and DOCX.
//!
//! Stages: [`load`] (files → plan types, located errors) → [`validate`]
//! (domain rules) → [`resolve`] (numbering, references, cases, typography) →
//! [`model`] (plain data) → `render::pdf` / `render::docx`.

pub mod diag;
pub mod load;
pub mod model;
pub mod plan;
pub mod render;
pub mod morph;
pub mod text;
pub mod typo;
pub mod deadline;
pub mod index;
pub mod refs;
pub mod resolve;
pub mod validate;
pub mod cli;
