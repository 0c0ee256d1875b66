//! The repository's entities by id, and the numbering of each unit (an order
//! with its appendices, or a standalone document). Both `validate` and
//! `resolve` read this one index, so a number checked is the number printed.

pub mod queries;
pub mod refs;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::diag::{Code, Diagnostic, FileId, Span, closest};
use crate::lang::deadline::Period;
use crate::load::{Parsed, Workspace};
use crate::plan::*;

/// An item of the index with the file it was written in.
#[derive(Debug)]
pub struct Entry<'a, T> {
    pub file: FileId,
    pub item: &'a T,
}

impl<T> Clone for Entry<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Entry<'_, T> {}

/// Span of a located value in a file.
pub fn span_of<T>(file: FileId, v: &Spanned<T>) -> Span {
    let start = v.offset().unwrap_or(0);
    Span {
        file,
        start,
        end: start + v.byte_len(),
    }
}

#[derive(Debug, Default)]
pub struct Index<'a> {
    pub orgs: BTreeMap<&'a str, Entry<'a, Organisation>>,
    pub people: BTreeMap<&'a str, Entry<'a, Person>>,
    pub positions: BTreeMap<&'a str, Entry<'a, Position>>,
    pub institutions: BTreeMap<&'a str, Entry<'a, Institution>>,
    pub abbreviations: BTreeMap<&'a str, Entry<'a, Abbreviation>>,
    pub orders: BTreeMap<&'a str, Entry<'a, OrderFile>>,
    pub appendices: BTreeMap<&'a str, Entry<'a, AppendixFile>>,
    pub documents: BTreeMap<&'a str, Entry<'a, DocumentFile>>,
    pub bundles: BTreeMap<&'a str, Entry<'a, BundleFile>>,
    /// Appendix id → the order that lists it (the first one, in file order).
    pub owner: BTreeMap<&'a str, &'a str>,
}

#[allow(clippy::too_many_arguments)]
fn insert<'a, T>(
    map: &mut BTreeMap<&'a str, Entry<'a, T>>,
    what: &str,
    file: FileId,
    id: &'a Text,
    item: &'a T,
    first_spans: &mut HashMap<(&'static str, String), Span>,
    class: &'static str,
    diags: &mut Vec<Diagnostic>,
) {
    let span = span_of(file, id);
    let key = (class, id.get().clone());
    if let Some(first) = first_spans.get(&key) {
        diags.push(
            Diagnostic::error(
                Code::DuplicateId,
                format!("{what} «{}» уже описан(а)", id.get()),
            )
            .at(span)
            .also(*first, "первое описание здесь")
            .hint("идентификаторы должны быть уникальны в репозитории"),
        );
        return;
    }
    if id.get().trim().is_empty() {
        diags.push(
            Diagnostic::error(Code::InvalidValue, format!("пустой идентификатор: {what}")).at(span),
        );
        return;
    }
    first_spans.insert(key, span);
    map.insert(id.get().as_str(), Entry { file, item });
}

