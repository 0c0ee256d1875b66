//! [`Spanned`]: a plan value with its exact source location, and the span
//! protocol the fast reader (`load::subset`) speaks to it.

use std::borrow::Cow;
use std::cell::Cell;
use std::ops::Deref;

use schemars::JsonSchema;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};

/// Name under which [`Spanned`] asks the fast reader for a value's span.
pub(crate) const SPANNED: &str = "__prikaz_spanned";

thread_local! {
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
}

/// True while the fast reader deserialises on the current thread, so that
/// [`Spanned`] speaks its span protocol rather than serde-saphyr's.
pub(crate) fn active() -> bool {
    ACTIVE.with(Cell::get)
}

/// Runs `f` with the span protocol on for this thread (the fast reader's
/// deserialisation), and off again afterwards, even on unwinding.
pub(crate) fn with_protocol<R>(f: impl FnOnce() -> R) -> R {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            ACTIVE.with(|a| a.set(false));
        }
    }
    ACTIVE.with(|a| a.set(true));
    let _reset = Reset;
    f()
}

/// A value with its source location: the byte range serde-saphyr reports
/// (the fast reader in `load::subset` reports the same).
///
/// Offsets are `u32` (files are at most 8 MiB): every value of every plan
/// carries one, and the smaller span cuts the memory of a large repository.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    value: T,
    /// `u32::MAX` when the location is unknown.
    start: u32,
    len: u32,
}

impl<T> Spanned<T> {
    fn new(value: T, offset: Option<u64>, len: u64) -> Spanned<T> {
        Spanned {
            value,
            start: offset
                .and_then(|o| u32::try_from(o).ok())
                .unwrap_or(u32::MAX),
            len: u32::try_from(len).unwrap_or(0),
        }
    }
    pub fn get(&self) -> &T {
        &self.value
    }
    /// Byte offset of the value's first character, when known.
    pub fn offset(&self) -> Option<usize> {
        (self.start != u32::MAX).then_some(self.start as usize)
    }
    pub fn byte_len(&self) -> usize {
        self.len as usize
    }
}

impl<T> Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if active() {
            return d.deserialize_newtype_struct(SPANNED, SpanVisitor(std::marker::PhantomData));
        }
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let span = s.referenced.span();
        Ok(Spanned::new(
            s.value,
            span.byte_offset(),
            span.byte_len().unwrap_or(0),
        ))
    }
}

/// The fast reader's span protocol: start, length, value.
struct SpanVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for SpanVisitor<T> {
    type Value = Spanned<T>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("значение с расположением")
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Spanned<T>, A::Error> {
        let missing = || de::Error::custom("span");
        let start: u64 = seq.next_element()?.ok_or_else(missing)?;
        let len: u64 = seq.next_element()?.ok_or_else(missing)?;
        let value: T = seq.next_element()?.ok_or_else(missing)?;
        Ok(Spanned::new(value, Some(start), len))
    }
    /// A value buffered by serde (untagged enums) has no location, as with
    /// serde-saphyr.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Spanned<T>, D::Error> {
        Ok(Spanned::new(T::deserialize(d)?, None, 0))
    }
}

impl<T: JsonSchema> JsonSchema for Spanned<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(g)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}
