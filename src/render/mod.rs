//! Backends. Each reads only the [`crate::model`]; neither changes wording.

pub mod sample;