impl<'a> Index<'a> {
    pub fn build(ws: &'a Workspace) -> (Index<'a>, Vec<Diagnostic>) {
        let mut ix = Index::default();
        let mut diags = Vec::new();
        let mut seen: HashMap<(&'static str, String), Span> = HashMap::new();
        let d = &mut diags;
        for (file, parsed) in &ws.files {
            let file = *file;
            match parsed {
                Parsed::Registry(r) => {
                    for o in &r.organisations {
                        insert(
                            &mut ix.orgs,
                            "организация",
                            file,
                            &o.id,
                            o,
                            &mut seen,
                            "org",
                            d,
                        );
                    }
                    for p in &r.people {
                        insert(
                            &mut ix.people,
                            "лицо",
                            file,
                            &p.id,
                            p,
                            &mut seen,
                            "person",
                            d,
                        );
                    }
                    for p in &r.positions {
                        insert(
                            &mut ix.positions,
                            "должность",
                            file,
                            &p.id,
                            p,
                            &mut seen,
                            "position",
                            d,
                        );
                    }
                    for i in &r.institutions {
                        insert(
                            &mut ix.institutions,
                            "учреждение",
                            file,
                            &i.id,
                            i,
                            &mut seen,
                            "inst",
                            d,
                        );
                    }
                    for a in &r.abbreviations {
                        insert(
                            &mut ix.abbreviations,
                            "сокращение",
                            file,
                            &a.abbr,
                            a,
                            &mut seen,
                            "abbr",
                            d,
                        );
                    }
                }
                // Documents of every kind share one id space: a bundle or a
                // reference names them without saying the kind.
                Parsed::Order(o) => insert(
                    &mut ix.orders,
                    "документ",
                    file,
                    &o.id,
                    o,
                    &mut seen,
                    "doc",
                    d,
                ),
                Parsed::Appendix(a) => insert(
                    &mut ix.appendices,
                    "документ",
                    file,
                    &a.id,
                    a,
                    &mut seen,
                    "doc",
                    d,
                ),
                Parsed::Document(x) => insert(
                    &mut ix.documents,
                    "документ",
                    file,
                    &x.id,
                    x,
                    &mut seen,
                    "doc",
                    d,
                ),
                Parsed::Bundle(b) => insert(
                    &mut ix.bundles,
                    "документ",
                    file,
                    &b.id,
                    b,
                    &mut seen,
                    "doc",
                    d,
                ),
            }
        }
        for (oid, o) in &ix.orders {
            for a in &o.item.appendices {
                ix.owner.entry(a.get().as_str()).or_insert(oid);
            }
        }
        (ix, diags)
    }

    /// A diagnostic for an id that names nothing, with the nearest known id.
    pub fn unknown<'k>(
        what: &str,
        id: &str,
        known: impl IntoIterator<Item = &'k str>,
    ) -> Diagnostic {
        let known: Vec<&str> = known.into_iter().collect();
        Diagnostic::error(
            Code::UnknownReference,
            format!("{what} «{id}» не найден(а)"),
        )
        .hint_opt(
            closest(id, known.iter().copied()).map(|k| format!("возможно, имелось в виду «{k}»")),
        )
    }
}

/// Parses a plan period: `2024/2025` (school year), `2022–2025`, `2025`.
pub fn parse_period(s: &str) -> Option<Period> {
    let s = s.trim();
    let years: Vec<i32> = s
        .split(['/', '-', '–', '—'])
        .map(|p| {
            p.trim()
                .trim_end_matches("гг.")
                .trim_end_matches("г.")
                .trim()
        })
        .map(|p| p.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y)))
        .collect::<Option<Vec<_>>>()?;
    match years.as_slice() {
        [y] => Some(Period::years(*y, *y)),
        [a, b] if s.contains('/') => (*b == a + 1).then(|| Period::school_year(*a)),
        [a, b] if a <= b => Some(Period::years(*a, *b)),
        _ => None,
    }
}

// ---------------------------------------------------------------- numbering

/// Which kind of thing an id names inside a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Clause,
    Row,
    Section,
    Appendix,
}

#[derive(Debug, Clone)]
pub struct Numbered {
    pub target: Target,
    /// Number as cited in text: `2.1`, `3`, `2` (no trailing dot).
    pub number: String,
    pub span: Span,
}

/// A clause with its printed marker, in document order.
#[derive(Debug)]
pub struct NumberedClause<'a> {
    pub spec: &'a ClauseSpec,
    /// `1.`, `2.1.`, `–`, `а)`.
    pub marker: String,
    /// Number for citations (`2.1`), empty for dash items.
    pub number: String,
    pub kind: crate::model::MarkerKind,
    pub level: u8,
    pub children: Vec<NumberedClause<'a>>,
}

/// Lettered items skip ё, з, й, о, ч, ъ, ы, ь (common practice, see gost.md).
const LETTERS: &[char] = &[
    'а', 'б', 'в', 'г', 'д', 'е', 'ж', 'и', 'к', 'л', 'м', 'н', 'п', 'р', 'с', 'т', 'у', 'ф', 'х',
    'ц', 'ш', 'щ', 'э', 'ю', 'я',
];

/// Clause nesting the plan format allows (ГОСТ practice: up to four levels).
pub const MAX_CLAUSE_DEPTH: u8 = 4;

/// Checks a sequence of fixed numbers for repeats and gaps; `numbers` holds the
/// last component of each printed number with its span.
fn check_sequence(items: &[(u32, Span, String)], diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<u32, Span> = HashMap::new();
    let mut prev: Option<u32> = None;
    for (n, span, printed) in items {
        if let Some(first) = seen.get(n) {
            diags.push(
                Diagnostic::error(
                    Code::NumberRepeated,
                    format!("номер «{printed}» повторяется"),
                )
                .at(*span)
                .also(*first, "этот номер уже использован здесь")
                .hint("удалите ключ number: номера вычисляются автоматически"),
            );
        } else if let Some(p) = prev
            && *n > p + 1
        {
            diags.push(
                Diagnostic::error(
                    Code::NumberGap,
                    format!("пропуск в нумерации: после {p} идёт {n}"),
                )
                .at(*span)
                .hint("удалите ключ number: номера вычисляются автоматически"),
            );
        }
        seen.entry(*n).or_insert(*span);
        prev = Some(*n);
    }
}

