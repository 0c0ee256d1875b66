//! Domain rules over the loaded plans. Every rule has a stable code (a
//! [`Code`], usable in `allow:`), a one-line Russian message and the location
//! of the exact value it is about.

pub mod lifecycle;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use regex::Regex;

use crate::diag::{Code, Diagnostic, FileId, Severity, Sources, Span, closest};
use crate::index::queries::{criterion_value, header_columns, tenure_on};
use crate::index::refs::Refs;
use crate::index::{Index, Numbered, Target, Unit, UnitKind, span_of};
use crate::lang::deadline::{self, Deadline, Period};
use crate::lang::expr;
use crate::load::{Parsed, Workspace};
use crate::plan::*;

/// A prebuilt substring searcher: the tests below run on every text of a
/// repository, and `str::contains` builds a new searcher on each call.
macro_rules! finder {
    ($needle:expr) => {{
        static F: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new($needle));
        &*F
    }};
}

fn has(hay: &str, f: &memchr::memmem::Finder) -> bool {
    f.find(hay.as_bytes()).is_some()
}

fn rx(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("static regex"))
}

/// Runs every rule over the index and units the pipeline built; `diags`
/// holds what building them reported. Diagnostics come back sorted, with
/// `allow:` applied to all of them.
pub fn run(
    ws: &Workspace,
    ix: &Index,
    units: &[Unit],
    mut diags: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    check_registry(ix, &mut diags);
    let lex = Lexicon::new(ix);
    let per_unit: Vec<Vec<Diagnostic>> = units
        .par_iter()
        .map(|u| check_unit(ix, &lex, ws, u))
        .collect();
    diags.extend(per_unit.into_iter().flatten());
    check_repository(ix, &mut diags);
    lifecycle::check(ix, &mut diags);
    let mut diags = apply_allow(ws, diags);
    crate::diag::sort(&mut diags);
    diags
}

// ---------------------------------------------------------------- registry

fn check_registry(ix: &Index, diags: &mut Vec<Diagnostic>) {
    for p in ix.people.values() {
        for t in &p.item.positions {
            if !ix.positions.contains_key(t.position.get().as_str()) {
                diags.push(
                    Index::unknown("должность", t.position.get(), ix.positions.keys().copied())
                        .at(span_of(p.file, &t.position)),
                );
            }
            if let Some(org) = &t.org
                && !ix.orgs.contains_key(org.get().as_str())
            {
                diags.push(
                    Index::unknown("организация", org.get(), ix.orgs.keys().copied())
                        .at(span_of(p.file, org)),
                );
            }
            if let (Some(f), Some(to)) = (&t.from, &t.to)
                && f.get().0 > to.get().0
            {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        "дата окончания полномочий раньше даты начала",
                    )
                    .at(span_of(p.file, to))
                    .also(span_of(p.file, f), "начало полномочий"),
                );
            }
        }
    }
    for o in ix.orgs.values() {
        if let Some(parent) = &o.item.parent
            && !ix.orgs.contains_key(parent.get().as_str())
        {
            diags.push(
                Index::unknown("организация", parent.get(), ix.orgs.keys().copied())
                    .at(span_of(o.file, parent)),
            );
        }
    }
}

// ---------------------------------------------------------------- repository-wide

fn check_repository(ix: &Index, diags: &mut Vec<Diagnostic>) {
    // Registration numbers: one issuer, one calendar year, one number.
    let mut numbers: BTreeMap<(String, i32, String), Span> = BTreeMap::new();
    for o in ix.orders.values() {
        let Some(n) = &o.item.number else { continue };
        let key = (
            o.item.issuer.get().clone(),
            o.item.date.get().0.year(),
            n.get().trim().to_string(),
        );
        let span = span_of(o.file, n);
        if let Some(first) = numbers.get(&key) {
            diags.push(
                Diagnostic::error(
                    Code::NumberDuplicate,
                    format!(
                        "номер «{}» уже присвоен другому приказу этого органа в {} году",
                        key.2, key.1
                    ),
                )
                .at(span)
                .also(*first, "первый приказ с этим номером"),
            );
        } else {
            numbers.insert(key, span);
        }
    }
    // Appendices: each belongs to exactly one order.
    let mut owners: BTreeMap<&str, Span> = BTreeMap::new();
    for o in ix.orders.values() {
        for a in &o.item.appendices {
            let span = span_of(o.file, a);
            if let Some(first) = owners.get(a.get().as_str()) {
                if first.file != o.file {
                    diags.push(
                        Diagnostic::error(
                            Code::AppendixShared,
                            format!("приложение «{}» уже входит в другой приказ", a.get()),
                        )
                        .at(span)
                        .also(*first, "первый приказ")
                        .hint("у каждого приказа свои приложения: скопируйте файл под новым id"),
                    );
                } else {
                    diags.push(
                        Diagnostic::error(
                            Code::DuplicateId,
                            format!("приложение «{}» указано дважды", a.get()),
                        )
                        .at(span)
                        .also(*first, "первое упоминание"),
                    );
                }
            } else {
                owners.insert(a.get().as_str(), span);
            }
        }
    }
    for (id, a) in &ix.appendices {
        if !ix.owner.contains_key(id) {
            diags.push(
                Diagnostic::warning(
                    Code::AppendixOrphan,
                    format!("приложение «{id}» не входит ни в один приказ"),
                )
                .at(span_of(a.file, &a.item.id))
                .hint_opt(
                    closest(id, ix.orders.keys().copied())
                        .map(|o| format!("добавьте его в appendices приказа, например «{o}»")),
                ),
            );
        }
    }
    for b in ix.bundles.values() {
        for o in &b.item.orders {
            if !ix.orders.contains_key(o.get().as_str()) {
                diags.push(
                    Index::unknown("приказ", o.get(), ix.orders.keys().copied())
                        .at(span_of(b.file, o)),
                );
            }
        }
    }
}

// ---------------------------------------------------------------- per unit

/// Where a text sits: decides which text rules apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Title,
    /// Preamble and referenced acts: they cite other documents, whose years,
    /// clause numbers and appendices are not ours.
    Citation,
    Body,
    Deadline,
    Glossary,
}

struct Item<'a> {
    file: FileId,
    text: &'a Text,
    role: Role,
}

fn push<'a>(out: &mut Vec<Item<'a>>, file: FileId, text: &'a Text, role: Role) {
    out.push(Item { file, text, role });
}

fn clause_texts<'a>(file: FileId, cs: &'a [ClauseSpec], out: &mut Vec<Item<'a>>) {
    for c in cs {
        for t in [&c.to, &c.text].into_iter().flatten() {
            push(out, file, t, Role::Body);
        }
        if let Some(d) = &c.deadline {
            push(out, file, d, Role::Deadline);
        }
        clause_texts(file, &c.clauses, out);
    }
}

