//! The plan format: what a clerk writes in `plans/**/*.yaml`, as deserialised.
//!
//! Every value a diagnostic may point at is wrapped in [`Spanned`], which keeps the
//! exact source location. Structs deny unknown keys so a typo is reported with
//! the closest known key. Untagged or internally tagged enums would lose
//! locations in serde-saphyr, so variants are either plain strings or externally
//! tagged (`- paragraph: …`). The `description` attributes are the Russian texts
//! of `prikaz schema`.

pub mod spanned;

pub use spanned::Spanned;

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

pub type Text = Spanned<String>;

/// A calendar date written as `ГГГГ-ММ-ДД` or `ДД.ММ.ГГГГ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub chrono::NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s).map(Date).ok_or_else(|| {
            de::Error::custom(format!(
                "некорректная дата «{s}»: ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ"
            ))
        })
    }
}

pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .ok()
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Дата: ГГГГ-ММ-ДД или ДД.ММ.ГГГГ",
            "pattern": "^(\\d{4}-\\d{2}-\\d{2}|\\d{2}\\.\\d{2}\\.\\d{4})$"
        })
    }
}

// ---------------------------------------------------------------- registry

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
        description = "Файл герба или эмблемы (PNG, JPEG или SVG), путь от корня репозитория"
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StampKind {
    Appendix,
    Grif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AlignSpec {
    Left,
    Center,
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
    #[schemars(description = "Тире между словами: em (—) или en (–)")]
    pub dash: Option<Spanned<DashSpec>>,
    #[schemars(
        description = "Отметка приложения: appendix («Приложение № N к приказу») или grif («УТВЕРЖДЕН приказом»)"
    )]
    pub stamp: Option<Spanned<StampKind>>,
    #[schemars(description = "Нумерация страниц приложений заново (true) или сквозная (false)")]
    pub appendix_page_restart: Option<Spanned<bool>>,
    #[schemars(description = "Сроки с прописной буквы")]
    pub deadline_capitalize: Option<Spanned<bool>>,
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

// ---------------------------------------------------------------- order

/// Where an order is on its way from draft to the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Проект.
    Draft,
    /// На согласовании (визы собираются).
    Approval,
    /// Подписан; `final` is the same.
    #[serde(alias = "final")]
    Signed,
    /// Подписан и зарегистрирован.
    Registered,
}

impl Status {
    /// Signed (or past it): the document is no longer a draft.
    pub fn is_signed(self) -> bool {
        self >= Status::Signed
    }
    /// In Russian, as a journal prints it.
    pub fn russian(self) -> &'static str {
        match self {
            Status::Draft => "проект",
            Status::Approval => "на согласовании",
            Status::Signed => "подписан",
            Status::Registered => "зарегистрирован",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApprovalResult {
    /// Согласовано.
    Agreed,
    /// Согласовано с замечаниями.
    Remarks,
    /// Не согласовано.
    Rejected,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Виза согласования")]
pub struct Approval {
    #[schemars(description = "Кто согласует (идентификатор лица)")]
    pub person: Text,
    #[schemars(description = "Должность (идентификатор); по умолчанию — занимаемая на дату визы")]
    pub position: Option<Text>,
    #[schemars(description = "Дата визы; без даты виза ещё не получена")]
    pub date: Option<Spanned<Date>>,
    #[schemars(
        description = "agreed (согласовано), remarks (с замечаниями), rejected (не согласовано)"
    )]
    pub result: Option<Spanned<ApprovalResult>>,
    #[schemars(description = "Замечания")]
    pub remarks: Option<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Электронная подпись: сертификат, владелец, срок действия")]
pub struct ElectronicSign {
    #[schemars(description = "Серийный номер сертификата")]
    pub certificate: Text,
    #[schemars(
        description = "Владелец сертификата (идентификатор лица); по умолчанию — подписант"
    )]
    pub owner: Option<Text>,
    #[schemars(description = "Сертификат действителен с")]
    pub from: Spanned<Date>,
    #[schemars(description = "Сертификат действителен по")]
    pub to: Spanned<Date>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Приказ")]
pub struct OrderFile {
    #[schemars(description = "Вид файла: order")]
    pub kind: Text,
    pub id: Text,
    #[schemars(description = "Издающий орган (идентификатор организации)")]
    pub issuer: Text,
    #[schemars(description = "Дата приказа")]
    pub date: Spanned<Date>,
    #[schemars(description = "Регистрационный номер: «978-ОД»")]
    pub number: Option<Text>,
    #[schemars(description = "Место издания, если отличается от указанного у органа")]
    pub place: Option<Text>,
    #[schemars(
        description = "draft (проект), approval (на согласовании), signed (подписан; то же final), registered (зарегистрирован)"
    )]
    pub status: Option<Spanned<Status>>,
    #[schemars(description = "Период плана: «2024/2025» (учебный год), «2022–2025», «2025»")]
    pub period: Option<Text>,
    #[schemars(description = "Заголовок: «Об утверждении …»")]
    pub title: Text,
    #[schemars(description = "Преамбула; ссылки на акты — {{ act(\"id\", \"gen\") }}")]
    pub preamble: Option<Text>,
    #[serde(default)]
    #[schemars(description = "Акты, на которые ссылается приказ")]
    pub acts: Vec<Act>,
    #[schemars(description = "Распорядительное слово: line или spaced")]
    pub operative: Option<Spanned<OperativeStyleSpec>>,
    #[serde(default)]
    #[schemars(description = "Пункты приказа")]
    pub clauses: Vec<ClauseSpec>,
    #[schemars(description = "Контроль: self («оставляю за собой») или {person: id}")]
    pub control: Option<Spanned<Control>>,
    #[schemars(description = "Подписывает (идентификатор лица)")]
    pub signatory: Text,
    #[schemars(description = "Исполнитель (идентификатор лица)")]
    pub executor: Option<Text>,
    #[serde(default)]
    #[schemars(description = "Визы согласования")]
    pub approvals: Vec<Approval>,
    #[schemars(description = "Подписан электронной подписью: штамп вместо подписи")]
    pub esign: Option<ElectronicSign>,
    #[schemars(description = "Ссылка или идентификатор документа для QR-кода на первой странице")]
    pub qr: Option<Text>,
    #[serde(default)]
    #[schemars(description = "Приложения (идентификаторы) по порядку")]
    pub appendices: Vec<Text>,
    #[serde(default)]
    #[schemars(description = "Отключённые правила проверки для всего файла")]
    pub allow: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Акт, на который ссылается документ")]
