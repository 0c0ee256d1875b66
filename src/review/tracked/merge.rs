//! The new revision's body with the old one's differences as Word
//! revisions: blocks aligned by their text, changed paragraphs diffed word
//! by word (`w:del` / `w:ins` runs), whole paragraphs and table rows
//! inserted or deleted with their marks (`w:rPr/w:ins` on the paragraph
//! mark, `w:trPr/w:ins` on the row), so that accepting every revision gives
//! the new document and rejecting every one the old.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::align::{
    Act, key, likeness, mark_in, mark_par, mark_ppr, plan, plan_by, raw, strip, style_of,
    with_ppr_change, words,
};
use super::parse::{Atom, Block, Cell, Par, Piece, Row, Tbl};

/// Who made a change: `(new side, text)` → ` w:author="…" w:date="…"`,
/// by the text of the paragraph or row it is in.
pub type Attribution<'h> = Box<dyn Fn(bool, &str) -> String + 'h>;

pub struct Writer<'h> {
    pub out: String,
    next_id: u32,
    attrs: String,
    who: Attribution<'h>,
    pub revisions: usize,
    /// Where the paragraph last written starts in `out`, while nothing but
    /// paragraphs follow it in the same container.
    last_par: Option<usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum Mark {
    Ins,
    Del,
    /// A paragraph moved: where it was, and where it is now.
    MoveFrom,
    MoveTo,
}

impl Mark {
    fn tag(self) -> &'static str {
        match self {
            Mark::Ins => "w:ins",
            Mark::Del => "w:del",
            Mark::MoveFrom => "w:moveFrom",
            Mark::MoveTo => "w:moveTo",
        }
    }
    /// On the new revision's side: kept by «accept all».
    fn added(self) -> bool {
        matches!(self, Mark::Ins | Mark::MoveTo)
    }
}

fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

pub fn attrs(author: &str, date: &str) -> String {
    format!(" w:author=\"{}\" w:date=\"{}\"", esc(author), esc(date))
}

impl<'h> Writer<'h> {
    pub fn new(who: Attribution<'h>) -> Writer<'h> {
        Writer {
            out: String::new(),
            // Above any comment id a document of ours has.
            next_id: 1000,
            attrs: String::new(),
            who,
            revisions: 0,
            last_par: None,
        }
    }

    fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.revisions += 1;
        self.next_id
    }

    fn mark_tag(&mut self, m: Mark) -> String {
        let name = m.tag();
        let id = self.id();
        format!("<{name} w:id=\"{id}\"{}/>", self.attrs)
    }

    fn open(&mut self, m: Mark) -> String {
        let name = m.tag();
        let id = self.id();
        format!("<{name} w:id=\"{id}\"{}>", self.attrs)
    }

    fn runs(&mut self, pieces: &[Piece], mark: Option<Mark>) {
        if pieces.is_empty() {
            return;
        }
        if let Some(m) = mark {
            let o = self.open(m);
            self.out.push_str(&o);
        }
        let mut grouped: Vec<Piece> = Vec::new();
        for p in pieces {
            match (grouped.last_mut(), &p.atom) {
                (
                    Some(Piece {
                        rpr,
                        atom: Atom::Text(t),
                    }),
                    Atom::Text(more),
                ) if *rpr == p.rpr => t.push_str(more),
                _ => grouped.push(p.clone()),
            }
        }
        for p in &grouped {
            self.out.push_str("<w:r>");
            self.out.push_str(&p.rpr);
            match &p.atom {
                Atom::Text(t) => {
                    // Moved text stays text; only deleted text is delText.
                    let tag = if mark == Some(Mark::Del) {
                        "w:delText"
                    } else {
                        "w:t"
                    };
                    self.out
                        .push_str(&format!("<{tag} xml:space=\"preserve\">{}</{tag}>", esc(t)));
                }
                Atom::Tab => self.out.push_str("<w:tab/>"),
                Atom::Break(raw) => self.out.push_str(raw),
            }
            self.out.push_str("</w:r>");
        }
        if let Some(m) = mark {
            self.out.push_str(&format!("</{}>", m.tag()));
        }
    }

    /// A whole paragraph inserted or deleted. An inserted one is a new
    /// paragraph break after the paragraph before it plus its text: the
    /// break is that paragraph's mark (LibreOffice rejects a paragraph
    /// whose own mark is marked by joining its neighbours; Word reads both).
    fn by(&mut self, new_side: bool, text: &str) {
        self.attrs = (self.who)(new_side, text);
    }

