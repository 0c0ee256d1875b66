//! Appendix, document and bundle files, and the blocks they are made of:
//! paragraphs, lists, activity, indicator, generic and marker tables, groups.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::order::{ItemStyle, Status};
use super::registry::StampKind;
use super::{Date, Spanned, Text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    Portrait,
    Landscape,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Приложение к приказу")]
pub struct AppendixFile {
    #[schemars(description = "Вид файла: appendix")]
    pub kind: Text,
    pub id: Text,
    #[schemars(description = "Заголовок приложения; строки разделяются переводом строки")]
    pub title: Text,
    #[schemars(
        description = "appendix, grif или both (обе отметки); по умолчанию из профиля органа"
    )]
    pub stamp: Option<Spanned<StampKind>>,
    #[schemars(
        description = "Утверждаемый документ для грифа: план, программа, дорожная карта, положение …"
    )]
    pub noun: Option<Text>,
    pub orientation: Option<Spanned<Orientation>>,
    #[serde(default)]
    pub blocks: Vec<Spanned<BlockSpec>>,
    #[serde(default)]
    pub allow: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Самостоятельный документ (дорожная карта, программа) без приказа")]
pub struct DocumentFile {
    #[schemars(description = "Вид файла: document")]
    pub kind: Text,
    pub id: Text,
    #[schemars(description = "Орган или учреждение-разработчик (идентификатор организации)")]
    pub issuer: Option<Text>,
    #[schemars(description = "Заголовок; строки разделяются переводом строки")]
    pub title: Text,
    pub period: Option<Text>,
    pub date: Option<Spanned<Date>>,
    pub status: Option<Spanned<Status>>,
    pub orientation: Option<Spanned<Orientation>>,
    #[serde(default)]
    pub blocks: Vec<Spanned<BlockSpec>>,
    #[serde(default)]
    pub allow: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Сборник приказов с обложкой и содержанием")]
pub struct BundleFile {
    #[schemars(description = "Вид файла: bundle")]
    pub kind: Text,
    pub id: Text,
    pub title: Text,
    #[serde(default)]
    #[schemars(description = "Строки обложки")]
    pub cover: Vec<Text>,
    #[schemars(description = "Сколько первых строк обложки печатать полужирным; по умолчанию все")]
    pub cover_bold: Option<Spanned<u32>>,
    #[schemars(description = "Заголовок содержания; по умолчанию «Содержание»")]
    pub contents_title: Option<Text>,
    #[schemars(
        description = "Вид документа в строке содержания; по умолчанию «Приказ» («Приказ Министерства … от … № … «…»»)"
    )]
    pub entry_kind: Option<Text>,
    #[schemars(description = "Заголовок графы номеров страниц в содержании; по умолчанию «стр.»")]
    pub page_label: Option<Text>,
    #[schemars(description = "Приказы (идентификаторы) по порядку")]
    pub orders: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(description = "Блок приложения или документа")]