fn block_texts<'a>(file: FileId, blocks: &'a [Spanned<BlockSpec>], out: &mut Vec<Item<'a>>) {
    // A glossary defines terms for the whole appendix: read it first.
    for b in blocks {
        if let BlockSpec::Glossary(g) = b.get() {
            for t in &g.terms {
                push(out, file, t, Role::Glossary);
            }
        }
    }
    for b in blocks {
        match b.get() {
            BlockSpec::Heading(t) | BlockSpec::Paragraph(t) => push(out, file, t, Role::Body),
            BlockSpec::List(l) => l.items.iter().for_each(|t| push(out, file, t, Role::Body)),
            BlockSpec::Activities(t) => {
                if let Some(c) = &t.caption {
                    push(out, file, c, Role::Title);
                }
                let row = |r: &'a Spanned<RowSpec>, out: &mut Vec<Item<'a>>| {
                    for col in &t.columns {
                        if let Some(v) = r.cell(col.key.get()) {
                            let deadline = col
                                .kind
                                .as_ref()
                                .is_some_and(|k| *k.get() == ColumnType::Deadline);
                            push(
                                out,
                                file,
                                v,
                                if deadline { Role::Deadline } else { Role::Body },
                            );
                        }
                    }
                };
                for r in &t.rows {
                    row(r, out);
                }
                for s in &t.sections {
                    push(out, file, &s.title, Role::Body);
                    for r in &s.rows {
                        row(r, out);
                    }
                }
            }
            BlockSpec::Indicators(t) => {
                for r in &t.rows {
                    push(out, file, &r.indicator, Role::Body);
                    push(out, file, &r.unit, Role::Body);
                }
            }
            BlockSpec::Table(t) => {
                for r in &t.rows {
                    r.get().iter().for_each(|c| push(out, file, c, Role::Body));
                }
            }
            BlockSpec::Markers(m) => {
                for r in &m.rows {
                    if let Some(l) = &r.label {
                        push(out, file, l, Role::Body);
                    }
                }
            }
            BlockSpec::Groups(g) => {
                for gr in &g.groups {
                    push(out, file, &gr.title, Role::Body);
                    gr.items.iter().for_each(|t| push(out, file, t, Role::Body));
                }
            }
            BlockSpec::Glossary(_) => {}
        }
    }
}

/// The unit's texts in reading order.
fn unit_texts<'a>(unit: &Unit<'a>) -> Vec<Item<'a>> {
    let mut out = Vec::new();
    match unit.kind {
        UnitKind::Order(o) => {
            push(&mut out, unit.file, &o.title, Role::Title);
            if let Some(p) = &o.preamble {
                push(&mut out, unit.file, p, Role::Citation);
            }
            for a in &o.acts {
                push(&mut out, unit.file, &a.title, Role::Citation);
            }
            clause_texts(unit.file, &o.clauses, &mut out);
            for (_, a) in &unit.appendices {
                if let Some(a) = a {
                    push(&mut out, a.file, &a.item.title, Role::Title);
                    block_texts(a.file, &a.item.blocks, &mut out);
                }
            }
        }
        UnitKind::Document(d) => {
            push(&mut out, unit.file, &d.title, Role::Title);
            block_texts(unit.file, &d.blocks, &mut out);
        }
    }
    out
}

/// Span of the bytes `range` of a value's text, found in the source: exact
/// for plain one-line scalars, by searching the needle for quoted and block
/// scalars, the whole value when nothing better is known.
pub fn locate(sources: &Sources, file: FileId, v: &Text, range: std::ops::Range<usize>) -> Span {
    let whole = span_of(file, v);
    let raw = v.get();
    let Some(needle) = raw.get(range.clone()) else {
        return whole;
    };
    let src = sources.text(file);
    let start = whole.start.min(src.len());
    // Plain scalar: the source spells the value byte for byte.
    if src.get(start..start + raw.len()) == Some(raw.as_str()) {
        return Span {
            file,
            start: start + range.start,
            end: start + range.end,
        };
    }
    // Otherwise find the same occurrence of the needle inside the value's source.
    let nth = raw[..range.start].matches(needle).count();
    let mut window_end = (start
        + whole
            .end
            .saturating_sub(whole.start)
            .max(raw.len() * 2 + 64))
    .min(src.len());
    while !src.is_char_boundary(window_end) {
        window_end -= 1;
    }
    let window = src.get(start..window_end).unwrap_or("");
    if !needle.is_empty()
        && let Some((pos, _)) = window.match_indices(needle).nth(nth)
    {
        return Span {
            file,
            start: start + pos,
            end: start + pos + needle.len(),
        };
    }
    whole
}

/// Names and abbreviations of the registry, compiled once for all units.
struct Lexicon {
    /// Canonical names, short names and aliases of institutions, longest first.
    names: Option<Regex>,
    /// For each alternative of `names`: Some((canonical, id)) when it is an alias.
    name_kinds: HashMap<String, Option<String>>,
    common: Vec<String>,
    known_abbr: Vec<String>,
    full: HashMap<String, String>,
}

fn phrase_pattern(s: &str) -> String {
    s.split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"[\s\u{a0}]+")
}

impl Lexicon {
    fn new(ix: &Index) -> Lexicon {
        let mut name_kinds: HashMap<String, Option<String>> = HashMap::new();
        for i in ix.institutions.values() {
            let canonical = i.item.short.as_ref().unwrap_or(&i.item.name).get().clone();
            name_kinds.insert(i.item.name.get().clone(), None);
            if let Some(s) = &i.item.short {
                name_kinds.insert(s.get().clone(), None);
            }
            for a in &i.item.aliases {
                name_kinds
                    .entry(a.get().clone())
                    .or_insert(Some(canonical.clone()));
            }
        }
        let mut alts: Vec<&String> = name_kinds.keys().filter(|k| !k.trim().is_empty()).collect();
        alts.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let names = if alts.is_empty() {
            None
        } else {
            let pat = alts
                .iter()
                .map(|a| format!("(?:{})", phrase_pattern(a)))
                .collect::<Vec<_>>()
                .join("|");
            Regex::new(&pat).ok()
        };
        let mut common = Vec::new();
        let mut known_abbr = Vec::new();
        let mut full = HashMap::new();
        for a in ix.abbreviations.values() {
            if a.item.common {
                common.push(a.item.abbr.get().clone());
            }
            known_abbr.push(a.item.abbr.get().clone());
            full.insert(a.item.abbr.get().clone(), a.item.full.get().clone());
        }
        Lexicon {
            names,
            name_kinds,
            common,
            known_abbr,
            full,
        }
    }

    /// Which institution name an occurrence is (normalising spaces).
    fn kind_of(&self, found: &str) -> Option<&Option<String>> {
        if let Some(k) = self.name_kinds.get(found) {
            return Some(k);
        }
        let norm = found.split_whitespace().collect::<Vec<_>>().join(" ");
        self.name_kinds.get(&norm)
    }
}

