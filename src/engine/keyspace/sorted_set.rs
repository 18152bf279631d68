//! Sorted sets: members ordered by (score, member), a `listpack` while small, a `skiplist` after.

use std::collections::btree_set::Range;
use std::ops::Bound;

use super::hash::ListpackLimits;
use super::stable_map::StableMap;
use crate::engine::tree_set::{
    self, f64_from_ordered, number_then_bytes, ordered_f64, TreeKey, TreeSet,
};

/// A sorted set.
#[derive(Clone, Debug, PartialEq)]
pub struct SortedSetValue {
    scores: StableMap<f64>,
    /// Members by (score, member), as [`order_key`]s: the order of ZRANGE.
    ordered: TreeSet,
    /// How many members score -0. The order stores -0 as 0 (Redis orders them as equal), so only
    /// while there are some must a zero read from it be looked up for its sign.
    negative_zeros: usize,
    /// Still within `zset-max-listpack-entries` / `-value` since creation (Redis never converts back).
    listpack: bool,
    bytes: usize,
}

/// A member's place in the order: its score as an [`ordered_f64`], then the member itself.
fn order_key(score: f64, member: &[u8]) -> TreeKey {
    number_then_bytes(ordered_f64(score), member)
}

/// Where the members with `score` begin: before any of them, since the empty member sorts first.
fn score_start(score: f64) -> TreeKey {
    order_key(score, &[])
}

/// Whether `score` is -0 (which compares equal to 0).
fn is_negative_zero(score: f64) -> bool {
    score == 0.0 && score.is_sign_negative()
}

impl Default for SortedSetValue {
    /// An empty sorted set, listpack-encoded as Redis creates small ones (as the other containers'
    /// defaults are their small encodings: `Ctx::modify_or_create` relies on it).
    fn default() -> Self {
        SortedSetValue {
            scores: StableMap::default(),
            ordered: TreeSet::new(),
            negative_zeros: 0,
            listpack: true,
            bytes: 0,
        }
    }
}

impl SortedSetValue {
    /// An empty sorted set, listpack-encoded as Redis creates small ones; the same as
    /// [`default`](SortedSetValue::default).
    pub fn new() -> SortedSetValue {
        SortedSetValue::default()
    }

    /// A sorted set loaded whole (from an RDB file) in the encoding the loader chose (Redis decides
    /// it from the final size, not member by member). A listpack stores -0 as 0, as `insert`
    /// does. `None` if a member repeats.
    pub fn from_members(members: Vec<(Vec<u8>, f64)>, listpack: bool) -> Option<SortedSetValue> {
        let mut zset = SortedSetValue {
            listpack,
            ..SortedSetValue::default()
        };
        for (member, score) in members {
            let score = if listpack && score == 0.0 { 0.0 } else { score };
            if zset.scores.insert(&member, score).is_some() {
                return None;
            }
            zset.bytes += member.len() + 8;
            zset.order(&member, score);
        }
        Some(zset)
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    /// Whether it is empty (Redis deletes empty sorted sets; so must callers).
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    /// What OBJECT ENCODING answers.
    pub fn encoding(&self) -> &'static str {
        if self.listpack {
            "listpack"
        } else {
            "skiplist"
        }
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.scores.get(member).copied()
    }

    /// Sets `member`'s score; returns the previous score.
    ///
    /// Like Redis's `zsetAdd`, only a new member can convert the set to `skiplist`: one past
    /// `limits.entries_max` members, or one longer than `limits.value_bytes_max`. A listpack keeps
    /// integral scores as integers, so it stores -0 as 0; a skiplist keeps the sign.
    pub fn insert(&mut self, member: &[u8], score: f64, limits: ListpackLimits) -> Option<f64> {
        let present = self.scores.get(member).is_some();
        if !present
            && (self.len() + 1 > limits.entries_max || member.len() > limits.value_bytes_max)
        {
            self.listpack = false;
        }
        let score = if self.listpack && score == 0.0 {
            0.0
        } else {
            score
        };
        let previous = self.scores.insert(member, score);
        match previous {
            Some(old) => self.unorder(member, old),
            None => self.bytes += member.len() + 8,
        }
        self.order(member, score);
        previous
    }