    fn whole_par(&mut self, p: &Par, m: Mark) {
        self.by(m.added(), &p.text);
        let tag = self.mark_tag(m);
        let mut ppr = p.ppr.clone();
        if !m.added() {
            // Sections are the new revision's: a deleted paragraph does not
            // take its section break away with it.
            ppr = strip(&ppr, "w:sectPr");
        }
        let start = self.out.len();
        self.out.push_str("<w:p>");
        match (m.added(), self.last_par) {
            (true, Some(prev)) => {
                let marked = mark_par(&self.out[prev..start], &tag);
                self.out.replace_range(prev..start, &marked);
                let start = prev + marked.len();
                self.out.push_str(&ppr);
                self.out.push_str(&p.anchor_start);
                self.runs(&p.pieces, Some(m));
                self.out.push_str(&p.anchor_end);
                self.out.push_str("</w:p>");
                self.last_par = Some(start);
                return;
            }
            _ => self.out.push_str(&mark_ppr(&ppr, &tag)),
        }
        // Only the new revision's comments are in the package.
        if m.added() {
            self.out.push_str(&p.anchor_start);
        }
        self.runs(&p.pieces, Some(m));
        if m.added() {
            self.out.push_str(&p.anchor_end);
        }
        self.out.push_str("</w:p>");
        // A deleted paragraph's mark is deleted: an insertion after it
        // cannot be a new break there.
        self.last_par = m.added().then_some(start);
    }

    /// A paragraph moved, between its range marks (named alike at both
    /// ends, so Word shows «Перемещено» and follows one to the other).
    fn moved_par(&mut self, p: &Par, m: Mark, name: &str) {
        self.by(m.added(), &p.text);
        let range = self.id();
        let (start, end) = match m {
            Mark::MoveFrom => ("w:moveFromRangeStart", "w:moveFromRangeEnd"),
            _ => ("w:moveToRangeStart", "w:moveToRangeEnd"),
        };
        let keep = self.last_par;
        self.out.push_str(&format!(
            "<{start} w:id=\"{range}\" w:name=\"{name}\"{}/>",
            self.attrs
        ));
        self.last_par = keep;
        self.whole_par(p, m);
        self.out.push_str(&format!("<{end} w:id=\"{range}\"/>"));
    }

    fn par_raw(&mut self, raw: &str) {
        self.last_par = Some(self.out.len());
        self.out.push_str(raw);
    }

    /// The new paragraph's properties; a changed style is a revision of
    /// its own, so «reject all» gives the old style back.
    fn ppr_of(&mut self, old: &Par, new: &Par) -> String {
        if style_of(&old.ppr) == style_of(&new.ppr) {
            return new.ppr.clone();
        }
        let id = self.id();
        let open = format!("<w:pPrChange w:id=\"{id}\"{}>", self.attrs);
        with_ppr_change(&new.ppr, &old.ppr, &open)
    }

    /// The same text in another paragraph style.
    fn restyled_par(&mut self, old: &Par, new: &Par) {
        self.by(true, &new.text);
        self.last_par = Some(self.out.len());
        self.out.push_str("<w:p>");
        let ppr = self.ppr_of(old, new);
        self.out.push_str(&ppr);
        self.out.push_str(&new.anchor_start);
        self.runs(&new.pieces, None);
        self.out.push_str(&new.anchor_end);
        self.out.push_str("</w:p>");
    }

