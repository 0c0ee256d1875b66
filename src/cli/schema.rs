//! `prikaz schema --repo`: the ids of the repository for the editor.

use crate::project::Project;

/// The ids `schema --repo` offers: the index's, and the column keys the
/// repository's activity tables declare.
pub(super) fn repo_ids(project: &Project) -> crate::plan::RepoIds {
    use crate::load::Parsed;
    use crate::plan::BlockSpec;
    let ws = project.workspace();
    let (ix, _) = crate::index::Index::build(ws);
    let keys = |m: Vec<&str>| m.into_iter().map(str::to_string).collect::<Vec<_>>();
    let mut columns = Vec::new();
    for (_, p) in &ws.files {
        let blocks = match p {
            Parsed::Appendix(a) => &a.blocks,
            Parsed::Document(d) => &d.blocks,
            _ => continue,
        };
        for b in blocks {
            if let BlockSpec::Activities(t) = b.get() {
                columns.extend(t.columns.iter().map(|c| c.key.get().clone()));
            }
        }
    }
    columns.sort();
    columns.dedup();
    crate::plan::RepoIds {
        people: keys(ix.people.keys().copied().collect()),
        orgs: keys(ix.orgs.keys().copied().collect()),
        appendices: keys(ix.appendices.keys().copied().collect()),
        orders: keys(ix.orders.keys().copied().collect()),
        columns,
    }
}
