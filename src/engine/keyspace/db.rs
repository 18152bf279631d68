//! One database: keys in a stable hash order, with an index of expiry times.

use std::ops::{Deref, DerefMut};

use super::stable_map::StableMap;
use super::Value;
use crate::engine::prng::Prng;
use crate::engine::tree_set::{self, tree_key, TreeKey, TreeSet};

/// Fixed bytes we count per key on top of its name and value (dict entry, robj, expire entry),
/// so `maxmemory` behaves roughly like Redis's for many small keys.
const KEY_OVERHEAD_BYTES: usize = 56;

/// The stable 64-bit hash that orders keys: FNV-1a, then a SplitMix64 finaliser so similar keys
/// spread out (KEYS output looks shuffled, as in Redis). Never change it: traces depend on it.
pub fn key_hash(key: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in key {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash = (hash ^ (hash >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash = (hash ^ (hash >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    hash ^ (hash >> 31)
}

/// A value and its expiry time.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The value; mutate it through [`Db::lookup_mut`] so memory accounting follows.
    pub value: Value,
    /// Absolute expiry in Unix milliseconds; changed only through [`Db::set_expire`].
    expires_at_ms: Option<u64>,
}

impl Entry {
    /// When the key expires, in Unix milliseconds.
    pub fn expires_at_ms(&self) -> Option<u64> {
        self.expires_at_ms
    }

    /// Whether the key is logically gone at `now_ms`: only once the time is *past* its TTL
    /// (Redis's `keyIsExpired` is `now > when`).
    pub fn is_expired(&self, now_ms: u64) -> bool {
        self.expires_at_ms.is_some_and(|at| at < now_ms)
    }
}

/// One database.
#[derive(Clone, Debug, Default)]
pub struct Db {
    entries: StableMap<Entry>,
    /// `(expires_at_ms, hash, key)` for every key with a TTL: active expiry walks it in time order.
    expires: TreeSet,
    used_bytes: usize,
}

impl Db {
    /// Number of keys, expired-but-not-yet-deleted ones included (like Redis's `dbSize`).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the database has no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of keys with a TTL.
    pub fn expires_len(&self) -> usize {
        self.expires.len()
    }

    /// Estimated bytes used by keys and values.
    pub fn used_bytes(&self) -> usize {
        self.used_bytes
    }

    /// The entry for `key`, expired or not (expiry policy is the caller's: masters delete, replicas
    /// hide).
    pub fn lookup(&self, key: &[u8]) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// The entry for `key`, mutable; memory accounting is updated when the guard drops.
    pub fn lookup_mut(&mut self, key: &[u8]) -> Option<EntryMut<'_>> {
        let entry = self.entries.get_mut(key)?;
        let bytes_before = entry.value.memory_bytes();
        Some(EntryMut {
            entry,
            used_bytes: &mut self.used_bytes,
            bytes_before,
        })
    }

    /// Whether `key` exists (expired or not).
    pub fn contains(&self, key: &[u8]) -> bool {
        self.entries.get(key).is_some()
    }

    /// Sets `key` to `value` with no TTL (Redis's `setKey` without KEEPTTL), returning the old entry.
    pub fn insert(&mut self, key: &[u8], value: Value) -> Option<Entry> {
        self.insert_entry(
            key,
            Entry {
                value,
                expires_at_ms: None,
            },
        )
    }

    /// Sets `key` to `value`, keeping its TTL if it had one (SET ... KEEPTTL, and in-place rewrites).
    pub fn insert_keep_ttl(&mut self, key: &[u8], value: Value) -> Option<Entry> {
        let expires_at_ms = self.lookup(key).and_then(Entry::expires_at_ms);
        self.insert_entry(
            key,
            Entry {
                value,
                expires_at_ms,
            },
        )
    }

    fn insert_entry(&mut self, key: &[u8], entry: Entry) -> Option<Entry> {
        let old = self.remove(key);
        if let Some(at) = entry.expires_at_ms {
            self.expires.insert(expiry_key(at, key));
        }
        self.used_bytes += KEY_OVERHEAD_BYTES + key.len() + entry.value.memory_bytes();
        self.entries.insert(key, entry);
        old
    }

    /// Adds a key that is not present yet, with its expiry, in one lookup (loading an RDB file);
    /// gives the value back if the key exists.
    pub fn insert_new(
        &mut self,
        key: &[u8],
        value: Value,
        expires_at_ms: Option<u64>,
    ) -> Result<(), Value> {
        let bytes = KEY_OVERHEAD_BYTES + key.len() + value.memory_bytes();
        let entry = Entry {
            value,
            expires_at_ms,
        };
        self.entries
            .insert_new(key, entry)
            .map_err(|entry| entry.value)?;
        if let Some(at) = expires_at_ms {
            self.expires.insert(expiry_key(at, key));
        }
        self.used_bytes += bytes;
        Ok(())
    }

    /// Makes room for `additional` more keys at once (an RDB file's size hint).
    pub fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
    }

    /// Removes `key`, returning its entry.
    pub fn remove(&mut self, key: &[u8]) -> Option<Entry> {
        let entry = self.entries.remove(key)?;
        if let Some(at) = entry.expires_at_ms {
            self.expires.remove(&expiry_key(at, key));
        }
        self.used_bytes -= KEY_OVERHEAD_BYTES + key.len() + entry.value.memory_bytes();
        Some(entry)
    }

    /// Sets or clears the TTL of an existing key; returns false if the key does not exist.
    pub fn set_expire(&mut self, key: &[u8], expires_at_ms: Option<u64>) -> bool {
        let Some(entry) = self.entries.get_mut(key) else {
            return false;
        };
        if let Some(old) = entry.expires_at_ms {
            self.expires.remove(&expiry_key(old, key));
        }
        entry.expires_at_ms = expires_at_ms;
        if let Some(at) = expires_at_ms {
            self.expires.insert(expiry_key(at, key));
        }
        true
    }

    /// Removes every key.
    pub fn clear(&mut self) {
        *self = Db::default();
    }

    /// Every key and entry in hash order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &Entry)> {
        self.entries.iter()
    }

    /// One SCAN step: the keys of whole hash buckets from `cursor` on, at least `count` of them,
    /// and the next cursor (0 when the walk is complete).
    ///
    /// The cursor is a hash value, so it stays valid whatever is added or removed meanwhile: a key
    /// present for the whole walk is returned exactly once (Redis promises at least once).
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<Vec<u8>>) {
        let (next, found) = self.entries.scan(cursor, count);
        (
            next,
            found.into_iter().map(|(key, _)| key.to_vec()).collect(),
        )
    }

    /// A random key (RANDOMKEY), or None if empty.
    pub fn random_key(&self, prng: &mut Prng) -> Option<&[u8]> {
        self.entries.random(prng).map(|(key, _)| key)
    }

    /// The key that expires soonest, with its expiry time (volatile-ttl eviction).
    pub fn soonest_expiring(&self) -> Option<(u64, &[u8])> {
        let (at, _, key) = tree_set::all(&self.expires).next()?;
        Some((*at, &**key))
    }

    /// A random key among those with a TTL (volatile eviction policies); O(keys with a TTL).
    pub fn random_expiring_key(&self, prng: &mut Prng) -> Option<&[u8]> {
        if self.expires.is_empty() {
            return None;
        }
        let index = prng.below(self.expires.len() as u64) as usize;
        let (_, _, key) = tree_set::all(&self.expires).nth(index)?;
        Some(key)
    }

    /// Up to `limit` keys whose TTL is before `now_ms`, soonest first (active expiry; Redis's
    /// `activeExpireCycleTryExpire` also requires `now > when`).
    pub fn expired_keys(&self, now_ms: u64, limit: usize) -> Vec<Vec<u8>> {
        let mut keys = Vec::new();
        for (at, _, key) in tree_set::all(&self.expires).take(limit) {
            if *at >= now_ms {
                break;
            }
            keys.push(key.to_vec());
        }
        keys
    }

    /// The mean remaining TTL in ms over keys with one (INFO keyspace's `avg_ttl`), 0 if none.
    pub fn average_ttl_ms(&self, now_ms: u64) -> u64 {
        if self.expires.is_empty() {
            return 0;
        }
        let mut total: u128 = 0;
        for (at, _, _) in tree_set::all(&self.expires) {
            total += u128::from(at.saturating_sub(now_ms));
        }
        (total / self.expires.len() as u128) as u64
    }
}

