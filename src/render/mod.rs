//! Backends. Each reads only the [`crate::model`]; neither changes wording.

pub mod docx;
pub mod pdf;
pub mod text;
