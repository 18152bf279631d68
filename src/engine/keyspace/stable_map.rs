//! [`StableMap`]: a byte-string map iterated in stable hash order.
//!
//! Redis's dict iterates in an order that depends on a random seed; ours depends only on the
//! keys ([`key_hash`]), so it looks as shuffled but is identical on every platform and run.
//! Used for large hashes and sets (their `hashtable` encoding) and for each database's keys.
//!
//! It is a hash table whose bucket is chosen by the *top* bits of the hash and whose buckets keep
//! their entries sorted by hash. Lookups are O(1) on average, and walking the buckets in order
//! visits every entry in ascending hash order whatever the table's size, so iteration order and
//! SCAN cursors (a cursor is a hash value) never depend on when the table grew or shrank.

use super::key_hash;
use crate::engine::prng::Prng;

/// One entry with its hash.
#[derive(Clone, Debug)]
struct Slot<V> {
    hash: u64,
    key: Box<[u8]>,
    value: V,
}

/// Byte-string keys to `V`, in hash order.
#[derive(Clone, Debug)]
pub struct StableMap<V> {
    /// `1 << bits` buckets; the bucket of a hash is its top `bits` bits. Each bucket is sorted by
    /// hash, equal hashes in insertion order.
    buckets: Vec<Vec<Slot<V>>>,
    bits: u32,
    len: usize,
}

impl<V> Default for StableMap<V> {
    fn default() -> Self {
        StableMap {
            buckets: vec![Vec::new()],
            bits: 0,
            len: 0,
        }
    }
}

impl<V: PartialEq> PartialEq for StableMap<V> {
    /// Equal contents in equal order, whatever the table sizes.
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

/// Grow when there are more entries than buckets; shrink below one entry per eight buckets.
const SHRINK_RATIO: usize = 8;
/// Buckets hold about one entry, so they grow one slot at a time up to this many (a `Vec`
/// would jump to four at once, and most of a large table's memory would be empty slots).
const BUCKET_EXACT_SLOTS_MAX: usize = 4;

/// Makes room for one more slot in a bucket, exactly while the bucket is small.
fn make_room<V>(slots: &mut Vec<Slot<V>>) {
    if slots.len() == slots.capacity() && slots.len() < BUCKET_EXACT_SLOTS_MAX {
        slots.reserve_exact(1);
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

    fn bucket_of(&self, hash: u64) -> usize {
        if self.bits == 0 {
            0
        } else {
            (hash >> (64 - self.bits)) as usize
        }
    }

    /// Bucket and position of `key`, if present.
    fn find(&self, key: &[u8]) -> Option<(usize, usize)> {
        let hash = key_hash(key);
        let bucket = self.bucket_of(hash);
        let position = self
            .buckets
            .get(bucket)?
            .iter()
            .position(|slot| slot.hash == hash && &*slot.key == key)?;
        Some((bucket, position))
    }

    /// The value of `key`.
    pub fn get(&self, key: &[u8]) -> Option<&V> {
        let (bucket, position) = self.find(key)?;
        let slot = self.buckets.get(bucket)?.get(position)?;
        Some(&slot.value)
    }

    /// The value of `key`, mutable.
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        let (bucket, position) = self.find(key)?;
        let slot = self.buckets.get_mut(bucket)?.get_mut(position)?;
        Some(&mut slot.value)
    }

    /// Inserts or replaces; returns the previous value.
    pub fn insert(&mut self, key: &[u8], value: V) -> Option<V> {
        if let Some(old) = self.get_mut(key) {
            return Some(std::mem::replace(old, value));
        }
        self.insert_absent(key_hash(key), key, value);
        None
    }

    /// Inserts `key` only if it is absent, with a single lookup (bulk loads); gives the value back
    /// if the key is present.
    pub fn insert_new(&mut self, key: &[u8], value: V) -> Result<(), V> {
        let hash = key_hash(key);
        let present = self.buckets.get(self.bucket_of(hash)).is_some_and(|slots| {
            slots
                .iter()
                .any(|slot| slot.hash == hash && &*slot.key == key)
        });
        if present {
            return Err(value);
        }
        self.insert_absent(hash, key, value);
        Ok(())
    }

    /// Puts a key known to be absent in its bucket, keeping the bucket sorted by hash, and grows
    /// the table past one entry per bucket.
    fn insert_absent(&mut self, hash: u64, key: &[u8], value: V) {
        let bucket = self.bucket_of(hash);
        let slots = &mut self.buckets[bucket];
        let position = slots.partition_point(|slot| slot.hash <= hash);
        make_room(slots);
        slots.insert(
            position,
            Slot {
                hash,
                key: key.into(),
                value,
            },
        );
        self.len += 1;
        if self.len > self.buckets.len() {
            self.resize(self.bits + 1);
        }
    }

    /// Grows the table at once for `additional` more keys, so a bulk load does not rebuild it at
    /// every doubling.
    pub fn reserve(&mut self, additional: usize) {
        let wanted = self.len.saturating_add(additional);
        let mut bits = self.bits;
        while (1usize << bits) < wanted && bits < 40 {
            bits += 1;
        }
        if bits > self.bits {
            self.resize(bits);
        }
    }

    /// Removes `key`; returns its value.
    pub fn remove(&mut self, key: &[u8]) -> Option<V> {
        let (bucket, position) = self.find(key)?;
        let slot = self.buckets[bucket].remove(position);
        self.len -= 1;
        if self.bits > 0 && self.len * SHRINK_RATIO < self.buckets.len() {
            self.resize(self.bits - 1);
        }
        Some(slot.value)
    }

    /// Rebuilds the table with `1 << bits` buckets. Walking the old buckets in order yields the
    /// entries in hash order, so pushing them keeps every new bucket sorted.
    fn resize(&mut self, bits: u32) {
        let mut buckets = Vec::new();
        buckets.resize_with(1 << bits, Vec::new);
        let old = std::mem::replace(&mut self.buckets, buckets);
        self.bits = bits;
        for old_slots in old {
            for slot in old_slots {
                let bucket = self.bucket_of(slot.hash);
                let slots = &mut self.buckets[bucket];
                make_room(slots);
                slots.push(slot);
            }
        }
    }

    /// Keys and values in hash order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &V)> {
        self.buckets
            .iter()
            .flatten()
            .map(|slot| (&*slot.key, &slot.value))
    }

