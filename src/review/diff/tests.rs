//! Unit tests of the semantic diff: word pieces, moves, column titles.

use super::*;
use crate::model::{Table, column_titles};

#[test]
fn word_diff_groups_a_replacement_into_one_deletion_and_one_insertion() {
    let w = words("до 10 ноября 2024 г.", "до 15 декабря 2024 г.");
    let tags: Vec<_> = w.iter().map(|p| (p.tag, p.text.as_str())).collect();
    assert_eq!(
        tags,
        vec![
            (PieceTag::Same, "до "),
            (PieceTag::Deleted, "10 ноября"),
            (PieceTag::Inserted, "15 декабря"),
            (PieceTag::Same, " 2024 г."),
        ]
    );
}

#[test]
fn longest_increasing_subsequence_leaves_out_the_moved_item() {
    // Item at position 0 moved to the end.
    assert_eq!(longest_increasing(&[3, 0, 1, 2]), vec![1, 2, 3]);
    assert_eq!(longest_increasing(&[]), Vec::<usize>::new());
}

#[test]
fn grouped_header_titles_join_group_and_column() {
    use crate::model::HeaderCell;
    let h = |t: &str, c: u16, r: u16| HeaderCell {
        text: t.into(),
        colspan: c,
        rowspan: r,
        rotate: false,
        emphasis: crate::model::Emphasis::Plain,
    };
    let t = Table {
        id: None,
        keys: vec![],
        caption: None,
        widths: vec![1.0; 3],
        header: vec![
            vec![h("Школа", 1, 2), h("2024", 2, 1)],
            vec![h("ВПР", 1, 1), h("ОГЭ", 1, 1)],
        ],
        number_row: false,
        rows: vec![],
        keep_rows: true,
        align: vec![],
        hyphenate: Vec::new(),
        tall_rows: Vec::new(),
        font_scale: 1.0,
        places: crate::model::Places::default(),
    };
    assert_eq!(column_titles(&t), vec!["Школа", "2024: ВПР", "2024: ОГЭ"]);
}

#[test]
fn one_id_in_two_appendices_pairs_each_row_with_its_own() {
    let row = |place: &str, text: &str| Item {
        kind: Kind::Row,
        id: Some("management-teams".into()),
        number: String::new(),
        place: place.into(),
        parent: None,
        fields: vec![Field {
            key: "text".into(),
            label: "текст".into(),
            text: text.into(),
        }],
    };
    let side = vec![
        row("приложение № 2", "Обучение управленческих команд"),
        row("приложение № 3", "Доля управленческих команд"),
    ];
    let mut pairs = match_items(&side, &side);
    pairs.sort();
    assert_eq!(pairs, vec![(0, 0), (1, 1)]);
}
