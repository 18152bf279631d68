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
//!
//! The table itself ([`KeyIndex`]) holds only hashes and keys, and the values sit in a parallel
//! vector at the same positions: all the bucket bookkeeping is compiled once, not once per value
//! type, which matters in the page's wasm.

use super::key_hash;
use crate::engine::prng::Prng;

/// Where one key is: its hash, and its position in the key (and value) vectors.
#[derive(Clone, Copy, Debug)]
struct Slot {
    hash: u64,
    position: usize,
}

/// The hash table of a [`StableMap`], without the values: the keys in a vector (unordered: a
/// removal moves the last key into the hole) and buckets of [`Slot`]s pointing into it.
#[derive(Clone, Debug)]
struct KeyIndex {
    /// `1 << bits` buckets; the bucket of a hash is its top `bits` bits. Each bucket is sorted by
    /// hash, equal hashes in insertion order.
    buckets: Vec<Vec<Slot>>,
    bits: u32,
    /// Each key with its hash, kept to find a moved key's slot without rehashing.
    keys: Vec<(u64, Box<[u8]>)>,
}

/// Byte-string keys to `V`, in hash order.
#[derive(Clone, Debug)]
pub struct StableMap<V> {
    /// Boxed, so that the map is no bigger than a `Vec` and its pointer: a database entry's
    /// `Value` is as large as its largest variant.
    index: Box<KeyIndex>,
    /// `values[i]` is the value of `index.keys[i]`.
    values: Vec<V>,
}

impl<V> Default for StableMap<V> {
    fn default() -> Self {
        StableMap {
            index: Box::new(KeyIndex {
                buckets: vec![Vec::new()],
                bits: 0,
                keys: Vec::new(),
            }),
            values: Vec::new(),
        }
    }
}

impl<V: PartialEq> PartialEq for StableMap<V> {
    /// Equal contents in equal order, whatever the table sizes.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// Grow when there are more entries than buckets; shrink below one entry per eight buckets.
const SHRINK_RATIO: usize = 8;
/// Buckets hold about one entry, so they grow one slot at a time up to this many (a `Vec`
/// would jump to four at once, and most of a large table's memory would be empty slots).
const BUCKET_EXACT_SLOTS_MAX: usize = 4;

/// Makes room for one more slot in a bucket, exactly while the bucket is small.
fn make_room(slots: &mut Vec<Slot>) {
    if slots.len() == slots.capacity() && slots.len() < BUCKET_EXACT_SLOTS_MAX {
        slots.reserve_exact(1);
    }
}

impl KeyIndex {
    fn len(&self) -> usize {
        self.keys.len()
    }

    fn bucket_of(&self, hash: u64) -> usize {
        if self.bits == 0 {
            0
        } else {
            (hash >> (64 - self.bits)) as usize
        }
    }

    /// Bucket of `key` and the index of its slot there, if present.
    fn find(&self, hash: u64, key: &[u8]) -> Option<(usize, usize)> {
        let bucket = self.bucket_of(hash);
        let in_bucket = self.buckets.get(bucket)?.iter().position(|slot| {
            slot.hash == hash
                && self
                    .keys
                    .get(slot.position)
                    .is_some_and(|(_, k)| **k == *key)
        })?;
        Some((bucket, in_bucket))
    }

    /// Position of `key`, if present.
    fn position(&self, key: &[u8]) -> Option<usize> {
        let (bucket, in_bucket) = self.find(key_hash(key), key)?;
        Some(self.buckets[bucket][in_bucket].position)
    }

    /// Position of `key`: `Err` with it if present, else `Ok` with the position the key was just
    /// pushed at (the end), where the caller pushes its value.
    fn insert(&mut self, key: &[u8]) -> Result<usize, usize> {
        let hash = key_hash(key);
        if let Some((bucket, in_bucket)) = self.find(hash, key) {
            return Err(self.buckets[bucket][in_bucket].position);
        }
        let position = self.keys.len();
        self.keys.push((hash, key.into()));
        let bucket = self.bucket_of(hash);
        let slots = &mut self.buckets[bucket];
        let in_bucket = slots.partition_point(|slot| slot.hash <= hash);
        make_room(slots);
        slots.insert(in_bucket, Slot { hash, position });
        if self.len() > self.buckets.len() {
            self.resize(self.bits + 1);
        }
        Ok(position)
    }

    /// Grows the table at once for `additional` more keys.
    fn reserve(&mut self, additional: usize) {
        let wanted = self.len().saturating_add(additional);
        let mut bits = self.bits;
        while (1usize << bits) < wanted && bits < 40 {
            bits += 1;
        }
        if bits > self.bits {
            self.resize(bits);
        }
        self.keys.reserve(additional);
    }

