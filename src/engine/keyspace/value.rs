//! The five value types and what every one of them can say about itself.

use super::{HashValue, ListValue, SetValue, SortedSetValue};
use crate::engine::resp::parse_i64;

/// Redis stores strings of up to this many bytes in one allocation with their header (`embstr`).
const EMBSTR_BYTES_MAX: usize = 44;

/// A value stored under a key.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A binary-safe string.
    String(StringValue),
    /// A list.
    List(ListValue),
    /// A hash.
    Hash(HashValue),
    /// A set.
    Set(SetValue),
    /// A sorted set.
    SortedSet(SortedSetValue),
}

impl Value {
    /// What TYPE answers.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
            Value::SortedSet(_) => "zset",
        }
    }

    /// What OBJECT ENCODING answers (Redis 7.0's names).
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::String(string) => string.encoding(),
            Value::List(_) => "quicklist",
            Value::Hash(hash) => hash.encoding(),
            Value::Set(set) => set.encoding(),
            Value::SortedSet(sorted_set) => sorted_set.encoding(),
        }
    }

    /// Estimated bytes of payload; O(1) (each type keeps its own running figure).
    pub fn memory_bytes(&self) -> usize {
        match self {
            Value::String(string) => string.bytes().len(),
            Value::List(list) => list.memory_bytes(),
            Value::Hash(hash) => hash.memory_bytes(),
            Value::Set(set) => set.memory_bytes(),
            Value::SortedSet(sorted_set) => sorted_set.memory_bytes(),
        }
    }
}

/// One of the five value types as commands reach it through a key: how to find it inside a
/// [`Value`] (Redis's `checkType`), how to store it, and whether a key holding it must go.
/// [`Ctx`](crate::engine::command::Ctx)'s typed lookups (`read`, `modify`, ...) build on it.
pub trait ValueType: Sized {
    /// The value as this type, or None if it is of another type.
    fn from_value(value: &Value) -> Option<&Self>;
    /// The value as this type, mutable, or None if it is of another type.
    fn from_value_mut(value: &mut Value) -> Option<&mut Self>;
    /// The value to store under a key.
    fn into_value(self) -> Value;
    /// Whether a key holding this must be deleted: a list, hash, set or sorted set with nothing
    /// left (Redis never keeps an empty container). Never a string, not even an empty one.
    fn is_empty_container(&self) -> bool;
}

/// Implements [`ValueType`] for the type behind one [`Value`] variant.
macro_rules! value_type {
    ($type:ty, $variant:ident, $is_empty_container:expr) => {
        impl ValueType for $type {
            fn from_value(value: &Value) -> Option<&Self> {
                match value {
                    Value::$variant(typed) => Some(typed),
                    _ => None,
                }
            }

            fn from_value_mut(value: &mut Value) -> Option<&mut Self> {
                match value {
                    Value::$variant(typed) => Some(typed),
                    _ => None,
                }
            }

            fn into_value(self) -> Value {
                Value::$variant(self)
            }

            fn is_empty_container(&self) -> bool {
                $is_empty_container(self)
            }
        }
    };
}

value_type!(StringValue, String, |_: &StringValue| false);
value_type!(ListValue, List, ListValue::is_empty);
value_type!(HashValue, Hash, HashValue::is_empty);
value_type!(SetValue, Set, SetValue::is_empty);
value_type!(SortedSetValue, SortedSet, SortedSetValue::is_empty);

/// A string and how Redis would have encoded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringValue {
    bytes: Vec<u8>,
    origin: StringOrigin,
}

/// How Redis created the string object, which decides what OBJECT ENCODING reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StringOrigin {
    /// Stored from an argument after `tryObjectEncoding` (SET, MSET, ...): `int`, `embstr` or
    /// `raw` by content.
    Encoded,
    /// Built by `createStringObject` without trying `int` (INCRBYFLOAT): `embstr` or `raw` by
    /// length.
    Plain,
    /// Modified in place (APPEND, SETRANGE): Redis unshares such strings into `raw` and keeps them
    /// so whatever they hold.
    Modified,
}

impl StringValue {
    /// A string as SET stores it (Redis's `tryObjectEncoding` decides the encoding).
    pub fn new(bytes: Vec<u8>) -> StringValue {
        StringValue {
            bytes,
            origin: StringOrigin::Encoded,
        }
    }

    /// A string that was modified in place, which Redis keeps `raw`.
    pub fn new_raw(bytes: Vec<u8>) -> StringValue {
        StringValue {
            bytes,
            origin: StringOrigin::Modified,
        }
    }

    /// A string Redis creates without trying the `int` encoding (INCRBYFLOAT's result):
    /// `embstr` up to 44 bytes, else `raw`, even when it reads as an integer.
    pub fn new_plain(bytes: Vec<u8>) -> StringValue {
        StringValue {
            bytes,
            origin: StringOrigin::Plain,
        }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes, for an in-place change (APPEND, SETRANGE): the string becomes `raw`, as Redis
    /// unshares a string before modifying it. Mutate through [`EntryMut`](super::EntryMut) so
    /// memory accounting follows.
    pub fn bytes_mut(&mut self) -> &mut Vec<u8> {
        self.origin = StringOrigin::Modified;
        &mut self.bytes
    }

    /// Takes the bytes out.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// For SET-like strings: `int` for a canonical 64-bit integer of at most 20 bytes, else
    /// `embstr` up to 44 bytes, else `raw`. INCRBYFLOAT results skip `int`; in-place modified
    /// strings are always `raw`.
    pub fn encoding(&self) -> &'static str {
        match self.origin {
            StringOrigin::Modified => "raw",
            StringOrigin::Encoded if self.bytes.len() <= 20 && parse_i64(&self.bytes).is_some() => {
                "int"
            }
            _ if self.bytes.len() <= EMBSTR_BYTES_MAX => "embstr",
            _ => "raw",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn string_encoding_follows_how_redis_created_the_object() {
        assert_eq!(StringValue::new(b"123".to_vec()).encoding(), "int");
        assert_eq!(StringValue::new(b"-0".to_vec()).encoding(), "embstr");
        assert_eq!(StringValue::new(vec![b'a'; 44]).encoding(), "embstr");
        assert_eq!(StringValue::new(vec![b'a'; 45]).encoding(), "raw");
        assert_eq!(StringValue::new_plain(b"11".to_vec()).encoding(), "embstr");
        assert_eq!(StringValue::new_plain(vec![b'1'; 45]).encoding(), "raw");
        assert_eq!(StringValue::new_raw(b"1".to_vec()).encoding(), "raw");
        let mut modified = StringValue::new(b"1".to_vec());
        modified.bytes_mut().push(b'2');
        assert_eq!((modified.bytes(), modified.encoding()), (&b"12"[..], "raw"));
    }
}
