//! The draft plan as YAML: a small tree of maps, lists and strings with
//! comments, written out and then given the canonical layout of `prikaz
//! fmt`. Text from the document is data: anything YAML could misread is
//! quoted, and «{{» / «{%», which would start a template expression, are
//! written as expressions that print them.

#[derive(Debug, Clone)]
pub enum Y {
    Str(String),
    /// Written as is: numbers, booleans, enumerations, ids.
    Raw(String),
    Seq(Vec<Item>),
    Map(Vec<Item>),
}

#[derive(Debug, Clone)]
pub struct Item {
    pub key: Option<String>,
    pub value: Y,
    /// `# import: …` lines written above the item.
    pub comments: Vec<String>,
}

impl Y {
    pub fn s(s: impl Into<String>) -> Y {
        Y::Str(s.into())
    }
    pub fn raw(s: impl Into<String>) -> Y {
        Y::Raw(s.into())
    }
    pub fn map() -> Y {
        Y::Map(Vec::new())
    }
    pub fn seq(items: impl IntoIterator<Item = Y>) -> Y {
        Y::Seq(
            items
                .into_iter()
                .map(|value| Item {
                    key: None,
                    value,
                    comments: Vec::new(),
                })
                .collect(),
        )
    }
    pub fn set(&mut self, key: &str, value: Y) -> &mut Y {
        self.set_noted(key, value, Vec::new())
    }
    pub fn set_noted(&mut self, key: &str, value: Y, comments: Vec<String>) -> &mut Y {
        if let Y::Map(items) = self {
            items.push(Item {
                key: Some(key.to_string()),
                value,
                comments,
            });
        }
        self
    }
    pub fn push(&mut self, value: Y, comments: Vec<String>) {
        if let Y::Seq(items) = self {
            items.push(Item {
                key: None,
                value,
                comments,
            });
        }
    }
    pub fn is_empty(&self) -> bool {
        match self {
            Y::Seq(v) | Y::Map(v) => v.is_empty(),
            Y::Str(s) | Y::Raw(s) => s.is_empty(),
        }
    }
}

/// Plan text for a document's text: template openers neutralised.
pub fn literal(s: &str) -> String {
    s.replace("{{", "\u{0}OPEN\u{0}")
        .replace("{%", "\u{0}PCT\u{0}")
        .replace("{#", "\u{0}HASH\u{0}")
        .replace("\u{0}OPEN\u{0}", "{{ \"{{\" }}")
        .replace("\u{0}PCT\u{0}", "{{ \"{\" ~ \"%\" }}")
        .replace("\u{0}HASH\u{0}", "{{ \"{\" ~ \"#\" }}")
}

fn plain_ok(s: &str) -> bool {
    if s.is_empty() || s.trim() != s || s.contains('\n') {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`~".contains(first) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains('\t') {
        return false;
    }
    if s.chars().any(|c| c.is_control()) {
        return false;
    }
    // Would read as a number, date, boolean or null.
    let lower = s.to_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | "y" | "n"
    ) {
        return false;
    }
    if s.chars()
        .all(|c| c.is_ascii_digit() || ".-+:eE_ ".contains(c))
    {
        return false;
    }
    true
}

fn block_ok(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with(' ')
        && s.lines()
            .all(|l| l.trim_end() == l && !l.chars().any(|c| c.is_control()))
        && !s.ends_with('\n')
        && !s.contains("\n\n\n")
}

fn scalar(s: &str, indent: usize, out: &mut String) {
    if plain_ok(s) {
        out.push_str(s);
    } else if block_ok(s) {
        out.push_str("|-");
        for l in s.split('\n') {
            out.push('\n');
            if !l.is_empty() {
                out.push_str(&" ".repeat(indent));
                out.push_str(l);
            }
        }
    } else {
        out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
    }
}

fn comments(c: &[String], indent: usize, out: &mut String) {
    for line in c {
        for l in line.split('\n') {
            out.push_str(&" ".repeat(indent));
            out.push_str("# ");
            out.push_str(l);
            out.push('\n');
        }
    }
}

fn node(y: &Y, indent: usize, out: &mut String) {
    match y {
        Y::Str(s) => scalar(s, indent, out),
        Y::Raw(s) => out.push_str(s),
        Y::Seq(items) if items.is_empty() => out.push_str("[]"),
        Y::Map(items) if items.is_empty() => out.push_str("{}"),
        Y::Seq(items) => {
            for it in items {
                out.push('\n');
                comments(&it.comments, indent, out);
                out.push_str(&" ".repeat(indent));
                out.push_str("- ");
                match &it.value {
                    Y::Map(m) if !m.is_empty() => map_body(m, indent + 2, out, true),
                    Y::Seq(s) if !s.is_empty() => {
                        let mut inner = String::new();
                        node(&it.value, indent + 2, &mut inner);
                        out.push_str(inner.trim_start_matches('\n').trim_start());
                    }
                    v => node(v, indent + 2, out),
                }
            }
        }
        Y::Map(items) => {
            out.push('\n');
            map_body(items, indent, out, false);
        }
    }
}

fn map_body(items: &[Item], indent: usize, out: &mut String, first_inline: bool) {
    for (i, it) in items.iter().enumerate() {
        let inline = first_inline && i == 0 && it.comments.is_empty();
        if !inline {
            if i > 0 || first_inline {
                out.push('\n');
            }
            comments(&it.comments, indent, out);
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(it.key.as_deref().unwrap_or("?"));
        out.push(':');
        match &it.value {
            Y::Map(m) if !m.is_empty() => node(&it.value, indent + 2, out),
            Y::Seq(s) if !s.is_empty() => node(&it.value, indent + 2, out),
            v => {
                out.push(' ');
                node(v, indent + 2, out);
            }
        }
    }
}

/// The file's text: header comments, the tree, canonical layout.
pub fn file(header: &[String], root: &Y) -> String {
    let mut out = String::new();
    comments(header, 0, &mut out);
    if let Y::Map(items) = root {
        map_body(items, 0, &mut out, false);
    }
    out.push('\n');
    crate::review::fmt::format(&out).unwrap_or(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_yaml_would_misread_is_quoted() {
        let mut m = Y::map();
        m.set("a", Y::s("2024"));
        m.set("b", Y::s("- пункт: с двоеточием"));
        m.set("c", Y::s("строка\nи ещё"));
        m.set("d", Y::s("обычный текст"));
        let text = file(&[], &m);
        assert!(text.contains("a: \"2024\""), "{text}");
        assert!(text.contains("b: \"- пункт: с двоеточием\""), "{text}");
        assert!(text.contains("c: |-\n  строка\n  и ещё"), "{text}");
        assert!(text.contains("d: обычный текст"), "{text}");
    }

    #[test]
    fn template_openers_print_literally() {
        assert_eq!(literal("a {{ b"), "a {{ \"{{\" }} b");
        assert_eq!(literal("{%"), "{{ \"{\" ~ \"%\" }}");
    }
}