fn check_unit(ix: &Index, lex: &Lexicon, ws: &Workspace, unit: &Unit) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let refs = Refs::new(ix, unit);
    if let UnitKind::Order(o) = unit.kind {
        // The case forms of the signature and the control clause are the
        // resolver's to report: the pipeline runs it on every check.
        check_order_header(ix, unit.file, o, &mut diags);
    }
    let texts = unit_texts(unit);
    let order_date = match unit.kind {
        UnitKind::Order(o) => Some(o.date.get().0),
        UnitKind::Document(d) => d.date.as_ref().map(|d| d.get().0),
    };
    let mut abbr = AbbrState::default();
    for (pos, it) in texts.iter().enumerate() {
        let raw = it.text.get();
        // References: every call must resolve.
        let errors = if has(raw, finder!("{{")) || has(raw, finder!("{%")) {
            expr::expand(raw, |c| refs.resolve(c)).1
        } else {
            Vec::new()
        };
        for e in errors {
            let sp = locate(&ws.sources, it.file, it.text, e.range.clone());
            diags.push(Diagnostic {
                code: e.code,
                severity: Severity::Error,
                message: e.message,
                hint: e.hint,
                span: Some(sp),
                secondary: Vec::new(),
            });
        }
        let masked = expr::mask_expressions(raw);
        let covered = institution_names(lex, &ws.sources, it, &masked, &mut diags);
        if it.role == Role::Deadline {
            check_deadline(
                &ws.sources,
                it,
                unit.period.as_ref(),
                order_date,
                &mut diags,
            );
            continue;
        }
        if it.role != Role::Citation {
            if let Some(p) = &unit.period {
                check_years(&ws.sources, it, &masked, p, &mut diags);
            }
            if it.role != Role::Glossary {
                check_hand_typed(&ws.sources, unit, it, &masked, &mut diags);
            }
        }
        abbr.scan(&ws.sources, it, pos, masked, covered);
    }
    abbr.finish(lex, &ws.sources, &mut diags);
    check_tables(ix, unit, &mut diags);
    if let UnitKind::Order(_) = unit.kind {
        let used = refs.used.borrow();
        for (a, entry) in &unit.appendices {
            if entry.is_some() && !used.contains(a.get().as_str()) {
                diags.push(
                    Diagnostic::warning(
                        Code::AppendixUnreferenced,
                        format!("на приложение «{}» нет ссылки в тексте приказа", a.get()),
                    )
                    .at(span_of(unit.file, a))
                    .hint(format!(
                        "сошлитесь на него в пункте: {{{{ appendix(\"{}\") }}}}",
                        a.get()
                    )),
                );
            }
        }
    }
    diags
}

fn check_order_header(ix: &Index, file: FileId, o: &OrderFile, diags: &mut Vec<Diagnostic>) {
    let date = o.date.get().0;
    let issuer = ix.orgs.get(o.issuer.get().as_str());
    if issuer.is_none() {
        diags.push(
            Index::unknown("организация", o.issuer.get(), ix.orgs.keys().copied())
                .at(span_of(file, &o.issuer)),
        );
    }
    match &o.number {
        Some(n) => {
            let registers: Vec<&str> = issuer
                .map(|i| {
                    i.item
                        .registers
                        .iter()
                        .map(|r| r.get().trim_start_matches('-'))
                        .collect()
                })
                .unwrap_or_default();
            let value = n.get().trim();
            let (seq, suffix) = match value.split_once('-') {
                Some((a, b)) => (a, Some(b)),
                None => (value, None),
            };
            let seq_ok = !seq.is_empty() && seq.chars().all(|c| c.is_ascii_digit());
            let suffix_ok = match (suffix, registers.is_empty()) {
                (None, true) => true,
                (Some(s), true) => !s.is_empty(),
                (Some(s), false) => registers.contains(&s),
                (None, false) => false,
            };
            if !(seq_ok && suffix_ok) {
                let example = registers
                    .first()
                    .map(|r| format!("«{}-{r}»", if seq_ok { seq } else { "123" }));
                diags.push(
                    Diagnostic::error(
                        Code::NumberFormat,
                        format!("номер «{value}» не соответствует формату номеров органа"),
                    )
                    .at(span_of(file, n))
                    .hint(match example {
                        Some(e) => format!(
                            "ожидается порядковый номер и индекс журнала: {e}; индексы органа: {}",
                            registers.join(", ")
                        ),
                        None => "ожидается порядковый номер, например «123»".to_string(),
                    }),
                );
            }
        }
        None => {
            if o.status
                .as_ref()
                .is_some_and(|s| *s.get() == Status::Registered)
            {
                diags.push(
                    Diagnostic::error(
                        Code::NumberMissing,
                        "у зарегистрированного приказа нет регистрационного номера",
                    )
                    .at(span_of(file, &o.id))
                    .hint("присвойте номер: prikaz register <файл приказа>"),
                );
            }
        }
    }
    let person_at = |id: &Text, what: &str, diags: &mut Vec<Diagnostic>| {
        let Some(p) = ix.people.get(id.get().as_str()) else {
            diags.push(
                Index::unknown("лицо", id.get(), ix.people.keys().copied()).at(span_of(file, id)),
            );
            return;
        };
        if tenure_on(p.item, o.issuer.get(), date).is_none() {
            let held: Vec<String> = p
                .item
                .positions
                .iter()
                .map(|t| {
                    format!(
                        "{} ({}) {}–{}",
                        t.position.get(),
                        t.org.as_ref().map(|o| o.get().as_str()).unwrap_or("—"),
                        t.from
                            .as_ref()
                            .map(|d| crate::lang::morph::date_numeric(d.get().0))
                            .unwrap_or_default(),
                        t.to.as_ref()
                            .map(|d| crate::lang::morph::date_numeric(d.get().0))
                            .unwrap_or_default()
                    )
                })
                .collect();
            diags.push(
                Diagnostic::error(
                    Code::NotInOffice,
                    format!(
                        "{what} «{}» не занимает должность в «{}» на {}",
                        id.get(),
                        o.issuer.get(),
                        crate::lang::morph::date_numeric(date)
                    ),
                )
                .at(span_of(file, id))
                .hint(if held.is_empty() {
                    "укажите в реестре positions с датами from/to".to_string()
                } else {
                    format!("в реестре: {}", held.join("; "))
                }),
            );
        }
    };
    person_at(&o.signatory, "подписант", diags);
    if let Some(c) = &o.control
        && let Control::Person(p) = c.get()
    {
        person_at(p, "ответственный за контроль", diags);
    }
    if let Some(e) = &o.executor
        && !ix.people.contains_key(e.get().as_str())
    {
        diags.push(Index::unknown("лицо", e.get(), ix.people.keys().copied()).at(span_of(file, e)));
    }
}

// ---------------------------------------------------------------- text rules

