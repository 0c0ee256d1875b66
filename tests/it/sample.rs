//! A hand-built model used by the backend tests and by `benches/build.rs`
//! (which includes this file) before (and besides) the plan pipeline: it
//! exercises every construct of the model and carries text that looks like
//! markup, which must print literally.

use prikaz::model::*;

pub const MARKUP_TEXT: &str = "Символы # $ * _ [ ] \\ < @ // /* ` #import \"/etc/passwd\" #set page(width: 1cm) печатаются как есть";

pub fn profile() -> Profile {
    Profile {
        template: "default".into(),
        margins_mm: Margins {
            left: 30.0,
            right: 10.0,
            top: 20.0,
            bottom: 20.0,
        },
        font_family: "Times New Roman".into(),
        pdf_font_family: "Liberation Serif".into(),
        font_size_pt: 14.0,
        table_font_size_pt: 12.0,
        small_font_size_pt: 10.0,
        line_spacing: 1.0,
        first_line_indent_mm: 12.5,
        page_numbers_from: 2,
        appendix_page_restart: false,
        title_bold: true,
        title_align: Align::Center,
        letterhead_bold: true,
        clause_hanging: false,
        hyphenate: false,
        repeat_numbers_only: false,
    }
}

fn clause(marker: &str, kind: MarkerKind, level: u8, text: &str, children: Vec<Clause>) -> Clause {
    Clause {
        id: None,
        marker: marker.into(),
        marker_kind: kind,
        level,
        text: text.into(),
        children,
    }
}

pub fn activity_table(rows: usize) -> Table {
    let mut body = vec![Row::Section {
        id: Some("management".into()),
        text: "1. Организационно-управленческое направление".into(),
        style: Emphasis::Bold,
    }];
    for i in 0..rows {
        body.push(Row::Cells {
            id: Some(format!("row-{}", i + 1)),
            cells: vec![
                Cell::text(format!("1.{}", i + 1)),
                Cell {
                    paras: vec![
                        Para::plain(None, format!("Мероприятие {} с\u{a0}длинным текстом, который переносится на несколько строк в\u{a0}ячейке таблицы", i + 1)),
                        Para::plain(Some("–".into()), "по выявлению кластеров школ;"),
                        Para::plain(Some("–".into()), MARKUP_TEXT),
                    ],
                    colspan: 1,
                    size_pt: None,
                },
                Cell::text("ОМСУ, МОЦ, ОО"),
                Cell::text("ноябрь 2024\u{a0}г."),
                Cell::text("ГАУ ДПО СОИРО"),
            ],
        });
    }
    Table {
        id: None,
        keys: Vec::new(),
        caption: None,
        widths: vec![1.0, 6.0, 2.0, 2.0, 3.0],
        header: vec![
            vec![
                HeaderCell {
                    text: "№".into(),
                    colspan: 1,
                    rowspan: 2,
                    rotate: false,
                    emphasis: Emphasis::Plain,
                },
                HeaderCell {
                    text: "Мероприятие".into(),
                    colspan: 1,
                    rowspan: 2,
                    rotate: false,
                    emphasis: Emphasis::Plain,
                },
                HeaderCell {
                    text: "Целевая аудитория".into(),
                    colspan: 1,
                    rowspan: 2,
                    rotate: false,
                    emphasis: Emphasis::Plain,
                },
                HeaderCell {
                    text: "Исполнение".into(),
                    colspan: 2,
                    rowspan: 1,
                    rotate: false,
                    emphasis: Emphasis::Plain,
                },
            ],
            vec![
                HeaderCell {
                    text: "Сроки".into(),
                    colspan: 1,
                    rowspan: 1,
                    rotate: false,
                    emphasis: Emphasis::Plain,
                },
                HeaderCell {
                    text: "Ответственный".into(),
                    colspan: 1,
                    rowspan: 1,
                    rotate: false,
                    emphasis: Emphasis::Plain,
                },
            ],
        ],
        number_row: true,
        rows: body,
        keep_rows: true,
        align: vec![
            Align::Center,
            Align::Left,
            Align::Left,
            Align::Center,
            Align::Left,
        ],
        hyphenate: Vec::new(),
        tall_rows: Vec::new(),
        font_scale: 1.0,
        places: Places::default(),
    }
}

