//! A small element tree over quick-xml: the package parts of a Word or
//! OpenDocument file are a few megabytes at most, and their readers walk
//! paragraphs and tables recursively, which a tree makes plain. Names are
//! kept without their namespace prefix (`w:p` → `p`, `table:table-cell` →
//! `table-cell`); the part says which vocabulary it is.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::ImportError;

/// Nesting deeper than any real document: a file built to exhaust the stack
/// is refused instead.
const MAX_DEPTH: usize = 200;

#[derive(Debug, Default)]
pub struct El {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub kids: Vec<X>,
}

#[derive(Debug)]
pub enum X {
    El(El),
    Text(String),
}

fn local(q: &[u8]) -> String {
    let s = String::from_utf8_lossy(q);
    match s.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => s.into_owned(),
    }
}

fn start(e: &quick_xml::events::BytesStart<'_>) -> El {
    let attrs = e
        .attributes()
        .flatten()
        .map(|a| {
            let v = a
                .normalized_value(quick_xml::XmlVersion::default())
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
            (local(a.key.as_ref()), v)
        })
        .collect();
    El {
        name: local(e.name().as_ref()),
        attrs,
        kids: Vec::new(),
    }
}

pub fn parse(xml: &str, part: &str) -> Result<El, ImportError> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<El> = vec![El::default()];
    let bad = |m: String| ImportError::Xml {
        part: part.to_string(),
        message: m,
    };
    loop {
        let ev = reader.read_event().map_err(|e| bad(e.to_string()))?;
        match ev {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH {
                    return Err(bad("слишком глубокая вложенность элементов".into()));
                }
                stack.push(start(&e));
            }
            Event::Empty(e) => {
                let el = start(&e);
                if let Some(top) = stack.last_mut() {
                    top.kids.push(X::El(el));
                }
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err(bad("лишний закрывающий тег".into()));
                }
                if let Some(el) = stack.pop()
                    && let Some(top) = stack.last_mut()
                {
                    top.kids.push(X::El(el));
                }
            }
            Event::Text(t) => {
                let s = t.xml10_content().map_err(|e| bad(e.to_string()))?;
                push_text(&mut stack, &s);
            }
            Event::CData(t) => {
                let s = String::from_utf8_lossy(&t).into_owned();
                push_text(&mut stack, &s);
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => match r.decode().map(|d| d.into_owned()).as_deref() {
                        Ok("amp") => Some("&".into()),
                        Ok("lt") => Some("<".into()),
                        Ok("gt") => Some(">".into()),
                        Ok("quot") => Some("\"".into()),
                        Ok("apos") => Some("'".into()),
                        _ => None,
                    },
                };
                if let Some(c) = ch {
                    push_text(&mut stack, &c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack.into_iter().next().unwrap_or_default();
    // The document element itself.
    let first = root.kids.drain(..).find_map(|k| match k {
        X::El(e) => Some(e),
        X::Text(_) => None,
    });
    first.ok_or_else(|| bad("нет корневого элемента".into()))
}

fn push_text(stack: &mut [El], s: &str) {
    if let Some(top) = stack.last_mut() {
        if let Some(X::Text(prev)) = top.kids.last_mut() {
            prev.push_str(s);
        } else {
            top.kids.push(X::Text(s.to_string()));
        }
    }
}

impl El {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn elements(&self) -> impl Iterator<Item = &El> {
        self.kids.iter().filter_map(|k| match k {
            X::El(e) => Some(e),
            X::Text(_) => None,
        })
    }

    pub fn child(&self, name: &str) -> Option<&El> {
        self.elements().find(|e| e.name == name)
    }

    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.elements().filter(move |e| e.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_and_prefixes_are_resolved() {
        let el = parse(
            r#"<w:p xmlns:w="x"><w:t a:v="1">A &amp; B &#x41;</w:t></w:p>"#,
            "t",
        )
        .unwrap();
        assert_eq!(el.name, "p");
        let t = el.child("t").unwrap();
        assert_eq!(t.attr("v"), Some("1"));
        let X::Text(s) = &t.kids[0] else { panic!() };
        assert_eq!(s, "A & B A");
    }

    #[test]
    fn absurd_nesting_is_refused_not_overflowed() {
        let xml = "<a>".repeat(10_000);
        assert!(parse(&xml, "t").is_err());
    }
}
