//! Matching the items of two sides: by stable id, then by exact text, then by
//! word similarity; and the longest run kept in order (the rest moved).

use std::collections::HashMap;

use similar::TextDiff;

use super::{Item, Kind};

/// Pairs of (old index, new index): by id first, then by content.
pub(super) fn match_items(old: &[Item], new: &[Item]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut new_taken = vec![false; new.len()];
    let mut old_taken = vec![false; old.len()];
    // An id is unique in its table or appendix, not in the document: two
    // appendices may each have a row «management-teams». Each old item takes
    // the untaken new one of its id, in the same place when there is one.
    let mut by_id: HashMap<(Kind, &str), Vec<usize>> = HashMap::new();
    for (j, n) in new.iter().enumerate() {
        if let Some(id) = &n.id {
            by_id.entry((n.kind, id.as_str())).or_default().push(j);
        }
    }
    for (i, o) in old.iter().enumerate() {
        let Some(id) = &o.id else { continue };
        let Some(js) = by_id.get(&(o.kind, id.as_str())) else {
            continue;
        };
        let free = || js.iter().copied().filter(|&j| !new_taken[j]);
        if let Some(j) = free()
            .find(|&j| new[j].place == o.place)
            .or_else(|| free().next())
        {
            pairs.push((i, j));
            new_taken[j] = true;
            old_taken[i] = true;
        }
    }
    // The rest is matched by content, but never two items that both have
    // ids: an id that vanished is a removal, not a rewording.
    let old_free: Vec<usize> = (0..old.len()).filter(|&i| !old_taken[i]).collect();
    let new_free: Vec<usize> = (0..new.len()).filter(|&j| !new_taken[j]).collect();
    // Exact text first (cheap), then similarity.
    let mut exact: HashMap<(Kind, String), Vec<usize>> = HashMap::new();
    for &j in &new_free {
        exact
            .entry((new[j].kind, new[j].text()))
            .or_default()
            .push(j);
    }
    for &i in &old_free {
        let both_ids = |j: usize| old[i].id.is_some() && new[j].id.is_some();
        if let Some(js) = exact.get_mut(&(old[i].kind, old[i].text()))
            && let Some(pos) = js.iter().position(|&j| !new_taken[j] && !both_ids(j))
        {
            let j = js.remove(pos);
            pairs.push((i, j));
            new_taken[j] = true;
            old_taken[i] = true;
        }
    }
    let old_rest: Vec<usize> = old_free
        .iter()
        .copied()
        .filter(|&i| !old_taken[i])
        .collect();
    let new_rest: Vec<usize> = new_free
        .iter()
        .copied()
        .filter(|&j| !new_taken[j])
        .collect();
    // Similarity is quadratic; past this size the unmatched items are simply
    // reported as removed and added.
    if old_rest.len() * new_rest.len() <= 40_000 {
        let mut cands = Vec::new();
        for &i in &old_rest {
            for &j in &new_rest {
                if old[i].kind != new[j].kind || (old[i].id.is_some() && new[j].id.is_some()) {
                    continue;
                }
                let r = similarity(&old[i].text(), &new[j].text());
                if r >= 0.5 {
                    cands.push((r, i, j));
                }
            }
        }
        cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, i, j) in cands {
            if !old_taken[i] && !new_taken[j] {
                pairs.push((i, j));
                old_taken[i] = true;
                new_taken[j] = true;
            }
        }
    }
    pairs.sort();
    pairs
}

/// Share of words in common, 0.0 – 1.0.
pub fn similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    TextDiff::from_words(a, b).ratio()
}

/// Indices (into `seq`) of a longest increasing subsequence.
pub(super) fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new(); // index into seq
    let mut prev = vec![usize::MAX; seq.len()];
    for (i, &v) in seq.iter().enumerate() {
        let pos = tails.partition_point(|&t| seq[t] < v);
        if pos > 0 {
            prev[i] = tails[pos - 1];
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::new();
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(i);
        cur = (prev[i] != usize::MAX).then_some(prev[i]);
    }
    out.reverse();
    out
}