/// Institution names in a text: aliases are reported; all names are returned
/// as covered ranges so their capitals are not taken for abbreviations.
fn institution_names(
    lex: &Lexicon,
    sources: &Sources,
    it: &Item,
    masked: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<std::ops::Range<usize>> {
    let Some(re) = &lex.names else {
        return Vec::new();
    };
    let mut covered = Vec::new();
    for m in re.find_iter(masked) {
        // A match must stand alone: not a part of a longer word.
        let before = masked[..m.start()].chars().next_back();
        let after = masked[m.end()..].chars().next();
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        covered.push(m.range());
        if let Some(Some(canonical)) = lex.kind_of(m.as_str()) {
            diags.push(
                Diagnostic::warning(
                    Code::InstitutionAlias,
                    format!(
                        "«{}» — вариант названия; каноническое название «{canonical}»",
                        m.as_str()
                    ),
                )
                .at(locate(sources, it.file, it.text, m.range()))
                .hint(format!("возможно, имелось в виду «{canonical}»")),
            );
        }
    }
    covered
}

fn check_years(
    sources: &Sources,
    it: &Item,
    masked: &str,
    p: &Period,
    diags: &mut Vec<Diagnostic>,
) {
    static YEARS: OnceLock<Regex> = OnceLock::new();
    if !has(masked, finder!("19")) && !has(masked, finder!("20")) {
        return;
    }
    let re = rx(
        &YEARS,
        r"\b((?:19|20)\d\d)(?:\s*([/–—-])\s*((?:19|20)\d\d))?\b",
    );
    let (lo, hi) = (p.start.year(), p.end.year());
    for c in re.captures_iter(masked) {
        let Some(whole) = c.get(0) else { continue };
        // A date after «от» or a number after «№» cites another act.
        let before: String = masked[..whole.start()]
            .chars()
            .rev()
            .take(12)
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        if before.trim_end().ends_with("от")
            || before.contains('№')
            || before.contains("от ") && before.ends_with('.')
        {
            continue;
        }
        let a: i32 = c.get(1).and_then(|m| m.as_str().parse().ok()).unwrap_or(lo);
        let b: Option<i32> = c.get(3).and_then(|m| m.as_str().parse().ok());
        let sep = c.get(2).map(|m| m.as_str()).unwrap_or("");
        let inside = match b {
            None => (lo..=hi).contains(&a),
            Some(b) if sep == "/" => a >= lo && b <= hi,
            Some(b) => (lo..=hi).contains(&a) && (lo..=hi).contains(&b),
        };
        if !inside {
            let period = if p.spans_two_years() && p.start.month() == 9 {
                format!("{lo}/{hi} учебный год")
            } else if lo == hi {
                format!("{lo} год")
            } else {
                format!("{lo}–{hi} годы")
            };
            diags.push(
                Diagnostic::warning(
                    Code::YearOutsidePeriod,
                    format!("«{}» вне периода плана ({period})", whole.as_str()),
                )
                .at(locate(sources, it.file, it.text, whole.range()))
                .hint(if sep == "/" {
                    format!("возможно, имелось в виду «{lo}/{hi}»")
                } else {
                    "если год упомянут намеренно, добавьте allow: [year-outside-period]".to_string()
                }),
            );
        }
    }
}

fn check_hand_typed(
    sources: &Sources,
    unit: &Unit,
    it: &Item,
    masked: &str,
    diags: &mut Vec<Diagnostic>,
) {
    static APPENDIX: OnceLock<Regex> = OnceLock::new();
    static LONE: OnceLock<Regex> = OnceLock::new();
    static CLAUSE: OnceLock<Regex> = OnceLock::new();
    // Cheap pre-filters (no lower-casing of every text): the first letter of
    // «Приложение», «Пункт» may be of either case.
    if has(masked, finder!("риложени")) || has(masked, finder!("РИЛОЖЕНИ")) {
        let re = rx(
            &APPENDIX,
            r"(?i)\bприложени[а-яё]*[\s\u{a0}]*№[\s\u{a0}]*(\d+)",
        );
        for c in re.captures_iter(masked) {
            let (Some(m), Some(n)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let id = find_by_number(unit, Target::Appendix, n.as_str());
            diags.push(hand_typed(
                sources,
                it,
                m.range(),
                "номер приложения набран вручную",
                id.map(|i| format!("{{{{ appendix(\"{i}\") }}}}")),
            ));
        }
        let re = rx(&LONE, r"(?i)\(\s*приложение\s*\)");
        for m in re.find_iter(masked) {
            let id = unit.appendices.first().map(|(a, _)| a.get().clone());
            diags.push(hand_typed(
                sources,
                it,
                m.range(),
                "ссылка на приложение набрана вручную",
                id.map(|i| format!("({{{{ appendix(\"{i}\") }}}})")),
            ));
        }
    }
    if has(masked, finder!("п.")) || has(masked, finder!("ункт")) || has(masked, finder!("УНКТ"))
    {
        let re = rx(
            &CLAUSE,
            r"(?i)(?:\bпп?\.|\bпункт[а-яё]*)[\s\u{a0}]*(\d+(?:\.\d+)*)",
        );
        for c in re.captures_iter(masked) {
            let (Some(m), Some(n)) = (c.get(0), c.get(1)) else {
                continue;
            };
            // «п. 3 ст. 28 Федерального закона …» cites another act.
            let tail: String = masked[m.end()..]
                .chars()
                .take(48)
                .collect::<String>()
                .to_lowercase();
            if [
                "ст.",
                "стать",
                "закон",
                "постановлени",
                "приказ",
                "распоряжени",
                "част",
                "ч.",
                "указ",
                "решени",
                "положени",
                "порядк",
            ]
            .iter()
            .any(|w| tail.contains(w))
            {
                continue;
            }
            let id = find_by_number(unit, Target::Clause, n.as_str())
                .or_else(|| find_by_number(unit, Target::Row, n.as_str()));
            diags.push(hand_typed(
                sources,
                it,
                m.range(),
                "номер пункта набран вручную",
                id.map(|i| format!("{{{{ clause(\"{i}\") }}}}")),
            ));
        }
    }
}

fn find_by_number(unit: &Unit, target: Target, number: &str) -> Option<String> {
    let mut hits: Vec<(&String, &Numbered)> = unit
        .numbers
        .by_id
        .iter()
        .filter(|(_, n)| {
            n.target == target && (n.number == number || (n.number.is_empty() && number == "1"))
        })
        .collect();
    hits.sort_by(|a, b| a.0.cmp(b.0));
    hits.first().map(|(id, _)| (*id).clone())
}

fn hand_typed(
    sources: &Sources,
    it: &Item,
    range: std::ops::Range<usize>,
    message: &str,
    suggestion: Option<String>,
) -> Diagnostic {
    Diagnostic::error(Code::HandTypedReference, message.to_string())
        .at(locate(sources, it.file, it.text, range))
        .hint(match suggestion {
            Some(s) => format!("номера вычисляются: напишите {s}"),
            None => {
                "номера вычисляются: сошлитесь по id, например {{ clause(\"id\") }}".to_string()
            }
        })
}

fn check_deadline(
    sources: &Sources,
    it: &Item,
    period: Option<&Period>,
    order_date: Option<NaiveDate>,
    diags: &mut Vec<Diagnostic>,
) {
    let raw = it.text.get();
    if raw.contains("{{") || raw.trim().is_empty() {
        return;
    }
    let at = locate(sources, it.file, it.text, 0..raw.len());
    let d: Deadline = match deadline::parse_cached(raw) {
        Ok(d) => d,
        Err(e) => {
            diags.push(
                Diagnostic::warning(Code::DeadlineUnparsed, format!("срок «{}» не распознан: {}", raw.trim(), e.message))
                    .at(at)
                    .hint("пишите, например: «ноябрь 2024», «до 15.12.2024», «I квартал 2025», «ежемесячно»"),
            );
            return;
        }
    };
    for _ in d.reversed() {
        diags.push(
            Diagnostic::error(
                Code::DeadlineReversed,
                format!("в сроке «{}» конец раньше начала", raw.trim()),
            )
            .at(at)
            .hint("поменяйте границы местами"),
        );
    }
    if let Some(p) = period {
        if d.has_yearless() && p.spans_two_years() {
            diags.push(
                Diagnostic::warning(
                    Code::DeadlineNoYear,
                    format!(
                        "в сроке «{}» месяц без года, а план охватывает два календарных года",
                        raw.trim()
                    ),
                )
                .at(at)
                .hint(format!(
                    "укажите год, например «{} {}»",
                    raw.trim(),
                    p.start.year()
                )),
            );
        }
        for item in &d.items {
            let Some((from, to)) = Deadline::item_bounds(item, Some(p)) else {
                continue;
            };
            if to < p.start || from > p.end {
                diags.push(
                    Diagnostic::error(
                        Code::DeadlineOutsidePeriod,
                        format!(
                            "срок «{}» вне периода плана ({} – {})",
                            raw.trim(),
                            crate::lang::morph::date_numeric(p.start),
                            crate::lang::morph::date_numeric(p.end)
                        ),
                    )
                    .at(at)
                    .hint("перенесите срок в период плана или измените period"),
                );
            } else if from < p.start || to > p.end {
                diags.push(
                    Diagnostic::warning(
                        Code::DeadlinePartlyOutsidePeriod,
                        format!(
                            "срок «{}» выходит за период плана ({} – {})",
                            raw.trim(),
                            crate::lang::morph::date_numeric(p.start),
                            crate::lang::morph::date_numeric(p.end)
                        ),
                    )
                    .at(at),
                );
            }
        }
    }
    if let (Some(date), Some((_, to))) = (order_date, d.bounds(period))
        && to < date
    {
        diags.push(
            Diagnostic::error(
                Code::DeadlineBeforeOrder,
                format!(
                    "срок «{}» истекает раньше даты документа {}",
                    raw.trim(),
                    crate::lang::morph::date_numeric(date)
                ),
            )
            .at(at),
        );
    }
}

// ---------------------------------------------------------------- abbreviations

struct Definition {
    term: String,
    pos: usize,
    span: Span,
    used: bool,
}

/// A located hit: (term, reading position, (file, value, byte range in it)).
type Hit<'a> = (String, usize, (FileId, &'a Text, std::ops::Range<usize>));