    fn changed_par(&mut self, old: &Par, new: &Par) {
        self.by(true, &new.text);
        let a = words(&old.pieces);
        let b = words(&new.pieces);
        let ka: Vec<String> = a.iter().map(key).collect();
        let kb: Vec<String> = b.iter().map(key).collect();
        self.last_par = Some(self.out.len());
        self.out.push_str("<w:p>");
        let ppr = self.ppr_of(old, new);
        self.out.push_str(&ppr);
        self.out.push_str(&new.anchor_start);
        for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
            match op {
                DiffOp::Equal { new_index, len, .. } => {
                    self.runs(&b[new_index..new_index + len], None)
                }
                DiffOp::Delete {
                    old_index, old_len, ..
                } => self.runs(&a[old_index..old_index + old_len], Some(Mark::Del)),
                DiffOp::Insert {
                    new_index, new_len, ..
                } => self.runs(&b[new_index..new_index + new_len], Some(Mark::Ins)),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    self.runs(&a[old_index..old_index + old_len], Some(Mark::Del));
                    self.runs(&b[new_index..new_index + new_len], Some(Mark::Ins));
                }
            }
        }
        self.out.push_str(&new.anchor_end);
        self.out.push_str("</w:p>");
    }

    fn whole_row(&mut self, r: &Row, m: Mark) {
        self.by(m == Mark::Ins, &r.text);
        let tag = self.mark_tag(m);
        self.out.push_str("<w:tr>");
        self.out.push_str(&mark_in(&r.trpr, "w:trPr", &tag));
        for c in &r.cells {
            self.last_par = None;
            self.out.push_str("<w:tc>");
            self.out.push_str(&c.tcpr);
            for b in &c.blocks {
                self.whole(b, m);
            }
            self.out.push_str("</w:tc>");
            self.last_par = None;
        }
        self.out.push_str("</w:tr>");
    }

    fn whole(&mut self, b: &Block, m: Mark) {
        match b {
            Block::P(p) => self.whole_par(p, m),
            Block::T(t) => {
                self.last_par = None;
                self.out.push_str("<w:tbl>");
                self.out.push_str(&t.head);
                for r in &t.rows {
                    self.whole_row(r, m);
                }
                self.out.push_str("</w:tbl>");
                self.last_par = None;
            }
            // Copied from the new revision only.
            Block::Other(raw) => {
                if m.added() {
                    self.out.push_str(raw);
                }
            }
        }
    }

    fn changed_row(&mut self, old: &Row, new: &Row) {
        if old.cells.len() != new.cells.len() {
            self.whole_row(old, Mark::Del);
            self.whole_row(new, Mark::Ins);
            return;
        }
        self.out.push_str("<w:tr>");
        self.out.push_str(&new.trpr);
        for (a, b) in old.cells.iter().zip(&new.cells) {
            self.cell(a, b);
        }
        self.out.push_str("</w:tr>");
    }

    fn cell(&mut self, old: &Cell, new: &Cell) {
        self.last_par = None;
        self.out.push_str("<w:tc>");
        self.out.push_str(&new.tcpr);
        if old.blocks.len() == new.blocks.len()
            && old
                .blocks
                .iter()
                .zip(&new.blocks)
                .all(|(a, b)| matches!((a, b), (Block::P(_), Block::P(_))))
        {
            // A cell's paragraphs change in place: word by word.
            for (a, b) in old.blocks.iter().zip(&new.blocks) {
                match (a, b) {
                    (Block::P(x), Block::P(y)) if x.text == y.text => self.par_raw(y.raw),
                    (Block::P(x), Block::P(y)) => self.changed_par(x, y),
                    _ => {}
                }
            }
        } else {
            self.blocks(&old.blocks, &new.blocks);
        }
        self.out.push_str("</w:tc>");
        self.last_par = None;
    }

    fn changed_tbl(&mut self, old: &Tbl, new: &Tbl) {
        self.last_par = None;
        self.out.push_str("<w:tbl>");
        self.out.push_str(&new.head);
        let ka: Vec<&str> = old.rows.iter().map(|r| r.text.as_str()).collect();
        let kb: Vec<&str> = new.rows.iter().map(|r| r.text.as_str()).collect();
        let sim = |i: usize, j: usize| likeness(&old.rows[i].text, &new.rows[j].text);
        for act in plan_by(&ka, &kb, sim) {
            match act {
                Act::Same(_, j) => self.out.push_str(new.rows[j].raw),
                Act::Del(i) => self.whole_row(&old.rows[i], Mark::Del),
                Act::Ins(j) => self.whole_row(&new.rows[j], Mark::Ins),
                Act::Pair(i, j) => self.changed_row(&old.rows[i], &new.rows[j]),
            }
        }
        self.out.push_str("</w:tbl>");
        self.last_par = None;
    }

    /// Two runs of blocks, aligned by their text.
    pub fn blocks(&mut self, old: &[Block], new: &[Block]) {
        let acts = plan(old, new);
        // A paragraph deleted in one place and inserted word for word in
        // another is a move.
        let mut from: std::collections::HashMap<usize, String> = Default::default();
        let mut to: std::collections::HashMap<usize, String> = Default::default();
        for a in &acts {
            if let Act::Ins(j) = *a
                && let Block::P(q) = &new[j]
                && q.text.split_whitespace().count() >= 3
                && let Some(i) = acts.iter().find_map(|b| match *b {
                    Act::Del(i)
                        if !from.contains_key(&i)
                            && matches!(&old[i], Block::P(p) if p.text == q.text) =>
                    {
                        Some(i)
                    }
                    _ => None,
                })
            {
                let name = format!("move{}", self.next_id + 1);
                from.insert(i, name.clone());
                to.insert(j, name);
            }
        }
        for a in acts {
            match a {
                Act::Same(i, j) => match (&old[i], &new[j]) {
                    (Block::P(a), Block::P(b)) if style_of(&a.ppr) != style_of(&b.ppr) => {
                        self.restyled_par(a, b)
                    }
                    (_, Block::P(p)) => self.par_raw(p.raw),
                    (_, other) => {
                        self.out.push_str(raw(other));
                        self.last_par = None;
                    }
                },
                Act::Del(i) => match (&old[i], from.get(&i)) {
                    (Block::P(p), Some(name)) => self.moved_par(p, Mark::MoveFrom, name),
                    (b, _) => self.whole(b, Mark::Del),
                },
                Act::Ins(j) => match (&new[j], to.get(&j)) {
                    (Block::P(p), Some(name)) => self.moved_par(p, Mark::MoveTo, name),
                    (b, _) => self.whole(b, Mark::Ins),
                },
                Act::Pair(i, j) => match (&old[i], &new[j]) {
                    (Block::P(a), Block::P(b)) => self.changed_par(a, b),
                    (Block::T(a), Block::T(b)) => self.changed_tbl(a, b),
                    _ => {}
                },
            }
        }
    }
}
