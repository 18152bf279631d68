//! The settings the engine uses, with Redis 7.0's defaults.
//!
//! Typed fields here; the names, parsing, validation and CONFIG GET/SET live in
//! `command::server::config` so that one table describes every directive.

use super::keyspace::ListpackLimits;

/// What to do when `maxmemory` is reached (`maxmemory-policy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaxmemoryPolicy {
    /// Refuse writes with `-OOM` (Redis's default).
    NoEviction,
    /// Evict random keys from the whole keyspace.
    AllKeysRandom,
    /// Evict random keys among those with a TTL.
    VolatileRandom,
    /// Evict the keys with the nearest TTL.
    VolatileTtl,
}

/// Every setting the engine reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `databases`: how many numbered databases SELECT can pick from.
    pub databases: usize,
    /// `requirepass`: when set, clients must AUTH first.
    pub requirepass: Option<Vec<u8>>,
    /// `maxmemory` in bytes; 0 means no limit.
    pub maxmemory_bytes: u64,
    /// `maxmemory-policy`.
    pub maxmemory_policy: MaxmemoryPolicy,
    /// `proto-max-bulk-len`: the largest bulk string a client may send.
    pub proto_max_bulk_len: i64,
    /// `client-query-buffer-limit`: a client whose unparsed input exceeds this is closed.
    pub client_query_buffer_limit_bytes: usize,
    /// `hash-max-listpack-entries` / `hash-max-listpack-value`.
    pub hash_listpack: ListpackLimits,
    /// `zset-max-listpack-entries` / `zset-max-listpack-value`.
    pub zset_listpack: ListpackLimits,
    /// `set-max-intset-entries`.
    pub set_max_intset_entries: usize,
    /// `enable-debug-command`: DEBUG is refused unless enabled ("no" by default since 7.0).
    pub enable_debug_command: bool,
    /// `lazyfree-lazy-expire`: expired keys are propagated as UNLINK instead of DEL.
    pub lazyfree_lazy_expire: bool,
    /// `hz`: how many times per second the cron (active expiry, ...) runs.
    pub hz: u32,
    /// `port`, as INFO and CLIENT LIST report it.
    pub port: u16,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            databases: 16,
            requirepass: None,
            maxmemory_bytes: 0,
            maxmemory_policy: MaxmemoryPolicy::NoEviction,
            proto_max_bulk_len: 512 * 1024 * 1024,
            client_query_buffer_limit_bytes: 1024 * 1024 * 1024,
            hash_listpack: ListpackLimits {
                entries_max: 512,
                value_bytes_max: 64,
            },
            zset_listpack: ListpackLimits {
                entries_max: 128,
                value_bytes_max: 64,
            },
            set_max_intset_entries: 512,
            enable_debug_command: false,
            lazyfree_lazy_expire: false,
            hz: 10,
            port: 6379,
        }
    }
}