    /// Removes `member`; returns its score.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let score = self.scores.remove(member)?;
        self.unorder(member, score);
        self.bytes -= member.len() + 8;
        Some(score)
    }

    /// Puts `member` with `score` into the order.
    fn order(&mut self, member: &[u8], score: f64) {
        self.negative_zeros += usize::from(is_negative_zero(score));
        self.ordered.insert(order_key(score, member));
    }

    /// Takes `member` with `score` out of the order.
    fn unorder(&mut self, member: &[u8], score: f64) {
        self.negative_zeros -= usize::from(is_negative_zero(score));
        self.ordered.remove(&order_key(score, member));
    }

    /// The member and score an [`order_key`] holds.
    fn decode<'z>(&'z self, (ordered_score, _, member): &'z TreeKey) -> (&'z [u8], f64) {
        let member: &[u8] = member;
        let score = f64_from_ordered(*ordered_score);
        if score == 0.0 && self.negative_zeros > 0 {
            return (member, self.scores.get(member).copied().unwrap_or(score));
        }
        (member, score)
    }

    /// Members and scores from the lowest score up.
    pub fn iter(&self) -> Members<'_> {
        self.members(tree_set::all(&self.ordered))
    }

    /// A walk over a run of order keys.
    fn members<'z>(&'z self, keys: Range<'z, TreeKey>) -> Members<'z> {
        Members {
            zset: self,
            keys,
            reverse: false,
        }
    }

    /// The 0-based position of `member` from the lowest score up (ZRANK); O(rank).
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        let score = self.score(member)?;
        let key = order_key(score, member);
        let before = tree_set::range(&self.ordered, Bound::Unbounded, Bound::Excluded(&key));
        Some(before.count())
    }

    /// Members and scores with a score within `min`..`max`, from the lowest score up; empty when
    /// the bounds cross. -0 and 0 are the same bound, as in Redis.
    pub fn range_by_score(&self, min: Bound<f64>, max: Bound<f64>) -> Members<'_> {
        // "Above s" starts where the next representable double does. `None`: nothing is above
        // +inf (an empty range).
        let lower = match min {
            Bound::Unbounded => Some(Bound::Unbounded),
            Bound::Included(score) => Some(Bound::Included(score_start(score))),
            Bound::Excluded(score) if score == f64::INFINITY => None,
            Bound::Excluded(score) => Some(Bound::Included(score_start(score.next_up()))),
        };
        let upper = match max {
            Bound::Included(score) if score == f64::INFINITY => Bound::Unbounded,
            Bound::Unbounded => Bound::Unbounded,
            Bound::Included(score) => Bound::Excluded(score_start(score.next_up())),
            Bound::Excluded(score) => Bound::Excluded(score_start(score)),
        };
        let (lower, upper) = match lower {
            Some(lower) => (lower, upper),
            None => (
                Bound::Excluded(score_start(0.0)),
                Bound::Excluded(score_start(0.0)),
            ),
        };
        self.members(tree_set::range(
            &self.ordered,
            lower.as_ref(),
            upper.as_ref(),
        ))
    }

    /// Estimated payload bytes.
    pub fn memory_bytes(&self) -> usize {
        self.bytes
    }
}

/// A walk over a sorted set's members and scores, lowest score first or, [`reversed`], highest
/// first: the one iterator type of every walk, so what commands build on it compiles once.
///
/// [`reversed`]: Members::reversed
#[derive(Clone)]
pub struct Members<'z> {
    zset: &'z SortedSetValue,
    keys: Range<'z, TreeKey>,
    reverse: bool,
}

impl<'z> Members<'z> {
    /// The same walk from its other end.
    pub fn reversed(self) -> Members<'z> {
        Members {
            reverse: !self.reverse,
            ..self
        }
    }

    /// Ends the walk: nothing more comes.
    pub fn stop(&mut self) {
        self.keys = Range::default();
    }
}

impl<'z> Iterator for Members<'z> {
    type Item = (&'z [u8], f64);

    fn next(&mut self) -> Option<Self::Item> {
        let key = if self.reverse {
            self.keys.next_back()
        } else {
            self.keys.next()
        }?;
        Some(self.zset.decode(key))
    }
}

impl DoubleEndedIterator for Members<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let key = if self.reverse {
            self.keys.next()
        } else {
            self.keys.next_back()
        }?;
        Some(self.zset.decode(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const LIMITS: ListpackLimits = ListpackLimits {
        entries_max: 3,
        value_bytes_max: 4,
    };

    fn set(pairs: &[(&str, f64)]) -> SortedSetValue {
        let mut zset = SortedSetValue::new();
        for &(member, score) in pairs {
            zset.insert(member.as_bytes(), score, LIMITS);
        }
        zset
    }

    fn members<'z>(iter: impl Iterator<Item = (&'z [u8], f64)>) -> Vec<String> {
        iter.map(|(member, _)| String::from_utf8_lossy(member).into_owned())
            .collect()
    }

