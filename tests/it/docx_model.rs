//! DOCX backend on the hand-built sample model, through the public
//! `render::docx::render`: reproducible bytes, text parity, tables, sections.

use std::io::{Cursor, Read};

use prikaz::model::*;
use prikaz::render::docx::render;

use crate::common::docx_xml;
use crate::parity::{expected_text, text_of};
use crate::sample;
use prikaz::model::metrics::METRICS;

/// The page figures these tests check the XML against (copies of private
/// constants of `render::docx`); the layout measures come from the one
/// source both backends read, `model::metrics`.
const TWIPS_PER_MM: f32 = 56.692_91;
const A4_W_MM: f32 = 210.0;
const A4_H_MM: f32 = 297.0;
const STAMP_WIDTH_MM: f32 = METRICS.stamp_width_mm;
const ESIG_RULE_EIGHTHS: usize = (METRICS.esign_rule_pt * 8.0) as usize;
const DOC_KIND_TRACKING_EM: f32 = METRICS.doc_kind_tracking_em;
const OPERATIVE_TRACKING_EM: f32 = METRICS.operative_tracking_em;
const STAMP_STYLE: &str = "PrikazStamp";
const STAMP_LANDSCAPE_STYLE: &str = "PrikazStampLandscape";

fn tw(mm: f32) -> i32 {
    (mm * TWIPS_PER_MM).round() as i32
}

/// Character spacing (twips) of `em` at a font size of `pt` points.
fn tracking(em: f32, pt: f32) -> i32 {
    (em * pt * 20.0).round().clamp(0.0, 1584.0) as i32
}

#[test]
fn two_renders_give_identical_bytes() {
    let doc = sample::order(30);
    let a = render(&doc).expect("docx");
    let _ = render(&sample::order(3)).expect("docx");
    let b = render(&doc).expect("docx");
    assert!(a == b, "DOCX bytes differ between renders");
}

#[test]
fn text_matches_model_paragraph_by_paragraph() {
    let doc = sample::order(5);
    let got = text_of(&render(&doc).expect("docx"));
    assert_eq!(got, expected_text(&doc));
}

#[test]
fn header_rows_are_marked_to_repeat() {
    let doc = sample::order(5);
    let xml = docx_xml(&render(&doc).expect("docx"));
    // Two grouped header rows and the row of column numbers.
    assert_eq!(xml.matches("<w:tblHeader />").count(), 3);
}

#[test]
fn emblem_is_embedded_with_stable_names() {
    let mut doc = sample::order(1);
    sample::with_emblem(&mut doc);
    let a = render(&doc).expect("docx");
    let b = render(&doc).expect("docx");
    assert!(a == b, "image ids must not depend on earlier renders");
    let zin = zip::ZipArchive::new(Cursor::new(a)).expect("zip");
    assert!(zin.file_names().any(|n| n == "word/media/rIdImage1.png"));
}

