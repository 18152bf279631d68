//! Hashes: a `listpack` (insertion order) while small, a `hashtable` once too big.

use super::stable_map::StableMap;
use crate::engine::prng::Prng;

/// A field and its value, borrowed from a hash.
pub type FieldValue<'a> = (&'a [u8], &'a Vec<u8>);

/// When a hash stops being a listpack (`hash-max-listpack-entries` / `-value`, 128 and 64).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListpackLimits {
    /// More fields than this converts to a hashtable.
    pub entries_max: usize,
    /// A field or value longer than this converts to a hashtable.
    pub value_bytes_max: usize,
}

/// A hash of fields to values.
#[derive(Clone, Debug, PartialEq)]
pub enum HashValue {
    /// Small: field/value pairs in insertion order (what HGETALL shows, as Redis's listpack).
    Listpack {
        pairs: Vec<(Vec<u8>, Vec<u8>)>,
        bytes: usize,
    },
    /// Large: stable hash order. Redis never converts back to a listpack, and neither do we.
    Table {
        fields: StableMap<Vec<u8>>,
        bytes: usize,
    },
}

impl Default for HashValue {
    fn default() -> Self {
        HashValue::Listpack {
            pairs: Vec::new(),
            bytes: 0,
        }
    }
}

impl HashValue {
    /// Number of fields.
    pub fn len(&self) -> usize {
        match self {
            HashValue::Listpack { pairs, .. } => pairs.len(),
            HashValue::Table { fields, .. } => fields.len(),
        }
    }

    /// Whether there are no fields (Redis deletes empty hashes; so must callers).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What OBJECT ENCODING answers.
    pub fn encoding(&self) -> &'static str {
        match self {
            HashValue::Listpack { .. } => "listpack",
            HashValue::Table { .. } => "hashtable",
        }
    }

    /// The value of `field`.
    pub fn get(&self, field: &[u8]) -> Option<&Vec<u8>> {
        match self {
            HashValue::Listpack { pairs, .. } => {
                pairs.iter().find(|(f, _)| f == field).map(|(_, v)| v)
            }
            HashValue::Table { fields, .. } => fields.get(field),
        }
    }

    /// Sets `field`; returns true if it is new. Converts to a hashtable past `limits`.
    pub fn insert(&mut self, field: &[u8], value: Vec<u8>, limits: ListpackLimits) -> bool {
        let too_long = field.len() > limits.value_bytes_max || value.len() > limits.value_bytes_max;
        if too_long || (self.get(field).is_none() && self.len() >= limits.entries_max) {
            self.convert_to_table();
        }
        let added = field.len() + value.len();
        match self {
            HashValue::Listpack { pairs, bytes } => {
                if let Some((_, slot)) = pairs.iter_mut().find(|(f, _)| f == field) {
                    *bytes = *bytes + value.len() - slot.len();
                    *slot = value;
                    return false;
                }
                *bytes += added;
                pairs.push((field.to_vec(), value));
                true
            }
            HashValue::Table { fields, bytes } => {
                *bytes += added;
                match fields.insert(field, value) {
                    Some(old) => {
                        *bytes -= field.len() + old.len();
                        false
                    }
                    None => true,
                }
            }
        }
    }

    /// Removes `field`; returns its value.
    pub fn remove(&mut self, field: &[u8]) -> Option<Vec<u8>> {
        let value = match self {
            HashValue::Listpack { pairs, bytes } => {
                let index = pairs.iter().position(|(f, _)| f == field)?;
                let (_, value) = pairs.remove(index);
                *bytes -= field.len() + value.len();
                value
            }
            HashValue::Table { fields, bytes } => {
                let value = fields.remove(field)?;
                *bytes -= field.len() + value.len();
                value
            }
        };
        Some(value)
    }

    /// Field/value pairs in the order HGETALL returns them.
    pub fn iter(&self) -> Box<dyn Iterator<Item = (&[u8], &Vec<u8>)> + '_> {
        match self {
            HashValue::Listpack { pairs, .. } => {
                Box::new(pairs.iter().map(|(f, v)| (f.as_slice(), v)))
            }
            HashValue::Table { fields, .. } => Box::new(fields.iter()),
        }
    }

    /// A random field and its value (HRANDFIELD), or None if empty. Uniform for a listpack; a
    /// table picks by hash position, close to uniform, as Redis's `dictGetFairRandomKey` is.
    pub fn random_pair(&self, prng: &mut Prng) -> Option<FieldValue<'_>> {
        match self {
            HashValue::Listpack { pairs, .. } => {
                let index = prng.below(pairs.len().max(1) as u64) as usize;
                pairs
                    .get(index)
                    .map(|(field, value)| (field.as_slice(), value))
            }
            HashValue::Table { fields, .. } => fields.random(prng),
        }
    }

    /// One HSCAN step: a listpack is returned whole with cursor 0 (as Redis does for compact
    /// encodings); a table walks whole hash buckets from `cursor` until at least `count` fields.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<FieldValue<'_>>) {
        match self {
            HashValue::Listpack { .. } => (0, self.iter().collect()),
            HashValue::Table { fields, .. } => fields.scan(cursor, count),
        }
    }

    /// Estimated payload bytes.
    pub fn memory_bytes(&self) -> usize {
        match self {
            HashValue::Listpack { bytes, .. } | HashValue::Table { bytes, .. } => *bytes,
        }
    }

    /// A hash loaded whole (from an RDB file) in the encoding the loader chose: a listpack keeps
    /// the pairs' order, a hashtable orders them by hash. `None` if a field repeats.
    pub fn from_pairs(pairs: Vec<(Vec<u8>, Vec<u8>)>, listpack: bool) -> Option<HashValue> {
        let bytes = pairs.iter().map(|(f, v)| f.len() + v.len()).sum();
        if listpack {
            let mut fields: Vec<&[u8]> = pairs.iter().map(|(f, _)| f.as_slice()).collect();
            crate::engine::sort::sort(&mut fields);
            if fields.windows(2).any(|pair| pair[0] == pair[1]) {
                return None;
            }
            return Some(HashValue::Listpack { pairs, bytes });
        }
        let mut fields = StableMap::default();
        for (field, value) in pairs {
            if fields.insert(&field, value).is_some() {
                return None;
            }
        }
        Some(HashValue::Table { fields, bytes })
    }

    fn convert_to_table(&mut self) {
        if let HashValue::Listpack { pairs, bytes } = self {
            let mut fields = StableMap::default();
            for (field, value) in pairs.drain(..) {
                fields.insert(&field, value);
            }
            *self = HashValue::Table {
                fields,
                bytes: *bytes,
            };
        }
    }
}
