//! Paragraphs: the order from letterhead to executor (clauses, signature,
//! visas), appendix stamps and titles, and the blocks of an appendix.

use std::io::Cursor;

use docx_rs::{
    BreakType, Comment, CommentRangeStart, Paragraph, ParagraphChild, Run, SpecialIndentType, Tab,
    TabValueType, Table as DTable, TableCell, TableCellBorder, TableCellBorderPosition,
    TableCellBorders, TableRow, WidthType,
};

use super::styles::{Page, st};
use super::{Ctx, Item, eighths, tables, tw};
use crate::model::metrics::METRICS;
use crate::model::*;

/// Character spacing (twips) of `em` at a font size of `pt` points.
fn tracking(em: f32, pt: f32) -> i32 {
    (em * pt * 20.0).round().clamp(0.0, 1584.0) as i32
}

/// A paragraph of one style and one text; lines split at `\n` become line breaks.
pub(super) fn para(style: &str, text: &str) -> Paragraph {
    let mut run = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    Paragraph::new().style(style).add_run(run)
}

pub(super) fn lines_para(style: &str, lines: &[String]) -> Paragraph {
    para(style, &lines.join("\n"))
}

/// The order itself, letterhead to executor: the items of its first section.
pub(super) fn order(ctx: &mut Ctx, o: &Order) -> Vec<Item> {
    let page = ctx.page(false);
    let mut items = letterhead(ctx.prof, &o.letterhead, o.qr.as_ref(), page);
    items.push(Item::P(para(st::TITLE, &o.title)));
    for p in &o.preamble {
        items.push(Item::P(para(st::BODY, p)));
    }
    let mut op = Run::new().add_text(&o.operative.text);
    if o.operative.style == OperativeStyle::Spaced {
        op = op.character_spacing(tracking(
            METRICS.operative_tracking_em,
            ctx.prof.font_size_pt,
        ));
    }
    items.push(Item::P(Paragraph::new().style(st::OPERATIVE).add_run(op)));
    // Approvers' remarks on a clause: Word's comments, anchored at it.
    let comments: Vec<(usize, &ClauseComment)> = o
        .clause_comments()
        .enumerate()
        .map(|(i, c)| (ctx.comments + i + 1, c))
        .collect();
    ctx.comments += comments.len();
    clauses(&mut items, &o.clauses, ctx.prof, &comments);
    signature(ctx, &mut items, &o.signature, page);
    for v in &o.visas {
        let mut text = format!("{}\t{}\t{}", v.position, v.name, v.date);
        if let Some(r) = &v.remarks {
            text.push('\n');
            text.push_str(r);
        }
        items.push(Item::P(tabbed(st::VISA, &text, page)));
    }
    if let Some(e) = &o.executor {
        items.push(Item::P(lines_para(st::EXECUTOR, &e.lines)));
    }
    items
}

/// The letterhead: the emblem, the issuer's name (the QR code anchored to
/// it), the kind of document, the date and number line, the place.
fn letterhead(prof: &Profile, lh: &Letterhead, qr: Option<&Qr>, page: Page) -> Vec<Item> {
    let mut items = Vec::new();
    if let Some(e) = &lh.emblem
        && let Some((png, w, h)) = emblem_png(&e.bytes)
    {
        // EMU: 36,000 per millimetre; the width keeps the image's proportions.
        let h_emu = (e.height_mm.max(1.0) * 36_000.0) as u32;
        let w_emu = (h_emu as f64 * w as f64 / h.max(1) as f64) as u32;
        let pic = docx_rs::Pic::new_with_dimensions(png, w, h).size(w_emu, h_emu);
        items.push(Item::P(
            Paragraph::new()
                .style(st::LETTERHEAD)
                .line_spacing(
                    docx_rs::LineSpacing::new()
                        .after((METRICS.emblem_gap_em * prof.font_size_pt * 20.0).round() as u32),
                )
                .add_run(Run::new().add_image(pic)),
        ));
    }
    let heading: Vec<String> = lh
        .parent_lines
        .iter()
        .chain(&lh.body_lines)
        .cloned()
        .collect();
    let mut head = lines_para(st::LETTERHEAD, &heading);
    if let Some(q) = qr
        && let Some(png) = qr_png(q)
    {
        // Anchored to the first page's bottom right corner, as the PDF places it.
        let side = (q.size_mm * 36_000.0) as u32;
        let px = (q.modules.len() * QR_PX) as u32;
        let pic = docx_rs::Pic::new_with_dimensions(png, px, px)
            .size(side, side)
            .floating()
            .position_h(docx_rs::DrawingPosition::Align(docx_rs::PicAlign::Right))
            .relative_from_h(docx_rs::RelativeFromHType::Margin)
            .position_v(docx_rs::DrawingPosition::Align(docx_rs::PicAlign::Bottom))
            .relative_from_v(docx_rs::RelativeFromVType::Margin);
        head = head.add_run(Run::new().add_image(pic));
    }
    items.push(Item::P(head));
    let mut kind = Run::new().add_text(&lh.doc_kind);
    if lh.doc_kind_spaced {
        // Letter-spacing by character spacing, never by typed spaces.
        kind = kind.character_spacing(tracking(
            METRICS.doc_kind_tracking_em,
            prof.font_size_pt + METRICS.doc_kind_size_step_pt,
        ));
    }
    items.push(Item::P(Paragraph::new().style(st::DOC_KIND).add_run(kind)));
    items.push(Item::P(
        Paragraph::new()
            .style(st::DATE_LINE)
            .add_tab(right_tab(page))
            .add_run(Run::new().add_text(&lh.date).add_tab().add_text(&lh.number)),
    ));
    if let Some(place) = &lh.place {
        items.push(Item::P(para(st::PLACE, place)));
    }
    items
}

