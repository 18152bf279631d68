//! The dataset: `databases` numbered [`Db`]s of keys to [`Entry`]s.
//!
//! Iteration order is a stable hash order ([`key_hash`]): it looks random, like Redis's dict, but
//! it is the same on every platform and every run, so `KEYS`, `SCAN` and `RANDOMKEY` are
//! deterministic. Lookups never allocate.

mod db;
mod hash;
mod list;
mod set;
mod sorted_set;
mod stable_map;
mod value;

pub use db::{key_hash, Db, Entry, EntryMut};
pub use hash::{HashValue, ListpackLimits};
pub use list::ListValue;
pub use set::{intset_width, SetValue};
pub use sorted_set::{Members, SortedSetValue};
pub use stable_map::StableMap;
pub use value::{StringValue, Value, ValueType};

/// All databases of one node (`SELECT` picks one per client).
#[derive(Clone, Debug)]
pub struct Keyspace {
    dbs: Vec<Db>,
}

impl Keyspace {
    /// `count` empty databases (Redis's `databases`, 16 by default).
    pub fn new(count: usize) -> Keyspace {
        Keyspace {
            dbs: (0..count).map(|_| Db::default()).collect(),
        }
    }

    /// Number of databases.
    pub fn len(&self) -> usize {
        self.dbs.len()
    }

    /// Whether there are no databases at all (never, in practice).
    pub fn is_empty(&self) -> bool {
        self.dbs.is_empty()
    }

    /// Database `index`; callers validate indexes (SELECT answers `-ERR DB index is out of range`).
    pub fn db(&self, index: usize) -> &Db {
        &self.dbs[index]
    }

    /// Database `index`, mutable.
    pub fn db_mut(&mut self, index: usize) -> &mut Db {
        &mut self.dbs[index]
    }

    /// Every database with its index, in index order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Db)> {
        self.dbs.iter().enumerate()
    }

    /// Empties every database (FLUSHALL, or loading a full sync).
    pub fn clear(&mut self) {
        self.dbs.iter_mut().for_each(Db::clear);
    }

    /// Keys in all databases.
    pub fn key_count(&self) -> usize {
        self.dbs.iter().map(Db::len).sum()
    }

    /// Estimated bytes the dataset occupies (what `maxmemory` is compared with).
    pub fn used_bytes(&self) -> usize {
        self.dbs.iter().map(Db::used_bytes).sum()
    }
}
