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

/// A string and how Redis would have encoded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringValue {
    bytes: Vec<u8>,
    /// Modified in place (APPEND, SETRANGE): Redis keeps such strings `raw` whatever they hold.
    raw: bool,
}

impl StringValue {
    /// A string as SET stores it (Redis's `tryObjectEncoding` decides the encoding).
    pub fn new(bytes: Vec<u8>) -> StringValue {
        StringValue { bytes, raw: false }
    }

    /// A string that was modified in place, which Redis keeps `raw`.
    pub fn new_raw(bytes: Vec<u8>) -> StringValue {
        StringValue { bytes, raw: true }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Takes the bytes out.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// `int` for a canonical 64-bit integer of at most 20 bytes, else `embstr` up to 44 bytes,
    /// else `raw`; in-place modified strings are always `raw`.
    pub fn encoding(&self) -> &'static str {
        if self.raw {
            "raw"
        } else if self.bytes.len() <= 20 && parse_i64(&self.bytes).is_some() {
            "int"
        } else if self.bytes.len() <= EMBSTR_BYTES_MAX {
            "embstr"
        } else {
            "raw"
        }
    }
}