/// An order with one appendix holding an activity table of `rows` rows.
pub fn order(rows: usize) -> Document {
    let order = Order {
        issuer_gen: "Министерства образования и науки Смоленской области".into(),
        letterhead: Letterhead {
            emblem: None,
            parent_lines: vec![],
            body_lines: vec!["МИНИСТЕРСТВО ОБРАЗОВАНИЯ И НАУКИ".into(), "СМОЛЕНСКОЙ ОБЛАСТИ".into()],
            doc_kind: "ПРИКАЗ".into(),
            doc_kind_spaced: true,
            date: "31.10.2024".into(),
            number: "№\u{a0}978-ОД".into(),
            place: Some("г.\u{a0}Смоленск".into()),
        },
        title: "Об утверждении плана мероприятий («дорожной карты») по\u{a0}организации адресной поддержки школ".into(),
        preamble: vec![format!("Во исполнение приказа Департамента от 08.06.2022 №\u{a0}548-ОД «Об утверждении Концепции» {MARKUP_TEXT},")],
        operative: Operative { text: "приказываю:".into(), style: OperativeStyle::Spaced },
        clauses: vec![
            clause("1.", MarkerKind::Number, 1, "Утвердить план мероприятий (приложение).", vec![]),
            clause("2.", MarkerKind::Number, 1, "Государственному автономному учреждению «Смоленский областной институт развития образования» (В.А.\u{a0}Фоминых):", vec![
                clause("–", MarkerKind::Dash, 2, "обеспечить сопровождение;", vec![]),
                clause("–", MarkerKind::Dash, 2, "предоставить отчет в\u{a0}срок до 20.07.2025.", vec![]),
            ]),
            clause("3.", MarkerKind::Number, 1, "Руководителям:", vec![
                clause("3.1.", MarkerKind::Number, 2, "Обеспечить разработку планов.", vec![
                    clause("а)", MarkerKind::Letter, 3, "муниципальных;", vec![]),
                ]),
            ]),
            clause("4.", MarkerKind::Number, 1, "Контроль за исполнением настоящего приказа возложить на заместителя министра Н.В.\u{a0}Шелабину.", vec![]),
        ],
        signature: Signature { position_lines: vec!["И.о. министра".into()], name: "Д.С.\u{a0}Хнычева".into(), electronic: None },
        visas: vec![],
        executor: Some(Executor { lines: vec!["Иванова Мария Петровна".into(), "8 (4812) 00-00-00".into()] }),
        approval_sheet: None,
        qr: None,
        appendices: vec![Appendix {
            id: "plan".into(),
            stamp: vec!["Приложение".into(), "к приказу Министерства образования".into(), "и науки Смоленской области".into(), "от 31.10.2024 №\u{a0}978-ОД".into()],
            title: vec!["ПЛАН МЕРОПРИЯТИЙ («дорожная карта»)".into(), "по организации адресной поддержки школ".into()],
            landscape: true,
            blocks: vec![
                Block::Paragraph { text: "Вводный абзац приложения.".into() },
                Block::Table(activity_table(rows)),
                Block::Heading { text: "Обозначения".into() },
                Block::List(List { items: vec![ListItem { marker: "–".into(), text: "ОМСУ – органы местного самоуправления".into() }] }),
            ],
        }],
    };
    Document {
        id: "order".into(),
        file_stem: "2024-10-31_978-ОД".into(),
        meta: Meta {
            title: order.title.clone(),
            author: "Министерство образования и науки Смоленской области".into(),
            language: "ru".into(),
            draft: true,
            date: Some("2024-10-31".into()),
        },
        profile: profile(),
        body: Body::Order(order),
    }
}

/// Puts a small red PNG emblem on the letterhead of an order (for backend tests).
pub fn with_emblem(doc: &mut Document) {
    let img = image::RgbImage::from_pixel(30, 36, image::Rgb([200, 30, 30]));
    let mut png = std::io::Cursor::new(Vec::new());
    if img.write_to(&mut png, image::ImageFormat::Png).is_err() {
        return;
    }
    if let Body::Order(o) = &mut doc.body {
        o.letterhead.emblem = Some(Emblem {
            path: "/assets/emblem-x.png".into(),
            bytes: png.into_inner(),
            height_mm: 16.0,
        });
    }
}