/// A scanned text kept for the second pass, when every definition is known.
struct Pending<'a> {
    pos: usize,
    defs_here: Vec<(String, std::ops::Range<usize>)>,
    /// Ranges covered by institution names.
    covered: Vec<std::ops::Range<usize>>,
    file: FileId,
    masked: std::borrow::Cow<'a, str>,
    text: &'a Text,
}

#[derive(Default)]
struct AbbrState<'a> {
    defs: Vec<Definition>,
    pending: Vec<Pending<'a>>,
}

/// How a defined term is found in text. A single word of word characters
/// (every abbreviation) is a substring between non-word characters, which
/// is what its regex `\bТЕРМИН\b` says, found without the regex engine:
/// Unicode word boundaries keep `regex` on its slow paths, and this search
/// runs on every text of every plan.
enum TermMatcher {
    Word(memchr::memmem::Finder<'static>),
    Regex(Regex),
}

impl TermMatcher {
    fn new(term: &str) -> Option<TermMatcher> {
        let re = term_regex(term)?;
        let word = !term.is_empty() && term.chars().all(regex_syntax::is_word_character);
        let upper = term.chars().filter(|c| c.is_uppercase()).count();
        let alphabetic = term.chars().all(char::is_alphabetic);
        // Literal in its regex: capitals (an abbreviation) or not all letters.
        if word && (upper >= 2 || !alphabetic) {
            return Some(TermMatcher::Word(
                memchr::memmem::Finder::new(term.as_bytes()).into_owned(),
            ));
        }
        Some(TermMatcher::Regex(re))
    }

    fn find_iter<'h>(
        &'h self,
        hay: &'h str,
    ) -> Box<dyn Iterator<Item = std::ops::Range<usize>> + 'h> {
        match self {
            TermMatcher::Regex(re) => Box::new(re.find_iter(hay).map(|m| m.range())),
            TermMatcher::Word(f) => {
                let n = f.needle().len();
                Box::new(f.find_iter(hay.as_bytes()).filter_map(move |i| {
                    let before = hay[..i].chars().next_back();
                    let after = hay[i + n..].chars().next();
                    let bound = |c: Option<char>| !c.is_some_and(regex_syntax::is_word_character);
                    (bound(before) && bound(after)).then_some(i..i + n)
                }))
            }
        }
    }
}

/// Letter test with a fast path for ASCII and basic Cyrillic: the general
/// Unicode table lookup dominated `check` on large repositories.
#[inline]
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || ('А'..='я').contains(&c)
        || c == 'ё'
        || c == 'Ё'
        || (!c.is_ascii() && c.is_alphabetic())
}

#[inline]
fn is_word_char(c: char) -> bool {
    c.is_ascii_digit() || is_letter(c) || (!c.is_ascii() && c.is_numeric())
}

#[inline]
fn is_upper(c: char) -> bool {
    c.is_ascii_uppercase()
        || ('А'..='Я').contains(&c)
        || c == 'Ё'
        || (!c.is_ascii() && !('а'..='я').contains(&c) && c.is_uppercase())
}

/// A word of a text, classified in [`scan_words`].
struct WordInfo {
    range: std::ops::Range<usize>,
    /// Looks like an abbreviation: Cyrillic letters only, two or more
    /// capitals, more capitals than small letters.
    abbr: bool,
    /// Seven or more characters, every letter a capital (a heading word).
    shouting: bool,
}

/// One pass over a text: its words (maximal runs of word characters) and
/// the lines typed mostly in capitals (eight or more letters, over 60 %
/// capitals). This runs on every text of every plan, so it classifies each
/// character once and allocates nothing in the common case.
fn scan_words(text: &str, words: &mut Vec<WordInfo>, caps_lines: &mut Vec<std::ops::Range<usize>>) {
    struct Open {
        start: usize,
        chars: usize,
        letters: usize,
        upper: usize,
        cyrillic_only: bool,
    }
    words.clear();
    caps_lines.clear();
    let close = |o: Open, end: usize, words: &mut Vec<WordInfo>| {
        words.push(WordInfo {
            range: o.start..end,
            abbr: o.cyrillic_only && o.upper >= 2 && o.upper * 2 > o.letters,
            shouting: o.chars >= 7 && o.upper == o.letters,
        });
    };
    let (mut line_start, mut line_letters, mut line_upper) = (0, 0, 0);
    let mut open: Option<Open> = None;
    for (i, c) in text.char_indices() {
        let letter = is_letter(c);
        let upper = letter && is_upper(c);
        if letter {
            line_letters += 1;
            line_upper += usize::from(upper);
        }
        if is_word_char(c) {
            let o = open.get_or_insert(Open {
                start: i,
                chars: 0,
                letters: 0,
                upper: 0,
                cyrillic_only: true,
            });
            o.chars += 1;
            if letter {
                o.letters += 1;
                o.upper += usize::from(upper);
                if !('А'..='я').contains(&c) && c != 'Ё' && c != 'ё' {
                    o.cyrillic_only = false;
                }
            }
        } else if let Some(o) = open.take() {
            close(o, i, words);
        }
        if c == '\n' {
            if line_letters >= 8 && line_upper * 10 > line_letters * 6 {
                caps_lines.push(line_start..i + 1);
            }
            (line_start, line_letters, line_upper) = (i + 1, 0, 0);
        }
    }
    if let Some(o) = open.take() {
        close(o, text.len(), words);
    }
    if line_start < text.len() && line_letters >= 8 && line_upper * 10 > line_letters * 6 {
        caps_lines.push(line_start..text.len());
    }
}

