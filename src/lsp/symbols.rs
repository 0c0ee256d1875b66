//! Every id of the repository where it is defined and where it is used:
//! the registry's entries, orders, appendices, acts, clauses and rows. Go to
//! definition, find references and rename all read this one list.

use std::sync::LazyLock;

use regex::Regex;

use crate::diag::FileId;
use crate::index::Index;
use crate::load::{Parsed, Workspace};
use crate::plan::{BlockSpec, ClauseSpec, Text};

/// What an id names. Acts, clauses and rows are local to their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Org,
    Person,
    Position,
    Institution,
    Order,
    Appendix,
    Document,
    Act,
    /// A clause, a row or a section of one order or document.
    Local,
}

impl Kind {
    /// What the id names, as a clerk says it.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Org => "организация",
            Kind::Person => "лицо",
            Kind::Position => "должность",
            Kind::Institution => "учреждение",
            Kind::Order => "приказ",
            Kind::Appendix => "приложение",
            Kind::Document => "документ",
            Kind::Act => "акт",
            Kind::Local => "пункт или строка",
        }
    }
}

/// One place an id is written: its definition or a use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub kind: Kind,
    /// The order or document the id is local to; empty for global ids.
    pub scope: String,
    pub id: String,
    pub file: FileId,
    /// Byte range of the id itself (without quotes).
    pub start: usize,
    pub end: usize,
    pub def: bool,
}

impl Occurrence {
    pub fn same_symbol(&self, other: &Occurrence) -> bool {
        self.kind == other.kind && self.scope == other.scope && self.id == other.id
    }
}

/// The order or document whose ids a file's texts may use: the order an
/// appendix is attached to, the file's own order or document.
pub fn scope_of(ix: &Index, parsed: &Parsed) -> String {
    match parsed {
        Parsed::Order(o) => o.id.get().clone(),
        Parsed::Document(d) => d.id.get().clone(),
        Parsed::Appendix(a) => ix
            .owner
            .get(a.id.get().as_str())
            .map(|o| o.to_string())
            .unwrap_or_default(),
        Parsed::Registry(_) | Parsed::Bundle(_) => String::new(),
    }
}

struct Collect<'s> {
    out: Vec<Occurrence>,
    file: FileId,
    src: &'s str,
    scope: String,
}

