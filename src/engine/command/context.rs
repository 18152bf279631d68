//! [`Ctx`]: what a command sees while it runs (Redis's `client *c` plus the global `server`).

use std::collections::BTreeMap;

use crate::engine::client::Client;
use crate::engine::keyspace::{Db, Entry, EntryMut};
use crate::engine::propagate::{Argv, PropagatedCommand};
use crate::engine::state::NodeState;
use crate::engine::time::Instant;
use crate::engine::ConnId;

/// The running command's view of the node.
pub struct Ctx<'a> {
    /// The time the driver handed in with the input being processed.
    pub now: Instant,
    /// The node's state (dataset, config, stats, propagation).
    pub state: &'a mut NodeState,
    /// Every connection, the caller's included.
    pub clients: &'a mut BTreeMap<ConnId, Client>,
    /// The caller's connection.
    pub conn: ConnId,
    /// Set by [`rewrite_argv`](Ctx::rewrite_argv): what to propagate instead of the arguments.
    pub(super) rewritten_argv: Option<Argv>,
    /// Set by [`prevent_propagation`](Ctx::prevent_propagation).
    pub(super) propagation_prevented: bool,
}

impl<'a> Ctx<'a> {
    /// A context for a command of `conn` at `now`.
    pub fn new(
        now: Instant,
        state: &'a mut NodeState,
        clients: &'a mut BTreeMap<ConnId, Client>,
        conn: ConnId,
    ) -> Ctx<'a> {
        Ctx {
            now,
            state,
            clients,
            conn,
            rewritten_argv: None,
            propagation_prevented: false,
        }
    }

    /// The calling client.
    pub fn client(&mut self) -> &mut Client {
        self.clients
            .get_mut(&self.conn)
            .expect("the calling client exists while its command runs")
    }

    /// The calling client, read-only.
    pub fn client_ref(&self) -> &Client {
        self.clients
            .get(&self.conn)
            .expect("the calling client exists while its command runs")
    }

    /// The index of the caller's selected database.
    pub fn db_index(&self) -> usize {
        self.client_ref().db
    }

    /// The caller's selected database, without expiry handling.
    pub fn db(&mut self) -> &mut Db {
        let index = self.db_index();
        self.state.keyspace.db_mut(index)
    }

    /// Milliseconds since the epoch, the unit of TTLs.
    pub fn now_ms(&self) -> u64 {
        self.now.as_millis()
    }

    /// Deletes `key` if its TTL has passed, propagating the deletion; true if it did.
    /// (Redis's `expireIfNeeded` on a master.)
    pub fn expire_if_needed(&mut self, key: &[u8]) -> bool {
        let now_ms = self.now_ms();
        let expired = self
            .db()
            .lookup(key)
            .is_some_and(|entry| entry.is_expired(now_ms));
        if expired {
            self.delete_expired(key);
        }
        expired
    }

    /// Removes an expired key and propagates `DEL` (or `UNLINK` with `lazyfree-lazy-expire`).
    fn delete_expired(&mut self, key: &[u8]) {
        self.db().remove(key);
        self.state.stats.expired_keys += 1;
        let command: &[u8] = if self.state.config.lazyfree_lazy_expire {
            b"UNLINK"
        } else {
            b"DEL"
        };
        self.also_propagate(vec![command.to_vec(), key.to_vec()]);
        self.signal_modified_key(key);
    }

    /// The live entry for `key` for reading: expired keys are deleted first, and the keyspace
    /// hit/miss counters move (Redis's `lookupKeyRead`).
    pub fn lookup_read(&mut self, key: &[u8]) -> Option<&Entry> {
        let now_ms = self.now_ms();
        let index = self.db_index();
        match self
            .state
            .keyspace
            .db(index)
            .lookup(key)
            .map(|entry| entry.is_expired(now_ms))
        {
            Some(false) => {
                self.state.stats.keyspace_hits += 1;
                self.state.keyspace.db(index).lookup(key)
            }
            Some(true) => {
                self.delete_expired(key);
                self.state.stats.keyspace_misses += 1;
                None
            }
            None => {
                self.state.stats.keyspace_misses += 1;
                None
            }
        }
    }

    /// The live entry for `key` for writing (Redis's `lookupKeyWrite`): expired keys are deleted
    /// first; no hit/miss counting.
    pub fn lookup_write(&mut self, key: &[u8]) -> Option<EntryMut<'_>> {
        self.expire_if_needed(key);
        self.db().lookup_mut(key)
    }

    /// Whether `key` exists and is live, deleting it first if expired (EXISTS-style checks).
    pub fn key_exists(&mut self, key: &[u8]) -> bool {
        self.expire_if_needed(key);
        self.db().contains(key)
    }

    /// Counts `changes` modifications of the dataset (`server.dirty += changes`). A command that
    /// counted any is propagated when it returns.
    pub fn add_dirty(&mut self, changes: u64) {
        self.state.dirty += changes;
    }

    /// Tells WATCHers that `key` (in the caller's database) changed.
    pub fn signal_modified_key(&mut self, key: &[u8]) {
        let db = self.db_index();
        self.state.signal_modified_key(db, key);
    }

    /// Propagates `argv` instead of the command's own arguments (SETEX → SET ... PXAT, ...).
    pub fn rewrite_argv(&mut self, argv: Argv) {
        self.rewritten_argv = Some(argv);
    }

    /// Propagates nothing for this command even though it counted changes.
    pub fn prevent_propagation(&mut self) {
        self.propagation_prevented = true;
    }

    /// Adds another command to the current execution unit, in the caller's database
    /// (Redis's `alsoPropagate`).
    pub fn also_propagate(&mut self, argv: Argv) {
        let db = self.db_index();
        self.state.unit.push(PropagatedCommand::in_db(db, argv));
    }
}