    /// Removes `key` and returns the position it had; the caller removes its value with
    /// `swap_remove` at that position too, as the last key moved there.
    fn remove(&mut self, key: &[u8]) -> Option<usize> {
        let (bucket, in_bucket) = self.find(key_hash(key), key)?;
        let position = self.buckets[bucket].remove(in_bucket).position;
        let last = self.keys.len() - 1;
        self.keys.swap_remove(position);
        // The last key, if it was not the removed one, now sits at `position`.
        if let Some(&(moved_hash, _)) = self.keys.get(position) {
            let moved_bucket = self.bucket_of(moved_hash);
            if let Some(slot) = self.buckets[moved_bucket]
                .iter_mut()
                .find(|slot| slot.position == last)
            {
                slot.position = position;
            }
        }
        if self.bits > 0 && self.len() * SHRINK_RATIO < self.buckets.len() {
            self.resize(self.bits - 1);
        }
        Some(position)
    }

    /// Rebuilds the table with `1 << bits` buckets. Walking the old buckets in order yields the
    /// slots in hash order, so pushing them keeps every new bucket sorted.
    fn resize(&mut self, bits: u32) {
        let mut buckets = Vec::new();
        buckets.resize_with(1 << bits, Vec::new);
        let old = std::mem::replace(&mut self.buckets, buckets);
        self.bits = bits;
        for slot in old.into_iter().flatten() {
            let bucket = self.bucket_of(slot.hash);
            let slots = &mut self.buckets[bucket];
            make_room(slots);
            slots.push(slot);
        }
    }

    /// All slots in hash order.
    fn slots(&self) -> impl Iterator<Item = &Slot> {
        self.buckets.iter().flatten()
    }

    /// Slots from the first with a hash at or above `from`, in hash order (not wrapping).
    fn slots_from(&self, from: u64) -> impl Iterator<Item = &Slot> {
        self.buckets
            .get(self.bucket_of(from)..)
            .unwrap_or_default()
            .iter()
            .flatten()
            .skip_while(move |slot| slot.hash < from)
    }

    /// One SCAN step (see [`StableMap::scan`]): the positions found and the next cursor.
    fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<usize>) {
        let mut found = Vec::new();
        let mut last_hash = None;
        for slot in self.slots_from(cursor) {
            if found.len() >= count.max(1) && last_hash != Some(slot.hash) {
                return (slot.hash, found);
            }
            last_hash = Some(slot.hash);
            found.push(slot.position);
        }
        (0, found)
    }

    /// A random position (see [`StableMap::random`]).
    fn random(&self, prng: &mut Prng) -> Option<usize> {
        let point = prng.next_u64();
        let first = self
            .slots_from(point)
            .next()
            .or_else(|| self.slots_from(0).next())?;
        let group: Vec<usize> = self
            .slots_from(first.hash)
            .take_while(|slot| slot.hash == first.hash)
            .map(|slot| slot.position)
            .collect();
        group.get(prng.below(group.len() as u64) as usize).copied()
    }
}

impl<V> StableMap<V> {
    /// Number of keys.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The key and value at `position`.
    fn entry(&self, position: usize) -> (&[u8], &V) {
        (&self.index.keys[position].1, &self.values[position])
    }

    /// The value of `key`.
    pub fn get(&self, key: &[u8]) -> Option<&V> {
        self.values.get(self.index.position(key)?)
    }

    /// The value of `key`, mutable.
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        self.values.get_mut(self.index.position(key)?)
    }

    /// Inserts or replaces; returns the previous value.
    pub fn insert(&mut self, key: &[u8], value: V) -> Option<V> {
        match self.index.insert(key) {
            Ok(_) => {
                self.values.push(value);
                None
            }
            Err(position) => Some(std::mem::replace(&mut self.values[position], value)),
        }
    }

    /// Inserts `key` only if it is absent, with a single lookup (bulk loads); gives the value back
    /// if the key is present.
    pub fn insert_new(&mut self, key: &[u8], value: V) -> Result<(), V> {
        match self.index.insert(key) {
            Ok(_) => {
                self.values.push(value);
                Ok(())
            }
            Err(_) => Err(value),
        }
    }

    /// Grows the table at once for `additional` more keys, so a bulk load does not rebuild it at
    /// every doubling.
    pub fn reserve(&mut self, additional: usize) {
        self.index.reserve(additional);
        self.values.reserve(additional);
    }

    /// Removes `key`; returns its value.
    pub fn remove(&mut self, key: &[u8]) -> Option<V> {
        let position = self.index.remove(key)?;
        Some(self.values.swap_remove(position))
    }

    /// Keys and values in hash order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &V)> {
        self.index.slots().map(|slot| self.entry(slot.position))
    }

    /// One SCAN step from `cursor`: whole groups of equal hashes until at least `count` keys, and
    /// the next cursor (0 when done). The cursor is a hash value, valid whatever changes meanwhile.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<(&[u8], &V)>) {
        let (next, positions) = self.index.scan(cursor, count);
        let found = positions.into_iter().map(|p| self.entry(p)).collect();
        (next, found)
    }

    /// A random key and value, or None if empty: the first entries at or after a random hash
    /// position (wrapping), and one of them if several share that hash.
    pub fn random(&self, prng: &mut Prng) -> Option<(&[u8], &V)> {
        Some(self.entry(self.index.random(prng)?))
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
            map.index.buckets.len() <= 10 * SHRINK_RATIO,
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
