//! The serde `Deserializer` over the node tree, with the span protocol of
//! [`crate::plan::Spanned`].

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::scalars::{canonical_float, canonical_int, is_null, maybe_typed};
use super::{Kind, Node};

/// Any error: the reader declines and serde-saphyr takes over.
#[derive(Debug)]
pub struct Declined;

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("outside the fast YAML subset")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Declined
    }
}

/// Deserialises a node by value, so text folded by the parser moves into
/// the plan without a second copy.
pub(super) struct De<'a>(pub(super) Node<'a>);

fn visit_text<'de, V: Visitor<'de>>(text: Cow<'_, str>, v: V) -> Result<V::Value, Declined> {
    match text {
        Cow::Borrowed(b) => v.visit_str(b),
        Cow::Owned(o) => v.visit_string(o),
    }
}

fn visit_int<'de, V: Visitor<'de>>(s: &str, v: V) -> Result<V::Value, Declined> {
    if !canonical_int(s) {
        return Err(Declined);
    }
    match s.parse::<i64>() {
        Ok(i) => v.visit_i64(i),
        Err(_) => v.visit_u64(s.parse().map_err(|_| Declined)?),
    }
}

impl De<'_> {
    fn plain(&self) -> Option<&str> {
        match &self.0.kind {
            Kind::Scalar { text, plain: true } => Some(text),
            _ => None,
        }
    }
    /// A plain decimal number, parsed straight to the target width.
    fn float<F: std::str::FromStr>(&self) -> Result<F, Declined> {
        let s = self
            .plain()
            .filter(|s| canonical_float(s))
            .ok_or(Declined)?;
        s.parse().map_err(|_| Declined)
    }
}

macro_rules! ints {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
            visit_int(self.plain().ok_or(Declined)?, v)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for De<'_> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match self.0.kind {
            Kind::Null => v.visit_unit(),
            Kind::Scalar { text, plain: false } => visit_text(text, v),
            Kind::Scalar { text, plain: true } => {
                if is_null(&text) {
                    v.visit_unit()
                } else if text == "true" || text == "false" {
                    v.visit_bool(text == "true")
                } else if canonical_int(&text) {
                    visit_int(&text, v)
                } else if maybe_typed(&text) {
                    Err(Declined)
                } else {
                    visit_text(text, v)
                }
            }
            Kind::Seq(items) => v.visit_seq(Seq(items.into_iter())),
            Kind::Map(entries) => v.visit_map(Map {
                it: entries.into_iter(),
                value: None,
            }),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match self.plain() {
            Some("true") => v.visit_bool(true),
            Some("false") => v.visit_bool(false),
            _ => Err(Declined),
        }
    }

    ints!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
          deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64);

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        v.visit_f32(self.float()?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        v.visit_f64(self.float()?)
    }

    fn deserialize_char<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match self.0.kind {
            Kind::Scalar { text, plain } if !(plain && is_null(&text)) => visit_text(text, v),
            _ => Err(Declined),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        self.deserialize_str(v)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match &self.0.kind {
            Kind::Null => v.visit_none(),
            Kind::Scalar { text, plain: true } if is_null(text) => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match self.0.kind {
            Kind::Null => v.visit_unit(),
            _ => Err(Declined),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, Declined> {
        self.deserialize_unit(v)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, Declined> {
        if name == crate::plan::spanned::SPANNED {
            v.visit_seq(Spanned {
                start: self.0.start,
                len: self.0.len,
                node: Some(self.0),
                step: 0,
            })
        } else {
            v.visit_newtype_struct(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match self.0.kind {
            Kind::Seq(items) => v.visit_seq(Seq(items.into_iter())),
            _ => Err(Declined),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, Declined> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        v: V,
    ) -> Result<V::Value, Declined> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match self.0.kind {
            Kind::Map(entries) => v.visit_map(Map {
                it: entries.into_iter(),
                value: None,
            }),
            _ => Err(Declined),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Declined> {
        self.deserialize_map(v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Declined> {
        match self.0.kind {
            Kind::Scalar { .. } => v.visit_enum(Enum {
                variant: self.0,
                value: None,
            }),
            Kind::Map(entries) if entries.len() == 1 => {
                let Some((variant, value)) = entries.into_iter().next() else {
                    return Err(Declined);
                };
                v.visit_enum(Enum {
                    variant,
                    value: Some(value),
                })
            }
            _ => Err(Declined),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        self.deserialize_str(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        v.visit_unit()
    }
}

struct Seq<'a>(std::vec::IntoIter<Node<'a>>);

impl<'de> de::SeqAccess<'de> for Seq<'_> {
    type Error = Declined;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Declined> {
        self.0.next().map(|n| seed.deserialize(De(n))).transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map<'a> {
    it: std::vec::IntoIter<(Node<'a>, Node<'a>)>,
    value: Option<Node<'a>>,
}

impl<'de> de::MapAccess<'de> for Map<'_> {
    type Error = Declined;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Declined> {
        match self.it.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(De(k)).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Declined> {
        let v = self.value.take().ok_or(Declined)?;
        seed.deserialize(De(v))
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.it.len())
    }
}

struct Enum<'a> {
    variant: Node<'a>,
    value: Option<Node<'a>>,
}

impl<'de, 'a> de::EnumAccess<'de> for Enum<'a> {
    type Error = Declined;
    type Variant = Variant<'a>;
    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Variant<'a>), Declined> {
        let v = seed.deserialize(De(self.variant))?;
        Ok((v, Variant(self.value)))
    }
}

struct Variant<'a>(Option<Node<'a>>);

impl<'de> de::VariantAccess<'de> for Variant<'_> {
    type Error = Declined;
    fn unit_variant(self) -> Result<(), Declined> {
        match self.0 {
            None => Ok(()),
            Some(_) => Err(Declined),
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Declined> {
        seed.deserialize(De(self.0.ok_or(Declined)?))
    }
    fn tuple_variant<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, Declined> {
        de::Deserializer::deserialize_seq(De(self.0.ok_or(Declined)?), v)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Declined> {
        de::Deserializer::deserialize_map(De(self.0.ok_or(Declined)?), v)
    }
}

/// The span protocol of [`crate::plan::Spanned`]: start, length, then the value.
struct Spanned<'a> {
    start: usize,
    len: usize,
    node: Option<Node<'a>>,
    step: u8,
}

impl<'de> de::SeqAccess<'de> for Spanned<'_> {
    type Error = Declined;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Declined> {
        self.step += 1;
        match self.step {
            1 => seed
                .deserialize((self.start as u64).into_deserializer())
                .map(Some),
            2 => seed
                .deserialize((self.len as u64).into_deserializer())
                .map(Some),
            _ => match self.node.take() {
                Some(n) => seed.deserialize(De(n)).map(Some),
                None => Ok(None),
            },
        }
    }
}
