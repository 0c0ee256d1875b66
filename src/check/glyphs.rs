//! Characters the embedded fonts lack (an emoji in a title, a CJK name): the
//! PDF drops them without a trace while the DOCX shows them from a system
//! font, so the two files would differ. A warning names the character and
//! where it is; the clerk replaces it or builds with `--font-path`.

use crate::diag::{Code, Diagnostic, FileId, Sources};
use crate::model::fonts::printable;
use crate::plan::Text;

use super::texts::locate;

/// Reports the first character of `text` the fonts cannot print, and how
/// many others there are, in one warning.
pub(super) fn check_text(
    sources: &Sources,
    file: FileId,
    text: &Text,
    diags: &mut Vec<Diagnostic>,
) {
    let raw = text.get();
    if raw.is_ascii() {
        return;
    }
    let mut missing = raw.char_indices().filter(|(_, c)| !printable(*c));
    let Some((at, c)) = missing.next() else {
        return;
    };
    let more = missing.count();
    let also = if more > 0 {
        format!(" (и ещё {more} таких знаков в этом тексте)")
    } else {
        String::new()
    };
    diags.push(
        Diagnostic::warning(
            Code::MissingGlyph,
            format!(
                "знака «{c}» (U+{:04X}) нет во встроенных шрифтах: в PDF он не будет напечатан{also}",
                c as u32
            ),
        )
        .at(locate(sources, file, text, at..at + c.len_utf8()))
        .hint("замените его словом или знаком из обычного набора; либо соберите с --font-path, указав шрифт с этим знаком"),
    );
}
