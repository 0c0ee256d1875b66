//! The order file: clauses, referenced acts, approvals, electronic signature
//! and the status on the way to the register.

use schemars::JsonSchema;
use serde::Deserialize;

use super::registry::OperativeStyleSpec;
use super::{Date, Spanned, Text};

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
    #[schemars(
        description = "Пункт приказа (id), к которому относятся замечания: в DOCX они — примечание рецензента к этому пункту"
    )]
    pub clause: Option<Text>,
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

impl OrderFile {
    /// Where the order stands on its path to the register: a draft unless said.
    pub fn status(&self) -> Status {
        self.status
            .as_ref()
            .map(|s| *s.get())
            .unwrap_or(Status::Draft)
    }
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