pub enum BlockSpec {
    #[schemars(description = "Заголовок раздела")]
    Heading(Text),
    #[schemars(
        description = "Абзац текста (список с тире — блок list или строки «– » в ячейке таблицы)"
    )]
    Paragraph(Text),
    List(ListSpec),
    #[schemars(description = "План мероприятий")]
    Activities(ActivityTable),
    #[schemars(description = "Целевые показатели по годам")]
    Indicators(IndicatorTable),
    #[schemars(description = "Таблица с произвольной шапкой")]
    Table(GenericTable),
    #[schemars(description = "Матрица отметок 0/1 с вычисляемыми критериями")]
    Markers(MarkerMatrix),
    #[schemars(description = "Сгруппированные списки (например, кластеры школ)")]
    Groups(GroupedList),
    #[schemars(description = "Обозначения: расшифровка сокращений из реестра")]
    Glossary(Glossary),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListSpec {
    pub style: Option<Spanned<ItemStyle>>,
    pub items: Vec<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Numbering {
    /// 1, 1.1, 1.2, 2, 2.1
    Hierarchical,
    /// 1 … 39 across sections
    Continuous,
    /// only section rows are numbered
    Sections,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EmphasisSpec {
    Plain,
    Bold,
    Italic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    Text,
    Deadline,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "План мероприятий")]
pub struct ActivityTable {
    pub id: Option<Text>,
    #[schemars(description = "Подпись над таблицей")]
    pub caption: Option<Text>,
    #[schemars(
        description = "hierarchical (1.1), continuous (1…39), sections (только разделы), none"
    )]
    pub numbering: Option<Spanned<Numbering>>,
    #[schemars(description = "Точка после номера: «1.»")]
    pub number_dot: Option<Spanned<bool>>,
    #[schemars(description = "Заголовок графы номера; по умолчанию «№»")]
    pub number_title: Option<Text>,
    #[schemars(description = "Строка с номерами граф 1 2 3 … под шапкой")]
    pub number_row: Option<Spanned<bool>>,
    #[schemars(description = "Оформление строк разделов: plain, bold, italic")]
    pub section_style: Option<Spanned<EmphasisSpec>>,
    #[schemars(description = "Графы таблицы (кроме графы номера)")]
    pub columns: Vec<ColumnSpec>,
    #[serde(default)]
    #[schemars(description = "Разделы с мероприятиями")]
    pub sections: Vec<Section>,
    #[serde(default)]
    #[schemars(description = "Мероприятия без разделов")]
    pub rows: Vec<Spanned<RowSpec>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    #[schemars(description = "Ключ графы в строках: activity, audience, deadline …")]
    pub key: Text,
    #[schemars(description = "Заголовок графы")]
    pub title: Text,
    #[serde(rename = "type")]
    #[schemars(description = "text или deadline (срок проверяется и нормализуется)")]
    pub kind: Option<Spanned<ColumnType>>,
    #[schemars(description = "Относительная ширина")]
    pub width: Option<Spanned<f32>>,
    #[serde(default)]
    #[schemars(description = "Графа может быть пустой")]
    pub optional: bool,
    #[serde(default)]
    #[schemars(description = "Выравнивание по центру")]
    pub center: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: Option<Text>,
    pub title: Text,
    #[schemars(description = "Номер, зафиксированный вручную")]
    pub number: Option<Text>,
    #[serde(default)]
    pub rows: Vec<Spanned<RowSpec>>,
}

/// A row of an activity table: `id`, `number`, `allow`, and one text per column key.
#[derive(Debug, Clone, Default)]
pub struct RowSpec {
    pub id: Option<Text>,
    pub number: Option<Text>,
    pub allow: Vec<Text>,
    /// (column key, cell text) in the order written.
    pub cells: Vec<(Text, Text)>,
}

impl RowSpec {
    pub fn cell(&self, key: &str) -> Option<&Text> {
        self.cells
            .iter()
            .find(|(k, _)| k.get() == key)
            .map(|(_, v)| v)
    }
}

impl<'de> Deserialize<'de> for RowSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = RowSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("строка таблицы: словарь «графа: текст»")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RowSpec, A::Error> {
                let mut row = RowSpec::default();
                while let Some(key) = map.next_key::<Text>()? {
                    match key.get().as_str() {
                        "id" => row.id = Some(map.next_value()?),
                        "number" => row.number = Some(map.next_value()?),
                        "allow" => row.allow = map.next_value()?,
                        _ => {
                            let v: Text = map.next_value()?;
                            row.cells.push((key, v));
                        }
                    }
                }
                Ok(row)
            }
        }
        d.deserialize_map(RowVisitor)
    }
}

