//! [`NodeState`]: everything a node holds besides its connections (Redis's global `server`).

use std::ops::Bound;

use super::config::Config;
use super::keyspace::Keyspace;
use super::log::{LogLevel, LogLine};
use super::prng::Prng;
use super::propagate::{ExecutionUnit, PropagatedCommand};
use super::replication::Replication;
use super::resp::Frame;
use super::time::Instant;
use super::tree_set::{self, TreeKey, TreeSet};
use super::vec_map::{VecMap, VecSet};
use super::ConnId;

/// Counters INFO reports (`# Stats`, `# Errorstats`, `# Commandstats`).
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// `total_connections_received`.
    pub connections_received: u64,
    /// `total_commands_processed`.
    pub commands_processed: u64,
    /// `total_net_input_bytes`.
    pub net_input_bytes: u64,
    /// `total_net_output_bytes`.
    pub net_output_bytes: u64,
    /// `expired_keys`.
    pub expired_keys: u64,
    /// `evicted_keys`.
    pub evicted_keys: u64,
    /// `keyspace_hits`.
    pub keyspace_hits: u64,
    /// `keyspace_misses`.
    pub keyspace_misses: u64,
    /// `total_error_replies`.
    pub error_replies: u64,
    /// Per error code (`ERR`, `WRONGTYPE`, ...): `errorstat_<code>:count=<n>`.
    pub errors_by_code: VecMap<String, u64>,
    /// Per command (`get`, `config|get`, ...): calls, rejected calls, failed calls.
    pub commands: VecMap<&'static str, CommandStats>,
    /// `rdb_saves`: snapshots taken (SAVE, BGSAVE, FLUSHALL with `save` set).
    pub rdb_saves: u64,
    /// `rejected_connections`.
    pub rejected_connections: u64,
    /// `sync_full`: full resyncs served as a master.
    pub sync_full: u64,
    /// `sync_partial_ok`: PSYNCs accepted as a master.
    pub sync_partial_ok: u64,
    /// `sync_partial_err`: PSYNCs refused as a master.
    pub sync_partial_err: u64,
    /// `total_net_repl_input_bytes`: bytes read from our master.
    pub net_repl_input_bytes: u64,
    /// `total_net_repl_output_bytes`: bytes sent to our replicas.
    pub net_repl_output_bytes: u64,
    /// `total_reads_processed`: inputs with bytes handed in by the driver.
    pub reads_processed: u64,
    /// `total_writes_processed`: outputs with bytes handed to the driver.
    pub writes_processed: u64,
}

/// What INFO's `# Persistence` section reports about snapshots.
#[derive(Clone, Copy, Debug)]
pub struct Persistence {
    /// `rdb_last_save_time` and LASTSAVE: the last successful snapshot, or the start.
    pub last_save_at: Instant,
    /// `dirty` at the last snapshot: `rdb_changes_since_last_save` is the difference. (Redis
    /// zeroes `server.dirty` instead; here `dirty` only ever grows, because `call` compares it
    /// before and after each command to decide what to propagate.)
    pub dirty_at_last_save: u64,
    /// `rdb_last_bgsave_status`.
    pub last_bgsave_ok: bool,
    /// `rdb_last_bgsave_time_sec`: -1 until a BGSAVE completes.
    pub last_bgsave_secs: i64,
    /// `rdb_last_load_keys_loaded`: keys the last RDB load kept (at start, or a replica's
    /// full sync).
    pub last_load_keys_loaded: u64,
    /// `rdb_last_load_keys_expired`: keys the last load dropped as expired (only a master does).
    pub last_load_keys_expired: u64,
}

/// A snapshot load in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Loading {
    /// When it started (`loading_start_time`).
    pub started_at: Instant,
    /// When it ends.
    pub until: Instant,
    /// The snapshot's size (`loading_total_bytes`).
    pub total_bytes: u64,
}

impl Loading {
    /// Bytes loaded by `now`, at a steady rate.
    pub fn loaded_bytes(&self, now: Instant) -> u64 {
        let total_ms = self.until.millis_since(self.started_at).max(1);
        let done_ms = now.millis_since(self.started_at).min(total_ms);
        self.total_bytes * done_ms / total_ms
    }
}

/// One `cmdstat_<name>` line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CommandStats {
    /// `calls`.
    pub calls: u64,
    /// `rejected_calls`: refused before running (arity, auth, OOM, ...).
    pub rejected_calls: u64,
    /// `failed_calls`: ran and replied with an error.
    pub failed_calls: u64,
    /// Calls that went into the latency histogram (`latency_percentiles_usec_<name>`): those
    /// that did not block (Redis 7.0 leaves a blocked WAIT out of it).
    pub latency_samples: u64,
}

