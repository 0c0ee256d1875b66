//! The fonts every document is set in, shipped inside the binary (Liberation
//! Serif, SIL OFL 1.1; see `fonts/LICENSE-copyright.txt`): metric-compatible
//! with Times New Roman. The PDF backend typesets with them; `check` reads
//! which characters they have, because a character no font has is dropped
//! from the PDF while Word shows it from a system font.

use std::collections::HashSet;
use std::sync::OnceLock;

pub const EMBEDDED: [&[u8]; 4] = [
    include_bytes!("../../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../fonts/LiberationSerif-BoldItalic.ttf"),
];

/// The characters every embedded face maps to a glyph: a text may be set in
/// any of them (bold headings, italic notes).
fn coverage() -> &'static HashSet<u32> {
    static SET: OnceLock<HashSet<u32>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut common: Option<HashSet<u32>> = None;
        for data in EMBEDDED {
            let mut set = HashSet::new();
            if let Ok(face) = ttf_parser::Face::parse(data, 0)
                && let Some(cmap) = face.tables().cmap
            {
                for sub in cmap.subtables {
                    if sub.is_unicode() {
                        sub.codepoints(|c| {
                            if sub.glyph_index(c).is_some_and(|g| g.0 != 0) {
                                set.insert(c);
                            }
                        });
                    }
                }
            }
            common = Some(match common {
                None => set,
                Some(c) => c.intersection(&set).copied().collect(),
            });
        }
        common.unwrap_or_default()
    })
}

/// Advance widths of the regular face, in font units, with its units per em:
/// enough to tell how wide a word is set, for fitting table columns.
struct Advances {
    per_em: f32,
    /// Below `DENSE` (Latin, Cyrillic, punctuation, dashes, «№»): by code
    /// point, 0 for a character the face lacks. Fitting and row heights ask
    /// for every character of every cell, a hash lookup each was a tenth of
    /// `build`.
    dense: Vec<u16>,
    widths: std::collections::HashMap<char, u16>,
    fallback: u16,
}

const DENSE: usize = 0x2200;

fn advances() -> &'static Advances {
    static A: OnceLock<Advances> = OnceLock::new();
    A.get_or_init(|| {
        let mut widths = std::collections::HashMap::new();
        let mut per_em = 2048.0;
        let mut fallback = 1000;
        if let Ok(face) = ttf_parser::Face::parse(EMBEDDED[0], 0) {
            per_em = f32::from(face.units_per_em());
            fallback = face
                .glyph_index('М')
                .and_then(|g| face.glyph_hor_advance(g))
                .unwrap_or(fallback);
            for &c in coverage() {
                if let Some(ch) = char::from_u32(c)
                    && let Some(w) = face.glyph_index(ch).and_then(|g| face.glyph_hor_advance(g))
                {
                    widths.insert(ch, w);
                }
            }
        }
        let mut dense = vec![0u16; DENSE];
        widths.retain(|c, w| match dense.get_mut(*c as usize) {
            Some(d) => {
                *d = (*w).max(1);
                false
            }
            None => true,
        });
        Advances {
            per_em,
            dense,
            widths,
            fallback,
        }
    })
}

/// The width in points of `text` set in the regular face at `size_pt`,
/// without kerning (which only narrows it). A character the face lacks
/// counts as wide as «М».
pub fn text_width(text: &str, size_pt: f32) -> f32 {
    let a = advances();
    let units: u32 = text
        .chars()
        .map(|c| {
            let w = match a.dense.get(c as usize) {
                Some(&d) if d > 0 => d,
                Some(_) => a.fallback,
                None => *a.widths.get(&c).unwrap_or(&a.fallback),
            };
            u32::from(w)
        })
        .sum();
    units as f32 / a.per_em * size_pt
}

/// The regular face's vertical measures in ems, from its `hhea` table: what
/// Word and LibreOffice build a line of «одинарный» spacing from (ascent +
/// descent + line gap, 1.149 em for Liberation Serif and Times New Roman),
/// so the PDF can set lines at the same pitch as the DOCX.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Vertical {
    pub ascent_em: f32,
    pub descent_em: f32,
    pub line_gap_em: f32,
}