impl Collect<'_> {
    fn add(&mut self, kind: Kind, t: &Text, def: bool) {
        let id = t.get();
        let Some(off) = t.offset() else { return };
        if id.is_empty() {
            return;
        }
        let end = (off + t.byte_len().max(id.len())).min(self.src.len());
        // The value's source may be quoted: the id is inside it.
        let start = match self.src.get(off..end).and_then(|s| s.find(id.as_str())) {
            Some(at) => off + at,
            None => return,
        };
        let scope = match kind {
            Kind::Act | Kind::Local => self.scope.clone(),
            _ => String::new(),
        };
        self.out.push(Occurrence {
            kind,
            scope,
            id: id.clone(),
            file: self.file,
            start,
            end: start + id.len(),
            def,
        });
    }

    fn opt(&mut self, kind: Kind, t: &Option<Text>, def: bool) {
        if let Some(t) = t {
            self.add(kind, t, def);
        }
    }

    fn clauses(&mut self, cs: &[ClauseSpec]) {
        for c in cs {
            self.opt(Kind::Local, &c.id, true);
            self.clauses(&c.clauses);
        }
    }

    fn blocks(&mut self, blocks: &[crate::plan::Spanned<BlockSpec>]) {
        for b in blocks {
            match b.get() {
                BlockSpec::Activities(t) => {
                    self.opt(Kind::Local, &t.id, true);
                    for s in &t.sections {
                        self.opt(Kind::Local, &s.id, true);
                        for r in &s.rows {
                            self.opt(Kind::Local, &r.id, true);
                        }
                    }
                    for r in &t.rows {
                        self.opt(Kind::Local, &r.id, true);
                    }
                }
                BlockSpec::Markers(m) => {
                    for r in &m.rows {
                        self.opt(Kind::Institution, &r.institution, false);
                    }
                }
                _ => {}
            }
        }
    }

    fn plan(&mut self, parsed: &Parsed) {
        match parsed {
            Parsed::Registry(r) => {
                for o in &r.organisations {
                    self.add(Kind::Org, &o.id, true);
                    self.opt(Kind::Org, &o.parent, false);
                }
                for p in &r.people {
                    self.add(Kind::Person, &p.id, true);
                    for t in &p.positions {
                        self.add(Kind::Position, &t.position, false);
                        self.opt(Kind::Org, &t.org, false);
                    }
                }
                for p in &r.positions {
                    self.add(Kind::Position, &p.id, true);
                }
                for i in &r.institutions {
                    self.add(Kind::Institution, &i.id, true);
                }
            }
            Parsed::Order(o) => {
                self.add(Kind::Order, &o.id, true);
                self.add(Kind::Org, &o.issuer, false);
                for a in &o.acts {
                    self.add(Kind::Act, &a.id, true);
                    self.opt(Kind::Org, &a.issuer, false);
                }
                self.clauses(&o.clauses);
                if let Some(c) = &o.control
                    && let crate::plan::Control::Person(p) = c.get()
                {
                    self.add(Kind::Person, p, false);
                }
                self.add(Kind::Person, &o.signatory, false);
                self.opt(Kind::Person, &o.executor, false);
                for a in &o.approvals {
                    self.add(Kind::Person, &a.person, false);
                    self.opt(Kind::Position, &a.position, false);
                    self.opt(Kind::Local, &a.clause, false);
                }
                for a in &o.appendices {
                    self.add(Kind::Appendix, a, false);
                }
            }
            Parsed::Appendix(a) => {
                self.add(Kind::Appendix, &a.id, true);
                self.blocks(&a.blocks);
            }
            Parsed::Document(d) => {
                self.add(Kind::Document, &d.id, true);
                self.opt(Kind::Org, &d.issuer, false);
                self.blocks(&d.blocks);
            }
            Parsed::Bundle(b) => {
                for o in &b.orders {
                    self.add(Kind::Order, o, false);
                }
            }
        }
    }

    /// The ids inside `{{ … }}` expressions of the file's source.
    fn expressions(&mut self) {
        static SEGMENT: LazyLock<Option<Regex>> =
            LazyLock::new(|| Regex::new(r"\{\{[^}]*\}\}").ok());
        static CALL: LazyLock<Option<Regex>> = LazyLock::new(|| {
            Regex::new(r#"\b(person|inst|org|appendix|act|clause|num)\(\s*["']([^"'\n]*)["']"#).ok()
        });
        let (Some(segment), Some(call)) = (SEGMENT.as_ref(), CALL.as_ref()) else {
            return;
        };
        for seg in segment.find_iter(self.src) {
            for c in call.captures_iter(seg.as_str()) {
                let (Some(func), Some(id)) = (c.get(1), c.get(2)) else {
                    continue;
                };
                if id.as_str().is_empty() {
                    continue;
                }
                let kind = match func.as_str() {
                    "person" => Kind::Person,
                    "inst" => Kind::Institution,
                    "org" => Kind::Org,
                    "appendix" => Kind::Appendix,
                    "act" => Kind::Act,
                    _ => Kind::Local,
                };
                let scope = match kind {
                    Kind::Act | Kind::Local => self.scope.clone(),
                    _ => String::new(),
                };
                self.out.push(Occurrence {
                    kind,
                    scope,
                    id: id.as_str().to_string(),
                    file: self.file,
                    start: seg.start() + id.start(),
                    end: seg.start() + id.end(),
                    def: false,
                });
            }
        }
    }
}

/// The `{{ … }}` expression of `src` that holds `offset`, as a byte range.
pub fn expression_at(src: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    static SEGMENT: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\{\{[^}]*\}\}").ok());
    SEGMENT
        .as_ref()?
        .find_iter(src)
        .find(|m| m.start() <= offset && offset < m.end())
        .map(|m| m.range())
}

/// The ids written in one file, in source order.
pub fn in_file(ws: &Workspace, ix: &Index, file: FileId) -> Vec<Occurrence> {
    let src = ws.sources.text(file);
    let Some((_, parsed)) = ws.files.iter().find(|(f, _)| *f == file) else {
        return Vec::new();
    };
    let mut c = Collect {
        out: Vec::new(),
        file,
        src,
        scope: scope_of(ix, parsed),
    };
    c.plan(parsed);
    c.expressions();
    c.out.sort_by_key(|o| o.start);
    c.out
}

/// The ids written anywhere in the repository.
pub fn everywhere(ws: &Workspace, ix: &Index) -> Vec<Occurrence> {
    ws.files
        .iter()
        .flat_map(|(f, _)| in_file(ws, ix, *f))
        .collect()
}

/// The id under `offset` in `file`.
pub fn at(ws: &Workspace, ix: &Index, file: FileId, offset: usize) -> Option<Occurrence> {
    in_file(ws, ix, file)
        .into_iter()
        .find(|o| o.start <= offset && offset <= o.end)
}

/// Where the symbol of `o` is defined. A `num("…")` may name an appendix.
pub fn definition<'o>(all: &'o [Occurrence], o: &Occurrence) -> Option<&'o Occurrence> {
    all.iter().find(|d| d.def && d.same_symbol(o)).or_else(|| {
        (o.kind == Kind::Local)
            .then(|| {
                all.iter()
                    .find(|d| d.def && d.kind == Kind::Appendix && d.id == o.id)
            })
            .flatten()
    })
}
