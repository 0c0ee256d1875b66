//! Expressions inside YAML text: `{{ appendix("plan") }}`, `{{ clause("report") }}`.
//!
//! Each `{{ … }}` segment is a minijinja expression evaluated in a sandboxed
//! environment whose only functions are the reference functions below. They do
//! not know the plans: each returns a sentinel naming the call, and the caller
//! resolves sentinels against its index. This keeps the environment static and
//! shared across threads, and lets expressions compose (`"см. " ~ clause("x")`).
//! Statements (`{% … %}`) are not allowed: a plan is data, not a program.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use minijinja::{Environment, Error, ErrorKind, Value};

use crate::diag::Code;

/// Functions a clerk may call, with their Russian descriptions for hints.
pub const FUNCTIONS: &[(&str, &str)] = &[
    ("appendix", "appendix(\"id\"[, падеж]) — «приложение № 2»"),
    ("num", "num(\"id\") — номер пункта, строки или приложения"),
    ("clause", "clause(\"id\") — «п. 2.1»"),
    (
        "act",
        "act(\"id\"[, падеж]) — реквизиты акта из списка acts",
    ),
    ("person", "person(\"id\"[, падеж]) — «В.А. Фоминых»"),
    ("inst", "inst(\"id\"[, \"full\"]) — название учреждения"),
    ("org", "org(\"id\"[, падеж]) — название органа"),
];

const OPEN: char = '\u{1}';
const SEP: char = '\u{1f}';
const CLOSE: char = '\u{2}';

/// One reference call found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub func: String,
    pub id: String,
    pub arg: Option<String>,
}

/// A `{{ … }}` segment of a raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Byte range of the whole `{{ … }}` in the raw text.
    pub range: Range<usize>,
    pub expr: String,
}

/// Finds `{{ … }}` segments; `Err` carries the byte offset and message of a
/// malformed one (unclosed, or a `{% %}` statement).
pub fn segments(raw: &str) -> Result<Vec<Segment>, (usize, String)> {
    let mut out = Vec::new();
    if let Some(pos) = raw.find("{%") {
        return Err((
            pos,
            "операторы шаблона «{% … %}» в тексте плана не допускаются".into(),
        ));
    }
    let mut from = 0;
    while let Some(rel) = raw[from..].find("{{") {
        let start = from + rel;
        let Some(end_rel) = raw[start + 2..].find("}}") else {
            return Err((start, "не закрыто выражение «{{ … }}»".into()));
        };
        let end = start + 2 + end_rel + 2;
        out.push(Segment {
            range: start..end,
            expr: raw[start + 2..end - 2].trim().to_string(),
        });
        from = end;
    }
    Ok(out)
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, _) in FUNCTIONS {
            let name = *name;
            env.add_function(
                name,
                move |id: Value, arg: Option<Value>| -> Result<String, Error> {
                    let Some(id) = id.as_str() else {
                        return Err(Error::new(
                            ErrorKind::InvalidOperation,
                            format!("{name}: идентификатор должен быть строкой в кавычках"),
                        ));
                    };
                    let arg = match arg {
                        None => String::new(),
                        Some(a) => match a.as_str() {
                            Some(s) => s.to_string(),
                            None => {
                                return Err(Error::new(
                                    ErrorKind::InvalidOperation,
                                    format!("{name}: второй аргумент должен быть строкой"),
                                ));
                            }
                        },
                    };
                    Ok(format!("{OPEN}{name}{SEP}{id}{SEP}{arg}{CLOSE}"))
                },
            );
        }
        env
    })
}

/// Refuses anything but the reference functions, quoted strings, `~`,
/// brackets and commas, before minijinja sees the expression. Numbers,
/// operators, lists and filters have no use in an order, and they are how a
/// 22-character text (`"a" * 100000000`) becomes 100 MB: with only these
/// tokens, what an expression yields is bounded by what it names.
fn allowed(expr: &str) -> Result<(), String> {
    let refuse = |what: &str| {
        let names: Vec<&str> = FUNCTIONS.iter().map(|(n, _)| *n).collect();
        Err(format!(
            "{what}: в выражении допускаются только вызовы функций ({}), строки в кавычках и «~»",
            names.join(", ")
        ))
    };
    let mut chars = expr.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' | ')' | ',' | '~' => {}
            '"' | '\'' => {
                let mut closed = false;
                while let Some((_, d)) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == c {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    return refuse("не закрыта кавычка");
                }
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut end = at + c.len_utf8();
                while let Some(&(i, d)) = chars.peek() {
                    if !(d.is_ascii_alphanumeric() || d == '_') {
                        break;
                    }
                    end = i + d.len_utf8();
                    chars.next();
                }
                let word = &expr[at..end];
                if !FUNCTIONS.iter().any(|(n, _)| *n == word) {
                    return refuse(&format!("неизвестная функция «{word}»"));
                }
            }
            other => return refuse(&format!("знак «{other}»")),
        }
    }
    Ok(())
}

