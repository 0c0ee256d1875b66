//! The plan format: what a clerk writes in `plans/**/*.yaml`, as deserialised.
//!
//! Every value a diagnostic may point at is wrapped in [`Spanned`], which keeps the
//! exact source location. Structs deny unknown keys so a typo is reported with
//! the closest known key. Untagged or internally tagged enums would lose
//! locations in serde-saphyr, so variants are either plain strings or externally
//! tagged (`- paragraph: …`). The `description` attributes are the Russian texts
//! of `prikaz schema`.

mod blocks;
mod order;
mod registry;
mod schema;
pub mod spanned;

pub use blocks::*;
pub use order::*;
pub use registry::*;
pub use schema::{RepoIds, json_schema, with_ids};
pub use spanned::Spanned;

use std::borrow::Cow;

use chrono::Datelike;
use schemars::JsonSchema;
use serde::de;

use crate::lang::deadline::YEARS;
use serde::{Deserialize, Deserializer};

pub type Text = Spanned<String>;

/// A calendar date written as `ГГГГ-ММ-ДД` or `ДД.ММ.ГГГГ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub chrono::NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match any_date(&s) {
            Some(date) if YEARS.contains(&date.year()) => Ok(Date(date)),
            Some(date) => Err(de::Error::custom(format!(
                "некорректная дата «{s}»: {}",
                crate::lang::deadline::out_of_range(&date.year().to_string()).message
            ))),
            None => Err(de::Error::custom(format!(
                "некорректная дата «{s}»: ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ"
            ))),
        }
    }
}

/// A date as a plan writes it, with a year in the range deadlines accept.
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    any_date(s).filter(|d| YEARS.contains(&d.year()))
}

fn any_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .ok()
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Дата: ГГГГ-ММ-ДД или ДД.ММ.ГГГГ",
            "pattern": "^(\\d{4}-\\d{2}-\\d{2}|\\d{2}\\.\\d{2}\\.\\d{4})$"
        })
    }
}