impl Stats {
    /// Counts one error reply with its code (the text up to the first space).
    pub fn record_error(&mut self, message: &[u8]) {
        let code_bytes = message.split(|&b| b == b' ').next().unwrap_or(b"ERR");
        let code = String::from_utf8_lossy(code_bytes);
        let code = code.as_ref();
        self.error_replies += 1;
        // Redis stops tracking new error codes after 128 distinct ones; so do we (bounded).
        if self.errors_by_code.len() < 128 || self.errors_by_code.contains_key(code) {
            *self
                .errors_by_code
                .get_or_insert_with(code.to_string(), u64::default) += 1;
        }
    }
}

/// The node's shared state.
#[derive(Clone, Debug)]
pub struct NodeState {
    /// Settings.
    pub config: Config,
    /// The dataset.
    pub keyspace: Keyspace,
    /// The node's only source of randomness, seeded from the entropy it was created with.
    pub prng: Prng,
    /// INFO counters.
    pub stats: Stats,
    /// Changes since the last save (Redis's `server.dirty`); a command that moves it propagates.
    pub dirty: u64,
    /// When the node started (`uptime_in_seconds`).
    pub started_at: Instant,
    /// The 40-hex-digit `run_id`.
    pub run_id: String,
    /// The next CLIENT ID to hand out.
    pub next_client_id: u64,
    /// What the execution unit in progress will propagate.
    pub unit: ExecutionUnit,
    /// How deep `call` is nested (EXEC runs commands inside itself); the unit ends at depth 0.
    pub call_depth: u32,
    /// Finished units waiting for the node to hand them out, in order.
    pub propagated: Vec<Vec<PropagatedCommand>>,
    /// WATCHed keys: one encoded [`Watch`] per connection watching a key, each key's watchers
    /// together. A B-tree: it grows with every client's watched keys, and one WATCH may name
    /// 100 000.
    watched_keys: TreeSet,
    /// The entries of `watched_keys` whose key was already logically expired when the connection
    /// watched it (Redis 7.0's `watchedKey.expired`: deleting such a key is no change, so it does
    /// not fail EXEC). Kept apart so that watching a key is one insertion.
    expired_when_watched: TreeSet,
    /// Connections whose watched keys changed: their EXEC will fail.
    pub dirty_watchers: VecSet<ConnId>,
    /// Replies for connections other than the caller's (PUBLISH messages, ...), in order.
    pub pending_pushes: Vec<(ConnId, Frame)>,
    /// Raw bytes for connections (replication: `+CONTINUE`, backlog bytes, the stream, ACKs), in
    /// order, after the replies of the command that queued them.
    pub pending_writes: Vec<(ConnId, Vec<u8>)>,
    /// Connections to close once what is queued for them is sent (CLIENT KILL).
    pub pending_kills: Vec<ConnId>,
    /// Snapshot bookkeeping (SAVE, BGSAVE, LASTSAVE, INFO persistence).
    pub persistence: Persistence,
    /// DEBUG SLEEP: the node processes no input before this time.
    pub busy_until: Option<Instant>,
    /// A full sync's snapshot being loaded (INFO `loading:1`, `-LOADING` replies).
    pub loading: Option<Loading>,
    /// How fast snapshots load, if loading takes (virtual) time: the simulator sets it so a big
    /// full sync shows its `-LOADING` window; natively loading is as long as it really takes.
    pub load_bytes_per_sec: Option<u64>,
    /// SHUTDOWN succeeded: the node hands out `Output::Shutdown` and the driver stops it.
    pub shutdown_requested: bool,
    /// Whether anyone consumes what the node propagates: the driver (the simulator's trace,
    /// tests) or, with replication, the backlog. Without a consumer Redis feeds no stream at all,
    /// so neither do we: writes then skip building their propagated copies.
    pub propagation_observed: bool,
    /// RDB files a SAVE, BGSAVE, FLUSHALL or SHUTDOWN produced, for the driver to write as the
    /// node's `dbfilename` (the engine never touches a disk itself), oldest first.
    pub pending_snapshots: Vec<Vec<u8>>,
    /// Log lines not yet handed to the driver, oldest first.
    pub pending_logs: Vec<LogLine>,
    /// DEBUG SET-ACTIVE-EXPIRE: whether the cron deletes expired keys (lazy expiry always runs).
    pub active_expire_enabled: bool,
    /// `used_memory_peak`: the largest dataset estimate seen (updated when INFO looks).
    pub used_memory_peak: u64,
    /// Replication: ids, offsets, backlog, the link to our master.
    pub repl: Replication,
}

