//! [`StableMap`]: a byte-string map iterated in stable hash order.
//!
//! Redis's dict iterates in an order that depends on a random seed; ours depends only on the
//! keys ([`key_hash`]), so it looks as shuffled but is identical on every platform and run.
//! Used for large hashes and sets (their `hashtable` encoding) and for each database's keys.

use std::collections::BTreeMap;

use super::key_hash;
use crate::engine::prng::Prng;

/// The keys sharing one hash, with their values, in insertion order (almost always one).
type Bucket<V> = Vec<(Box<[u8]>, V)>;

/// Byte-string keys to `V`, in hash order.
#[derive(Clone, Debug, PartialEq)]
pub struct StableMap<V> {
    buckets: BTreeMap<u64, Bucket<V>>,
    len: usize,
}

impl<V> Default for StableMap<V> {
    fn default() -> Self {
        StableMap {
            buckets: BTreeMap::new(),
            len: 0,
        }
    }
}

impl<V> StableMap<V> {
    /// Number of keys.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value of `key`.
    pub fn get(&self, key: &[u8]) -> Option<&V> {
        let bucket = self.buckets.get(&key_hash(key))?;
        bucket
            .iter()
            .find(|(name, _)| &**name == key)
            .map(|(_, value)| value)
    }

    /// The value of `key`, mutable.
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        let bucket = self.buckets.get_mut(&key_hash(key))?;
        bucket
            .iter_mut()
            .find(|(name, _)| &**name == key)
            .map(|(_, value)| value)
    }

    /// Inserts or replaces; returns the previous value.
    pub fn insert(&mut self, key: &[u8], value: V) -> Option<V> {
        let bucket = self.buckets.entry(key_hash(key)).or_default();
        if let Some((_, slot)) = bucket.iter_mut().find(|(name, _)| &**name == key) {
            return Some(std::mem::replace(slot, value));
        }
        bucket.push((key.into(), value));
        self.len += 1;
        None
    }

    /// Removes `key`; returns its value.
    pub fn remove(&mut self, key: &[u8]) -> Option<V> {
        let hash = key_hash(key);
        let bucket = self.buckets.get_mut(&hash)?;
        let index = bucket.iter().position(|(name, _)| &**name == key)?;
        let (_, value) = bucket.remove(index);
        if bucket.is_empty() {
            self.buckets.remove(&hash);
        }
        self.len -= 1;
        Some(value)
    }

    /// Keys and values in hash order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &V)> {
        self.buckets
            .values()
            .flatten()
            .map(|(key, value)| (&**key, value))
    }

    /// One SCAN step from `cursor`: whole buckets until at least `count` keys, and the next cursor
    /// (0 when done). The cursor is a hash value, valid whatever changes meanwhile.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<(&[u8], &V)>) {
        let mut found = Vec::new();
        let mut buckets = self.buckets.range(cursor..);
        for (_, bucket) in buckets.by_ref() {
            found.extend(bucket.iter().map(|(key, value)| (&**key, value)));
            if found.len() >= count.max(1) {
                break;
            }
        }
        (buckets.next().map_or(0, |(&hash, _)| hash), found)
    }

    /// A random key and value, or None if empty.
    pub fn random(&self, prng: &mut Prng) -> Option<(&[u8], &V)> {
        let point = prng.next_u64();
        let (_, bucket) = self
            .buckets
            .range(point..)
            .next()
            .or_else(|| self.buckets.iter().next())?;
        let (key, value) = &bucket[prng.below(bucket.len() as u64) as usize];
        Some((key, value))
    }
}
