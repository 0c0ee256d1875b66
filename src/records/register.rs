//! Registration: the next free number of an issuer's register in a year,
//! written into the order's YAML with everything else kept as it is.

use std::fs::{File, OpenOptions};
use std::path::Path;

use chrono::Datelike;

use crate::index::Index;

/// Held from reading the plans to writing the number into the order: two
/// `register` runs over one repository take turns, so no number is given
/// twice. An OS lock on a file of the temporary directory named after the
/// repository's path; it is released when dropped, or when the process ends
/// however it ends.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Waits for the lock of the plans under `plans`.
    pub fn acquire(plans: &Path) -> std::io::Result<Lock> {
        let dir = std::fs::canonicalize(plans)?;
        let key = crate::records::manifest::sha256_hex(dir.as_os_str().as_encoded_bytes());
        let path = std::env::temp_dir().join(format!("prikaz-register-{}.lock", &key[..16]));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        file.lock()?;
        Ok(Lock { _file: file })
    }
}

/// A registration number split into its sequence and register suffix.
pub fn split_number(n: &str) -> Option<(u32, &str)> {
    let n = n.trim();
    let (seq, suffix) = n.split_once('-').unwrap_or((n, ""));
    seq.parse().ok().map(|s| (s, suffix))
}

/// The next free sequence number of `issuer` in `register` for `year`, over
/// every order of the repository.
pub fn next_number(ix: &Index, issuer: &str, register: &str, year: i32) -> u32 {
    ix.orders
        .values()
        .filter(|o| o.item.issuer.get() == issuer && o.item.date.get().0.year() == year)
        .filter_map(|o| o.item.number.as_ref())
        .filter_map(|n| split_number(n.get()))
        .filter(|(_, s)| *s == register)
        .map(|(n, _)| n)
        .max()
        .unwrap_or(0)
        + 1
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RegisterError {
    #[error("приказ уже зарегистрирован под номером «{0}»")]
    AlreadyNumbered(String),
    #[error("в файле нет строки «date:» верхнего уровня, после которой записать номер")]
    NoDateLine,
}

/// Writes `number` (and `status: registered`) into the order's YAML text,
/// keeping everything else — comments, layout — as it is.
pub fn write_registration(text: &str, number: &str) -> Result<String, RegisterError> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let top = |l: &str, key: &str| {
        l.strip_prefix(key)
            .and_then(|r| r.strip_prefix(':'))
            .map(|r| r.split(" #").next().unwrap_or("").trim().to_string())
    };
    if let Some(v) = lines.iter().find_map(|l| top(l, "number"))
        && !v.is_empty()
        && v != "~"
        && v != "null"
    {
        return Err(RegisterError::AlreadyNumbered(
            v.trim_matches(['"', '\'']).to_string(),
        ));
    }
    lines.retain(|l| top(l, "number").is_none());
    let date = lines
        .iter()
        .position(|l| top(l, "date").is_some())
        .ok_or(RegisterError::NoDateLine)?;
    lines.insert(date + 1, format!("number: {number}"));
    match lines.iter().position(|l| top(l, "status").is_some()) {
        Some(i) => lines[i] = "status: registered".to_string(),
        None => lines.insert(date + 2, "status: registered".to_string()),
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_is_written_after_the_date_and_keeps_comments() {
        let src = "kind: order\nid: o\n# подписан\ndate: 2024-10-31\nstatus: signed # после визы\ntitle: Т\n";
        let out = write_registration(src, "12-ОД").expect("write");
        assert_eq!(
            out,
            "kind: order\nid: o\n# подписан\ndate: 2024-10-31\nnumber: 12-ОД\nstatus: registered\ntitle: Т\n"
        );
    }

    #[test]
    fn an_order_with_a_number_is_not_registered_again() {
        let src = "kind: order\ndate: 2024-10-31\nnumber: 5-ОД\n";
        assert_eq!(
            write_registration(src, "6-ОД"),
            Err(RegisterError::AlreadyNumbered("5-ОД".into()))
        );
    }

    #[test]
    fn numbers_split_into_sequence_and_register() {
        assert_eq!(split_number("978-ОД"), Some((978, "ОД")));
        assert_eq!(split_number("12"), Some((12, "")));
        assert_eq!(split_number("б/н"), None);
    }
}
