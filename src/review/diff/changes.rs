//! The change model: what a diff reports for each document and item, down to
//! the word-level pieces of a changed field.

use serde::Serialize;

use super::{Field, Kind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Added,
    Removed,
    Changed,
}

/// A stretch of a word diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub tag: PieceTag,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PieceTag {
    Same,
    Deleted,
    Inserted,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    pub key: String,
    pub label: String,
    pub old: String,
    pub new: String,
    /// Word-level diff of old → new.
    pub words: Vec<Piece>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub op: Op,
    pub kind: Kind,
    pub id: Option<String>,
    /// Label on the old side (`п. 3`) and on the new side (`п. 4`).
    pub old_label: Option<String>,
    pub new_label: Option<String>,
    pub old_place: Option<String>,
    pub new_place: Option<String>,
    /// Moved to another container or out of its order among its neighbours.
    pub moved: bool,
    /// Full text of the item on each side.
    pub old_text: Option<String>,
    pub new_text: Option<String>,
    pub fields: Vec<FieldChange>,
    /// All fields of the item on each side (a comparison table shows the whole row).
    #[serde(skip)]
    pub old_fields: Vec<Field>,
    #[serde(skip)]
    pub new_fields: Vec<Field>,
}

/// A number that changed only because items before it were added, removed or moved.
#[derive(Debug, Clone, Serialize)]
pub struct Renumbering {
    pub kind: Kind,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocStatus {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocDiff {
    pub id: String,
    pub status: DocStatus,
    pub old_title: Option<String>,
    pub new_title: Option<String>,
    pub changes: Vec<Change>,
    pub renumbered: Vec<Renumbering>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Diff {
    pub documents: Vec<DocDiff>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}