/// Evaluates one expression to a string that may contain call sentinels.
pub fn eval(expr: &str) -> Result<String, String> {
    allowed(expr)?;
    let compiled = env().compile_expression(expr).map_err(|e| describe(&e))?;
    let value = compiled.eval(()).map_err(|e| describe(&e))?;
    if value.is_undefined() || value.is_none() {
        return Err(format!("выражение «{expr}» не дало значения"));
    }
    Ok(value.to_string())
}

fn describe(e: &Error) -> String {
    match e.kind() {
        ErrorKind::UnknownFunction => "неизвестная функция".to_string(),
        ErrorKind::SyntaxError => format!(
            "синтаксическая ошибка в выражении: {}",
            e.detail().unwrap_or("")
        ),
        _ => e
            .detail()
            .map(str::to_string)
            .unwrap_or_else(|| e.to_string()),
    }
}

/// Splits an evaluated string into literal text and calls.
pub fn calls(evaluated: &str) -> Vec<Result<String, Call>> {
    let mut out = Vec::new();
    let mut rest = evaluated;
    while let Some(start) = rest.find(OPEN) {
        if start > 0 {
            out.push(Ok(rest[..start].to_string()));
        }
        let after = &rest[start + OPEN.len_utf8()..];
        let Some(end) = after.find(CLOSE) else {
            out.push(Ok(after.to_string()));
            return out;
        };
        let mut parts = after[..end].split(SEP);
        let func = parts.next().unwrap_or_default().to_string();
        let id = parts.next().unwrap_or_default().to_string();
        let arg = parts.next().filter(|a| !a.is_empty()).map(str::to_string);
        out.push(Err(Call { func, id, arg }));
        rest = &after[end + CLOSE.len_utf8()..];
    }
    if !rest.is_empty() {
        out.push(Ok(rest.to_string()));
    }
    out
}

/// An error found while expanding one text: where (byte range in the raw text)
/// and what.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpandError {
    pub range: Range<usize>,
    pub code: Code,
    pub message: String,
    pub hint: Option<String>,
}

/// Expands every segment of `raw`; `resolve` turns a call into print text.
/// Unresolvable parts stay visible as `[?]` so nothing silently vanishes.
pub fn expand(
    raw: &str,
    mut resolve: impl FnMut(&Call) -> Result<String, (Code, String, Option<String>)>,
) -> (String, Vec<ExpandError>) {
    if !raw.contains("{{") && !raw.contains("{%") {
        return (raw.to_string(), Vec::new());
    }
    let mut errors = Vec::new();
    let segs = match segments(raw) {
        Ok(s) => s,
        Err((pos, message)) => {
            errors.push(ExpandError {
                range: pos..(pos + 2).min(raw.len()),
                code: Code::TemplateSyntax,
                message,
                hint: Some("ссылка записывается так: {{ appendix(\"id\") }}".into()),
            });
            return (raw.to_string(), errors);
        }
    };
    let mut out = String::with_capacity(raw.len());
    let mut last = 0;
    for seg in segs {
        out.push_str(&raw[last..seg.range.start]);
        last = seg.range.end;
        match eval(&seg.expr) {
            Ok(v) => {
                for piece in calls(&v) {
                    match piece {
                        Ok(text) => out.push_str(&text),
                        Err(call) => match resolve(&call) {
                            Ok(text) => out.push_str(&text),
                            Err((code, message, hint)) => {
                                out.push_str("[?]");
                                errors.push(ExpandError {
                                    range: seg.range.clone(),
                                    code,
                                    message,
                                    hint,
                                });
                            }
                        },
                    }
                }
            }
            Err(message) => {
                out.push_str("[?]");
                let names: Vec<&str> = FUNCTIONS.iter().map(|(n, _)| *n).collect();
                errors.push(ExpandError {
                    range: seg.range.clone(),
                    code: Code::TemplateSyntax,
                    message: format!("{message} в «{}»", seg.expr),
                    hint: Some(format!("доступные функции: {}", names.join(", "))),
                });
            }
        }
    }
    out.push_str(&raw[last..]);
    (out, errors)
}

