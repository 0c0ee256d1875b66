//! Questions about the registry and the plans that both the rules and the
//! resolver ask: who holds which office on a date, how wide a grouped table
//! header is, what a criterion of a marker matrix gives. One answer, so what
//! `check` accepts is what `build` prints.

use chrono::NaiveDate;

use crate::index::Index;
use crate::plan::{
    Along, Criterion, HeaderCellSpec, MarkerMatrix, OrderFile, Person, Spanned, Tenure,
};

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

/// 1 when the row meets the criterion: at least N marks, N in a row for
/// one procedure (the same place in consecutive groups, or consecutive
/// columns of a group), any or all, over the criterion's groups and columns.
/// A criterion without a rule (`check` reports it) is never met.
pub fn criterion_value(m: &MarkerMatrix, c: &Criterion, marks: impl Iterator<Item = u8>) -> u8 {
    let marks: Vec<u8> = marks.collect();
    // The chosen cells, as (group index, column index, mark).
    let mut cells = Vec::new();
    let mut col = 0;
    for (gi, g) in m.groups.iter().enumerate() {
        let included = c.groups.is_empty() || c.groups.iter().any(|x| x.get() == g.id.get());
        for (ci, title) in g.columns.iter().enumerate() {
            let chosen = c.columns.is_empty()
                || c.columns
                    .iter()
                    .any(|x| x.get().trim() == title.get().trim());
            if included && chosen {
                cells.push((gi, ci, marks.get(col + ci).copied().unwrap_or(0)));
            }
        }
        col += g.columns.len();
    }
    let ones = cells.iter().filter(|c| c.2 == 1).count() as u32;
    let met = if let Some(n) = &c.at_least {
        ones >= *n.get()
    } else if let Some(n) = &c.consecutive {
        let along_columns = c.along.as_ref().is_some_and(|a| *a.get() == Along::Columns);
        longest_run(&cells, along_columns) >= *n.get()
    } else if c.any.as_ref().is_some_and(|v| *v.get()) {
        ones >= 1
    } else if c.all.as_ref().is_some_and(|v| *v.get()) {
        !cells.is_empty() && ones as usize == cells.len()
    } else {
        false
    };
    u8::from(met)
}

/// The longest run of 1s for one procedure: along the groups at one column
/// place, or along the columns of one group, counting only neighbours.
fn longest_run(cells: &[(usize, usize, u8)], along_columns: bool) -> u32 {
    let mut lanes: std::collections::BTreeMap<usize, Vec<(usize, u8)>> = Default::default();
    for &(g, c, v) in cells {
        let (lane, step) = if along_columns { (g, c) } else { (c, g) };
        lanes.entry(lane).or_default().push((step, v));
    }
    let mut best = 0;
    for steps in lanes.values() {
        let (mut run, mut prev) = (0u32, None::<usize>);
        for &(s, v) in steps {
            run = match (v, prev) {
                (1, Some(p)) if p + 1 == s && run > 0 => run + 1,
                (1, _) => 1,
                _ => 0,
            };
            prev = Some(s);
            best = best.max(run);
        }
    }
    best
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