/// The signature: a line of position and name, or the electronic-signature
/// table.
fn signature(ctx: &mut Ctx, items: &mut Vec<Item>, s: &Signature, page: Page) {
    match &s.electronic {
        Some(e) => {
            // An empty paragraph carries the space above the signature, which
            // a table cannot; then position | e-signature mark | name, the mark
            // between them as ГОСТ Р 7.0.97 and the PDF place it.
            items.push(Item::P(Paragraph::new().style(st::SIGNATURE)));
            items.push(Item::T(electronic_signature(s, e, page)));
            ctx.header_rows.push(0);
        }
        None => {
            // Position at the left, the name at the right margin on the line
            // of the last position line.
            let mut run = Run::new();
            let n = s.position_lines.len();
            for (i, l) in s.position_lines.iter().enumerate() {
                run = run.add_text(l);
                if i + 1 < n {
                    run = run.add_break(BreakType::TextWrapping);
                }
            }
            run = run.add_tab().add_text(&s.name);
            items.push(Item::P(
                Paragraph::new()
                    .style(st::SIGNATURE)
                    .add_tab(right_tab(page))
                    .add_run(run),
            ));
        }
    }
}

/// Pixels per QR module in the DOCX image (Word has no vector QR).
const QR_PX: usize = 8;

/// The QR code as a black-and-white PNG.
fn qr_png(q: &Qr) -> Option<Vec<u8>> {
    let n = q.modules.len();
    let side = (n * QR_PX) as u32;
    let img = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x as usize / QR_PX, y as usize / QR_PX);
        let dark = q
            .modules
            .get(my)
            .and_then(|r| r.as_bytes().get(mx))
            .is_some_and(|b| *b == b'1');
        image::Luma([if dark { 0 } else { 255 }])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).ok()?;
    Some(out.into_inner())
}

/// A borderless row of three cells: the position lines, the framed
/// electronic-signature mark, the name at the right margin.
fn electronic_signature(s: &Signature, e: &ElectronicSignature, page: Page) -> DTable {
    let mark = tw(METRICS.esign_width_mm).min(page.text_w.max(0));
    let side = ((page.text_w - mark) / 2).max(0) as usize;
    let mark = mark as usize;
    let frame = [
        TableCellBorderPosition::Top,
        TableCellBorderPosition::Left,
        TableCellBorderPosition::Bottom,
        TableCellBorderPosition::Right,
    ]
    .into_iter()
    .fold(TableCellBorders::with_empty(), |b, pos| {
        b.set(TableCellBorder::new(pos).size(eighths(METRICS.esign_rule_pt)))
    });
    let cell = |w: usize| {
        TableCell::new()
            .width(w, WidthType::Dxa)
            .vertical_align(docx_rs::VAlignType::Center)
    };
    DTable::without_borders(vec![
        TableRow::new(vec![
            cell(side).add_paragraph(lines_para(st::SIGNATURE_CELL, &s.position_lines)),
            cell(mark)
                .set_borders(frame)
                .add_paragraph(lines_para(st::ESIG, &e.lines)),
            cell(side).add_paragraph(para(st::SIGNATURE_NAME, &s.name)),
        ])
        .cant_split(),
    ])
    .set_grid(vec![side, mark, side])
    .width(side * 2 + mark, WidthType::Dxa)
    .layout(docx_rs::TableLayoutType::Fixed)
    .margins(docx_rs::TableCellMargins::new().margin(0, 0, 0, 0))
}