impl JsonSchema for RowSpec {
    fn schema_name() -> Cow<'static, str> {
        "Row".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "Мероприятие: id, необязательный number и текст по ключу каждой графы",
            "properties": {
                "id": {"type": "string", "description": "Устойчивый идентификатор строки"},
                "number": {"type": "string", "description": "Номер, зафиксированный вручную"},
                "allow": {"type": "array", "items": {"type": "string"}, "description": "Отключённые правила"}
            },
            "additionalProperties": {"type": "string"}
        })
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Целевые показатели по годам")]
pub struct IndicatorTable {
    pub caption: Option<Text>,
    #[schemars(description = "Заголовок графы показателя")]
    pub indicator_title: Option<Text>,
    #[schemars(description = "Заголовок графы единицы измерения")]
    pub unit_title: Option<Text>,
    #[schemars(description = "Заголовок графы базового значения (если есть)")]
    pub baseline_title: Option<Text>,
    #[schemars(description = "Годы, по которым заданы значения")]
    pub years: Spanned<Vec<Spanned<i32>>>,
    pub rows: Vec<IndicatorRow>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorRow {
    pub id: Option<Text>,
    pub indicator: Text,
    pub unit: Text,
    pub baseline: Option<Text>,
    #[schemars(description = "Значение на каждый год из years")]
    pub values: Spanned<Vec<Text>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Таблица с многоуровневой шапкой")]
pub struct GenericTable {
    pub caption: Option<Text>,
    #[schemars(description = "Строки шапки; ячейка — текст или {text, colspan, rowspan, style}")]
    pub header: Vec<Vec<Spanned<HeaderCellSpec>>>,
    #[schemars(description = "Начертание всей шапки: plain (по умолчанию), bold или italic")]
    pub header_style: Option<Spanned<EmphasisSpec>>,
    pub widths: Option<Spanned<Vec<f32>>>,
    #[schemars(
        description = "Выравнивание текста граф по порядку: left, center, right или justify; по умолчанию left"
    )]
    pub align: Option<Spanned<Vec<ColumnAlign>>>,
    pub number_row: Option<Spanned<bool>>,
    pub rows: Vec<Spanned<Vec<Text>>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum HeaderCellSpec {
    Text(String),
    /// A year or another number typed without quotes (`[2023, 2024]`).
    Number(i64),
    Span {
        text: String,
        #[serde(default)]
        colspan: Option<u16>,
        #[serde(default)]
        rowspan: Option<u16>,
        /// This cell's emphasis, over the table's `header_style`.
        #[serde(default)]
        style: Option<EmphasisSpec>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ColumnAlign {
    Left,
    Center,
    Right,
    Justify,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Матрица отметок: строки × группы граф (процедуры × годы)")]
pub struct MarkerMatrix {
    pub caption: Option<Text>,
    #[schemars(description = "Заголовок графы строк")]
    pub row_title: Text,
    pub groups: Vec<MarkerGroup>,
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    #[schemars(description = "Общий заголовок над графами критериев («Критерии отнесения»)")]
    pub criteria_title: Option<Text>,
    pub rows: Vec<MarkerRow>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkerGroup {
    pub id: Text,
    pub title: Text,
    pub columns: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Критерий: 1, если отметок 1 в указанных группах не меньше at_least")]
pub struct Criterion {
    pub id: Text,
    pub title: Text,
    #[schemars(description = "Выполнен, если отметок «1» в выбранных графах не меньше N")]
    pub at_least: Option<Spanned<u32>>,
    #[schemars(
        description = "Выполнен, если «1» стоят N раз подряд по одной процедуре: в соседних группах на одном месте (along: groups, по умолчанию; группы — годы) или в соседних графах одной группы (along: columns; графы — годы)"
    )]
    pub consecutive: Option<Spanned<u32>>,
    #[schemars(description = "Для consecutive: groups (по умолчанию) или columns")]
    pub along: Option<Spanned<Along>>,
    #[schemars(description = "Выполнен, если хотя бы одна «1» в выбранных графах")]
    pub any: Option<Spanned<bool>>,
    #[schemars(description = "Выполнен, если «1» во всех выбранных графах")]
    pub all: Option<Spanned<bool>>,
    #[serde(default)]
    #[schemars(description = "Группы (идентификаторы); пусто — все")]
    pub groups: Vec<Text>,
    #[serde(default)]
    #[schemars(description = "Графы (заголовки) внутри групп; пусто — все")]
    pub columns: Vec<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Along {
    Groups,
    Columns,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkerRow {
    #[schemars(description = "Учреждение (идентификатор из реестра)")]
    pub institution: Option<Text>,
    #[schemars(description = "Подпись строки, если учреждения нет в реестре")]
    pub label: Option<Text>,
    #[schemars(description = "Отметки 0/1 по всем графам всех групп по порядку")]
    pub markers: Spanned<Vec<Spanned<u8>>>,
    #[schemars(description = "Значения критериев, как они указаны в документе (проверяются)")]
    pub criteria: Option<Spanned<Vec<Spanned<u8>>>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupedList {
    pub caption: Option<Text>,
    #[schemars(
        description = "Нумерация пунктов: per_group (в каждой группе с 1, по умолчанию) или continuous (сквозная)"
    )]
    pub numbering: Option<Spanned<GroupNumbering>>,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupNumbering {
    PerGroup,
    Continuous,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub title: Text,
    pub items: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    #[schemars(description = "Заголовок; по умолчанию «Обозначения»")]
    pub title: Option<Text>,
    #[schemars(description = "Сокращения из реестра")]
    pub terms: Vec<Text>,
}