fn last_component(s: &str) -> Option<u32> {
    s.trim_end_matches('.')
        .rsplit('.')
        .next()?
        .trim()
        .parse()
        .ok()
}

pub fn number_clauses<'a>(
    file: FileId,
    clauses: &'a [ClauseSpec],
    prefix: &str,
    style: ItemStyle,
    level: u8,
    diags: &mut Vec<Diagnostic>,
) -> Vec<NumberedClause<'a>> {
    use crate::model::MarkerKind;
    let mut out = Vec::with_capacity(clauses.len());
    let mut fixed = Vec::new();
    let mut counter = 0u32;
    for (i, c) in clauses.iter().enumerate() {
        if level > MAX_CLAUSE_DEPTH {
            let at = c.id.as_ref().or(c.text.as_ref()).or(c.to.as_ref());
            if let Some(at) = at {
                diags.push(
                    Diagnostic::error(
                        Code::ClauseDepth,
                        format!("вложенность пунктов больше {MAX_CLAUSE_DEPTH} уровней"),
                    )
                    .at(span_of(file, at))
                    .hint("перестройте пункт: подпункты четвёртого уровня — последние"),
                );
            }
        }
        let (marker, number, kind) = match style {
            ItemStyle::Numbered => {
                let own = match &c.number {
                    Some(n) => {
                        let printed = n.get().trim().trim_end_matches('.').to_string();
                        match last_component(&printed) {
                            Some(v) => {
                                counter = v;
                                fixed.push((v, span_of(file, n), printed.clone()));
                            }
                            None => diags.push(
                                Diagnostic::error(
                                    Code::InvalidValue,
                                    format!("номер пункта «{}» не число", n.get()),
                                )
                                .at(span_of(file, n)),
                            ),
                        }
                        printed
                    }
                    None => {
                        counter += 1;
                        // Computed numbers join the sequence so a fixed one
                        // that repeats or skips them is caught too.
                        if let Some(at) = c.id.as_ref().or(c.text.as_ref()).or(c.to.as_ref()) {
                            fixed.push((counter, span_of(file, at), format!("{prefix}{counter}")));
                        }
                        format!("{prefix}{counter}")
                    }
                };
                (format!("{own}."), own, MarkerKind::Number)
            }
            ItemStyle::Dash => ("–".to_string(), String::new(), MarkerKind::Dash),
            ItemStyle::Letters => {
                let l = LETTERS
                    .get(i)
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| format!("{}", i + 1));
                (format!("{l})"), l, MarkerKind::Letter)
            }
        };
        let child_style = c
            .items
            .as_ref()
            .map(|s| *s.get())
            .unwrap_or(ItemStyle::Numbered);
        let child_prefix = if number.is_empty() {
            prefix.to_string()
        } else {
            format!("{number}.")
        };
        let children = number_clauses(
            file,
            &c.clauses,
            &child_prefix,
            child_style,
            level + 1,
            diags,
        );
        out.push(NumberedClause {
            spec: c,
            marker,
            number,
            kind,
            level,
            children,
        });
    }
    if clauses.iter().any(|c| c.number.is_some()) {
        check_sequence(&fixed, diags);
    }
    out
}

/// A row of an activity table with its printed number.
#[derive(Debug)]
pub enum NumberedRow<'a> {
    Section {
        spec: &'a Section,
        number: Option<String>,
    },
    Row {
        spec: &'a Spanned<RowSpec>,
        number: String,
    },
}

/// The table's numbering, defaulting to 1.1-style when it has sections.
pub fn numbering_of(t: &ActivityTable) -> Numbering {
    t.numbering
        .as_ref()
        .map(|n| *n.get())
        .unwrap_or(if t.sections.is_empty() {
            Numbering::Continuous
        } else {
            Numbering::Hierarchical
        })
}