/// `key`'s place in the expiry index: its expiry time, its hash (ties between equal times go in
/// hash order), then the key itself.
fn expiry_key(expires_at_ms: u64, key: &[u8]) -> TreeKey {
    tree_key(expires_at_ms, key_hash(key), key)
}

/// A mutable borrow of an entry that keeps the database's memory figure right: it re-reads the
/// value's size when dropped.
pub struct EntryMut<'a> {
    entry: &'a mut Entry,
    used_bytes: &'a mut usize,
    bytes_before: usize,
}

impl Deref for EntryMut<'_> {
    type Target = Entry;
    fn deref(&self) -> &Entry {
        self.entry
    }
}

impl DerefMut for EntryMut<'_> {
    fn deref_mut(&mut self) -> &mut Entry {
        self.entry
    }
}

impl Drop for EntryMut<'_> {
    fn drop(&mut self) {
        *self.used_bytes = *self.used_bytes - self.bytes_before + self.entry.value.memory_bytes();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::keyspace::StringValue;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn string(text: &str) -> Value {
        Value::String(StringValue::new(text.as_bytes().to_vec()))
    }

    #[test]
    fn the_key_hash_is_pinned() {
        // Traces, SCAN cursors and KEYS order depend on it: same on every platform, forever.
        assert_eq!(key_hash(b""), key_hash(b""));
        assert_eq!(key_hash(b"foo"), PINNED_HASH_FOO);
    }

    /// Checked against an independent Python implementation of FNV-1a + the SplitMix64 finaliser.
    const PINNED_HASH_FOO: u64 = 7_795_703_949_265_931_210;

    #[test]
    fn insert_replace_remove_keep_counts_and_memory_right() {
        let mut db = Db::default();
        db.insert(b"a", string("1"));
        db.insert(b"b", string("22"));
        db.set_expire(b"b", Some(50));
        let used = db.used_bytes();
        assert_eq!((db.len(), db.expires_len()), (2, 1));
        db.insert(b"b", string("333"));
        assert_eq!(
            (db.len(), db.expires_len()),
            (2, 0),
            "a plain SET clears the TTL"
        );
        assert_eq!(db.used_bytes(), used + 1);
        db.remove(b"a");
        db.remove(b"b");
        assert_eq!((db.len(), db.used_bytes(), db.expires_len()), (0, 0, 0));
    }

    #[test]
    fn insert_new_refuses_existing_keys_and_counts_like_insert() {
        let mut loaded = Db::default();
        loaded.reserve(1000);
        assert!(loaded.insert_new(b"a", string("1"), None).is_ok());
        assert!(loaded.insert_new(b"b", string("22"), Some(50)).is_ok());
        assert_eq!(loaded.insert_new(b"a", string("x"), None), Err(string("x")));
        let mut inserted = Db::default();
        inserted.insert(b"a", string("1"));
        inserted.insert(b"b", string("22"));
        inserted.set_expire(b"b", Some(50));
        assert_eq!(loaded.used_bytes(), inserted.used_bytes());
        assert_eq!((loaded.len(), loaded.expires_len()), (2, 1));
        assert_eq!(loaded.expired_keys(100, 10), vec![b"b".to_vec()]);
        assert_eq!(loaded.lookup(b"a").map(|e| &e.value), Some(&string("1")));
    }

    #[test]
    fn mutation_through_the_guard_updates_memory() {
        let mut db = Db::default();
        db.insert(b"k", string("ab"));
        let before = db.used_bytes();
        if let Some(mut entry) = db.lookup_mut(b"k") {
            entry.value = string("abcdef");
        }
        assert_eq!(db.used_bytes(), before + 4);
    }

    #[test]
    fn scan_visits_every_key_once_even_while_keys_change() {
        let mut db = Db::default();
        for i in 0..500 {
            db.insert(format!("key:{i}").as_bytes(), string("v"));
        }
        let (mut cursor, mut seen) = (0, Vec::new());
        loop {
            let (next, keys) = db.scan(cursor, 10);
            seen.extend(keys);
            // Keys added during the walk may or may not be seen; existing ones must be.
            db.insert(format!("new:{cursor}").as_bytes(), string("v"));
            cursor = next;
            if cursor == 0 {
                break;
            }
        }
        let original: Vec<_> = seen.iter().filter(|k| k.starts_with(b"key:")).collect();
        assert_eq!(original.len(), 500);
        let mut unique = original.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 500);
    }

    #[test]
    fn expired_keys_come_soonest_first() {
        let mut db = Db::default();
        for (key, at) in [(&b"late"[..], 300), (b"early", 100), (b"never", 0)] {
            db.insert(key, string("v"));
            if at > 0 {
                db.set_expire(key, Some(at));
            }
        }
        assert_eq!(db.expired_keys(250, 10), vec![b"early".to_vec()]);
        assert_eq!(
            db.expired_keys(1000, 10),
            vec![b"early".to_vec(), b"late".to_vec()]
        );
        assert_eq!(db.average_ttl_ms(0), 200);
    }
}