    #[test]
    fn score_ranges_honour_exclusive_ends_and_infinities() {
        let zset = set(&[
            ("ninf", f64::NEG_INFINITY),
            ("a", 1.0),
            ("b", 2.0),
            ("pinf", f64::INFINITY),
        ]);
        let range = |min, max| members(zset.range_by_score(min, max));
        use Bound::{Excluded, Included, Unbounded};
        assert_eq!(range(Included(1.0), Included(2.0)), ["a", "b"]);
        assert_eq!(range(Excluded(1.0), Included(2.0)), ["b"]);
        assert_eq!(range(Included(1.0), Excluded(2.0)), ["a"]);
        assert_eq!(range(Excluded(1.0), Excluded(2.0)), Vec::<String>::new());
        assert_eq!(range(Included(2.0), Included(1.0)), Vec::<String>::new());
        assert_eq!(range(Excluded(2.0), Excluded(2.0)), Vec::<String>::new());
        assert_eq!(
            range(Included(f64::NEG_INFINITY), Included(f64::INFINITY)),
            ["ninf", "a", "b", "pinf"]
        );
        assert_eq!(
            range(Excluded(f64::NEG_INFINITY), Excluded(f64::INFINITY)),
            ["a", "b"]
        );
        assert_eq!(
            range(Excluded(f64::INFINITY), Included(f64::INFINITY)),
            Vec::<String>::new()
        );
        assert_eq!(
            range(Included(f64::INFINITY), Included(f64::INFINITY)),
            ["pinf"]
        );
        assert_eq!(
            range(Included(f64::NEG_INFINITY), Included(f64::NEG_INFINITY)),
            ["ninf"]
        );
        assert_eq!(
            members(zset.range_by_score(Included(0.0), Unbounded).rev()),
            ["pinf", "b", "a"]
        );
    }

    #[test]
    fn an_empty_sorted_set_is_a_listpack() {
        assert_eq!(SortedSetValue::default().encoding(), "listpack");
        assert_eq!(SortedSetValue::new(), SortedSetValue::default());
    }

    #[test]
    fn only_new_members_convert_a_listpack() {
        let mut zset = set(&[("a", 1.0), ("b", 2.0), ("c", 3.0)]);
        assert_eq!(zset.encoding(), "listpack");
        zset.insert(b"a", 5.0, LIMITS);
        assert_eq!(zset.encoding(), "listpack");
        zset.insert(b"d", 4.0, LIMITS);
        assert_eq!(zset.encoding(), "skiplist");
        let mut long = set(&[("abcde", 1.0)]);
        assert_eq!(long.encoding(), "skiplist");
        long.remove(b"abcde");
        assert_eq!(long.encoding(), "skiplist", "never converts back");
    }

    #[test]
    fn a_listpack_stores_negative_zero_as_zero() {
        let mut zset = set(&[("a", -0.0)]);
        assert!(zset.score(b"a").is_some_and(|s| s.is_sign_positive()));
        zset.insert(b"b", 1.0, LIMITS);
        zset.insert(b"c", 1.0, LIMITS);
        zset.insert(b"d", -0.0, LIMITS);
        assert!(
            zset.score(b"d").is_some_and(|s| s.is_sign_negative()),
            "skiplist now"
        );
        assert_eq!(zset.rank(b"d"), Some(1), "-0 sorts with 0, then by member");
    }

    #[test]
    fn walks_keep_the_sign_of_a_negative_zero() {
        let mut zset = set(&[("a", 1.0), ("b", 2.0), ("c", 3.0), ("d", 4.0)]);
        zset.insert(b"z", 0.0, LIMITS);
        zset.insert(b"y", -0.0, LIMITS);
        let signs = |zset: &SortedSetValue| -> Vec<(String, bool)> {
            zset.range_by_score(Bound::Included(-0.0), Bound::Included(0.0))
                .map(|(member, score)| {
                    let member = String::from_utf8_lossy(member).into_owned();
                    (member, score.is_sign_negative())
                })
                .collect()
        };
        let expected = [("y".to_string(), true), ("z".to_string(), false)];
        assert_eq!(signs(&zset), expected);
        assert_eq!(
            zset.iter().next().map(|(_, s)| s.is_sign_negative()),
            Some(true)
        );
        zset.insert(b"y", 0.0, LIMITS);
        zset.insert(b"z", -0.0, LIMITS);
        let expected = [("y".to_string(), false), ("z".to_string(), true)];
        assert_eq!(signs(&zset), expected);
        zset.remove(b"z");
        assert_eq!(signs(&zset), [("y".to_string(), false)]);
    }

    #[test]
    fn memory_follows_members() {
        let mut zset = set(&[("ab", 1.0), ("c", 2.0)]);
        assert_eq!(zset.memory_bytes(), 2 + 8 + 1 + 8);
        zset.insert(b"ab", 3.0, LIMITS);
        assert_eq!(zset.memory_bytes(), 19);
        zset.remove(b"ab");
        zset.remove(b"c");
        assert_eq!(zset.memory_bytes(), 0);
    }
}