impl<'a> AbbrState<'a> {
    fn scan(
        &mut self,
        sources: &Sources,
        it: &Item<'a>,
        pos: usize,
        masked: std::borrow::Cow<'a, str>,
        covered: Vec<std::ops::Range<usize>>,
    ) {
        static DEF: OnceLock<Regex> = OnceLock::new();
        let mut defs_here: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        if it.role == Role::Glossary {
            // «ОМСУ – органы местного самоуправления»
            let sep = [" – ", " - ", " — ", "\u{a0}– ", "\u{a0}— "]
                .iter()
                .filter_map(|s| masked.find(s))
                .min();
            if let Some(i) = sep {
                let term = masked[..i].trim();
                let start = masked.find(term).unwrap_or(0);
                defs_here.push((term.to_string(), start..start + term.len()));
            }
        } else if has(&masked, finder!("далее")) {
            let re = rx(
                &DEF,
                r"\(\s*далее\s*(?:также\s*)?(?:[-–—]\s*|по тексту\s*[-–—]?\s*)?[«\x22]?([^()«»\x22]+?)[»\x22]?\s*\)",
            );
            for c in re.captures_iter(&masked) {
                if let Some(t) = c.get(1) {
                    defs_here.push((t.as_str().trim().to_string(), t.range()));
                }
            }
        }
        for (term, range) in &defs_here {
            self.defs.push(Definition {
                term: term.clone(),
                pos,
                span: locate(sources, it.file, it.text, range.clone()),
                used: false,
            });
        }
        self.pending.push(Pending {
            pos,
            defs_here,
            covered,
            file: it.file,
            masked,
            text: it.text,
        });
    }

    fn finish(&mut self, lex: &Lexicon, sources: &Sources, diags: &mut Vec<Diagnostic>) {
        // Second pass: with every definition known, find the uses.
        struct Term {
            term: String,
            matcher: TermMatcher,
            /// The first letters of the term: a text without them cannot use it.
            probe: memchr::memmem::Finder<'static>,
        }
        let terms: Vec<Term> = {
            let mut seen = std::collections::BTreeSet::new();
            self.defs
                .iter()
                .filter(|d| seen.insert(d.term.clone()))
                .filter_map(|d| {
                    let first_word = d.term.split_whitespace().next().unwrap_or(&d.term);
                    let probe: String = first_word.chars().take(4).collect();
                    Some(Term {
                        term: d.term.clone(),
                        matcher: TermMatcher::new(&d.term)?,
                        probe: memchr::memmem::Finder::new(probe.as_bytes()).into_owned(),
                    })
                })
                .collect()
        };
        let pending = std::mem::take(&mut self.pending);
        let mut located: Vec<Hit<'a>> = Vec::new();
        let mut token_hits: Vec<Hit<'a>> = Vec::new();
        let (mut words, mut caps_lines) = (Vec::new(), Vec::new());
        for p in &pending {
            let masked: &str = &p.masked;
            let mut taken: Vec<std::ops::Range<usize>> =
                p.defs_here.iter().map(|(_, r)| r.clone()).collect();
            for t in &terms {
                if !has(masked, &t.probe) {
                    continue;
                }
                for m in t.matcher.find_iter(masked) {
                    if taken.iter().any(|r| r.start <= m.start && m.end <= r.end) {
                        continue;
                    }
                    taken.push(m.clone());
                    located.push((t.term.clone(), p.pos, (p.file, p.text, m)));
                }
            }
            scan_words(masked, &mut words, &mut caps_lines);
            for (k, w) in words.iter().enumerate() {
                if !w.abbr {
                    continue;
                }
                let (start, end) = (w.range.start, w.range.end);
                // Lines typed in capitals (headings, titles) are not abbreviations.
                if caps_lines.iter().any(|r| r.contains(&start)) {
                    continue;
                }
                // «№ 338-ОД»: the register index of a number, not an abbreviation.
                if masked[..start].ends_with('-')
                    && masked[..start.saturating_sub(1)].ends_with(|c: char| c.is_ascii_digit())
                {
                    continue;
                }
                // Long words in capitals and their neighbours are headings
                // («ПЛАН МЕРОПРИЯТИЙ»): real abbreviations are short.
                let near_shouting = w.shouting
                    || k > 0 && words[k - 1].shouting
                    || words.get(k + 1).is_some_and(|n| n.shouting);
                if near_shouting {
                    continue;
                }
                if p.covered
                    .iter()
                    .chain(taken.iter())
                    .any(|r| r.start <= start && end <= r.end)
                {
                    continue;
                }
                token_hits.push((
                    masked[start..end].to_string(),
                    p.pos,
                    (p.file, p.text, start..end),
                ));
            }
        }
        self.finish_with(lex, sources, located, token_hits, diags);
    }

    fn finish_with(
        &mut self,
        lex: &Lexicon,
        sources: &Sources,
        located: Vec<Hit<'a>>,
        token_hits: Vec<Hit<'a>>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let mut first_def: HashMap<String, usize> = HashMap::new();
        for (i, d) in self.defs.iter().enumerate() {
            if let Some(&j) = first_def.get(d.term.as_str()) {
                let first = &self.defs[j];
                diags.push(
                    Diagnostic::warning(
                        Code::AbbrDefinedTwice,
                        format!("«{}» уже расшифровано выше", d.term),
                    )
                    .at(d.span)
                    .also(first.span, "первая расшифровка")
                    .hint("расшифруйте сокращение один раз, при первом упоминании"),
                );
            } else {
                first_def.insert(d.term.clone(), i);
            }
        }
        let mut reported_before: std::collections::BTreeSet<String> =
            std::collections::BTreeSet::new();
        for (term, pos, (file, text, range)) in &located {
            let Some(&j) = first_def.get(term.as_str()) else {
                continue;
            };
            self.defs[j].used = true;
            let def_pos = self.defs[j].pos;
            if *pos < def_pos && reported_before.insert(term.clone()) {
                diags.push(
                    Diagnostic::warning(
                        Code::AbbrUsedBeforeDefinition,
                        format!("«{term}» использовано до расшифровки"),
                    )
                    .at(locate(sources, *file, text, range.clone()))
                    .also(self.defs[j].span, "расшифровка дана позже")
                    .hint("перенесите расшифровку «(далее – …)» к первому упоминанию"),
                );
            }
        }
        // Definitions used only later in the same text also count.
        for d in &mut self.defs {
            if !d.used && located.iter().any(|(t, p, _)| t == &d.term && *p >= d.pos) {
                d.used = true;
            }
        }
        let defined: Vec<String> = self.defs.iter().map(|d| d.term.clone()).collect();
        let mut reported: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        for (tok, _pos, (file, text, range)) in &token_hits {
            if lex.common.iter().any(|c| c == tok)
                || defined
                    .iter()
                    .any(|d| d.split_whitespace().any(|w| w == tok))
            {
                // A part of a defined phrase («СОИРО» of «ГАУ ДПО СОИРО») is a use of it.
                if let Some(d) = self
                    .defs
                    .iter_mut()
                    .find(|d| d.term.split_whitespace().any(|w| w == tok))
                {
                    d.used = true;
                }
                continue;
            }
            if !reported.insert(tok.clone()) {
                continue;
            }
            let span = locate(sources, *file, text, range.clone());
            let near = defined
                .iter()
                .map(String::as_str)
                .chain(lex.known_abbr.iter().map(String::as_str))
                .filter(|k| k.chars().count() == tok.chars().count() && !k.contains(' '))
                .find(|k| strsim::levenshtein(k, tok) == 1);
            match near {
                    Some(k) => diags.push(
                        Diagnostic::error(Code::AbbrNearMiss, format!("«{tok}» — похоже на опечатку в сокращении «{k}»"))
                            .at(span)
                            .hint(format!("возможно, имелось в виду «{k}»")),
                    ),
                    None => diags.push(
                        Diagnostic::warning(Code::AbbrUndefined, format!("сокращение «{tok}» не расшифровано"))
                            .at(span)
                            .hint(match lex.full.get(tok) {
                                Some(f) => format!("при первом упоминании напишите «{f} (далее – {tok})» или добавьте его в «Обозначения»"),
                                None => format!("при первом упоминании напишите «полное название (далее – {tok})»"),
                            }),
                    ),
                }
        }
        for d in &self.defs {
            if !d.used {
                diags.push(
                    Diagnostic::warning(
                        Code::AbbrUnused,
                        format!("«{}» расшифровано, но больше не используется", d.term),
                    )
                    .at(d.span)
                    .hint("уберите расшифровку или используйте сокращение в тексте"),
                );
            }
        }
    }
}