/// The emblem as PNG with its pixel size (docx-rs embeds PNG only); `None`
/// when the image cannot be decoded (check reports unreadable emblems).
fn emblem_png(bytes: &[u8]) -> Option<(Vec<u8>, u32, u32)> {
    let img = image::load_from_memory(bytes).ok()?;
    let (w, h) = (img.width(), img.height());
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some((bytes.to_vec(), w, h));
    }
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).ok()?;
    Some((out.into_inner(), w, h))
}

/// A right-aligned tab stop at the right margin (date line, signature).
fn right_tab(page: Page) -> Tab {
    Tab::new()
        .val(TabValueType::Right)
        .pos(page.text_w.max(0) as usize)
}

/// A paragraph whose `\t` become tabs (visas: position, name, date).
fn tabbed(style: &str, text: &str, page: Page) -> Paragraph {
    let mut run = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        for (j, cell) in line.split('\t').enumerate() {
            if j > 0 {
                run = run.add_tab();
            }
            run = run.add_text(cell);
        }
    }
    Paragraph::new()
        .style(style)
        .add_tab(
            Tab::new()
                .val(TabValueType::Left)
                .pos((page.text_w as f32 * 0.55) as usize),
        )
        .add_tab(
            Tab::new()
                .val(TabValueType::Right)
                .pos(page.text_w as usize),
        )
        .add_run(run)
}

/// A comment of Word holding `c`'s text, by `c`'s author, on its date.
fn word_comment(id: usize, c: &ClauseComment) -> Comment {
    let text = Paragraph::new().add_run(Run::new().add_text(&c.text));
    let comment = Comment::new(id).author(&c.author).add_paragraph(text);
    match &c.date {
        Some(d) => comment.date(d),
        None => comment,
    }
}

fn clauses(
    items: &mut Vec<Item>,
    cs: &[Clause],
    prof: &Profile,
    comments: &[(usize, &ClauseComment)],
) {
    for c in cs {
        let mut p = para(st::CLAUSE, &clause_text(c, prof.clause_hanging));
        for &(id, comment) in comments {
            if c.id.as_deref() == Some(comment.clause.as_str()) {
                // The whole paragraph is what the remarks are about.
                p.children.insert(
                    0,
                    ParagraphChild::CommentStart(Box::new(CommentRangeStart::new(word_comment(
                        id, comment,
                    )))),
                );
                p = p.add_comment_end(id);
            }
        }
        if prof.clause_hanging {
            // Hanging indent per level: the marker in its column, wrapped
            // lines aligned with the text (Word tabs to the hanging indent).
            let col = tw(prof.first_line_indent_mm);
            let level = i32::from(c.level.max(1));
            p = p.indent(
                Some(col * level),
                Some(SpecialIndentType::Hanging(col)),
                None,
                None,
            );
        }
        items.push(Item::P(p));
        clauses(items, &c.children, prof, comments);
    }
}

/// The printed text of a clause: its marker, then a no-break space (it must
/// not stretch in justified text) or, with hanging indents, a tab to the
/// text column; then its text.
pub fn clause_text(c: &Clause, hanging: bool) -> String {
    let sep = if hanging { '\t' } else { '\u{a0}' };
    format!("{}{sep}{}", c.marker, c.text)
}

pub(super) fn stamp_and_title(stamp: &[String], title: &[String], landscape: bool) -> Vec<Item> {
    let mut items = Vec::new();
    if !stamp.is_empty() {
        // The block sits at the right margin, which is further out on a landscape page.
        let style = if landscape {
            st::STAMP_LANDSCAPE
        } else {
            st::STAMP
        };
        items.push(Item::P(lines_para(style, stamp)));
    }
    if !title.is_empty() {
        items.push(Item::P(lines_para(st::APPENDIX_TITLE, title)));
    }
    items
}

pub(super) fn blocks(ctx: &mut Ctx, bs: &[Block], page: Page) -> Vec<Item> {
    let mut items = Vec::new();
    for b in bs {
        match b {
            Block::Heading { text } => items.push(Item::P(para(st::HEADING, text))),
            Block::Subheading { text } => items.push(Item::P(para(st::SUBHEADING, text))),
            Block::Paragraph { text } => items.push(Item::P(para(st::BODY, text))),
            Block::List(l) => {
                for it in &l.items {
                    items.push(Item::P(para(st::BODY, &list_item_text(it))));
                }
            }
            Block::Table(t) => {
                if let Some(c) = &t.caption {
                    items.push(Item::P(para(st::CAPTION, c)));
                }
                items.push(Item::T(tables::table(ctx, t, page)));
            }
        }
    }
    items
}

/// The printed text of a list item: marker, no-break space, text.
pub fn list_item_text(i: &ListItem) -> String {
    format!("{}\u{a0}{}", i.marker, i.text)
}
