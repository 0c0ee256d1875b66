//! `check`'s diagnostics as the editor shows them, and the fixes their
//! hints spell out, as code actions.

use lsp_types as lsp;

use crate::diag::{Diagnostic, Severity, Sources, Span};

use super::text::Lines;

/// The editor's form of a diagnostic located in a file: the message with
/// its hint, the code `prikaz explain` knows, the other places it names.
pub fn to_lsp(
    d: &Diagnostic,
    sources: &Sources,
    uri_of: &dyn Fn(usize) -> Option<lsp::Uri>,
) -> lsp::Diagnostic {
    let range = d.span.map(|s| range_of(sources, s)).unwrap_or_default();
    let message = match &d.hint {
        Some(h) => format!("{}\nподсказка: {h}", d.message),
        None => d.message.clone(),
    };
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|l| {
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(uri_of(l.span.file)?, range_of(sources, l.span)),
                message: l.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.code.as_str().to_string())),
        source: Some("prikaz".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

pub fn range_of(sources: &Sources, s: Span) -> lsp::Range {
    Lines::new(sources.text(s.file)).range(s.start, s.end)
}

/// A change a hint asks for: replace `span` with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub span: Span,
    pub text: String,
}

/// The first «…» of a message or hint after `after`.
fn quoted(s: &str, after: &str) -> Option<String> {
    let rest = &s[s.find(after)? + after.len()..];
    let open = rest.find('«')? + '«'.len_utf8();
    // Guillemets nest in names («ГАУ ДПО «СОИРО»»): match the pair.
    let mut depth = 1;
    for (i, c) in rest[open..].char_indices() {
        match c {
            '«' => depth += 1,
            '»' => {
                depth -= 1;
                if depth == 0 {
                    return Some(rest[open..open + i].to_string());
                }
            }
            _ => {}
        }
    }
    None
}

/// The fixes a diagnostic's hint names exactly: «возможно, имелось в виду
/// «X»» replaces what the message quotes; «напишите {{ … }}» replaces a
/// hand-typed number with the reference that prints it.
pub fn fixes(d: &Diagnostic, sources: &Sources) -> Vec<Fix> {
    let (Some(span), Some(hint)) = (d.span, d.hint.as_deref()) else {
        return Vec::new();
    };
    let src = sources.text(span.file);
    let Some(here) = src.get(span.start..span.end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(want) = quoted(hint, "имелось в виду") {
        let wrong = quoted(&d.message, "");
        if let Some(wrong) = wrong.filter(|w| !w.is_empty() && *w != want) {
            // The exact quoted id first, so a prefix of a longer word stays.
            let found = [format!("\"{wrong}\""), format!("'{wrong}'")]
                .iter()
                .find_map(|q| here.find(q.as_str()).map(|at| at + 1))
                .or_else(|| here.find(wrong.as_str()));
            if let Some(at) = found {
                out.push(Fix {
                    title: format!("Заменить на «{want}»"),
                    span: Span {
                        file: span.file,
                        start: span.start + at,
                        end: span.start + at + wrong.len(),
                    },
                    text: want,
                });
            }
        }
    }
    if let Some(at) = hint.find("номера вычисляются: напишите ") {
        let reference = hint[at + "номера вычисляются: напишите ".len()..].trim();
        if reference.contains("{{") && !here.contains('\n') {
            out.push(Fix {
                title: format!("Заменить «{here}» ссылкой {reference}"),
                span,
                text: reference.to_string(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    fn sources(text: &str) -> Sources {
        let mut s = Sources::default();
        s.add("plans/a.yaml".into(), text.into());
        s
    }

    #[test]
    fn a_misspelt_id_is_replaced_by_the_suggestion_inside_the_expression() {
        let text = "text: >-\n  Поручить {{ person(\"fominyh\") }} отчёт\n";
        let s = sources(text);
        let start = text.find("Поручить").unwrap();
        let d = Diagnostic::error(Code::UnknownReference, "лицо «fominyh»: нет такого id")
            .at(Span {
                file: 0,
                start,
                end: text.len() - 1,
            })
            .hint("возможно, имелось в виду «fominykh»");
        let f = fixes(&d, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(&text[f[0].span.start..f[0].span.end], "fominyh");
        assert_eq!(f[0].text, "fominykh");
    }

    #[test]
    fn an_alias_is_replaced_by_the_canonical_name_with_nested_quotes() {
        let text = "to: ГАУ ДПО СОИРО\n";
        let s = sources(text);
        let start = text.find("ГАУ").unwrap();
        let d = Diagnostic::warning(
            Code::InstitutionAlias,
            "«ГАУ ДПО СОИРО» — вариант названия; каноническое название «ГАУ ДПО «СОИРО»»",
        )
        .at(Span {
            file: 0,
            start,
            end: text.len() - 1,
        })
        .hint("возможно, имелось в виду «ГАУ ДПО «СОИРО»»");
        let f = fixes(&d, &s);
        assert_eq!(f[0].text, "ГАУ ДПО «СОИРО»");
        assert_eq!(&text[f[0].span.start..f[0].span.end], "ГАУ ДПО СОИРО");
    }

    #[test]
    fn a_hand_typed_number_becomes_the_reference() {
        let text = "text: согласно п. 4.2 плана\n";
        let s = sources(text);
        let start = text.find("п. 4.2").unwrap();
        let d = Diagnostic::error(Code::HandTypedReference, "номер пункта набран вручную")
            .at(Span {
                file: 0,
                start,
                end: start + "п. 4.2".len(),
            })
            .hint("номера вычисляются: напишите {{ clause(\"report\") }}");
        let f = fixes(&d, &s);
        assert_eq!(f[0].text, "{{ clause(\"report\") }}");
        assert_eq!(f[0].span.start, start);
    }

    #[test]
    fn a_hint_without_a_certain_replacement_gives_no_fix() {
        let s = sources("text: x\n");
        let d = Diagnostic::error(Code::UnknownReference, "лицо «x»: нет такого id")
            .at(Span {
                file: 0,
                start: 6,
                end: 7,
            })
            .hint("добавьте его в реестр");
        assert!(fixes(&d, &s).is_empty());
    }
}