/// A regex that finds a defined term and its inflected forms: each word of
/// the term may change its last two letters («Департамент» → «Департамента»).
fn term_regex(term: &str) -> Option<Regex> {
    // Every unit of a repository asks for the same few terms: compile each once.
    // Regex clones share their compiled program.
    use std::collections::HashMap;
    use std::sync::Mutex;
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(c) = cache.lock()
        && let Some(r) = c.get(term)
    {
        return r.clone();
    }
    let r = build_term_regex(term);
    if let Ok(mut c) = cache.lock()
        && c.len() < 4096
    {
        c.insert(term.to_string(), r.clone());
    }
    r
}

fn build_term_regex(term: &str) -> Option<Regex> {
    let parts: Vec<String> = term
        .split_whitespace()
        .map(|w| {
            let chars: Vec<char> = w.chars().collect();
            let upper = chars.iter().filter(|c| c.is_uppercase()).count();
            if upper >= 2 || !chars.iter().all(|c| c.is_alphabetic()) {
                regex::escape(w)
            } else if chars.len() <= 4 {
                format!("{}[а-яё]{{0,3}}", regex::escape(w))
            } else {
                let stem: String = chars[..chars.len() - 2].iter().collect();
                format!("{}[а-яё]{{0,3}}", regex::escape(&stem))
            }
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    Regex::new(&format!(r"(?:^|\b){}\b", parts.join(r"[\s\u{a0}]+"))).ok()
}

// ---------------------------------------------------------------- tables

fn check_tables(ix: &Index, unit: &Unit, diags: &mut Vec<Diagnostic>) {
    for (a, entry) in &unit.appendices {
        if let Some(e) = entry
            && e.item.blocks.is_empty()
        {
            diags.push(
                Diagnostic::warning(
                    Code::EmptyAppendix,
                    format!("приложение «{}» пустое", a.get()),
                )
                .at(span_of(e.file, &e.item.id))
                .hint("добавьте blocks или уберите приложение из приказа"),
            );
        }
    }
    for (file, blocks) in unit.block_lists() {
        for b in blocks {
            match b.get() {
                BlockSpec::Activities(t) => check_activities(file, b, t, diags),
                BlockSpec::Indicators(t) => {
                    for r in &t.rows {
                        if r.values.get().len() != t.years.get().len() {
                            diags.push(
                                Diagnostic::error(
                                    Code::TableShape,
                                    format!(
                                        "значений {}, а лет в таблице {}",
                                        r.values.get().len(),
                                        t.years.get().len()
                                    ),
                                )
                                .at(span_of(file, &r.values)),
                            );
                        }
                    }
                }
                BlockSpec::Table(t) => {
                    let cols: usize = t
                        .header
                        .last()
                        .map(|_| header_columns(&t.header))
                        .unwrap_or(0);
                    for r in &t.rows {
                        if cols > 0 && r.get().len() != cols {
                            diags.push(
                                Diagnostic::error(
                                    Code::TableShape,
                                    format!("в строке {} ячеек, а граф {cols}", r.get().len()),
                                )
                                .at(span_of(file, r)),
                            );
                        }
                    }
                    if let Some(w) = &t.widths
                        && cols > 0
                        && w.get().len() != cols
                    {
                        diags.push(
                            Diagnostic::error(
                                Code::TableShape,
                                format!("ширин {}, а граф {cols}", w.get().len()),
                            )
                            .at(span_of(file, w)),
                        );
                    }
                }
                BlockSpec::Markers(m) => check_markers(ix, file, m, diags),
                _ => {}
            }
        }
    }
}

fn check_activities(
    file: FileId,
    b: &Spanned<BlockSpec>,
    t: &ActivityTable,
    diags: &mut Vec<Diagnostic>,
) {
    let keys: Vec<&str> = t.columns.iter().map(|c| c.key.get().as_str()).collect();
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for c in &t.columns {
        if let Some(first) = seen.get(c.key.get().as_str()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("графа «{}» объявлена дважды", c.key.get()),
                )
                .at(span_of(file, &c.key))
                .also(*first, "первое объявление"),
            );
        }
        seen.insert(c.key.get().as_str(), span_of(file, &c.key));
    }
    let check_row = |r: &Spanned<RowSpec>, diags: &mut Vec<Diagnostic>| {
        for (k, _) in &r.cells {
            if !keys.contains(&k.get().as_str()) {
                diags.push(
                    Diagnostic::error(
                        Code::UnknownColumn,
                        format!("графа «{}» не объявлена в columns", k.get()),
                    )
                    .at(span_of(file, k))
                    .hint_opt(
                        closest(k.get(), keys.iter().copied())
                            .map(|c| format!("возможно, имелось в виду «{c}»")),
                    ),
                );
            }
        }
        for c in t.columns.iter().filter(|c| !c.optional) {
            let empty = r
                .cell(c.key.get())
                .is_none_or(|v| v.get().trim().is_empty());
            if empty {
                let at = r
                    .cell(c.key.get())
                    .map(|v| span_of(file, v))
                    .or_else(|| r.id.as_ref().map(|i| span_of(file, i)))
                    .unwrap_or_else(|| span_of(file, r));
                diags.push(
                    Diagnostic::error(
                        Code::EmptyCell,
                        format!("не заполнена графа «{}»", c.title.get()),
                    )
                    .at(at)
                    .hint(format!(
                        "заполните «{}: …» или объявите графу optional: true",
                        c.key.get()
                    )),
                );
            }
        }
    };
    for r in &t.rows {
        check_row(r, diags);
    }
    for s in &t.sections {
        if s.rows.is_empty() {
            diags.push(
                Diagnostic::error(
                    Code::EmptySection,
                    format!("раздел «{}» без мероприятий", s.title.get().trim()),
                )
                .at(span_of(file, &s.title))
                .hint("добавьте строки rows или удалите раздел"),
            );
        }
        for r in &s.rows {
            check_row(r, diags);
        }
    }
    if t.rows.is_empty() && t.sections.is_empty() {
        diags.push(
            Diagnostic::error(Code::EmptySection, "таблица мероприятий без строк")
                .at(span_of(file, b)),
        );
    }
}