impl Vertical {
    /// The distance between baselines at single spacing, in ems.
    pub fn single_pitch_em(&self) -> f32 {
        self.ascent_em + self.descent_em + self.line_gap_em
    }
}

pub fn vertical() -> Vertical {
    static V: OnceLock<Vertical> = OnceLock::new();
    *V.get_or_init(|| {
        // Liberation Serif's own numbers, should the face ever fail to parse.
        let mut v = Vertical {
            ascent_em: 0.891,
            descent_em: 0.216,
            line_gap_em: 0.042,
        };
        if let Ok(face) = ttf_parser::Face::parse(EMBEDDED[0], 0) {
            let per_em = f32::from(face.units_per_em());
            let hhea = face.tables().hhea;
            v = Vertical {
                ascent_em: f32::from(hhea.ascender) / per_em,
                descent_em: f32::from(hhea.descender).abs() / per_em,
                line_gap_em: f32::from(hhea.line_gap) / per_em,
            };
        }
        v
    })
}

/// How many lines `text` takes in a column `width` points wide, wrapping
/// at spaces as the typesetter does (greedy; a word wider than the column
/// takes as many lines as it needs).
pub fn wrapped_lines(text: &str, width: f32, size: f32) -> usize {
    let width = width.max(1.0);
    let space = text_width(" ", size);
    let mut n = 0;
    for hard in text.split('\n') {
        n += 1;
        let mut x = 0.0f32;
        for word in hard.split(' ').filter(|w| !w.is_empty()) {
            let w = text_width(word, size);
            if x > 0.0 && x + space + w <= width {
                x += space + w;
            } else {
                if x > 0.0 {
                    n += 1;
                }
                // A word wider than the column is broken over lines.
                n += (w / width).ceil().max(1.0) as usize - 1;
                x = w.min(width);
            }
        }
    }
    n
}

/// [`printable`] for the first 12,288 code points (Latin, Cyrillic,
/// punctuation, symbols: nearly every character of a plan), one bit each:
/// `check` asks for every character of every text.
fn low_bits() -> &'static [u64; LOW / 64] {
    static BITS: OnceLock<[u64; LOW / 64]> = OnceLock::new();
    BITS.get_or_init(|| {
        let mut bits = [0u64; LOW / 64];
        for cp in 0..LOW as u32 {
            if char::from_u32(cp).is_some_and(printable_slow) {
                bits[cp as usize / 64] |= 1 << (cp % 64);
            }
        }
        bits
    })
}

const LOW: usize = 0x3000;

/// Whether the PDF can print `c`: the fonts have it, or it is layout rather
/// than a glyph (spaces, line breaks, joiners, soft hyphens, variation
/// selectors), which the typesetter handles without one.
pub fn printable(c: char) -> bool {
    let cp = c as usize;
    if cp < LOW {
        return low_bits()[cp / 64] >> (cp % 64) & 1 == 1;
    }
    printable_slow(c)
}

fn printable_slow(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}'
        )
        || ('\u{fe00}'..='\u{fe0f}').contains(&c)
        || coverage().contains(&(c as u32))
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn cyrillic_latin_and_order_typography_are_printable_emoji_are_not() {
        for c in "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя\
                  ABCxyz0123456789 «»„“”–—…№§°±×‐\u{a0}\u{202f}"
            .chars()
        {
            assert!(printable(c), "{c:?} U+{:04X}", c as u32);
        }
        for c in ['😀', '✅', '中', '\u{1F1F7}'] {
            assert!(!printable(c), "{c:?}");
        }
    }

    #[test]
    fn words_are_measured_with_the_fonts_metrics() {
        use super::text_width;
        // Times metrics: «М» is 0.889 em, a space 0.25 em.
        assert!(
            (text_width("М", 12.0) - 10.67).abs() < 0.1,
            "{}",
            text_width("М", 12.0)
        );
        assert!((text_width(" ", 12.0) - 3.0).abs() < 0.05);
        assert!(text_width("Ответственный", 12.0) > text_width("Срок", 12.0) * 3.0);
    }
}