#[test]
fn hanging_clauses_put_a_tab_after_the_marker_and_indent_by_level() {
    let mut doc = sample::order(1);
    doc.profile.clause_hanging = true;
    let bytes = render(&doc).expect("docx");
    let got = text_of(&bytes);
    assert_eq!(got, expected_text(&doc));
    assert!(
        got.iter()
            .any(|p| p == "3.1.\tОбеспечить разработку планов.")
    );
    let xml = docx_xml(&bytes);
    let col = tw(12.5);
    assert!(
        xml.contains(&format!(r#"w:left="{}""#, col * 2)),
        "level-2 indent"
    );
    assert!(
        xml.contains(&format!(r#"w:hanging="{col}""#)),
        "hanging indent"
    );
}

fn headers_text(bytes: &[u8]) -> Vec<String> {
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = Vec::new();
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        if f.name().starts_with("word/header") {
            let mut s = String::new();
            f.read_to_string(&mut s).expect("read");
            out.push(s);
        }
    }
    out
}

#[test]
fn drafts_carry_the_draft_mark_on_every_page_and_final_documents_do_not() {
    let mut doc = sample::order(1);
    doc.meta.draft = true;
    let draft = headers_text(&render(&doc).expect("docx"));
    assert_eq!(draft.len(), 2, "first-page and other-page headers");
    assert!(draft.iter().all(|h| h.contains("ПРОЕКТ")));
    doc.meta.draft = false;
    let fin = headers_text(&render(&doc).expect("docx"));
    assert!(fin.iter().all(|h| !h.contains("ПРОЕКТ")));
}

#[test]
fn rows_are_kept_whole_when_asked() {
    let doc = sample::order(4);
    let xml = docx_xml(&render(&doc).expect("docx"));
    // Header rows (3), the section row and 4 activity rows.
    assert!(xml.matches("<w:cantSplit />").count() >= 8);
}

#[test]
fn grouped_header_uses_gridspan_and_vmerge() {
    let xml = docx_xml(&render(&sample::order(1)).expect("docx"));
    assert!(xml.contains(r#"<w:gridSpan w:val="2" />"#), "no gridSpan");
    assert!(
        xml.contains(r#"<w:vMerge w:val="restart" />"#),
        "no vMerge restart"
    );
    assert_eq!(xml.matches(r#"<w:vMerge w:val="continue" />"#).count(), 3);
}

fn hc(text: &str, colspan: u16, rowspan: u16) -> HeaderCell {
    HeaderCell::spanning(text, colspan, rowspan)
}

#[test]
fn every_table_row_spans_the_whole_grid_and_text_still_matches() {
    let mut doc = sample::order(1);
    let Body::Order(o) = &mut doc.body else {
        unreachable!("the sample is an order")
    };
    let wide = Cell {
        colspan: 7,
        ..Cell::text("шире таблицы")
    };
    o.appendices[0].blocks = vec![Block::Table(Table::grid(
        4,
        vec![
            vec![hc("A", 1, 2), hc("B", 3, 1)],
            vec![
                hc("C", 1, 1),
                hc("D", 1, 1),
                hc("E", 1, 1),
                hc("лишняя", 1, 1),
            ],
        ],
        vec![
            Row::Cells {
                id: None,
                cells: vec![Cell::text("короткая строка")],
            },
            Row::Cells {
                id: None,
                cells: vec![Cell::text("1"), wide, Cell::text("за краем")],
            },
        ],
    ))];
    let bytes = render(&doc).expect("docx");
    assert_eq!(text_of(&bytes), expected_text(&doc));
    let xml = docx_xml(&bytes);
    let table = &xml[xml.find("<w:tbl>").expect("table")..];
    let table = &table[..table.find("</w:tbl>").expect("end")];
    let rows: Vec<&str> = table.split("<w:tr>").skip(1).collect();
    assert_eq!(rows.len(), 4);
    for row in rows {
        let cells = row.matches("<w:tc>").count();
        let extra: usize = row
            .split(r#"<w:gridSpan w:val=""#)
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse::<usize>().ok())
            .map(|n| n - 1)
            .sum();
        assert_eq!(cells + extra, 4, "{row}");
    }
}

#[test]
fn markup_characters_appear_literally() {
    let mut doc = sample::order(1);
    if let Body::Order(o) = &mut doc.body {
        o.title = "Об <опасном> & «хитром» тексте".into();
    }
    let got = text_of(&render(&doc).expect("docx"));
    assert!(got.iter().any(|p| p == "Об <опасном> & «хитром» тексте"));
    assert!(got.iter().any(|p| p.contains(sample::MARKUP_TEXT)));
}

#[test]
fn landscape_appendix_is_its_own_landscape_section() {
    let xml = docx_xml(&render(&sample::order(1)).expect("docx"));
    assert!(
        xml.contains(r#"w:orient="landscape""#),
        "no landscape section"
    );
    let portrait = format!(r#"<w:pgSz w:w="{}" w:h="{}""#, tw(A4_W_MM), tw(A4_H_MM));
    let landscape = format!(r#"<w:pgSz w:w="{}" w:h="{}""#, tw(A4_H_MM), tw(A4_W_MM));
    assert!(xml.contains(&portrait) && xml.contains(&landscape), "{xml}");
}

#[test]
fn page_numbers_start_on_page_two() {
    let bytes = render(&sample::order(1)).expect("docx");
    let xml = docx_xml(&bytes);
    assert!(xml.contains("<w:titlePg />"), "no titlePg");
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut with_page = 0;
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        if f.name().starts_with("word/header") {
            let mut s = String::new();
            f.read_to_string(&mut s).expect("read");
            if s.contains("PAGE") {
                with_page += 1;
            }
        }
    }
    assert_eq!(with_page, 1, "one header with the PAGE field");
}

fn styles_xml(bytes: &[u8]) -> String {
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut s = String::new();
    zin.by_name("word/styles.xml")
        .expect("styles.xml")
        .read_to_string(&mut s)
        .expect("read");
    s
}

#[test]
fn stamp_sits_at_the_right_margin_on_landscape_pages_too() {
    let bytes = render(&sample::order(1)).expect("docx");
    let styles = styles_xml(&bytes);
    let m = sample::profile().margins_mm;
    for (id, page_w) in [(STAMP_STYLE, A4_W_MM), (STAMP_LANDSCAPE_STYLE, A4_H_MM)] {
        let at = styles
            .find(&format!(r#"w:styleId="{id}""#))
            .unwrap_or_else(|| panic!("no style {id}"));
        let left = tw(page_w - m.left - m.right - STAMP_WIDTH_MM);
        let style = &styles[at..at + styles[at..].find("</w:style>").expect("end")];
        assert!(style.contains(&format!(r#"w:left="{left}""#)), "{style}");
    }
    // The sample's appendix is landscape: its stamp uses the landscape style.
    let xml = docx_xml(&bytes);
    assert!(xml.contains(&format!(r#"w:val="{}""#, STAMP_LANDSCAPE_STYLE)));
    assert!(!xml.contains(&format!(r#"w:val="{}""#, STAMP_STYLE)));
}

#[test]
fn electronic_signature_mark_sits_between_position_and_name() {
    let mut doc = sample::order(1);
    let Body::Order(o) = &mut doc.body else {
        unreachable!("the sample is an order")
    };
    o.signature.electronic = Some(ElectronicSignature {
        lines: vec![
            "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ".into(),
            "Сертификат 01AB".into(),
            "Владелец Хнычева Д.С.".into(),
        ],
    });
    let bytes = render(&doc).expect("docx");
    let got = text_of(&bytes);
    assert_eq!(got, expected_text(&doc));
    let at = got
        .iter()
        .position(|p| p == "И.о. министра")
        .expect("position");
    assert!(got[at + 1].starts_with("ДОКУМЕНТ ПОДПИСАН"));
    assert_eq!(got[at + 2], "Д.С.\u{a0}Хнычева");
    let xml = docx_xml(&bytes);
    let table = &xml[xml.find("<w:tbl>").expect("table")..];
    let table = &table[..table.find("</w:tbl>").expect("end")];
    assert_eq!(table.matches("<w:gridCol ").count(), 3, "{table}");
    assert_eq!(
        table
            .matches(&format!(r#"w:sz="{ESIG_RULE_EIGHTHS}""#))
            .count(),
        4,
        "a frame around the mark only: {table}"
    );
}

#[test]
fn table_rules_are_half_a_point_like_the_pdf() {
    let xml = docx_xml(&render(&sample::order(1)).expect("docx"));
    let borders = &xml[xml.find("<w:tblBorders>").expect("borders")..];
    let borders = &borders[..borders.find("</w:tblBorders>").expect("end")];
    assert_eq!(borders.matches(r#"w:val="single" w:sz="4""#).count(), 6);
}

#[test]
fn letter_spacing_is_character_spacing_not_spaces() {
    let doc = sample::order(1);
    let xml = docx_xml(&render(&doc).expect("docx"));
    let fs = doc.profile.font_size_pt;
    for twips in [
        tracking(DOC_KIND_TRACKING_EM, fs + METRICS.doc_kind_size_step_pt),
        tracking(OPERATIVE_TRACKING_EM, fs),
    ] {
        assert!(xml.contains(&format!(r#"<w:spacing w:val="{twips}" />"#)));
    }
    assert!(xml.contains(">ПРИКАЗ<") && xml.contains(">приказываю:<"));
}

#[test]
fn properties_carry_title_author_language_and_the_order_date() {
    let bytes = render(&sample::order(1)).expect("docx");
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut core = String::new();
    zin.by_name("docProps/core.xml")
        .expect("core")
        .read_to_string(&mut core)
        .expect("read");
    assert!(core.contains("<dc:title>Об утверждении плана"), "{core}");
    assert!(
        core.contains("<dc:creator>Министерство образования"),
        "{core}"
    );
    assert!(core.contains("2024-10-31T00:00:00Z"), "{core}");
    let mut styles = String::new();
    zin.by_name("word/styles.xml")
        .expect("styles")
        .read_to_string(&mut styles)
        .expect("read");
    assert!(styles.contains(r#"<w:lang w:val="ru-RU""#), "no language");
}

/// The gap around the document kind is the PDF's (`model::metrics`): ems of
/// the body text, in twips, after the letterhead and after the kind.
#[test]
fn docx_letterhead_gaps_are_the_pdf_measures() {
    let doc = sample::order(1);
    let styles = String::from_utf8(crate::common::zip_part(
        &prikaz::render::docx::render(&doc).expect("docx"),
        "word/styles.xml",
    ))
    .expect("utf-8");
    let gap = (METRICS.doc_kind_gap_em * doc.profile.font_size_pt * 20.0).round() as u32;
    for style in ["PrikazLetterhead", "PrikazDocKind"] {
        let at = styles
            .find(&format!(r#"w:styleId="{style}""#))
            .unwrap_or_else(|| panic!("{style}"));
        let end = at + styles[at..].find("</w:style>").expect("end");
        assert!(
            styles[at..end].contains(&format!(r#"w:after="{gap}""#)),
            "{style}: {}",
            &styles[at..end]
        );
    }
}

/// Whatever reaches the writer, the DOCX stays valid XML: characters XML
/// does not allow are left out (`check` refuses them before a build).
#[test]
fn characters_xml_does_not_allow_never_reach_the_docx() {
    let mut doc = sample::order(1);
    if let Body::Order(o) = &mut doc.body {
        o.title = "Об\u{1}утверждении\u{c} плана\u{fffe}".into();
    }
    let xml = docx_xml(&prikaz::render::docx::render(&doc).expect("docx"));
    assert!(
        xml.contains("Обутверждении плана"),
        "the text around them stays"
    );
    let bad = xml
        .chars()
        .find(|c| matches!(*c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'));
    assert_eq!(bad, None);
}