pub fn number_activities<'a>(
    file: FileId,
    t: &'a ActivityTable,
    diags: &mut Vec<Diagnostic>,
) -> Vec<NumberedRow<'a>> {
    let numbering = numbering_of(t);
    let mut out = Vec::new();
    let mut fixed = Vec::new();
    let mut row_no = 0u32;
    let push_row = |spec: &'a Spanned<RowSpec>,
                    prefix: &str,
                    out: &mut Vec<NumberedRow<'a>>,
                    fixed: &mut Vec<(u32, Span, String)>,
                    row_no: &mut u32| {
        let number = match &spec.number {
            Some(n) => {
                let printed = n.get().trim().trim_end_matches('.').to_string();
                if let Some(v) = last_component(&printed) {
                    *row_no = v;
                    fixed.push((v, span_of(file, n), printed.clone()));
                }
                printed
            }
            None => {
                *row_no += 1;
                if let Some(at) = spec.id.as_ref().or(spec.cells.first().map(|(k, _)| k)) {
                    fixed.push((*row_no, span_of(file, at), format!("{prefix}{row_no}")));
                }
                match numbering {
                    Numbering::None | Numbering::Sections => String::new(),
                    _ => format!("{prefix}{row_no}"),
                }
            }
        };
        out.push(NumberedRow::Row { spec, number });
    };
    let any_fixed = t
        .rows
        .iter()
        .chain(t.sections.iter().flat_map(|s| s.rows.iter()))
        .any(|r| r.number.is_some());
    let check_sequence = |items: &[(u32, Span, String)], diags: &mut Vec<Diagnostic>| {
        if any_fixed {
            check_sequence(items, diags);
        }
    };
    for r in &t.rows {
        push_row(r, "", &mut out, &mut fixed, &mut row_no);
    }
    let mut section_no = 0u32;
    let mut section_fixed = Vec::new();
    for s in &t.sections {
        let number = match (&s.number, numbering) {
            (Some(n), _) => {
                let printed = n.get().trim().trim_end_matches('.').to_string();
                if let Some(v) = last_component(&printed) {
                    section_no = v;
                    section_fixed.push((v, span_of(file, n), printed.clone()));
                }
                Some(printed)
            }
            (None, Numbering::Hierarchical | Numbering::Sections) => {
                section_no += 1;
                Some(section_no.to_string())
            }
            (None, _) => None,
        };
        let prefix = match (numbering, &number) {
            (Numbering::Hierarchical, Some(n)) => {
                check_sequence(&fixed, diags);
                fixed.clear();
                row_no = 0;
                format!("{n}.")
            }
            _ => String::new(),
        };
        out.push(NumberedRow::Section { spec: s, number });
        for r in &s.rows {
            push_row(r, &prefix, &mut out, &mut fixed, &mut row_no);
        }
    }
    check_sequence(&fixed, diags);
    if t.sections.iter().any(|s| s.number.is_some()) {
        self::check_sequence(&section_fixed, diags);
    }
    out
}

/// Numbers of everything citable in a unit, by id.
#[derive(Debug, Default)]
pub struct Numbers {
    pub by_id: HashMap<String, Numbered>,
}

impl Numbers {
    /// Records an id; a second item with the same id is reported with both locations.
    pub fn add(
        &mut self,
        id: &Text,
        file: FileId,
        target: Target,
        number: String,
        diags: &mut Vec<Diagnostic>,
    ) {
        let span = span_of(file, id);
        if let Some(prev) = self.by_id.get(id.get()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!(
                        "идентификатор «{}» уже использован в этом документе",
                        id.get()
                    ),
                )
                .at(span)
                .also(prev.span, "первое использование здесь")
                .hint("пункты, строки и приложения одного приказа должны иметь разные id"),
            );
            return;
        }
        self.by_id.insert(
            id.get().clone(),
            Numbered {
                target,
                number,
                span,
            },
        );
    }

    pub fn add_clauses(
        &mut self,
        file: FileId,
        cs: &[NumberedClause],
        diags: &mut Vec<Diagnostic>,
    ) {
        for c in cs {
            if let Some(id) = &c.spec.id {
                self.add(id, file, Target::Clause, c.number.clone(), diags);
            }
            self.add_clauses(file, &c.children, diags);
        }
    }

    pub fn add_rows(&mut self, file: FileId, rows: &[NumberedRow], diags: &mut Vec<Diagnostic>) {
        for r in rows {
            match r {
                NumberedRow::Section { spec, number } => {
                    if let Some(id) = &spec.id {
                        self.add(
                            id,
                            file,
                            Target::Section,
                            number.clone().unwrap_or_default(),
                            diags,
                        );
                    }
                }
                NumberedRow::Row { spec, number } => {
                    if let Some(id) = &spec.id {
                        self.add(id, file, Target::Row, number.clone(), diags);
                    }
                }
            }
        }
    }
}

