//! The stable codes of diagnostics: the one list from which the rule table
//! of the README, `prikaz explain` and the `allow:` check are made.

use std::fmt;

macro_rules! codes {
    ($($variant:ident = $name:literal, $summary:literal;)*) => {
        /// A diagnostic's stable code: kebab-case in output and in `allow:`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the order of the README's table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in output and in `allow:`, e.g. `duplicate-id`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// What the rule checks, in a few Russian words.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }

            /// A longer Russian explanation with an example of the mistake
            /// and its fix: `docs/codes/CODE.txt`, one file a code.
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$variant => include_str!(concat!("../../docs/codes/", $name, ".txt")).trim_end(),)*
                }
            }

            /// The code written as `name`, if there is one.
            pub fn from_name(name: &str) -> Option<Code> {
                match name {
                    $($name => Some(Code::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

codes! {
    YamlSyntax = "yaml-syntax", "синтаксис YAML";
    EmblemUnreadable = "emblem-unreadable", "файл герба не найден, слишком велик или не PNG/JPEG";
    YamlLimit = "yaml-limit", "слишком глубокая вложенность, слишком много узлов или псевдонимов";
    UnknownKey = "unknown-key", "неизвестный ключ";
    MissingKey = "missing-key", "не указан обязательный ключ";
    DuplicateKey = "duplicate-key", "ключ повторяется в словаре";
    InvalidType = "invalid-type", "значение не того типа";
    InvalidValue = "invalid-value", "недопустимое значение";
    PdfaNoDate = "pdfa-no-date", "документ без даты собран как обычный PDF, не PDF/A (build --pdfa)";
    CellTextShrunk = "cell-text-shrunk", "слово шире графы таблицы: ячейка набрана меньшим кеглем";
    MissingGlyph = "missing-glyph", "знака нет во встроенных шрифтах: PDF его не напечатает";
    TooBig = "too-big", "таблица, текст или документ больше допустимого объёма";
    UnknownKind = "unknown-kind", "неизвестный вид файла (kind)";
    MissingKind = "missing-kind", "не указан вид файла";
    EmptyFile = "empty-file", "пустой файл";
    NotUtf8 = "not-utf8", "файл не в кодировке UTF-8";
    NotText = "not-text", "двоичный файл";
    ControlCharacter = "control-character", "управляющий символ в тексте (его нельзя напечатать)";
    TooLarge = "too-large", "файл слишком велик";
    Io = "io", "ошибка чтения";
    TemplateSyntax = "template-syntax", "ошибка в выражении {{ … }}";
    Template = "template", "ошибка в шаблоне оформления (typst)";
    UnknownReference = "unknown-reference", "ссылка на несуществующий id";
    UnknownRule = "unknown-rule", "неизвестный код правила в allow";
    DuplicateId = "duplicate-id", "id повторяется";
    NumberRepeated = "number-repeated", "зафиксированный номер повторяется";
    NumberGap = "number-gap", "пропуск в зафиксированной нумерации";
    ClauseDepth = "clause-depth", "вложенность пунктов больше четырёх уровней";
    DeadlineUnparsed = "deadline-unparsed", "срок не распознан";
    DeadlineReversed = "deadline-reversed", "конец периода раньше начала";
    DeadlineOutsidePeriod = "deadline-outside-period", "срок вне периода плана";
    DeadlinePartlyOutsidePeriod = "deadline-partly-outside-period", "срок частично вне периода плана";
    DeadlineBeforeOrder = "deadline-before-order", "срок истекает до даты приказа";
    DeadlineNoYear = "deadline-no-year", "месяц без года в плане на два календарных года";
    YearOutsidePeriod = "year-outside-period", "год или учебный год в тексте вне периода плана";
    NumberFormat = "number-format", "регистрационный номер не по формату органа";
    NumberDuplicate = "number-duplicate", "регистрационный номер уже использован органом в этом году";
    NumberMissing = "number-missing", "у зарегистрированного приказа нет регистрационного номера";
    NotInOffice = "not-in-office", "лицо не занимает должность на дату приказа";
    MissingCase = "missing-case", "нет нужной падежной формы";
    AbbrUndefined = "abbr-undefined", "сокращение не расшифровано";
    AbbrUsedBeforeDefinition = "abbr-used-before-definition", "сокращение использовано до расшифровки";
    AbbrDefinedTwice = "abbr-defined-twice", "сокращение расшифровано дважды";
    AbbrUnused = "abbr-unused", "сокращение расшифровано, но не используется";
    AbbrNearMiss = "abbr-near-miss", "опечатка в известном сокращении";
    AppendixUnreferenced = "appendix-unreferenced", "на приложение нет ссылки в тексте приказа";
    AppendixNotAttached = "appendix-not-attached", "ссылка на приложение другого приказа";
    AppendixOrphan = "appendix-orphan", "приложение не входит ни в один приказ";
    AppendixShared = "appendix-shared", "приложение входит в два приказа";
    HandTypedReference = "hand-typed-reference", "номер приложения или пункта набран вручную";
    InstitutionAlias = "institution-alias", "учреждение названо не каноническим именем";
    EmptySection = "empty-section", "раздел таблицы без строк";
    EmptyAppendix = "empty-appendix", "пустое приложение";
    EmptyCell = "empty-cell", "не заполнена обязательная графа";
    UnknownColumn = "unknown-column", "графа не объявлена в columns";
    TableShape = "table-shape", "число значений не совпадает с числом граф";
    MarkerCriteria = "marker-criteria", "критерий не соответствует отметкам";
    ApprovalDuplicate = "approval-duplicate", "виза одного лица указана дважды";
    ApprovalAfterSigning = "approval-after-signing", "виза позже даты приказа";
    ApprovalRejected = "approval-rejected", "проект не согласован";
    ApprovalPending = "approval-pending", "приказ подписан, а виза не получена";
    EsignExpired = "esign-expired", "сертификат электронной подписи недействителен на дату приказа";
    EsignUnsigned = "esign-unsigned", "электронная подпись у неподписанного приказа";
    FinalNotSigned = "final-not-signed", "окончательная редакция: приказ не подписан";
    FinalNumberMissing = "final-number-missing", "окончательная редакция: нет номера";
    FinalApprovalMissing = "final-approval-missing", "окончательная редакция: нет обязательной визы";
    FinalApprovalPending = "final-approval-pending", "окончательная редакция: виза не получена";
    FinalApprovalRejected = "final-approval-rejected", "окончательная редакция: отказ в согласовании";
}

impl Code {
    /// Checked by `build --final` only, not by `check`.
    pub fn final_only(self) -> bool {
        self.as_str().starts_with("final-")
    }
}

/// The README's table of rules: code and what it checks, one row a code.
pub fn markdown_table() -> String {
    let mut out = String::from("| код | что проверяет |\n| --- | --- |\n");
    for c in Code::ALL {
        let when = if c.final_only() {
            " (только `build --final`)"
        } else {
            ""
        };
        out.push_str(&format!("| `{}` | {}{when} |\n", c.as_str(), c.summary()));
    }
    out
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
