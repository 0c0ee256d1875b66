//! Styles, fonts and page setup: every paragraph style the backend uses is
//! defined here once, from the profile; the page geometry of each section.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, PageMargin, PageOrientationType, RunFonts,
    Section, SpecialIndentType, Style, StyleType,
};

use super::{A4_H_MM, A4_W_MM, Ctx, tw};
use crate::model::Align;
use crate::model::metrics::METRICS;

fn half_points(pt: f32) -> usize {
    (pt * 2.0).round().max(2.0) as usize
}

/// Paragraph style ids: defined once in [`styles`], used by name everywhere.
pub(super) mod st {
    pub const BODY: &str = "PrikazBody";
    pub const LETTERHEAD: &str = "PrikazLetterhead";
    pub const DOC_KIND: &str = "PrikazDocKind";
    pub const DATE_LINE: &str = "PrikazDateLine";
    pub const PLACE: &str = "PrikazPlace";
    pub const TITLE: &str = "PrikazTitle";
    pub const OPERATIVE: &str = "PrikazOperative";
    pub const CLAUSE: &str = "PrikazClause";
    pub const SIGNATURE: &str = "PrikazSignature";
    pub const EXECUTOR: &str = "PrikazExecutor";
    pub const STAMP: &str = "PrikazStamp";
    pub const STAMP_LANDSCAPE: &str = "PrikazStampLandscape";
    pub const SIGNATURE_CELL: &str = "PrikazSignatureCell";
    pub const SIGNATURE_NAME: &str = "PrikazSignatureName";
    pub const ESIG: &str = "PrikazElectronicSignature";
    pub const APPENDIX_TITLE: &str = "PrikazAppendixTitle";
    pub const HEADING: &str = "PrikazHeading";
    pub const SUBHEADING: &str = "PrikazSubheading";
    pub const CAPTION: &str = "PrikazCaption";
    pub const TABLE_SECTION: &str = "PrikazTableSection";
    // The same, in a column that hyphenates (`Table::hyphenate`).
    pub const TABLE_TEXT_HY: &str = "PrikazTableTextHy";
    pub const TABLE_HEADER_HY: &str = "PrikazTableHeaderHy";
    pub const TABLE_DASH_HY: &str = "PrikazTableDashHy";
    pub const TABLE_TEXT: &str = "PrikazTableText";
    pub const TABLE_HEADER: &str = "PrikazTableHeader";
    pub const TABLE_DASH: &str = "PrikazTableDash";
    pub const PAGE_NUMBER: &str = "PrikazPageNumber";
    pub const DRAFT: &str = "PrikazDraftMark";
    pub const CONTENTS: &str = "PrikazContents";
    pub const CONTENTS_LABEL: &str = "PrikazContentsLabel";
    pub const COVER: &str = "PrikazCover";
    pub const VISA: &str = "PrikazVisa";
}

// ------------------------------------------------------------------ page setup

/// Geometry of one page orientation.
#[derive(Clone, Copy)]
pub(super) struct Page {
    /// Text width in twips.
    pub(super) text_w: i32,
}

impl Ctx<'_> {
    pub(super) fn page(&self, landscape: bool) -> Page {
        let m = &self.prof.margins_mm;
        let w = if landscape { A4_H_MM } else { A4_W_MM };
        Page {
            text_w: tw(w - m.left - m.right),
        }
    }

    pub(super) fn section_geometry(&self, s: Section, landscape: bool) -> Section {
        let (w, h) = if landscape {
            (A4_H_MM, A4_W_MM)
        } else {
            (A4_W_MM, A4_H_MM)
        };
        let mut size = docx_rs::PageSize::new().size(tw(w) as u32, tw(h) as u32);
        if landscape {
            size = size.orient(PageOrientationType::Landscape);
        }
        s.page_size(size).page_margin(self.margin())
    }

    /// The page setup of the last section, which docx-rs keeps at document
    /// level.
    pub(super) fn document_geometry(&self, docx: Docx, landscape: bool) -> Docx {
        let (w, h) = if landscape {
            (A4_H_MM, A4_W_MM)
        } else {
            (A4_W_MM, A4_H_MM)
        };
        let docx = docx
            .page_size(tw(w) as u32, tw(h) as u32)
            .page_margin(self.margin());
        if landscape {
            docx.page_orient(PageOrientationType::Landscape)
        } else {
            docx
        }
    }

    fn margin(&self) -> PageMargin {
        let m = &self.prof.margins_mm;
        PageMargin::new()
            .top(tw(m.top))
            .bottom(tw(m.bottom))
            .left(tw(m.left))
            .right(tw(m.right))
            .header(tw(m.top * 0.4))
            .footer(tw(m.bottom * 0.5))
    }
}

