//! Sets: an `intset` (sorted integers) while every member is an integer and there are few,
//! otherwise a `hashtable` (Redis 7.0 has no listpack sets).

use super::stable_map::StableMap;
use crate::engine::prng::Prng;
use crate::engine::resp::parse_i64;

/// A set of byte strings.
#[derive(Clone, Debug, PartialEq)]
pub enum SetValue {
    /// Integers in ascending order (SMEMBERS lists them sorted, as Redis does), and the byte width
    /// of each in Redis's intset (2, 4 or 8): it grows to fit the widest member ever added and
    /// never shrinks, as Redis's does, so the intset's bytes (in RDB files, DUMP) match.
    Intset { values: Vec<i64>, width: u8 },
    /// Any members, in stable hash order; never converted back.
    Table {
        members: StableMap<()>,
        bytes: usize,
    },
}

/// The narrowest intset width (in bytes) that holds `value` (`_intsetValueEncoding`).
pub fn intset_width(value: i64) -> u8 {
    if i16::try_from(value).is_ok() {
        2
    } else if i32::try_from(value).is_ok() {
        4
    } else {
        8
    }
}

impl Default for SetValue {
    fn default() -> Self {
        SetValue::Intset {
            values: Vec::new(),
            width: 2,
        }
    }
}

impl SetValue {
    /// Number of members.
    pub fn len(&self) -> usize {
        match self {
            SetValue::Intset { values, .. } => values.len(),
            SetValue::Table { members, .. } => members.len(),
        }
    }

    /// Whether the set is empty (Redis deletes empty sets; so must callers).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What OBJECT ENCODING answers.
    pub fn encoding(&self) -> &'static str {
        match self {
            SetValue::Intset { .. } => "intset",
            SetValue::Table { .. } => "hashtable",
        }
    }

    /// Whether `member` is in the set.
    pub fn contains(&self, member: &[u8]) -> bool {
        match self {
            SetValue::Intset { values, .. } => {
                parse_i64(member).is_some_and(|n| values.binary_search(&n).is_ok())
            }
            SetValue::Table { members, .. } => members.get(member).is_some(),
        }
    }

    /// Adds `member`; returns true if it was new. An intset becomes a hashtable when a member is
    /// not an integer or it would hold more than `intset_entries_max` (`set-max-intset-entries`).
    pub fn insert(&mut self, member: &[u8], intset_entries_max: usize) -> bool {
        if let SetValue::Intset { values, width } = self {
            match parse_i64(member) {
                Some(n) => match values.binary_search(&n) {
                    Ok(_) => return false,
                    Err(index) if values.len() < intset_entries_max => {
                        values.insert(index, n);
                        *width = (*width).max(intset_width(n));
                        return true;
                    }
                    Err(_) => self.convert_to_table(),
                },
                None => self.convert_to_table(),
            }
        }
        let SetValue::Table { members, bytes } = self else {
            unreachable!("converted above")
        };
        let added = members.insert(member, ()).is_none();
        if added {
            *bytes += member.len();
        }
        added
    }

    /// Removes `member`; returns true if it was there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self {
            SetValue::Intset { values, .. } => {
                match parse_i64(member).map(|n| values.binary_search(&n)) {
                    Some(Ok(index)) => {
                        values.remove(index);
                        true
                    }
                    _ => false,
                }
            }
            SetValue::Table { members, bytes } => {
                let removed = members.remove(member).is_some();
                if removed {
                    *bytes -= member.len();
                }
                removed
            }
        }
    }

    /// Members in SMEMBERS order.
    pub fn members(&self) -> Vec<Vec<u8>> {
        match self {
            SetValue::Intset { values, .. } => {
                values.iter().map(|n| n.to_string().into_bytes()).collect()
            }
            SetValue::Table { members, .. } => {
                members.iter().map(|(member, _)| member.to_vec()).collect()
            }
        }
    }

    /// A random member (SPOP, SRANDMEMBER), or None if empty. Uniform for an intset; a table
    /// picks by hash position, close to uniform, as Redis's `dictGetFairRandomKey` is.
    pub fn random_member(&self, prng: &mut Prng) -> Option<Vec<u8>> {
        match self {
            SetValue::Intset { values, .. } => {
                let index = prng.below(values.len().max(1) as u64) as usize;
                values.get(index).map(|n| n.to_string().into_bytes())
            }
            SetValue::Table { members, .. } => {
                members.random(prng).map(|(member, _)| member.to_vec())
            }
        }
    }

    /// One SSCAN step: an intset is returned whole with cursor 0 (as Redis does for compact
    /// encodings); a table walks whole hash buckets from `cursor` until at least `count` members.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<Vec<u8>>) {
        match self {
            SetValue::Intset { .. } => (0, self.members()),
            SetValue::Table { members, .. } => {
                let (next, found) = members.scan(cursor, count);
                (
                    next,
                    found
                        .into_iter()
                        .map(|(member, _)| member.to_vec())
                        .collect(),
                )
            }
        }
    }

    /// Estimated payload bytes.
    pub fn memory_bytes(&self) -> usize {
        match self {
            SetValue::Intset { values, .. } => values.len() * 8,
            SetValue::Table { bytes, .. } => *bytes,
        }
    }

    fn convert_to_table(&mut self) {
        if let SetValue::Intset { values, .. } = self {
            let mut members = StableMap::default();
            let mut bytes = 0;
            for n in values.iter() {
                let member = n.to_string();
                bytes += member.len();
                members.insert(member.as_bytes(), ());
            }
            *self = SetValue::Table { members, bytes };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn intset_width_grows_with_members_and_never_shrinks() {
        let width = |set: &SetValue| match set {
            SetValue::Intset { width, .. } => *width,
            SetValue::Table { .. } => 0,
        };
        let mut set = SetValue::default();
        set.insert(b"1", 512);
        assert_eq!(width(&set), 2);
        set.insert(b"100000", 512);
        assert_eq!(width(&set), 4);
        set.insert(b"-10000000000", 512);
        assert_eq!(width(&set), 8);
        set.remove(b"-10000000000");
        set.remove(b"100000");
        assert_eq!(width(&set), 8, "as Redis's intset, which never downgrades");
        assert_eq!(set.members(), [b"1".to_vec()]);
    }
}
