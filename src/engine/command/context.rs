//! [`Ctx`]: what a command sees while it runs (Redis's `client *c` plus the global `server`).

use super::args;
use crate::engine::client::{Client, ClientKind, Clients};
use crate::engine::keyspace::{Db, Entry, EntryMut, ValueType};
use crate::engine::prng::Prng;
use crate::engine::propagate::{Argv, PropagatedCommand};
use crate::engine::replication::ops::ReplicationCtx;
use crate::engine::resp::Frame;
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
    pub clients: &'a mut Clients,
    /// The caller's connection.
    pub conn: ConnId,
    /// Set by [`rewrite_argv`](Ctx::rewrite_argv): what to propagate instead of the arguments.
    pub(super) rewritten_argv: Option<Argv>,
    /// Set by [`prevent_propagation`](Ctx::prevent_propagation).
    pub(super) propagation_prevented: bool,
    /// The command answers nothing (REPLCONF ACK, a PSYNC that became a replica stream).
    pub reply_suppressed: bool,
    /// Replies to the caller's earlier commands are still waiting to be sent (SYNC and PSYNC
    /// refuse to start then).
    pub caller_has_pending_output: bool,
}

impl<'a> Ctx<'a> {
    /// A context for a command of `conn` at `now`.
    pub fn new(
        now: Instant,
        state: &'a mut NodeState,
        clients: &'a mut Clients,
        conn: ConnId,
    ) -> Ctx<'a> {
        Ctx {
            now,
            state,
            clients,
            conn,
            rewritten_argv: None,
            propagation_prevented: false,
            reply_suppressed: false,
            caller_has_pending_output: false,
        }
    }

    /// Replication's operations on this node.
    pub fn replication(&mut self) -> ReplicationCtx<'_> {
        ReplicationCtx::new(self.now, self.state, self.clients)
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

    /// The clock TTLs are compared with: now, except for commands from our master, for which no
    /// key has expired (a replica waits for its master's DEL: §14 of the replication spec).
    pub fn expiry_clock_ms(&self) -> u64 {
        if self.client_ref().kind == ClientKind::Master {
            0
        } else {
            self.now_ms()
        }
    }

    /// Whether `key` has logically expired, deleting it (and propagating the deletion) if this
    /// node may (Redis's `expireIfNeeded`): a master always; a replica only for a write, whose
    /// stale key would otherwise be updated in place (`force_delete`). A replica's reads see an
    /// expired key as missing and leave it for the master's DEL.
    fn expire_if_needed_with(&mut self, key: &[u8], force_delete: bool) -> bool {
        let clock_ms = self.expiry_clock_ms();
        let expired = self
            .db()
            .lookup(key)
            .is_some_and(|entry| entry.is_expired(clock_ms));
        if expired && (force_delete || !self.state.repl.is_replica()) {
            self.delete_expired(key);
        }
        expired
    }

    /// Whether `key` has logically expired; deleted if this node may (see
    /// [`expire_if_needed_with`](Ctx::expire_if_needed_with)).
    pub fn expire_if_needed(&mut self, key: &[u8]) -> bool {
        self.expire_if_needed_with(key, false)
    }

    /// Removes an expired key and propagates `DEL` (or `UNLINK` with `lazyfree-lazy-expire`).
    fn delete_expired(&mut self, key: &[u8]) {
        self.db().remove(key);
        self.state.stats.expired_keys += 1;
        let argv = self.expiry_deletion(key);
        self.also_propagate(argv);
        self.signal_modified_key(key);
    }

    /// Deletes `key` for a command that gave it an expiry time already past (the EXPIRE family,
    /// GETEX: Redis's `checkAlreadyExpired` branch): the command propagates as `DEL key`
    /// (`UNLINK key` with `lazyfree-lazy-expire`) instead, and counts as one change.
    pub fn delete_already_expired(&mut self, key: &[u8]) {
        self.db().remove(key);
        let argv = self.expiry_deletion(key);
        self.rewrite_argv(argv);
        self.signal_modified_key(key);
        self.add_dirty(1);
    }

    /// How a deletion by expiry propagates: `DEL key`, or `UNLINK key` with
    /// `lazyfree-lazy-expire`.
    fn expiry_deletion(&self, key: &[u8]) -> Argv {
        let command = self.state.config.expiry_deletion_command();
        vec![command.to_vec(), key.to_vec()]
    }

    /// The live entry for `key` for reading: expired keys are deleted first, and the keyspace
    /// hit/miss counters move (Redis's `lookupKeyRead`).
    pub fn lookup_read(&mut self, key: &[u8]) -> Option<&Entry> {
        let now_ms = self.expiry_clock_ms();
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
                if !self.state.repl.is_replica() {
                    self.delete_expired(key);
                }
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
        self.expire_if_needed_with(key, true);
        self.db().lookup_mut(key)
    }

    /// The value at `key` as a `T`, for a read command (Redis's `lookupKeyRead` + `checkType`):
    /// None if the key is missing, `-WRONGTYPE` if it holds another type.
    pub fn read<T: ValueType>(&mut self, key: &[u8]) -> Result<Option<&T>, Frame> {
        typed(self.lookup_read(key))
    }

    /// [`read`](Ctx::read), with the node's PRNG borrowed beside the value (HRANDFIELD,
    /// SRANDMEMBER).
    pub fn read_with_prng<T: ValueType>(
        &mut self,
        key: &[u8],
    ) -> Result<Option<(&T, &mut Prng)>, Frame> {
        if self.read::<T>(key)?.is_none() {
            return Ok(None);
        }
        let db = self.db_index();
        let state = &mut *self.state;
        let value = typed::<T>(state.keyspace.db(db).lookup(key))?;
        Ok(value.map(|value| (value, &mut state.prng)))
    }

    /// The value at `key` as a `T`, looked up for a write (`lookupKeyWrite` + `checkType`) by a
    /// command that reads it before deciding what to store, or only checks it: None if the key
    /// is missing, `-WRONGTYPE` if it holds another type.
    pub fn read_for_write<T: ValueType>(&mut self, key: &[u8]) -> Result<Option<&T>, Frame> {
        self.expire_if_needed(key);
        typed(self.db().lookup(key))
    }

    /// Runs `change` on the value at `key` as a `T`, for a write (`lookupKeyWrite` +
    /// `checkType`; memory accounting follows through the entry guard), then deletes the key if
    /// `change` left a container empty, as Redis does. None if the key is missing (`change` did
    /// not run), `-WRONGTYPE` if it holds another type. Signalling the change and counting it
    /// stay the caller's.
    pub fn modify<T: ValueType, R>(
        &mut self,
        key: &[u8],
        change: impl FnOnce(&mut T) -> R,
    ) -> Result<Option<R>, Frame> {
        self.modify_with_prng(key, |value, _| change(value))
    }

    /// [`modify`](Ctx::modify), with the node's PRNG lent to `change` (SPOP).
    pub fn modify_with_prng<T: ValueType, R>(
        &mut self,
        key: &[u8],
        change: impl FnOnce(&mut T, &mut Prng) -> R,
    ) -> Result<Option<R>, Frame> {
        Ok(self.modify_existing(key, change)?.ok())
    }

    /// [`modify`](Ctx::modify), creating an empty `T` first if the key is missing (Redis's
    /// `*LookupWriteOrCreate`); the new value is stored unless `change` left it an empty
    /// container.
    pub fn modify_or_create<T: ValueType + Default, R>(
        &mut self,
        key: &[u8],
        change: impl FnOnce(&mut T) -> R,
    ) -> Result<R, Frame> {
        let change = match self.modify_existing(key, |value: &mut T, _: &mut Prng| change(value))? {
            Ok(result) => return Ok(result),
            Err(change) => change,
        };
        let mut value = T::default();
        let result = change(&mut value, &mut self.state.prng);
        if !value.is_empty_container() {
            self.db().insert(key, value.into_value());
        }
        Ok(result)
    }

    /// What the `modify` family shares: `Ok(Err(change))` hands `change` back unrun when the key
    /// is missing.
    fn modify_existing<T: ValueType, R, F: FnOnce(&mut T, &mut Prng) -> R>(
        &mut self,
        key: &[u8],
        change: F,
    ) -> Result<Result<R, F>, Frame> {
        let (result, now_empty) = {
            let Some((mut entry, prng)) = self.entry_for_write(key) else {
                return Ok(Err(change));
            };
            let Some(value) = T::from_value_mut(&mut entry.value) else {
                return Err(args::wrong_type());
            };
            let result = change(value, prng);
            (result, value.is_empty_container())
        };
        if now_empty {
            self.delete_key(key);
        }
        Ok(Ok(result))
    }

    /// The live entry at `key` for a write (`lookupKeyWrite`: an expired key is deleted first),
    /// with the node's PRNG lent beside it: the untyped half of the `modify` family, compiled
    /// once instead of in each of their per-command copies.
    fn entry_for_write(&mut self, key: &[u8]) -> Option<(EntryMut<'_>, &mut Prng)> {
        self.expire_if_needed(key);
        let db = self.db_index();
        let state = &mut *self.state;
        let entry = state.keyspace.db_mut(db).lookup_mut(key)?;
        Some((entry, &mut state.prng))
    }

    /// Deletes `key` from the caller's database, without expiry handling or signalling.
    fn delete_key(&mut self, key: &[u8]) {
        self.db().remove(key);
    }

    /// Stores a *STORE command's result at `destination` (Redis's `setKey`: the destination is
    /// looked up for writing first, which expires it, then any old value and its TTL go), or,
    /// for a result that is an empty container, deletes `destination` (`dbDelete`, without an
    /// expiry check: an expired destination counts as deleted). Signals and counts one change
    /// when something changed.
    pub fn store_result<T: ValueType>(&mut self, destination: &[u8], result: T) {
        if result.is_empty_container() {
            if self.db().remove(destination).is_some() {
                self.signal_modified_key(destination);
                self.add_dirty(1);
            }
            return;
        }
        self.expire_if_needed(destination);
        self.db().insert(destination, result.into_value());
        self.signal_modified_key(destination);
        self.add_dirty(1);
    }

    /// HDEL, SREM and ZREM: removes `members` one by one from the `T` at `key` with `remove`
    /// (true if the member was there), stopping when the container is empty as Redis's loops do
    /// (the key goes with its last member), and replies as [`removal_reply`](Ctx::removal_reply).
    pub fn remove_members<T: ValueType>(
        &mut self,
        key: &[u8],
        members: &[Vec<u8>],
        mut remove: impl FnMut(&mut T, &[u8]) -> bool,
    ) -> Frame {
        let removed = self.modify(key, |container: &mut T| {
            let mut removed = 0;
            for member in members {
                if remove(container, member) {
                    removed += 1;
                    if container.is_empty_container() {
                        break;
                    }
                }
            }
            removed
        });
        self.removal_reply(key, removed)
    }

    /// How HDEL, SREM, ZREM, LREM and the like finish: `removed` is what
    /// [`modify`](Ctx::modify) answered (None: no such key, nothing removed). Removals are
    /// signalled and counted if there were any; the reply is their number.
    pub fn removal_reply(&mut self, key: &[u8], removed: Result<Option<u64>, Frame>) -> Frame {
        let removed = match removed {
            Ok(removed) => removed.unwrap_or(0),
            Err(reply) => return reply,
        };
        if removed > 0 {
            self.signal_modified_key(key);
            self.add_dirty(removed);
        }
        Frame::Integer(i64::try_from(removed).unwrap_or(i64::MAX))
    }

    /// Whether `key` exists and is live, deleting it first if expired (EXISTS-style checks).
    pub fn key_exists(&mut self, key: &[u8]) -> bool {
        !self.expire_if_needed(key) && self.db().contains(key)
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

    /// Whether this command's changes must be recorded as propagated commands. Those of our
    /// master's commands need not be unless a driver observes them: a replica passes its
    /// master's exact bytes on to its backlog and replicas, and throws their units away.
    pub fn propagation_needed(&self) -> bool {
        self.state.propagation_observed
            || (self.state.propagation_needed() && self.client_ref().kind != ClientKind::Master)
    }

    /// Propagates nothing for this command even though it counted changes.
    pub fn prevent_propagation(&mut self) {
        self.propagation_prevented = true;
    }

    /// Adds another command to the current execution unit, in the caller's database
    /// (Redis's `alsoPropagate`).
    pub fn also_propagate(&mut self, argv: Argv) {
        if self.propagation_needed() {
            let db = self.db_index();
            self.state.unit.push(PropagatedCommand::in_db(db, argv));
        }
    }
}

