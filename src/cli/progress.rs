//! Progress of a build of more than a few documents: a bar on a terminal
//! (indicatif), a plain line every tenth in a CI log, nothing under `-q`.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Below this many documents a build is over before a bar would help.
const FEW: usize = 8;

pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    done: AtomicUsize,
    lines: bool,
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        let show = total > FEW && super::chatty();
        let terminal = std::io::stderr().is_terminal();
        let bar = (show && terminal).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} документов, осталось {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            total,
            done: AtomicUsize::new(0),
            lines: show && !terminal,
        }
    }

    /// One more document rendered.
    pub fn tick(&self) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.inc(1);
        } else if self.lines
            && (n * 10 / self.total != (n - 1) * 10 / self.total || n == self.total)
        {
            eprintln!("собрано {n} из {} документов", self.total);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// «2,4 МБ», «512 КБ»: the size of what a build wrote.
pub fn size(bytes: u64) -> String {
    const K: f64 = 1024.0;
    let b = bytes as f64;
    if b >= K * K {
        format!("{:.1} МБ", b / K / K).replace('.', ",")
    } else {
        format!("{} КБ", (b / K).ceil() as u64)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_are_written_the_russian_way() {
        assert_eq!(super::size(2_516_582), "2,4 МБ");
        assert_eq!(super::size(500), "1 КБ");
    }
}
