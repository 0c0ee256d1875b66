//! Unit tests of the pure helpers: the header-grid layout and the XML edits of
//! the post-processing pass. Tests on rendered documents are in `tests/it/docx_model.rs`.

use super::*;

#[test]
fn mark_header_rows_handles_every_trpr_form_and_skips_nested_tables() {
    let xml = "<w:tbl><w:tr><w:trPr /><w:tc><w:tbl><w:tr></w:tr></w:tbl></w:tc></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr></w:tr></w:tbl><w:tbl><w:tr></w:tr></w:tbl>";
    let out = mark_header_rows(xml, &[2, 1]);
    assert_eq!(
        out,
        "<w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr><w:tc><w:tbl><w:tr></w:tr></w:tbl></w:tc></w:tr><w:tr><w:trPr><w:tblHeader /><w:cantSplit /></w:trPr></w:tr><w:tr></w:tr></w:tbl><w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr></w:tr></w:tbl>"
    );
}

#[test]
fn sections_get_header_references_restart_and_title_page_in_schema_order() {
    let xml = "<w:sectPr><w:pgSz /><w:cols /><w:headerReference w:type=\"default\" r:id=\"x\" /><w:titlePg /></w:sectPr>x<w:sectPr><w:pgSz /><w:cols /></w:sectPr>";
    let setup = [
        SectionSetup {
            header_refs: true,
            title_page: true,
            restart: false,
        },
        SectionSetup {
            header_refs: false,
            title_page: true,
            restart: true,
        },
    ];
    assert_eq!(
        set_up_sections(xml, &setup),
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader1\" /><w:headerReference w:type=\"first\" r:id=\"rIdHeader2\" /><w:pgSz /><w:cols /><w:titlePg /></w:sectPr>x<w:sectPr><w:pgSz /><w:pgNumType w:start=\"1\" /><w:cols /><w:titlePg /></w:sectPr>"
    );
}

fn hc(text: &str, colspan: u16, rowspan: u16) -> HeaderCell {
    HeaderCell::spanning(text, colspan, rowspan)
}

/// (kind, col, span) of each slot: `c` cell, `v` vMerge continue, `e` empty.
fn shape(t: &Table, ncols: usize) -> Vec<Vec<(char, usize, usize)>> {
    header_layout(t, ncols)
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|s| match s {
                    Slot::Cell { col, span, .. } => ('c', col, span),
                    Slot::Continue { col, span } => ('v', col, span),
                    Slot::Empty { col } => ('e', col, 1),
                })
                .collect()
        })
        .collect()
}

#[test]
fn header_cells_under_a_rowspan_move_right_and_continue_the_merge() {
    // | A (3 rows) | B (2 cols)  | C (2 cols, 2 rows) |
    // |            | D    | E    |                    |
    // |            | F    | G (3 cols)                |
    let t = Table::grid(
        5,
        vec![
            vec![hc("A", 1, 3), hc("B", 2, 1), hc("C", 2, 2)],
            vec![hc("D", 1, 1), hc("E", 1, 1)],
            vec![hc("F", 1, 1), hc("G", 3, 1)],
        ],
        vec![],
    );
    assert_eq!(
        shape(&t, 5),
        vec![
            vec![('c', 0, 1), ('c', 1, 2), ('c', 3, 2)],
            vec![('v', 0, 1), ('c', 1, 1), ('c', 2, 1), ('v', 3, 2)],
            vec![('v', 0, 1), ('c', 1, 1), ('c', 2, 3)],
        ]
    );
}

#[test]
fn malformed_headers_still_fill_the_grid_exactly() {
    // Row 2 asks for 3 columns across a column still covered from row 1,
    // then runs out of cells; row 3 has more cells than columns.
    let t = Table::grid(
        3,
        vec![
            vec![hc("A", 1, 1), hc("B", 1, 2), hc("C", 1, 1)],
            vec![hc("X", 3, 1)],
            vec![hc("P", 9, 1), hc("Q", 1, 1)],
        ],
        vec![],
    );
    assert_eq!(
        shape(&t, 3),
        vec![
            vec![('c', 0, 1), ('c', 1, 1), ('c', 2, 1)],
            vec![('c', 0, 1), ('v', 1, 1), ('e', 2, 1)],
            vec![('c', 0, 3)],
        ]
    );
}