/// A looked-up entry's value as a `T` (Redis's `checkType`): None for a missing key,
/// `-WRONGTYPE` for another type.
#[inline(always)]
fn typed<T: ValueType>(entry: Option<&Entry>) -> Result<Option<&T>, Frame> {
    match entry.map(|entry| T::from_value(&entry.value)) {
        None => Ok(None),
        Some(Some(value)) => Ok(Some(value)),
        Some(None) => Err(args::wrong_type()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::command::test_support::TestNode;
    use crate::engine::keyspace::{ListValue, SetValue, StringValue};
    use crate::engine::ConnId;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn with_ctx<R>(node: &mut TestNode, run: impl FnOnce(&mut Ctx) -> R) -> R {
        let mut ctx = Ctx::new(node.now, &mut node.state, &mut node.clients, ConnId(1));
        run(&mut ctx)
    }

    #[test]
    fn typed_reads_answer_none_or_wrongtype() {
        let mut node = TestNode::new();
        node.run("SET s v");
        with_ctx(&mut node, |ctx| {
            assert_eq!(ctx.read::<SetValue>(b"missing"), Ok(None));
            assert_eq!(ctx.read::<SetValue>(b"s"), Err(args::wrong_type()));
            assert_eq!(
                ctx.read_for_write::<ListValue>(b"s"),
                Err(args::wrong_type())
            );
            let string = ctx
                .read::<StringValue>(b"s")
                .map(|s| s.map(|s| s.bytes().to_vec()));
            assert_eq!(string, Ok(Some(b"v".to_vec())));
            assert!(ctx
                .read_with_prng::<StringValue>(b"s")
                .is_ok_and(|s| s.is_some()));
        });
        // Read lookups count hits and misses; the write lookup does not.
        assert_eq!(node.state.stats.keyspace_misses, 1);
        assert_eq!(node.state.stats.keyspace_hits, 3);
    }

    #[test]
    fn typed_writes_delete_emptied_containers_but_not_empty_strings() {
        let mut node = TestNode::new();
        node.run("SADD set a");
        node.run("SET string x");
        with_ctx(&mut node, |ctx| {
            assert_eq!(
                ctx.modify(b"set", |set: &mut SetValue| set.remove(b"a")),
                Ok(Some(true))
            );
            assert!(!ctx.key_exists(b"set"));
            let emptied = ctx.modify(b"string", |string: &mut StringValue| {
                string.bytes_mut().clear();
            });
            assert_eq!(emptied, Ok(Some(())));
            assert!(ctx.key_exists(b"string"));
            assert_eq!(ctx.modify(b"missing", |_: &mut SetValue| ()), Ok(None));
            assert_eq!(
                ctx.modify(b"string", |_: &mut SetValue| ()),
                Err(args::wrong_type())
            );
        });
    }

    #[test]
    fn modify_or_create_stores_only_what_is_not_empty() {
        let mut node = TestNode::new();
        with_ctx(&mut node, |ctx| {
            assert_eq!(ctx.modify_or_create(b"empty", |_: &mut ListValue| 1), Ok(1));
            assert!(!ctx.key_exists(b"empty"));
            let pushed = ctx.modify_or_create(b"list", |list: &mut ListValue| {
                list.push_back(b"a".to_vec());
                list.len()
            });
            assert_eq!(pushed, Ok(1));
            let pushed = ctx.modify_or_create(b"list", |list: &mut ListValue| {
                list.push_back(b"b".to_vec());
                list.len()
            });
            assert_eq!(pushed, Ok(2));
        });
        assert_eq!(
            node.run("LRANGE list 0 -1"),
            Frame::Array(vec![Frame::bulk("a"), Frame::bulk("b")])
        );
    }
}
