//! Word-level diff of two texts as pieces, a replacement grouped into one
//! deletion and one insertion.

use similar::{ChangeTag, TextDiff};

use super::{Piece, PieceTag};

/// Word-level diff as pieces; adjacent pieces with the same tag are merged.
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    let d = TextDiff::from_words(old, new);
    let mut out: Vec<Piece> = Vec::new();
    for c in d.iter_all_changes() {
        let tag = match c.tag() {
            ChangeTag::Equal => PieceTag::Same,
            ChangeTag::Delete => PieceTag::Deleted,
            ChangeTag::Insert => PieceTag::Inserted,
        };
        let text = c.value();
        // Whitespace between two changed words belongs to the change, so
        // «a b» → «c d» reads as one replacement, not four.
        match out.last_mut() {
            Some(last) if last.tag == tag => last.text.push_str(text),
            _ => out.push(Piece {
                tag,
                text: text.to_string(),
            }),
        }
    }
    merge_whitespace(out)
}

fn merge_whitespace(pieces: Vec<Piece>) -> Vec<Piece> {
    // Reorder "del ws ins ws del" runs: a Same piece of pure whitespace between
    // changes is folded into both sides.
    let mut out: Vec<Piece> = Vec::new();
    let n = pieces.len();
    let mut i = 0;
    while i < n {
        let p = &pieces[i];
        let between_changes = p.tag == PieceTag::Same
            && p.text.trim().is_empty()
            && i > 0
            && i + 1 < n
            && pieces[i - 1].tag != PieceTag::Same
            && pieces[i + 1].tag != PieceTag::Same;
        if between_changes {
            for tag in [PieceTag::Deleted, PieceTag::Inserted] {
                push_piece(&mut out, tag, &p.text);
            }
        } else {
            push_piece(&mut out, p.tag, &p.text);
        }
        i += 1;
    }
    // Group: within a run of changes, all deletions first, then insertions.
    let mut grouped: Vec<Piece> = Vec::new();
    let mut del = String::new();
    let mut ins = String::new();
    let flush = |grouped: &mut Vec<Piece>, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            grouped.push(Piece {
                tag: PieceTag::Deleted,
                text: std::mem::take(del),
            });
        }
        if !ins.is_empty() {
            grouped.push(Piece {
                tag: PieceTag::Inserted,
                text: std::mem::take(ins),
            });
        }
    };
    for p in out {
        match p.tag {
            PieceTag::Deleted => del.push_str(&p.text),
            PieceTag::Inserted => ins.push_str(&p.text),
            PieceTag::Same => {
                flush(&mut grouped, &mut del, &mut ins);
                grouped.push(p);
            }
        }
    }
    flush(&mut grouped, &mut del, &mut ins);
    grouped
}

fn push_piece(out: &mut Vec<Piece>, tag: PieceTag, text: &str) {
    match out.last_mut() {
        Some(last) if last.tag == tag => last.text.push_str(text),
        _ => out.push(Piece {
            tag,
            text: text.to_string(),
        }),
    }
}
