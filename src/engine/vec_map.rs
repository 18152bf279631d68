//! [`VecMap`] and [`VecSet`]: a map and a set kept as one vector sorted by key.
//!
//! For the engine's and the simulator's collections that stay small or whose entries are small
//! (a node's command statistics and clients, the simulation's nodes and connections), which the
//! standard `BTreeMap` and `BTreeSet` served before. They behave the
//! same way where it shows: iteration is in key order, so every order the simulator traces stays
//! what it was. They differ in cost: lookups are binary searches over one contiguous vector
//! (faster than a B-tree's), an insertion or a removal shifts the entries after it (O(n), one
//! `memmove`: cheap while entries are few or small, hence [`Clients`](super::client::Clients)
//! boxes its clients), and each key/value type costs the page a few hundred bytes of wasm where
//! a B-tree cost four to five kilobytes.
//!
//! Collections that one command can grow by 100 000 entries (a sorted set's members, the expiry
//! index, a client's channels, the WATCH table) stay B-trees, all of one type:
//! [`TreeSet`](super::tree_set::TreeSet).

use std::borrow::Borrow;
use std::fmt;
use std::ops::Index;
use std::slice;

use super::sort;

/// A map sorted by key, in one vector: see the [module docs](self) for when it fits.
#[derive(Clone, PartialEq, Eq)]
pub struct VecMap<K, V> {
    /// Sorted by key, each key once.
    entries: Vec<(K, V)>,
}

impl<K, V> VecMap<K, V> {
    /// An empty map (allocates nothing).
    pub const fn new() -> VecMap<K, V> {
        VecMap {
            entries: Vec::new(),
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter(self.entries.iter())
    }

    /// The entries in key order, values mutable.
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        IterMut(self.entries.iter_mut())
    }

    /// The keys in order.
    pub fn keys(&self) -> Keys<'_, K, V> {
        Keys(self.entries.iter())
    }

    /// The values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, value)| value)
    }

    /// The values in key order, mutable.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.iter_mut().map(|(_, value)| value)
    }

    /// Keeps the entries `keep` accepts (it sees them in key order and may change their values).
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(key, value)| keep(key, value));
    }

    /// Removes every entry, keeping the allocation.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// Where `key` is (`Ok`), or where it would go to keep the order (`Err`).
    fn position<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.entries
            .binary_search_by(|(probe, _)| probe.borrow().cmp(key))
    }

    /// The value for `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let index = self.position(key).ok()?;
        self.entries.get(index).map(|(_, value)| value)
    }

    /// The value for `key`, mutable.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let index = self.position(key).ok()?;
        self.entries.get_mut(index).map(|(_, value)| value)
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.position(key).is_ok()
    }

    /// Sets the value for `key`; returns the value it replaces (the key itself is kept).
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.position(&key) {
            Ok(index) => self
                .entries
                .get_mut(index)
                .map(|(_, old)| std::mem::replace(old, value)),
            Err(index) => {
                self.entries.insert(index, (key, value));
                None
            }
        }
    }

    /// The value for `key`, inserting `make()` first if there is none (`BTreeMap`'s
    /// `entry(key).or_insert_with(make)`).
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let index = match self.position(&key) {
            Ok(index) => index,
            Err(index) => {
                self.entries.insert(index, (key, make()));
                index
            }
        };
        &mut self.entries[index].1
    }

    /// Removes `key`; returns its value.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let index = self.position(key).ok()?;
        Some(self.entries.remove(index).1)
    }
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> VecMap<K, V> {
        VecMap::new()
    }
}

/// Printed as `BTreeMap` prints: `{key: value, ...}`.
impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// `map[&key]`; panics if `key` has no value, as `BTreeMap` does.
impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> Index<&Q> for VecMap<K, V> {
    type Output = V;

    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry for the key in VecMap")
    }
}

