//! Sorted sets: members ordered by (score, member), a `listpack` while small, a `skiplist` after.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use super::hash::ListpackLimits;
use super::stable_map::StableMap;

/// A score with the order Redis uses: numeric, where -0 equals 0. Never NaN (commands reject it).
#[derive(Clone, Copy, Debug)]
pub struct Score(pub f64);

impl PartialEq for Score {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Score {}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Score {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.partial_cmp(&other.0).unwrap_or(Ordering::Equal)
    }
}

/// A sorted set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SortedSetValue {
    scores: StableMap<f64>,
    /// Members by (score, member bytes): the order of ZRANGE.
    ordered: BTreeSet<(Score, Box<[u8]>)>,
    /// Still within `zset-max-listpack-entries` / `-value` since creation (Redis never converts back).
    listpack: bool,
    bytes: usize,
}

impl SortedSetValue {
    /// An empty sorted set, listpack-encoded as Redis creates small ones.
    pub fn new() -> SortedSetValue {
        SortedSetValue {
            listpack: true,
            ..SortedSetValue::default()
        }
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

    /// Sets `member`'s score; returns the previous score. Converts past `limits`.
    pub fn insert(&mut self, member: &[u8], score: f64, limits: ListpackLimits) -> Option<f64> {
        let previous = self.scores.insert(member, score);
        match previous {
            Some(old) => {
                self.ordered.remove(&(Score(old), member.into()));
            }
            None => self.bytes += member.len() + 8,
        }
        self.ordered.insert((Score(score), member.into()));
        if self.len() > limits.entries_max || member.len() > limits.value_bytes_max {
            self.listpack = false;
        }
        previous
    }

    /// Removes `member`; returns its score.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let score = self.scores.remove(member)?;
        self.ordered.remove(&(Score(score), member.into()));
        self.bytes -= member.len() + 8;
        Some(score)
    }

    /// Members and scores from the lowest score up.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&[u8], f64)> {
        self.ordered
            .iter()
            .map(|(score, member)| (&**member, score.0))
    }

    /// Estimated payload bytes.
    pub fn memory_bytes(&self) -> usize {
        self.bytes
    }
}
