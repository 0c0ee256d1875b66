//! What reviewers read: the semantic diff, the comparison table, the
//! canonical layout of plan files, and plans at a point of their history.

pub mod compare;
pub mod diff;
pub mod fmt;
pub mod snapshot;
pub mod tracked;