pub struct Act {
    pub id: Text,
    #[schemars(description = "Вид: приказ, распоряжение, постановление, указ, закон, решение")]
    pub kind: Text,
    #[schemars(description = "Издавший орган (идентификатор организации из реестра)")]
    pub issuer: Option<Text>,
    #[schemars(description = "Издавший орган в родительном падеже, если его нет в реестре")]
    pub issuer_gen: Option<Text>,
    pub date: Spanned<Date>,
    pub number: Text,
    pub title: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ItemStyle {
    Numbered,
    Dash,
    Letters,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Пункт приказа")]
pub struct ClauseSpec {
    #[schemars(description = "Устойчивый идентификатор для ссылок {{ num(\"id\") }}")]
    pub id: Option<Text>,
    #[schemars(description = "Номер, зафиксированный вручную (только для точной копии документа)")]
    pub number: Option<Text>,
    #[schemars(
        description = "Кому адресован пункт (подразделение, учреждение, должностное лицо в дательном падеже); печатается перед текстом"
    )]
    pub to: Option<Text>,
    #[schemars(description = "Текст пункта")]
    pub text: Option<Text>,
    #[schemars(description = "Срок исполнения: «до 10.11.2024»")]
    pub deadline: Option<Text>,
    #[schemars(description = "Оформление подпунктов: numbered (1.1.), dash (–), letters (а))")]
    pub items: Option<Spanned<ItemStyle>>,
    #[serde(default)]
    #[schemars(description = "Подпункты")]
    pub clauses: Vec<ClauseSpec>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(description = "Контроль исполнения")]
pub enum Control {
    #[serde(rename = "self")]
    Itself,
    #[serde(rename = "person")]
    Person(Text),
}

// ---------------------------------------------------------------- appendix & documents

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
    #[schemars(description = "appendix или grif; по умолчанию из профиля органа")]
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
    #[schemars(description = "Приказы (идентификаторы) по порядку")]
    pub orders: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(description = "Блок приложения или документа")]
pub enum BlockSpec {
    #[schemars(description = "Заголовок раздела")]
    Heading(Text),
    #[schemars(description = "Абзац; строки, начинающиеся с «– », — элементы списка")]
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

impl OrderFile {
    /// Where the order stands on its path to the register: a draft unless said.
    pub fn status(&self) -> Status {
        self.status
            .as_ref()
            .map(|s| *s.get())
            .unwrap_or(Status::Draft)
    }
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
    #[schemars(description = "Строки шапки; ячейка — текст или {text, colspan, rowspan}")]
    pub header: Vec<Vec<Spanned<HeaderCellSpec>>>,
    pub widths: Option<Spanned<Vec<f32>>>,
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
    },
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
    pub at_least: Spanned<u32>,
    #[serde(default)]
    #[schemars(description = "Группы (идентификаторы); пусто — все")]
    pub groups: Vec<Text>,
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
    pub groups: Vec<Group>,
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

/// JSON Schema of every file kind, for editors.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::json_schema!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "План prikaz",
        "description": "Файл plans/**/*.yaml: реестр, приказ, приложение, документ или сборник (поле kind)",
        "oneOf": [
            {"$ref": "#/$defs/RegistryFile"},
            {"$ref": "#/$defs/OrderFile"},
            {"$ref": "#/$defs/AppendixFile"},
            {"$ref": "#/$defs/DocumentFile"},
            {"$ref": "#/$defs/BundleFile"}
        ]
    });
    let mut generator = schemars::SchemaGenerator::default();
    let defs = [
        ("RegistryFile", generator.subschema_for::<RegistryFile>()),
        ("OrderFile", generator.subschema_for::<OrderFile>()),
        ("AppendixFile", generator.subschema_for::<AppendixFile>()),
        ("DocumentFile", generator.subschema_for::<DocumentFile>()),
        ("BundleFile", generator.subschema_for::<BundleFile>()),
    ];
    let mut value = schema.to_value();
    let mut all = serde_json::Map::new();
    for (name, def) in generator.definitions() {
        all.insert(name.clone(), def.clone());
    }
    for (name, s) in defs {
        // subschema_for returns a $ref for named types; keep the definition itself.
        if !all.contains_key(name) {
            all.insert(name.to_string(), s.to_value());
        }
    }
    for (name, kind) in [
        ("RegistryFile", "registry"),
        ("OrderFile", "order"),
        ("AppendixFile", "appendix"),
        ("DocumentFile", "document"),
        ("BundleFile", "bundle"),
    ] {
        if let Some(props) = all
            .get_mut(name)
            .and_then(|d| d.get_mut("properties"))
            .and_then(|p| p.get_mut("kind"))
        {
            *props = serde_json::json!({"const": kind, "description": "Вид файла"});
        }
    }
    if let Some(obj) = value.as_object_mut() {
        obj.insert("$defs".into(), serde_json::Value::Object(all));
    }
    value
}
