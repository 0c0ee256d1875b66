//! The registry file: organisations and their document profiles, people,
//! positions, institutions and abbreviations.

use schemars::JsonSchema;
use serde::Deserialize;

use super::{Date, Spanned, Text};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Реестр: организации, люди, должности, учреждения, сокращения")]
pub struct RegistryFile {
    #[schemars(description = "Вид файла: registry")]
    pub kind: Text,
    #[serde(default)]
    #[schemars(description = "Органы, издающие документы")]
    pub organisations: Vec<Organisation>,
    #[serde(default)]
    #[schemars(description = "Должностные лица")]
    pub people: Vec<Person>,
    #[serde(default)]
    #[schemars(description = "Должности и их падежные формы")]
    pub positions: Vec<Position>,
    #[serde(default)]
    #[schemars(description = "Учреждения (школы и др.) с каноническими названиями")]
    pub institutions: Vec<Institution>,
    #[serde(default)]
    #[schemars(description = "Сокращения и их полные формы")]
    pub abbreviations: Vec<Abbreviation>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Падежные формы")]
pub struct Cases {
    #[schemars(description = "Родительный падеж (кого? чего?)")]
    #[serde(rename = "gen")]
    pub genitive: Option<Text>,
    #[schemars(description = "Дательный падеж (кому? чему?)")]
    pub dat: Option<Text>,
    #[schemars(description = "Винительный падеж (кого? что?)")]
    pub acc: Option<Text>,
    #[schemars(description = "Творительный падеж (кем? чем?)")]
    pub ins: Option<Text>,
    #[schemars(description = "Предложный падеж (о ком? о чём?)")]
    pub pre: Option<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Организация, издающая документы")]
pub struct Organisation {
    #[schemars(description = "Идентификатор")]
    pub id: Text,
    #[schemars(description = "Полное наименование в именительном падеже")]
    pub name: Text,
    #[schemars(description = "Сокращённое наименование")]
    pub short: Option<Text>,
    #[serde(default)]
    #[schemars(description = "Наименование в падежах (gen — «приказ Министерства …»)")]
    pub cases: Cases,
    #[schemars(description = "Вышестоящий орган (идентификатор организации)")]
    pub parent: Option<Text>,
    #[schemars(description = "Место издания, например «г. Смоленск»")]
    pub place: Option<Text>,
    #[serde(default)]
    #[schemars(description = "Строки бланка с наименованием органа")]
    pub letterhead: Vec<Text>,
    #[schemars(
        description = "Файл герба или эмблемы (PNG или JPEG), путь относительно файла реестра, внутри репозитория"
    )]
    pub emblem: Option<Text>,
    #[serde(default)]
    #[schemars(description = "Индексы регистрации номеров: ОД, лс, р …")]
    pub registers: Vec<Text>,
    #[schemars(description = "Настройки оформления документов органа")]
    pub profile: Option<ProfileSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DateStyle {
    Numeric,
    Words,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OperativeStyleSpec {
    Line,
    Spaced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DashSpec {
    Em,
    En,
}

/// How deadlines are printed: as the clerk typed them, or rewritten into one
/// uniform form (which may abbreviate «года» to «г.» and dates in words to
/// digits, so a body opts into it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlinePrint {
    AsTyped,
    Normalized,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StampKind {
    Appendix,
    Grif,
    /// «Приложение № N к приказу …», then the «УТВЕРЖДЕН …» grif under it.
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AlignSpec {
    Left,
    Center,
}

/// What of a header with a row of column numbers repeats on following pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RepeatHeaderSpec {
    All,
    Numbers,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "Параметры оформления по ГОСТ Р 7.0.97; не указанное берётся по умолчанию"
)]
pub struct ProfileSpec {
    #[schemars(description = "Шаблон вёрстки из templates/ (без .typ)")]
    pub template: Option<Text>,
    #[schemars(description = "Поля страницы, мм")]
    pub margins: Option<MarginsSpec>,
    #[schemars(description = "Гарнитура шрифта, например «Times New Roman»")]
    pub font_family: Option<Text>,
    #[schemars(description = "Кегль основного текста, пт (12–14)")]
    pub font_size: Option<Spanned<f32>>,
    #[schemars(description = "Кегль таблиц, пт (10–12)")]
    pub table_font_size: Option<Spanned<f32>>,
    #[schemars(description = "Межстрочный интервал (1.0–1.5)")]
    pub line_spacing: Option<Spanned<f32>>,
    #[schemars(description = "Абзацный отступ, мм")]
    pub first_line_indent: Option<Spanned<f32>>,
    #[schemars(
        description = "Дата в реквизитах: numeric (31.10.2024) или words (31 октября 2024 г.)"
    )]
    pub date_style: Option<Spanned<DateStyle>>,
    #[schemars(
        description = "Распорядительное слово: line (ПРИКАЗЫВАЮ:) или spaced (п р и к а з ы в а ю:)"
    )]
    pub operative: Option<Spanned<OperativeStyleSpec>>,
    #[schemars(
        description = "Текст распорядительного слова, как его печатает орган: «ПРИКАЗЫВАЮ:», «приказываю:», «ПОСТАНОВЛЯЮ:»; по умолчанию «ПРИКАЗЫВАЮ:» (line) или «приказываю:» (spaced)"
    )]
    pub operative_text: Option<Text>,
    #[schemars(description = "Тире между словами: em (—) или en (–)")]
    pub dash: Option<Spanned<DashSpec>>,
    #[schemars(
        description = "Отметка приложения: appendix («Приложение № N к приказу»), grif («УТВЕРЖДЕН приказом») или both (обе, гриф под отметкой)"
    )]
    pub stamp: Option<Spanned<StampKind>>,
    #[schemars(description = "Нумерация страниц приложений заново (true) или сквозная (false)")]
    pub appendix_page_restart: Option<Spanned<bool>>,
    #[schemars(description = "Сроки с прописной буквы")]
    pub deadline_capitalize: Option<Spanned<bool>>,
    #[schemars(
        description = "Печать сроков: as_typed (как написано, только типографика; по умолчанию) или normalized (единообразно: «до 15.12.2024», «сентябрь 2024 г.»)"
    )]
    pub deadline_print: Option<Spanned<DeadlinePrint>>,
    #[schemars(
        description = "Пункт о контроле при control: self; по умолчанию «Контроль за исполнением настоящего приказа оставляю за собой.» (пишут и «за собою»)"
    )]
    pub control_self: Option<Text>,
    #[schemars(
        description = "Пункт о контроле при control: {person: id}; «{кому}» заменяется должностью, инициалами и фамилией в винительном падеже; по умолчанию «Контроль за исполнением настоящего приказа возложить на {кому}.»"
    )]
    pub control_person: Option<Text>,
    #[schemars(description = "Заголовок полужирным")]
    pub title_bold: Option<Spanned<bool>>,
    #[schemars(description = "Выравнивание заголовка: left или center")]
    pub title_align: Option<Spanned<AlignSpec>>,
    #[schemars(description = "Наименование органа полужирным")]
    pub letterhead_bold: Option<Spanned<bool>>,
    #[schemars(description = "Слово ПРИКАЗ вразрядку")]
    pub doc_kind_spaced: Option<Spanned<bool>>,
    #[schemars(
        description = "Пункты с выступом (номер слева, строки текста выровнены по тексту) вместо абзацного отступа"
    )]
    pub clause_hanging: Option<Spanned<bool>>,
    #[schemars(
        description = "Переносы слов по слогам в тексте приказа и приложений (по умолчанию нет; в графах таблиц, которые иначе не вмещают слова, переносы ставятся всегда)"
    )]
    pub hyphenate: Option<Spanned<bool>>,
    #[schemars(
        description = "Шапка таблицы с рядом номеров граф на следующих страницах PDF: all (вся шапка, как в DOCX; по умолчанию) или numbers (только ряд номеров граф)"
    )]
    pub repeat_header: Option<Spanned<RepeatHeaderSpec>>,
    #[schemars(
        description = "Визы: visas (на последней странице приказа) или sheet (отдельный лист согласования)"
    )]
    pub approvals: Option<Spanned<ApprovalStyle>>,
    #[serde(default)]
    #[schemars(
        description = "Должности (идентификаторы), чьи визы обязательны для окончательной редакции"
    )]
    pub approvers: Vec<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApprovalStyle {
    Visas,
    Sheet,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarginsSpec {
    pub left: Spanned<f32>,
    pub right: Spanned<f32>,
    pub top: Spanned<f32>,
    pub bottom: Spanned<f32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum GenderSpec {
    #[serde(rename = "м")]
    M,
    #[serde(rename = "ж")]
    F,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Должностное лицо")]
pub struct Person {
    pub id: Text,
    #[schemars(description = "Фамилия")]
    pub surname: Text,
    #[schemars(description = "Имя")]
    pub name: Option<Text>,
    #[schemars(description = "Отчество")]
    pub patronymic: Option<Text>,
    #[schemars(description = "Инициалы, если полное имя неизвестно: «Н.В.»")]
    pub initials: Option<Text>,
    #[schemars(description = "Пол: м или ж (указывается, не угадывается)")]
    pub gender: Spanned<GenderSpec>,
    #[schemars(description = "Телефон (для отметки об исполнителе)")]
    pub phone: Option<Text>,
    #[serde(default)]
    #[schemars(description = "Фамилия в падежах, если она склоняется не по правилам")]
    pub surname_cases: Cases,
    #[serde(default)]
    #[schemars(description = "Занимаемые должности с датами")]
    pub positions: Vec<Tenure>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Должность, которую лицо занимает (или исполняет) в период")]
pub struct Tenure {
    #[schemars(description = "Должность (идентификатор)")]
    pub position: Text,
    #[schemars(description = "Организация (идентификатор)")]
    pub org: Option<Text>,
    #[schemars(description = "С какой даты")]
    pub from: Option<Spanned<Date>>,
    #[schemars(description = "По какую дату включительно")]
    pub to: Option<Spanned<Date>>,
    #[serde(default)]
    #[schemars(description = "Исполняет обязанности (и.о.)")]
    pub acting: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Должность")]
pub struct Position {
    pub id: Text,
    #[schemars(
        description = "Наименование в именительном падеже, со строчной буквы: «заместитель министра»"
    )]
    pub name: Text,
    #[serde(default)]
    pub cases: Cases,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Учреждение (школа, институт и др.)")]
pub struct Institution {
    pub id: Text,
    #[schemars(description = "Полное каноническое наименование")]
    pub name: Text,
    #[schemars(description = "Краткое каноническое наименование (действует как сокращение)")]
    pub short: Option<Text>,
    #[serde(default)]
    #[schemars(description = "Известные неверные варианты написания")]
    pub aliases: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Сокращение")]
pub struct Abbreviation {
    #[schemars(description = "Сокращение: «ОМСУ»")]
    pub abbr: Text,
    #[schemars(description = "Полная форма")]
    pub full: Text,
    #[serde(default)]
    #[schemars(description = "Общеупотребительное (ЕГЭ, РФ): не требует расшифровки в документе")]
    pub common: bool,
}