fn check_markers(ix: &Index, file: FileId, m: &MarkerMatrix, diags: &mut Vec<Diagnostic>) {
    let total: usize = m.groups.iter().map(|g| g.columns.len()).sum();
    let group_ids: Vec<&str> = m.groups.iter().map(|g| g.id.get().as_str()).collect();
    for c in &m.criteria {
        for g in &c.groups {
            if !group_ids.contains(&g.get().as_str()) {
                diags.push(
                    Index::unknown("группа граф", g.get(), group_ids.iter().copied())
                        .at(span_of(file, g)),
                );
            }
        }
    }
    for r in &m.rows {
        if let Some(i) = &r.institution
            && !ix.institutions.contains_key(i.get().as_str())
        {
            diags.push(
                Index::unknown("учреждение", i.get(), ix.institutions.keys().copied())
                    .at(span_of(file, i)),
            );
        }
        let marks = r.markers.get();
        if marks.len() != total {
            diags.push(
                Diagnostic::error(
                    Code::TableShape,
                    format!("отметок {}, а граф {total}", marks.len()),
                )
                .at(span_of(file, &r.markers)),
            );
            continue;
        }
        for v in marks {
            if *v.get() > 1 {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("отметка {} — допустимы только 0 и 1", v.get()),
                    )
                    .at(span_of(file, v)),
                );
            }
        }
        let Some(stated) = &r.criteria else { continue };
        if stated.get().len() != m.criteria.len() {
            diags.push(
                Diagnostic::error(
                    Code::TableShape,
                    format!(
                        "значений критериев {}, а критериев {}",
                        stated.get().len(),
                        m.criteria.len()
                    ),
                )
                .at(span_of(file, stated)),
            );
            continue;
        }
        for (c, s) in m.criteria.iter().zip(stated.get()) {
            let expected = criterion_value(m, c, marks.iter().map(|v| *v.get()));
            if *s.get() != expected {
                diags.push(
                    Diagnostic::error(
                        Code::MarkerCriteria,
                        format!(
                            "критерий «{}»: указано {}, а по отметкам {}",
                            c.title.get().trim(),
                            s.get(),
                            expected
                        ),
                    )
                    .at(span_of(file, s))
                    .hint(format!(
                        "критерий выполнен, если отметок «1» не меньше {}",
                        c.at_least.get()
                    )),
                );
            }
        }
    }
}

// ---------------------------------------------------------------- allow

/// The source extent of a table row: from its start to the end of its last
/// value (a mapping's own span covers only its first token).
fn row_extent(file: FileId, r: &Spanned<RowSpec>) -> Span {
    let mut span = span_of(file, r);
    let values = r
        .cells
        .iter()
        .flat_map(|(k, v)| [k, v])
        .chain(r.id.iter())
        .chain(r.number.iter())
        .chain(r.allow.iter());
    for v in values {
        let s = span_of(file, v);
        span.start = span.start.min(s.start);
        span.end = span.end.max(s.end);
    }
    span
}

#[allow(clippy::type_complexity)]
fn apply_allow(ws: &Workspace, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let mut scopes: Vec<(Span, &str)> = Vec::new();
    let mut out = Vec::new();
    let mut add = |file: FileId,
                   whole: bool,
                   span: Span,
                   allow: &[Text],
                   out: &mut Vec<Diagnostic>| {
        for a in allow {
            let code = a.get().trim();
            if let Some(c) = codes.iter().find(|c| **c == code) {
                let scope = if whole {
                    Span {
                        file,
                        start: 0,
                        end: usize::MAX,
                    }
                } else {
                    span
                };
                scopes.push((scope, c));
            } else {
                out.push(
                    Diagnostic::error(Code::UnknownRule, format!("неизвестное правило «{code}»"))
                        .at(span_of(file, a))
                        .hint_opt(
                            closest(code, codes.iter().copied())
                                .map(|c| format!("возможно, имелось в виду «{c}»")),
                        ),
                );
            }
        }
    };
    let row_allows =
        |file: FileId,
         blocks: &[Spanned<BlockSpec>],
         out: &mut Vec<Diagnostic>,
         add: &mut dyn FnMut(FileId, bool, Span, &[Text], &mut Vec<Diagnostic>)| {
            for b in blocks {
                if let BlockSpec::Activities(t) = b.get() {
                    for r in t
                        .rows
                        .iter()
                        .chain(t.sections.iter().flat_map(|s| s.rows.iter()))
                    {
                        if !r.allow.is_empty() {
                            add(file, false, row_extent(file, r), &r.allow, out);
                        }
                    }
                }
            }
        };
    for (file, p) in &ws.files {
        let file = *file;
        let zero = Span {
            file,
            start: 0,
            end: 0,
        };
        match p {
            Parsed::Order(o) => add(file, true, zero, &o.allow, &mut out),
            Parsed::Appendix(a) => {
                add(file, true, zero, &a.allow, &mut out);
                row_allows(file, &a.blocks, &mut out, &mut add);
            }
            Parsed::Document(d) => {
                add(file, true, zero, &d.allow, &mut out);
                row_allows(file, &d.blocks, &mut out, &mut add);
            }
            _ => {}
        }
    }
    for d in diags {
        let suppressed = d.span.is_some_and(|s| {
            scopes.iter().any(|(scope, code)| {
                d.code == *code
                    && scope.file == s.file
                    && scope.start <= s.start
                    && s.end <= scope.end
            })
        });
        if !suppressed {
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("ОМСУ"),
            Just("ОО"),
            Just("ООО"),
            Just("ОМСУа"),
            Just("ОМСУ_"),
            Just("ОМСУ1"),
            Just("1ОМСУ"),
            Just(" "),
            Just("\u{a0}"),
            Just(","),
            Just("-"),
            Just("«"),
            Just("\n"),
            Just("е\u{301}"),
            Just("x"),
            Just("ё"),
        ];
        proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
    }

    proptest! {
        /// The substring search for one-word terms finds exactly what the
        /// term's regex finds.
        #[test]
        fn word_term_matcher_finds_what_the_regex_finds(text in pieces()) {
            for term in ["ОМСУ", "ОО", "ООО"] {
                let m = TermMatcher::new(term).expect("matcher");
                prop_assert!(matches!(m, TermMatcher::Word(_)));
                let re = build_term_regex(term).expect("regex");
                let fast: Vec<_> = m.find_iter(&text).collect();
                let slow: Vec<_> = re.find_iter(&text).map(|m| m.range()).collect();
                prop_assert_eq!(fast, slow, "term {} in {:?}", term, text);
            }
        }
    }

    #[test]
    fn scan_words_finds_abbreviations_outside_headings() {
        let (mut words, mut caps) = (Vec::new(), Vec::new());
        let text = "ПЛАН МЕРОПРИЯТИЙ ОМСУ\nучастие ОМСУ и ОО, ШсРНР; Qx ОмСУ";
        scan_words(text, &mut words, &mut caps);
        let abbr: Vec<&str> = words
            .iter()
            .filter(|w| w.abbr)
            .map(|w| &text[w.range.clone()])
            .collect();
        assert_eq!(
            abbr,
            ["ПЛАН", "МЕРОПРИЯТИЙ", "ОМСУ", "ОМСУ", "ОО", "ШсРНР", "ОмСУ"]
        );
        // The first line is a heading; its words are covered by it.
        assert_eq!(caps, vec![0..text.find('\n').map_or(0, |i| i + 1)]);
        assert!(
            words
                .iter()
                .any(|w| w.shouting && &text[w.range.clone()] == "МЕРОПРИЯТИЙ")
        );
    }
}