impl NodeState {
    /// A fresh node's state; `entropy` seeds every random choice the node makes.
    pub fn new(config: Config, now: Instant, entropy: u64) -> NodeState {
        let mut prng = Prng::from_seed(entropy);
        let run_id = random_hex_id(&mut prng);
        // A generator of its own, so replication's random choices never shift the node's others.
        let repl = Replication::new(now, entropy ^ 0x7265_706c_6964_0000);
        NodeState {
            keyspace: Keyspace::new(config.databases),
            config,
            prng,
            stats: Stats::default(),
            dirty: 0,
            started_at: now,
            run_id,
            // Redis 7.0 gives ids 1 and 2 to its two internal Lua clients (EVAL and FUNCTION) at
            // startup: the first connection is client 3.
            next_client_id: 3,
            unit: ExecutionUnit::default(),
            call_depth: 0,
            propagated: Vec::new(),
            watched_keys: TreeSet::new(),
            expired_when_watched: TreeSet::new(),
            dirty_watchers: VecSet::new(),
            pending_pushes: Vec::new(),
            pending_writes: Vec::new(),
            pending_kills: Vec::new(),
            persistence: Persistence {
                last_save_at: now,
                dirty_at_last_save: 0,
                last_bgsave_ok: true,
                last_bgsave_secs: -1,
                last_load_keys_loaded: 0,
                last_load_keys_expired: 0,
            },
            busy_until: None,
            loading: None,
            load_bytes_per_sec: None,
            shutdown_requested: false,
            propagation_observed: true,
            pending_snapshots: Vec::new(),
            pending_logs: Vec::new(),
            active_expire_enabled: true,
            used_memory_peak: 0,
            repl,
        }
    }

    /// Whether changes must be recorded as propagated commands: someone observes them, or a
    /// backlog (with replicas, or kept for them) receives them.
    pub fn propagation_needed(&self) -> bool {
        self.propagation_observed || self.repl.backlog.is_some()
    }

    /// The node's "pid" (INFO's `process_id`, the log's prefix): a node has no process, so it is
    /// a stable number drawn from its run id, in Linux's default pid range.
    pub fn process_id(&self) -> u64 {
        let prefix = self.run_id.get(..6).unwrap_or("0");
        u64::from_str_radix(prefix, 16).unwrap_or(0) % 4_194_303 + 1
    }

    /// Adds a line to the node's log.
    pub fn log(&mut self, level: LogLevel, message: impl Into<String>) {
        self.pending_logs.push(LogLine {
            level,
            message: message.into(),
        });
    }

    /// Forgets every key `conn` WATCHes and clears its "watched key changed" flag (EXEC, DISCARD,
    /// UNWATCH, disconnect).
    pub fn unwatch_all(&mut self, conn: ConnId) {
        self.forget_watched_keys(conn);
        self.dirty_watchers.remove(&conn);
    }

    /// Forgets every key `conn` WATCHes, leaving its flag alone (Redis's `unwatchAllKeys`).
    fn forget_watched_keys(&mut self, conn: ConnId) {
        // One pass over the table (a connection may watch 100 000 keys: no removal one by one).
        let watched_by_others = |entry: &TreeKey| Watch::decode(entry).conn != conn;
        self.watched_keys.retain(watched_by_others);
        self.expired_when_watched.retain(watched_by_others);
    }

    /// `conn` WATCHes `key` in `db` (Redis's `watchForKey`); watching a key twice is one watch.
    pub fn watch_key(&mut self, conn: ConnId, db: usize, key: &[u8], now_ms: u64) {
        let entry = Watch { db, key, conn }.encode();
        let expired = self
            .keyspace
            .db(db)
            .lookup(key)
            .is_some_and(|entry| entry.is_expired(now_ms));
        if expired {
            if self.watched_keys.contains(&entry) {
                return;
            }
            self.expired_when_watched.insert(entry.clone());
        }
        self.watched_keys.insert(entry);
    }

    /// Marks `conn`'s transaction as doomed: its EXEC will answer `*-1`. Its watched keys are
    /// forgotten, since nothing can undo the flag but UNWATCH, DISCARD or EXEC.
    fn mark_watcher_dirty(&mut self, conn: ConnId) {
        self.dirty_watchers.insert(conn);
        self.forget_watched_keys(conn);
    }