    /// Slots from the first with a hash at or above `from`, in hash order (not wrapping).
    fn slots_from(&self, from: u64) -> impl Iterator<Item = &Slot<V>> {
        let first_bucket = self.bucket_of(from);
        self.buckets
            .get(first_bucket..)
            .unwrap_or_default()
            .iter()
            .flatten()
            .skip_while(move |slot| slot.hash < from)
    }

    /// One SCAN step from `cursor`: whole groups of equal hashes until at least `count` keys, and
    /// the next cursor (0 when done). The cursor is a hash value, valid whatever changes meanwhile.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<(&[u8], &V)>) {
        let mut found: Vec<(&[u8], &V)> = Vec::new();
        let mut last_hash = None;
        for slot in self.slots_from(cursor) {
            if found.len() >= count.max(1) && last_hash != Some(slot.hash) {
                return (slot.hash, found);
            }
            last_hash = Some(slot.hash);
            found.push((&slot.key, &slot.value));
        }
        (0, found)
    }

    /// A random key and value, or None if empty: the first entries at or after a random hash
    /// position (wrapping), and one of them if several share that hash.
    pub fn random(&self, prng: &mut Prng) -> Option<(&[u8], &V)> {
        let point = prng.next_u64();
        let first = self
            .slots_from(point)
            .next()
            .or_else(|| self.slots_from(0).next())?;
        let group: Vec<&Slot<V>> = self
            .slots_from(first.hash)
            .take_while(|slot| slot.hash == first.hash)
            .collect();
        let slot = group.get(prng.below(group.len() as u64) as usize)?;
        Some((&slot.key, &slot.value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn iteration_is_in_hash_order_whatever_the_table_size() {
        let mut map = StableMap::default();
        for i in 0..1000u32 {
            map.insert(format!("k{i}").as_bytes(), i);
        }
        for i in 0..990u32 {
            map.remove(format!("k{i}").as_bytes());
        }
        let hashes: Vec<u64> = map.iter().map(|(key, _)| key_hash(key)).collect();
        let mut sorted = hashes.clone();
        sorted.sort_unstable();
        assert_eq!(hashes, sorted);
        assert_eq!(map.len(), 10);
        assert!(
            map.buckets.len() <= 10 * SHRINK_RATIO,
            "the table shrank after the deletions"
        );
    }

    #[test]
    fn a_scan_walk_returns_each_key_once() {
        let mut map = StableMap::default();
        for i in 0..300u32 {
            map.insert(format!("k{i}").as_bytes(), ());
        }
        let (mut cursor, mut seen) = (0, Vec::new());
        loop {
            let (next, found) = map.scan(cursor, 7);
            seen.extend(found.into_iter().map(|(key, _)| key.to_vec()));
            if next == 0 {
                break;
            }
            cursor = next;
        }
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 300);
    }

    #[test]
    fn equality_ignores_table_size() {
        let mut grown = StableMap::default();
        let mut small = StableMap::default();
        for i in 0..100u32 {
            grown.insert(format!("k{i}").as_bytes(), i);
        }
        for i in 2..100u32 {
            grown.remove(format!("k{i}").as_bytes());
        }
        small.insert(b"k1", 1);
        small.insert(b"k0", 0);
        assert_eq!(grown, small);
    }
}