/// Later pairs replace earlier ones with the same key, as in `BTreeMap`. Built in one sort
/// (O(n log n)), not by n shifting insertions.
impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> VecMap<K, V> {
        let mut entries: Vec<(K, V)> = pairs.into_iter().collect();
        sort::sort_by(&mut entries, |a, b| a.0.cmp(&b.0));
        // Equal keys are adjacent in arrival order: the kept (first) one takes the later value.
        entries.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(&mut later.1, &mut kept.1);
            }
            same
        });
        VecMap { entries }
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    /// The entries in key order.
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Iter<'a, K, V> {
        self.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut VecMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = IterMut<'a, K, V>;

    fn into_iter(self) -> IterMut<'a, K, V> {
        self.iter_mut()
    }
}

/// [`VecMap::iter`]'s iterator.
#[derive(Clone, Debug)]
pub struct Iter<'a, K, V>(slice::Iter<'a, (K, V)>);

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<(&'a K, &'a V)> {
        self.0.next().map(|(key, value)| (key, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

/// [`VecMap::keys`]'s iterator.
#[derive(Clone, Debug)]
pub struct Keys<'a, K, V>(slice::Iter<'a, (K, V)>);

impl<'a, K, V> Iterator for Keys<'a, K, V> {
    type Item = &'a K;

    fn next(&mut self) -> Option<&'a K> {
        self.0.next().map(|(key, _)| key)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

/// [`VecMap::iter_mut`]'s iterator.
#[derive(Debug)]
pub struct IterMut<'a, K, V>(slice::IterMut<'a, (K, V)>);

impl<'a, K, V> Iterator for IterMut<'a, K, V> {
    type Item = (&'a K, &'a mut V);

    fn next(&mut self) -> Option<(&'a K, &'a mut V)> {
        self.0.next().map(|(key, value)| (&*key, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

/// A set sorted in one vector: a [`VecMap`] without values.
#[derive(Clone, PartialEq, Eq)]
pub struct VecSet<T> {
    map: VecMap<T, ()>,
}

impl<T> VecSet<T> {
    /// An empty set (allocates nothing).
    pub const fn new() -> VecSet<T> {
        VecSet { map: VecMap::new() }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there is no member.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The members in order.
    pub fn iter(&self) -> Keys<'_, T, ()> {
        self.map.keys()
    }
}

impl<T: Ord> VecSet<T> {
    /// Whether `member` is in the set.
    pub fn contains<Q>(&self, member: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.contains_key(member)
    }

    /// Adds `member`; false if it was there already (the first one is kept).
    pub fn insert(&mut self, member: T) -> bool {
        match self.map.position(&member) {
            Ok(_) => false,
            Err(index) => {
                self.map.entries.insert(index, (member, ()));
                true
            }
        }
    }

    /// Removes `member`; false if it was not there.
    pub fn remove<Q>(&mut self, member: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.remove(member).is_some()
    }
}

impl<T> Default for VecSet<T> {
    fn default() -> VecSet<T> {
        VecSet::new()
    }
}

/// Printed as `BTreeSet` prints: `{member, ...}`.
impl<T: fmt::Debug> fmt::Debug for VecSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// Members already there are kept (as `BTreeSet`'s `extend`). One sort of the whole set
/// (O((n + m) log(n + m))), not m shifting insertions.
impl<T: Ord> Extend<T> for VecSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, members: I) {
        let entries = &mut self.map.entries;
        entries.extend(members.into_iter().map(|member| (member, ())));
        sort::sort_by(entries, |a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, kept| later.0 == kept.0);
    }
}

impl<T: Ord> FromIterator<T> for VecSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(members: I) -> VecSet<T> {
        let mut set = VecSet::new();
        set.extend(members);
        set
    }
}

impl<'a, T> IntoIterator for &'a VecSet<T> {
    type Item = &'a T;
    type IntoIter = Keys<'a, T, ()>;

    fn into_iter(self) -> Keys<'a, T, ()> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::{VecMap, VecSet};
    use crate::engine::prng::Prng;

    /// Random inserts, replacements and removals leave a VecMap equal to a BTreeMap given the
    /// same operations: same answers, same contents in the same order.
    #[test]
    fn behaves_as_a_btree_map() {
        let mut prng = Prng::from_seed(7);
        let mut map = VecMap::new();
        let mut model = BTreeMap::new();
        for step in 0..2000u64 {
            let key = prng.below(64);
            match prng.below(4) {
                0 | 1 => assert_eq!(map.insert(key, step), model.insert(key, step)),
                2 => assert_eq!(map.remove(&key), model.remove(&key)),
                _ => {
                    *map.get_or_insert_with(key, || 0) += 1;
                    *model.entry(key).or_insert_with(|| 0) += 1;
                }
            }
            assert_eq!(map.get(&key), model.get(&key));
            assert_eq!(map.contains_key(&key), model.contains_key(&key));
        }
        assert!(map.iter().eq(model.iter()));
        assert_eq!(map.len(), model.len());
        assert_eq!(format!("{map:?}"), format!("{model:?}"));
    }

    /// Iteration is in key order whatever the insertion order; retain sees entries in that order.
    #[test]
    fn iterates_and_retains_in_key_order() {
        let mut map: VecMap<&str, u32> = [("b", 2), ("c", 3), ("a", 1), ("b", 20)]
            .into_iter()
            .collect();
        assert_eq!(map.keys().copied().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(map["b"], 20);
        let mut seen = Vec::new();
        map.retain(|&key, value| {
            seen.push(key);
            *value += 1;
            key != "b"
        });
        assert_eq!(seen, ["a", "b", "c"]);
        assert_eq!(map.into_iter().collect::<Vec<_>>(), [("a", 2), ("c", 4)]);
    }

    /// Bulk building (collect, extend) matches the B-tree's, duplicates included, on many
    /// random members in random order: the path WATCH-, SUBSCRIBE- and INFO-sized inputs take.
    #[test]
    fn bulk_building_matches_the_btree() {
        let mut prng = Prng::from_seed(5);
        let pairs: Vec<(u64, u64)> = (0..5000).map(|step| (prng.below(900), step)).collect();
        let map: VecMap<u64, u64> = pairs.iter().copied().collect();
        let model: BTreeMap<u64, u64> = pairs.iter().copied().collect();
        assert!(map.iter().eq(model.iter()));
        let mut set: VecSet<u64> = pairs.iter().map(|&(key, _)| key).take(100).collect();
        set.extend(pairs.iter().map(|&(key, _)| key));
        let model: BTreeSet<u64> = pairs.iter().map(|&(key, _)| key).collect();
        assert!(set.iter().eq(model.iter()));
    }

    /// Owned keys are looked up by their borrowed form (`Vec<u8>` by `[u8]`, `String` by `str`).
    #[test]
    fn looks_up_by_borrowed_keys() {
        let mut map = VecMap::new();
        map.insert(String::from("ERR"), 1);
        assert_eq!(map.get("ERR"), Some(&1));
        let mut set = VecSet::new();
        assert!(set.insert(b"news".to_vec()));
        assert!(set.contains(&b"news"[..]));
        assert!(set.remove(&b"news"[..]));
        assert!(!set.remove(&b"news"[..]));
    }

    /// A VecSet answers as a BTreeSet: insert and remove report membership, order is sorted.
    #[test]
    fn behaves_as_a_btree_set() {
        let mut prng = Prng::from_seed(11);
        let mut set = VecSet::new();
        let mut model = BTreeSet::new();
        for _ in 0..1000 {
            let member = prng.below(32);
            if prng.below(2) == 0 {
                assert_eq!(set.insert(member), model.insert(member));
            } else {
                assert_eq!(set.remove(&member), model.remove(&member));
            }
        }
        assert!(set.iter().eq(model.iter()));
        assert_eq!(format!("{set:?}"), format!("{model:?}"));
        let collected: VecSet<u64> = [3, 1, 3, 2].into_iter().collect();
        let mut members = Vec::new();
        for &member in &collected {
            members.push(member);
        }
        assert_eq!(members, [1, 2, 3]);
    }
}