    /// Marks `key` in `db` as modified: every client WATCHing it will fail its EXEC
    /// (Redis's `signalModifiedKey` → `touchWatchedKey`). Call it after the change: a watcher
    /// that saw the key already expired is not failed when the change is the key's deletion.
    pub fn signal_modified_key(&mut self, db: usize, key: &[u8]) {
        if self.watched_keys.is_empty() {
            return;
        }
        // The run of the table that holds `key`'s watchers starts where the key would with no
        // connection after it.
        let start = Watch {
            db,
            key,
            conn: ConnId(0),
        }
        .encode();
        let mut watchers = Vec::new();
        for entry in tree_set::range(
            &self.watched_keys,
            Bound::Included(&start),
            Bound::Unbounded,
        ) {
            let watch = Watch::decode(entry);
            if watch.db != db || watch.key != key {
                break;
            }
            watchers.push(entry.clone());
        }
        let still_exists = self.keyspace.db(db).contains(key);
        // The expired key is gone now: logically nothing changed for such a watcher.
        self.touch_watchers(watchers, |expired_when_watched| {
            expired_when_watched && !still_exists
        });
    }

    /// Fails the transactions of clients watching a key that exists in `db` (or in any database),
    /// as FLUSHDB and FLUSHALL do (Redis 7.0's `touchAllWatchedKeysInDb`). Call it *before* the
    /// databases are emptied: watched keys that do not exist are untouched, and a key that was
    /// already expired when watched only loses that flag.
    pub fn signal_flushed_db(&mut self, db: Option<usize>) {
        let mut watchers = Vec::new();
        for entry in tree_set::all(&self.watched_keys) {
            let watch = Watch::decode(entry);
            let flushed = db.is_none_or(|db| db == watch.db);
            if flushed && self.keyspace.db(watch.db).contains(watch.key) {
                watchers.push(entry.clone());
            }
        }
        self.touch_watchers(watchers, |expired_when_watched| expired_when_watched);
    }

    /// A watched key changed under `watchers` (table entries): those `spared` (given whether the
    /// key was expired when watched) only lose that flag, the others' transactions fail.
    fn touch_watchers(&mut self, watchers: Vec<TreeKey>, spared: impl Fn(bool) -> bool) {
        let mut failed = Vec::new();
        for entry in watchers {
            if spared(self.expired_when_watched.contains(&entry)) {
                self.expired_when_watched.remove(&entry);
            } else {
                failed.push(Watch::decode(&entry).conn);
            }
        }
        for conn in failed {
            self.mark_watcher_dirty(conn);
        }
    }

    /// Whether a key `conn` WATCHes has logically expired since it was watched (EXEC checks this
    /// first: Redis 7.0's `isWatchedKeyExpired`).
    pub fn watched_key_expired(&self, conn: ConnId, now_ms: u64) -> bool {
        tree_set::all(&self.watched_keys).any(|entry| {
            let watch = Watch::decode(entry);
            watch.conn == conn
                && !self.expired_when_watched.contains(entry)
                && self
                    .keyspace
                    .db(watch.db)
                    .lookup(watch.key)
                    .is_some_and(|entry| entry.is_expired(now_ms))
        })
    }
}

/// One connection WATCHing one key, as the WATCH table holds it: `(db, key length, key +
/// connection)`, so that one key's watchers are one run of the table, in connection order
/// (whatever other keys it prefixes).
struct Watch<'a> {
    db: usize,
    key: &'a [u8],
    conn: ConnId,
}

impl<'a> Watch<'a> {
    /// The table entry.
    fn encode(&self) -> TreeKey {
        let bytes = [self.key, &self.conn.0.to_be_bytes()].concat();
        (self.db as u64, self.key.len() as u64, bytes.into())
    }

    /// A table entry's watch.
    fn decode((db, _key_len, bytes): &'a TreeKey) -> Watch<'a> {
        let (key, conn) = bytes
            .split_last_chunk::<4>()
            .expect("a watch entry ends with its connection");
        Watch {
            db: *db as usize,
            key,
            conn: ConnId(u32::from_be_bytes(*conn)),
        }
    }
}

/// 40 random hex digits, as Redis's run ids and replication ids are.
pub fn random_hex_id(prng: &mut Prng) -> String {
    random_hex::<40>(prng).into_iter().map(char::from).collect()
}

/// `N` random lowercase hex digits (Redis's `getRandomHexChars`).
pub fn random_hex<const N: usize>(prng: &mut Prng) -> [u8; N] {
    std::array::from_fn(|_| char::from_digit(prng.below(16) as u32, 16).unwrap_or('0') as u8)
}