/// The raw text with every `{{ … }}` replaced by spaces of the same byte
/// length, so text rules see only what the clerk typed, at the same offsets.
pub fn mask_expressions(raw: &str) -> Cow<'_, str> {
    if !raw.contains("{{") {
        return Cow::Borrowed(raw);
    }
    let Ok(segs) = segments(raw) else {
        return Cow::Borrowed(raw);
    };
    let mut out = String::with_capacity(raw.len());
    let mut last = 0;
    for s in segs {
        out.push_str(&raw[last..s.range.start]);
        out.extend(std::iter::repeat_n(' ', s.range.len()));
        last = s.range.end;
    }
    out.push_str(&raw[last..]);
    Cow::Owned(out)
}

/// The calls a raw text makes, with the segment each comes from.
pub fn calls_in(raw: &str) -> Vec<(Range<usize>, Call)> {
    let Ok(segs) = segments(raw) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for s in segs {
        if let Ok(v) = eval(&s.expr) {
            for piece in calls(&v) {
                if let Err(call) = piece {
                    out.push((s.range.clone(), call));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver(c: &Call) -> Result<String, (Code, String, Option<String>)> {
        match (c.func.as_str(), c.id.as_str()) {
            ("appendix", "plan") => Ok("приложение № 2".into()),
            ("clause", "report") => Ok("п. 2.1".into()),
            _ => Err((Code::UnknownReference, format!("нет «{}»", c.id), None)),
        }
    }

    #[test]
    fn references_expand_in_place() {
        let (t, e) = expand(
            "План ({{ appendix(\"plan\") }}), см. {{ clause('report') }}.",
            resolver,
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(t, "План (приложение № 2), см. п. 2.1.");
    }

    #[test]
    fn expressions_compose_with_strings() {
        let (t, e) = expand("{{ \"см. \" ~ clause(\"report\") }}", resolver);
        assert!(e.is_empty());
        assert_eq!(t, "см. п. 2.1");
    }

    #[test]
    fn unknown_ids_are_reported_at_their_segment() {
        let raw = "x {{ appendix(\"nope\") }} y";
        let (t, e) = expand(raw, resolver);
        assert_eq!(t, "x [?] y");
        assert_eq!(e.len(), 1);
        assert_eq!(&raw[e[0].range.clone()], "{{ appendix(\"nope\") }}");
        assert_eq!(e[0].code, "unknown-reference");
    }

    #[test]
    fn unknown_functions_and_statements_are_syntax_errors() {
        let (_, e) = expand("{{ appendixx(\"a\") }}", resolver);
        assert_eq!(e[0].code, "template-syntax");
        assert!(
            e[0].message.contains("неизвестная функция"),
            "{}",
            e[0].message
        );
        let (_, e) = expand("{% for x in y %}", resolver);
        assert_eq!(e[0].code, "template-syntax");
        let (_, e) = expand("{{ appendix(", resolver);
        assert_eq!(e[0].code, "template-syntax");
    }

    #[test]
    fn expressions_that_compute_instead_of_naming_are_refused_before_evaluation() {
        for raw in [
            "{{ \"a\" * 100000000 }}",
            "{{ [\"a\"] * 100000000 }}",
            "{{ clause(\"report\") | upper }}",
            "{{ range(100000000) }}",
            "{{ 1 + 1 }}",
        ] {
            let (t, e) = expand(raw, resolver);
            assert_eq!(t, "[?]", "{raw}");
            assert_eq!(e.len(), 1, "{raw}: {e:?}");
            assert_eq!(e[0].code, "template-syntax", "{raw}");
            assert!(
                e[0].message.contains("допускаются только вызовы функций"),
                "{raw}: {}",
                e[0].message
            );
        }
        // What references need stays allowed: quotes of both kinds, escapes,
        // a second argument, `~`.
        let (t, e) = expand("{{ 'см. \\'' ~ clause(\"report\") ~ \"\\\" \" }}", resolver);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(t, "см. 'п. 2.1\" ");
    }

    #[test]
    fn masking_keeps_offsets() {
        let raw = "а {{ clause(\"x\") }} б";
        let m = mask_expressions(raw);
        assert_eq!(m.len(), raw.len());
        assert!(m.starts_with("а ") && m.ends_with(" б"));
        assert!(!m.contains("clause"));
    }

    #[test]
    fn text_without_expressions_is_untouched() {
        let (t, e) = expand("Символы # $ * _ [ ] { } печатаются", resolver);
        assert!(e.is_empty());
        assert_eq!(t, "Символы # $ * _ [ ] { } печатаются");
    }
}
