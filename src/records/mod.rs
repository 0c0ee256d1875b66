//! The records of signed orders: registration numbers, the registration
//! journal, and the manifest of built files that `verify` checks.

pub mod journal;
pub mod manifest;
pub mod register;
