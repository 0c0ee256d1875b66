//! Questions about the registry and the plans that both the rules and the
//! resolver ask: who holds which office on a date, how wide a grouped table
//! header is, what a criterion of a marker matrix gives. One answer, so what
//! `check` accepts is what `build` prints.

use chrono::NaiveDate;

use crate::index::Index;
use crate::plan::{Criterion, HeaderCellSpec, MarkerMatrix, OrderFile, Person, Spanned, Tenure};

/// The position a person holds in `org` on `date`, if any.
pub fn tenure_on<'p>(p: &'p Person, org: &str, date: NaiveDate) -> Option<&'p Tenure> {
    p.positions.iter().find(|t| {
        t.org.as_ref().is_none_or(|o| o.get() == org)
            && t.from.as_ref().is_none_or(|f| f.get().0 <= date)
            && t.to.as_ref().is_none_or(|to| date <= to.get().0)
    })
}

/// Number of columns of a grouped header: the widest row counting spans of
/// cells above that reach down into it.
pub fn header_columns(header: &[Vec<Spanned<HeaderCellSpec>>]) -> usize {
    let mut occupied: Vec<usize> = Vec::new(); // rows left for each column
    let mut width = 0;
    for row in header {
        let mut col = 0;
        let advance = |occupied: &mut Vec<usize>, col: &mut usize| {
            while *col < occupied.len() && occupied[*col] > 0 {
                *col += 1;
            }
        };
        for cell in row {
            advance(&mut occupied, &mut col);
            let (cs, rs) = match cell.get() {
                HeaderCellSpec::Text(_) | HeaderCellSpec::Number(_) => (1, 1),
                HeaderCellSpec::Span {
                    colspan, rowspan, ..
                } => (
                    colspan.unwrap_or(1).max(1) as usize,
                    rowspan.unwrap_or(1).max(1) as usize,
                ),
            };
            for c in col..col + cs {
                if c >= occupied.len() {
                    occupied.resize(c + 1, 0);
                }
                occupied[c] = rs;
            }
            col += cs;
        }
        width = width.max(occupied.len());
        for o in occupied.iter_mut() {
            *o = o.saturating_sub(1);
        }
    }
    width
}

/// 1 when the row has at least `at_least` marks in the criterion's groups.
pub fn criterion_value(m: &MarkerMatrix, c: &Criterion, marks: impl Iterator<Item = u8>) -> u8 {
    let marks: Vec<u8> = marks.collect();
    let mut col = 0;
    let mut count = 0u32;
    for g in &m.groups {
        let n = g.columns.len();
        let included = c.groups.is_empty() || c.groups.iter().any(|x| x.get() == g.id.get());
        if included {
            count += marks.iter().skip(col).take(n).filter(|v| **v == 1).count() as u32;
        }
        col += n;
    }
    u8::from(count >= *c.at_least.get())
}

/// The position id an approval stands for: as written, or the one the
/// person holds in the issuer on the visa's date (the order's date if none).
pub fn approval_position<'a>(
    ix: &'a Index,
    o: &'a OrderFile,
    a: &'a crate::plan::Approval,
) -> Option<&'a str> {
    if let Some(p) = &a.position {
        return Some(p.get().as_str());
    }
    let date = a.date.as_ref().map(|d| d.get().0).unwrap_or(o.date.get().0);
    let person = ix.people.get(a.person.get().as_str())?;
    tenure_on(person.item, o.issuer.get(), date).map(|t| t.position.get().as_str())
}