// ------------------------------------------------------------------ styles

/// Word's paragraph alignment for the model's.
pub(super) fn align_of(a: Align) -> AlignmentType {
    match a {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
        Align::Justify => AlignmentType::Both,
    }
}

/// An empty document with the profile's font, size and tab stop as defaults
/// and every style of [`styles`].
pub(super) fn document(ctx: &Ctx) -> Docx {
    let prof = ctx.prof;
    let font = RunFonts::new()
        .ascii(&prof.font_family)
        .hi_ansi(&prof.font_family)
        .east_asia(&prof.font_family)
        .cs(&prof.font_family);
    let mut docx = Docx::new()
        .default_fonts(font)
        .default_size(half_points(prof.font_size_pt))
        .default_tab_stop(tw(12.5) as usize);
    for s in styles(ctx) {
        docx = docx.add_style(s);
    }
    docx
}

/// A style whose paragraphs stay on a page with the next one: headings,
/// captions and section rows are never left alone at the bottom of a page.
fn keep_next(mut s: Style) -> Style {
    s.paragraph_property = s.paragraph_property.keep_next(true);
    s
}

fn styles(ctx: &Ctx) -> Vec<Style> {
    let p = ctx.prof;
    let size = half_points(p.font_size_pt);
    let table = half_points(p.table_font_size_pt);
    let small = half_points(p.small_font_size_pt);
    let line = (240.0 * p.line_spacing.clamp(1.0, 3.0)).round() as i32;
    let body_spacing = LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(line)
        .before(0)
        .after(0);
    let single = LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(240)
        .before(0)
        .after(0);
    let indent = tw(p.first_line_indent_mm);
    let text_w = |page_w: f32| page_w - p.margins_mm.left - p.margins_mm.right;
    let stamp_left = tw(text_w(A4_W_MM) - METRICS.stamp_width_mm).max(0);
    let stamp_left_landscape = tw(text_w(A4_H_MM) - METRICS.stamp_width_mm).max(0);
    // The gap above and below the document kind, as in the PDF: ems of the body text.
    let doc_kind_gap = (METRICS.doc_kind_gap_em * p.font_size_pt * 20.0).round() as u32;
    let base = |id: &str, name: &str| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on(st::BODY)
            .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), None, None)
            .align(AlignmentType::Left)
    };
    // Table text, page number and draft mark: table size, single spacing.
    let table_style =
        |id: &str, name: &str| base(id, name).size(table).line_spacing(single.clone());
    let title_align = align_of(p.title_align);
    let mut title = base(st::TITLE, "Заголовок приказа")
        .align(title_align)
        .line_spacing(single.clone().before(240).after(240));
    if p.title_bold {
        title = title.bold();
    }
    let mut letterhead = base(st::LETTERHEAD, "Бланк: наименование")
        .align(AlignmentType::Center)
        .line_spacing(single.clone().after(doc_kind_gap));
    if p.letterhead_bold {
        letterhead = letterhead.bold();
    }
    vec![
        Style::new(st::BODY, StyleType::Paragraph)
            .name("Текст приказа")
            .size(size)
            .align(AlignmentType::Both)
            .indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(indent)),
                None,
                None,
            )
            .line_spacing(body_spacing.clone()),
        letterhead,
        base(st::DOC_KIND, "Бланк: вид документа")
            .align(AlignmentType::Center)
            .bold()
            .size(half_points(p.font_size_pt + METRICS.doc_kind_size_step_pt))
            .line_spacing(single.clone().after(doc_kind_gap)),
        base(st::DATE_LINE, "Бланк: дата и номер"),
        base(st::PLACE, "Бланк: место издания")
            .align(AlignmentType::Center)
            .line_spacing(single.clone().before(120)),
        title,
        base(st::OPERATIVE, "Распорядительное слово"),
        Style::new(st::CLAUSE, StyleType::Paragraph)
            .name("Пункт приказа")
            .based_on(st::BODY),
        base(st::CONTENTS, "Содержание сборника").line_spacing(single.clone().after(120)),
        base(st::CONTENTS_LABEL, "Содержание: графа страниц")
            .align(AlignmentType::Right)
            .line_spacing(single.clone().after(60)),
        base(st::COVER, "Обложка сборника")
            .align(AlignmentType::Center)
            .size(half_points(p.font_size_pt + 2.0))
            .line_spacing(single.clone().before(2400)),
        base(st::SIGNATURE, "Подпись").line_spacing(single.clone().before(480)),
        base(st::EXECUTOR, "Исполнитель")
            .size(small)
            .line_spacing(single.clone().before(480)),
        base(st::STAMP, "Гриф приложения")
            .indent(
                Some(stamp_left),
                Some(SpecialIndentType::FirstLine(0)),
                None,
                None,
            )
            .line_spacing(single.clone().after(240)),
        base(st::STAMP_LANDSCAPE, "Гриф приложения (альбомная)")
            .based_on(st::STAMP)
            .indent(
                Some(stamp_left_landscape),
                Some(SpecialIndentType::FirstLine(0)),
                None,
                None,
            )
            .line_spacing(single.clone().after(240)),
        base(st::SIGNATURE_CELL, "Подпись: должность"),
        base(st::SIGNATURE_NAME, "Подпись: фамилия").align(AlignmentType::Right),
        base(st::ESIG, "Отметка об электронной подписи")
            .size(small)
            .indent(
                Some(tw(1.5)),
                Some(SpecialIndentType::FirstLine(0)),
                Some(tw(1.5)),
                None,
            )
            .line_spacing(single.clone().before(80).after(80)),
        keep_next(
            base(st::APPENDIX_TITLE, "Заголовок приложения")
                .align(AlignmentType::Center)
                .bold()
                .line_spacing(single.clone().after(240)),
        ),
        keep_next(
            base(st::HEADING, "Подзаголовок")
                .align(AlignmentType::Center)
                .bold()
                .line_spacing(single.clone().before(120).after(60)),
        ),
        // A group's title: bold, flush left, with the paragraph space of
        // the PDF above it, kept with its items.
        keep_next(
            base(st::SUBHEADING, "Заголовок группы")
                .bold()
                .line_spacing(single.clone().before(120)),
        ),
        keep_next(
            base(st::CAPTION, "Название таблицы")
                .align(AlignmentType::Center)
                .bold()
                .size(table)
                .line_spacing(single.clone().before(120).after(60)),
        ),
        // Visas in table type, as the PDF sets them.
        table_style(st::VISA, "Виза").line_spacing(single.clone().before(240)),
        table_style(st::TABLE_TEXT, "Текст таблицы"),
        Style::new(st::TABLE_TEXT_HY, StyleType::Paragraph)
            .name("Текст таблицы (с переносами)")
            .based_on(st::TABLE_TEXT),
        Style::new(st::TABLE_HEADER_HY, StyleType::Paragraph)
            .name("Шапка таблицы (с переносами)")
            .based_on(st::TABLE_HEADER),
        Style::new(st::TABLE_DASH_HY, StyleType::Paragraph)
            .name("Перечень в таблице (с переносами)")
            .based_on(st::TABLE_DASH),
        // A section row stays with the row under it (Word keeps a row whose
        // paragraphs keep with the next with the following row).
        keep_next(table_style(st::TABLE_SECTION, "Раздел таблицы")),
        table_style(st::TABLE_HEADER, "Шапка таблицы").align(AlignmentType::Center),
        table_style(st::TABLE_DASH, "Перечень в таблице").indent(
            Some(tw(3.0)),
            Some(SpecialIndentType::Hanging(tw(3.0))),
            None,
            None,
        ),
        table_style(st::PAGE_NUMBER, "Номер страницы").align(AlignmentType::Center),
        table_style(st::DRAFT, "Отметка «ПРОЕКТ»")
            .bold()
            .align(AlignmentType::Right),
    ]
}