/// An order with its appendices, or a standalone document: the scope of ids,
/// numbers, references and abbreviation definitions.
#[derive(Debug, Clone, Copy)]
pub enum UnitKind<'a> {
    Order(&'a OrderFile),
    Document(&'a DocumentFile),
}

#[derive(Debug)]
pub struct Unit<'a> {
    pub file: FileId,
    pub kind: UnitKind<'a>,
    /// Attached appendices in order (id as listed, entry when it exists).
    pub appendices: Vec<(&'a Text, Option<Entry<'a, AppendixFile>>)>,
    pub clauses: Vec<NumberedClause<'a>>,
    /// Numbered rows of each activity table, keyed by (file, block index).
    pub tables: HashMap<(FileId, usize), Vec<NumberedRow<'a>>>,
    pub numbers: Numbers,
    pub period: Option<Period>,
}

impl<'a> Unit<'a> {
    pub fn id(&self) -> &'a str {
        match self.kind {
            UnitKind::Order(o) => o.id.get(),
            UnitKind::Document(d) => d.id.get(),
        }
    }

    /// Blocks of the unit in reading order with the file they are in.
    pub fn block_lists(&self) -> Vec<(FileId, &'a [Spanned<BlockSpec>])> {
        let mut out = Vec::new();
        match self.kind {
            UnitKind::Document(d) => out.push((self.file, d.blocks.as_slice())),
            UnitKind::Order(_) => {
                for (_, a) in &self.appendices {
                    if let Some(a) = a {
                        out.push((a.file, a.item.blocks.as_slice()));
                    }
                }
            }
        }
        out
    }

    /// Numbers the unit: clauses, appendices, rows; reports duplicates,
    /// fixed-number gaps and repeats, and nesting too deep.
    pub fn build(
        ix: &Index<'a>,
        file: FileId,
        kind: UnitKind<'a>,
        diags: &mut Vec<Diagnostic>,
    ) -> Unit<'a> {
        let mut numbers = Numbers::default();
        let mut appendices = Vec::new();
        let mut clauses = Vec::new();
        let period_text = match &kind {
            UnitKind::Order(o) => o.period.as_ref(),
            UnitKind::Document(d) => d.period.as_ref(),
        };
        let period = period_text.and_then(|p| {
            let parsed = parse_period(p.get());
            if parsed.is_none() {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("непонятный период «{}»", p.get()),
                    )
                    .at(span_of(file, p))
                    .hint("пишите «2024/2025» (учебный год), «2022–2025» или «2025»"),
                );
            }
            parsed
        });
        if let UnitKind::Order(o) = &kind {
            clauses = number_clauses(file, &o.clauses, "", ItemStyle::Numbered, 1, diags);
            numbers.add_clauses(file, &clauses, diags);
            for (i, a) in o.appendices.iter().enumerate() {
                let entry = ix.appendices.get(a.get().as_str()).copied();
                if entry.is_none() {
                    diags.push(
                        Index::unknown("приложение", a.get(), ix.appendices.keys().copied())
                            .at(span_of(file, a)),
                    );
                }
                let n = if o.appendices.len() == 1 {
                    String::new()
                } else {
                    (i + 1).to_string()
                };
                numbers.add(a, file, Target::Appendix, n, diags);
                appendices.push((a, entry));
            }
        }
        let mut unit = Unit {
            file,
            kind,
            appendices,
            clauses,
            tables: HashMap::new(),
            numbers,
            period,
        };
        for (bfile, blocks) in unit.block_lists() {
            for (bi, b) in blocks.iter().enumerate() {
                if let BlockSpec::Activities(t) = b.get() {
                    let rows = number_activities(bfile, t, diags);
                    unit.numbers.add_rows(bfile, &rows, diags);
                    unit.tables.insert((bfile, bi), rows);
                }
            }
        }
        unit
    }
}

/// Every unit of the repository, in a stable order (orders, then documents).
pub fn units<'a>(ix: &Index<'a>, diags: &mut Vec<Diagnostic>) -> Vec<Unit<'a>> {
    let kinds: Vec<(FileId, UnitKind<'a>)> = ix
        .orders
        .values()
        .map(|o| (o.file, UnitKind::Order(o.item)))
        .chain(
            ix.documents
                .values()
                .map(|d| (d.file, UnitKind::Document(d.item))),
        )
        .collect();
    // Numbering every row of a large repository is worth both cores.
    let built: Vec<_> = kinds
        .par_iter()
        .map(|&(file, kind)| {
            let mut d = Vec::new();
            (Unit::build(ix, file, kind, &mut d), d)
        })
        .collect();
    built
        .into_iter()
        .map(|(unit, d)| {
            diags.extend(d);
            unit
        })
        .collect()
}
