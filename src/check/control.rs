//! Characters no document may hold: control characters that arrive in plan
//! text through YAML escapes (`"\u0001"`, `"\f"`, `"\e"`) or copy and paste,
//! which make an XML (DOCX) file invalid and print nothing in the PDF. Word's
//! own line break U+000B is not among them: it is read as a line break
//! (see `lang::typo::LINE_BREAKS`).

use crate::diag::{Code, Diagnostic, FileId, Sources};
use crate::index::Index;
use crate::plan::{Cases, Text};

use super::texts::locate;

/// Characters a plan text may not hold: C0 controls but tab, line feed,
/// carriage return and U+000B; DEL; C1 controls; and the noncharacters.
pub(super) fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || ('\u{fdd0}'..='\u{fdef}').contains(&c)
        || (c as u32) & 0xfffe == 0xfffe
}

/// The first forbidden character of `text`, reported at it.
pub(super) fn check_text(
    sources: &Sources,
    file: FileId,
    text: &Text,
    diags: &mut Vec<Diagnostic>,
) {
    let raw = text.get();
    let Some((at, c)) = raw.char_indices().find(|(_, c)| forbidden(*c)) else {
        return;
    };
    diags.push(
        Diagnostic::error(
            Code::ControlCharacter,
            format!("управляющий символ U+{:04X} в тексте", c as u32),
        )
        .at(locate(sources, file, text, at..at + c.len_utf8()))
        .hint("удалите его; перенос строки пишется переводом строки, а не кодом"),
    );
}

/// Every text of the registry that a document may print.
pub(super) fn registry_texts<'a>(ix: &'a Index<'a>) -> Vec<(FileId, &'a Text)> {
    fn cases<'t>(f: FileId, c: &'t Cases, out: &mut Vec<(FileId, &'t Text)>) {
        let all = [&c.genitive, &c.dat, &c.acc, &c.ins, &c.pre];
        out.extend(all.into_iter().flatten().map(|t| (f, t)));
    }
    let mut texts: Vec<(FileId, &Text)> = Vec::new();
    for o in ix.orgs.values() {
        let g = o.item;
        texts.extend(
            [Some(&g.name), g.short.as_ref(), g.place.as_ref()]
                .into_iter()
                .flatten()
                .map(|t| (o.file, t)),
        );
        texts.extend(g.letterhead.iter().map(|t| (o.file, t)));
        cases(o.file, &g.cases, &mut texts);
    }
    for p in ix.positions.values() {
        texts.push((p.file, &p.item.name));
        cases(p.file, &p.item.cases, &mut texts);
    }
    for p in ix.people.values() {
        let q = p.item;
        let names = [
            Some(&q.surname),
            q.name.as_ref(),
            q.patronymic.as_ref(),
            q.initials.as_ref(),
            q.phone.as_ref(),
        ];
        texts.extend(names.into_iter().flatten().map(|t| (p.file, t)));
    }
    for i in ix.institutions.values() {
        let n = i.item;
        texts.extend(
            [Some(&n.name), n.short.as_ref()]
                .into_iter()
                .flatten()
                .map(|t| (i.file, t)),
        );
        texts.extend(n.aliases.iter().map(|t| (i.file, t)));
    }
    for a in ix.abbreviations.values() {
        texts.push((a.file, &a.item.abbr));
        texts.push((a.file, &a.item.full));
    }
    texts
}

/// The forbidden-character and missing-glyph checks over [`registry_texts`].
pub(super) fn check_registry(sources: &Sources, ix: &Index, diags: &mut Vec<Diagnostic>) {
    for (file, t) in registry_texts(ix) {
        check_text(sources, file, t, diags);
        super::glyphs::check_text(sources, file, t, diags);
    }
}
