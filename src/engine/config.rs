//! The settings the engine uses, with Redis 7.0's defaults, and [`DIRECTIVES`]: the one table
//! that names every directive, how its value is written and checked, and whether it may change at
//! runtime (Redis's `standardConfig configs[]` in `config.c`).
//!
//! The same table serves CONFIG GET/SET (`command::server::config`), and a driver applying a
//! `redis.conf` file or `--name value` arguments through [`set_directive`]. Parsing follows Redis
//! 7.0 exactly: memory values are `memtoull` (`1gb`, `100k`; no sign, no spaces), plain integers
//! are `string2ll` (no `+`, no leading zeros), booleans are `yes`/`no` in any case, enums are
//! matched case-insensitively, and the error texts are Redis's.

use std::fmt::Write;

use super::keyspace::ListpackLimits;

/// What to do when `maxmemory` is reached (`maxmemory-policy`), in Redis's enum order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaxmemoryPolicy {
    /// Evict the least recently used keys among those with a TTL.
    VolatileLru,
    /// Evict the least frequently used keys among those with a TTL.
    VolatileLfu,
    /// Evict random keys among those with a TTL.
    VolatileRandom,
    /// Evict the keys with the nearest TTL.
    VolatileTtl,
    /// Evict the least recently used keys.
    AllKeysLru,
    /// Evict the least frequently used keys.
    AllKeysLfu,
    /// Evict random keys from the whole keyspace.
    AllKeysRandom,
    /// Refuse writes with `-OOM` (Redis's default).
    NoEviction,
}

impl MaxmemoryPolicy {
    /// Every policy, in the order of [`MaxmemoryPolicy::NAMES`].
    const ALL: [MaxmemoryPolicy; 8] = [
        MaxmemoryPolicy::VolatileLru,
        MaxmemoryPolicy::VolatileLfu,
        MaxmemoryPolicy::VolatileRandom,
        MaxmemoryPolicy::VolatileTtl,
        MaxmemoryPolicy::AllKeysLru,
        MaxmemoryPolicy::AllKeysLfu,
        MaxmemoryPolicy::AllKeysRandom,
        MaxmemoryPolicy::NoEviction,
    ];

    /// Redis's names, as CONFIG GET and INFO print them.
    pub const NAMES: [&'static str; 8] = [
        "volatile-lru",
        "volatile-lfu",
        "volatile-random",
        "volatile-ttl",
        "allkeys-lru",
        "allkeys-lfu",
        "allkeys-random",
        "noeviction",
    ];

    /// The name CONFIG GET and INFO print.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// Who may use a protected feature (`enable-debug-command`, `enable-protected-configs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtectedAction {
    /// Nobody (the default since 7.0).
    No,
    /// Everybody.
    Yes,
    /// Only clients connected from 127.0.0.1 or ::1 (or a unix socket).
    Local,
}

impl ProtectedAction {
    const ALL: [ProtectedAction; 3] = [
        ProtectedAction::No,
        ProtectedAction::Yes,
        ProtectedAction::Local,
    ];
    const NAMES: [&'static str; 3] = ["no", "yes", "local"];

    /// Whether a client at `peer_addr` (`ip:port`) may use the feature (`allowProtectedAction`).
    pub fn allows(self, peer_addr: &str) -> bool {
        match self {
            ProtectedAction::No => false,
            ProtectedAction::Yes => true,
            ProtectedAction::Local => {
                let ip = peer_addr.rsplit_once(':').map_or(peer_addr, |(ip, _)| ip);
                ip == "127.0.0.1" || ip == "::1"
            }
        }
    }
}

/// How a replica loads the RDB of a full sync (`repl-diskless-load`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplDisklessLoad {
    /// Write it to disk first, then load it (the default).
    Disabled,
    /// Load straight from the socket when the dataset is empty.
    OnEmptyDb,
    /// Load straight from the socket into a temporary dataset.
    Swapdb,
}

impl ReplDisklessLoad {
    const ALL: [ReplDisklessLoad; 3] = [
        ReplDisklessLoad::Disabled,
        ReplDisklessLoad::OnEmptyDb,
        ReplDisklessLoad::Swapdb,
    ];
    const NAMES: [&'static str; 3] = ["disabled", "on-empty-db", "swapdb"];
}

/// One `client-output-buffer-limit` class: a client is closed above `hard_bytes`, or after
/// staying above `soft_bytes` for `soft_secs` seconds (0 disables a limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutputBufferLimit {
    /// Hard limit in bytes.
    pub hard_bytes: u64,
    /// Soft limit in bytes.
    pub soft_bytes: u64,
    /// How long the soft limit may be exceeded.
    pub soft_secs: i32,
}

/// The three `client-output-buffer-limit` classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutputBufferLimits {
    /// `normal` clients.
    pub normal: OutputBufferLimit,
    /// `replica` (a.k.a. `slave`) connections.
    pub replica: OutputBufferLimit,
    /// Clients in pub/sub mode.
    pub pubsub: OutputBufferLimit,
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
    /// `enable-debug-command`: DEBUG is refused unless allowed ("no" by default since 7.0).
    pub enable_debug_command: ProtectedAction,
    /// `enable-protected-configs`: whether CONFIG SET may change `dir` and `dbfilename`.
    pub enable_protected_configs: ProtectedAction,
    /// `lazyfree-lazy-expire`: expired keys are propagated as UNLINK instead of DEL.
    pub lazyfree_lazy_expire: bool,
    /// `hz`: how many times per second the cron (active expiry, ...) runs; kept within 1..=500.
    pub hz: u32,
    /// `port`, as INFO and CLIENT LIST report it. A driver that listens should watch it: CONFIG
    /// SET may change it at runtime, as in Redis.
    pub port: u16,
    /// `bind`: the addresses a native driver listens on.
    pub bind: Vec<String>,
    /// `dir`: where the RDB file goes (the engine never touches the filesystem itself).
    pub dir: String,
    /// `dbfilename`: the RDB file's name.
    pub dbfilename: String,
    /// `save`: (seconds, changes) pairs that trigger a background save.
    pub save: Vec<(i64, i32)>,
    /// `appendonly`: always "no" (the engine has no AOF).
    pub appendonly: bool,
    /// `replicaof` (`slaveof`): the master to replicate at startup.
    pub replicaof: Option<(String, u16)>,
    /// `masterauth`: the password a replica sends to its master.
    pub masterauth: Option<Vec<u8>>,
    /// `masteruser`: the user a replica authenticates as.
    pub masteruser: Option<Vec<u8>>,
    /// `repl-backlog-size` in bytes.
    pub repl_backlog_size_bytes: i64,
    /// The smallest `repl-backlog-size` CONFIG SET accepts (raising smaller values to it): 16 KB
    /// in Redis. Not a directive: an embedder's setting. The playground page lowers it, so that a
    /// small backlog wraps after a few writes (design decision 4), and says so on screen.
    pub repl_backlog_size_min_bytes: i64,
    /// `repl-backlog-ttl`: how long a master without replicas keeps its backlog.
    pub repl_backlog_ttl_secs: i64,
    /// `repl-diskless-sync`.
    pub repl_diskless_sync: bool,
    /// `repl-diskless-sync-delay`.
    pub repl_diskless_sync_delay_secs: i32,
    /// `repl-diskless-sync-max-replicas`.
    pub repl_diskless_sync_max_replicas: i32,
    /// `repl-diskless-load`.
    pub repl_diskless_load: ReplDisklessLoad,
    /// `repl-timeout`.
    pub repl_timeout_secs: i32,
    /// `repl-ping-replica-period`.
    pub repl_ping_replica_period_secs: i32,
    /// `repl-disable-tcp-nodelay`.
    pub repl_disable_tcp_nodelay: bool,
    /// `replica-read-only`.
    pub replica_read_only: bool,
    /// `replica-serve-stale-data`.
    pub replica_serve_stale_data: bool,
    /// `replica-priority`.
    pub replica_priority: i32,
    /// `replica-lazy-flush`.
    pub replica_lazy_flush: bool,
    /// `replica-announced`.
    pub replica_announced: bool,
    /// `replica-announce-ip`.
    pub replica_announce_ip: Option<String>,
    /// `replica-announce-port` (0: the real port).
    pub replica_announce_port: u16,
    /// `replica-ignore-maxmemory`.
    pub replica_ignore_maxmemory: bool,
    /// `min-replicas-to-write`.
    pub min_replicas_to_write: i32,
    /// `min-replicas-max-lag`.
    pub min_replicas_max_lag_secs: i32,
    /// `client-output-buffer-limit`.
    pub client_output_buffer_limits: OutputBufferLimits,
}

impl Config {
    /// What the deletion of an expired key propagates as: `UNLINK` with `lazyfree-lazy-expire`,
    /// else `DEL`.
    pub fn expiry_deletion_command(&self) -> &'static [u8] {
        if self.lazyfree_lazy_expire {
            b"UNLINK"
        } else {
            b"DEL"
        }
    }
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
            enable_debug_command: ProtectedAction::No,
            enable_protected_configs: ProtectedAction::No,
            lazyfree_lazy_expire: false,
            hz: 10,
            port: 6379,
            bind: vec!["*".to_string(), "-::*".to_string()],
            dir: "/".to_string(),
            dbfilename: "dump.rdb".to_string(),
            save: vec![(3600, 1), (300, 100), (60, 10000)],
            appendonly: false,
            replicaof: None,
            masterauth: None,
            masteruser: None,
            repl_backlog_size_bytes: 1024 * 1024,
            repl_backlog_size_min_bytes: REPL_BACKLOG_SIZE_MIN_BYTES,
            repl_backlog_ttl_secs: 3600,
            repl_diskless_sync: true,
            repl_diskless_sync_delay_secs: 5,
            repl_diskless_sync_max_replicas: 0,
            repl_diskless_load: ReplDisklessLoad::Disabled,
            repl_timeout_secs: 60,
            repl_ping_replica_period_secs: 10,
            repl_disable_tcp_nodelay: false,
            replica_read_only: true,
            replica_serve_stale_data: true,
            replica_priority: 100,
            replica_lazy_flush: false,
            replica_announced: true,
            replica_announce_ip: None,
            replica_announce_port: 0,
            replica_ignore_maxmemory: true,
            min_replicas_to_write: 0,
            min_replicas_max_lag_secs: 10,
            client_output_buffer_limits: OutputBufferLimits {
                normal: OutputBufferLimit {
                    hard_bytes: 0,
                    soft_bytes: 0,
                    soft_secs: 0,
                },
                replica: OutputBufferLimit {
                    hard_bytes: 256 * 1024 * 1024,
                    soft_bytes: 64 * 1024 * 1024,
                    soft_secs: 60,
                },
                pubsub: OutputBufferLimit {
                    hard_bytes: 32 * 1024 * 1024,
                    soft_bytes: 8 * 1024 * 1024,
                    soft_secs: 60,
                },
            },
        }
    }
}

/// CONFIG SET refuses to change it (`IMMUTABLE_CONFIG`).
pub const IMMUTABLE: u8 = 1 << 0;
/// CONFIG SET changes it only if `enable-protected-configs` allows (`PROTECTED_CONFIG`).
pub const PROTECTED: u8 = 1 << 1;
/// Its value is several words (`MULTI_ARG_CONFIG`): CONFIG SET splits it on spaces.
pub const MULTI_ARG: u8 = 1 << 2;

/// An extra check on a number, after its bounds (Redis's `is_valid_fn`).
pub type NumberCheck = fn(i64) -> Result<(), &'static str>;
/// An extra check on a text value (Redis's `is_valid_fn`).
pub type TextCheck = fn(&[u8]) -> Result<(), &'static str>;

/// How a directive's value is written and checked.
#[derive(Clone, Copy)]
pub enum Kind {
    /// `yes` / `no`.
    Bool {
        /// Reads the setting.
        get: fn(&Config) -> bool,
        /// Writes the setting.
        set: fn(&mut Config, bool),
    },
    /// One of a fixed list of names (matched case-insensitively).
    Enum {
        /// The names, in Redis's order (its error message lists them so).
        names: &'static [&'static str],
        /// Reads the setting as an index into `names`.
        get: fn(&Config) -> usize,
        /// Writes the setting from an index into `names`.
        set: fn(&mut Config, usize),
    },
    /// A number, with Redis's C type reduced to its bounds and signedness.
    Number {
        /// Accepts memory units (`1gb`) and refuses signs, as `memtoull`; else `string2ll`.
        memory: bool,
        /// Redis stores it unsigned: the value and the bounds are compared as `u64`s.
        unsigned: bool,
        /// Smallest accepted value (its `u64` bit pattern when `unsigned`).
        min: i64,
        /// Largest accepted value (its `u64` bit pattern when `unsigned`).
        max: i64,
        /// Extra check after the bounds (Redis's `is_valid_fn`).
        check: Option<NumberCheck>,
        /// Reads the setting (as a C `long long`).
        get: fn(&Config) -> i64,
        /// Writes the setting.
        set: fn(&mut Config, i64),
    },
    /// Free text; an empty value means unset where Redis says `EMPTY_STRING_IS_NULL`.
    Text {
        /// Extra check (Redis's `is_valid_fn`).
        check: Option<TextCheck>,
        /// Reads the setting.
        get: fn(&Config) -> Vec<u8>,
        /// Writes the setting.
        set: fn(&mut Config, &[u8]),
    },
    /// A directive with its own parser (Redis's `createSpecialConfig`).
    Special {
        /// Reads the setting as CONFIG GET prints it.
        get: fn(&Config) -> Vec<u8>,
        /// Parses and writes the setting; the words are already split.
        set: fn(&mut Config, &[&[u8]]) -> Result<(), String>,
    },
}

/// One row of the directive table.
#[derive(Clone, Copy)]
pub struct Directive {
    /// The name CONFIG GET prints.
    pub name: &'static str,
    /// The old name (`slave-...`, `...-ziplist-...`), accepted everywhere.
    pub alias: Option<&'static str>,
    /// [`IMMUTABLE`], [`PROTECTED`], [`MULTI_ARG`].
    pub flags: u8,
    /// The value's format.
    pub kind: Kind,
    /// Runs after CONFIG SET changed the value (Redis's `apply` functions); never at startup.
    pub apply: Option<fn(&mut Config)>,
}

impl Directive {
    /// The value as CONFIG GET prints it.
    pub fn get(&self, config: &Config) -> Vec<u8> {
        match self.kind {
            Kind::Bool { get, .. } => (if get(config) { "yes" } else { "no" }).into(),
            Kind::Enum { names, get, .. } => names
                .get(get(config))
                .unwrap_or(&"unknown")
                .as_bytes()
                .to_vec(),
            Kind::Number {
                memory,
                unsigned,
                get,
                ..
            } => {
                let value = get(config);
                // Memory values print unsigned (`ull2string`), like maxmemory's 2^64-1.
                if memory || unsigned {
                    (value as u64).to_string().into_bytes()
                } else {
                    value.to_string().into_bytes()
                }
            }
            Kind::Text { get, .. } | Kind::Special { get, .. } => get(config),
        }
    }

    /// Parses `words` and stores the value (Redis's `interface.set`), with Redis's error text.
    fn set(&self, config: &mut Config, words: &[&[u8]]) -> Result<(), String> {
        let value = words.first().copied().unwrap_or_default();
        match self.kind {
            Kind::Bool { set, .. } => match yes_no(value) {
                Some(flag) => set(config, flag),
                None => return Err("argument must be 'yes' or 'no'".into()),
            },
            Kind::Enum { names, set, .. } => {
                match names
                    .iter()
                    .position(|name| name.as_bytes().eq_ignore_ascii_case(value))
                {
                    Some(index) => set(config, index),
                    None => {
                        // 7.0.15 says "argument(s)", and cuts the message at 255 bytes.
                        let mut message = format!(
                            "argument(s) must be one of the following: {}",
                            names.join(", ")
                        );
                        message.truncate(255);
                        return Err(message);
                    }
                }
            }
            Kind::Number {
                memory,
                unsigned,
                min,
                max,
                check,
                set,
                ..
            } => {
                let parsed = if memory {
                    memtoull(value).map(|bytes| bytes as i64)
                } else {
                    parse_ll(value)
                };
                let Some(number) = parsed else {
                    return Err(if memory {
                        "argument must be a memory value"
                    } else {
                        "argument couldn't be parsed into an integer"
                    }
                    .into());
                };
                let in_bounds = if unsigned {
                    (min as u64..=max as u64).contains(&(number as u64))
                } else {
                    (min..=max).contains(&number)
                };
                if !in_bounds {
                    return Err(format!(
                        "argument must be between {} and {} inclusive",
                        bound_text(min, unsigned),
                        bound_text(max, unsigned)
                    ));
                }
                if let Some(check) = check {
                    check(number)?;
                }
                set(config, number);
            }
            Kind::Text { check, set, .. } => {
                if let Some(check) = check {
                    check(value)?;
                }
                set(config, value);
            }
            Kind::Special { set, .. } => set(config, words)?,
        }
        Ok(())
    }

    /// The spelling of `name` in the table: the directive's name or its alias. Redis registers
    /// an alias as a config of its own, so CONFIG SET errors and duplicate checks use it.
    pub fn table_name(&self, name: &[u8]) -> &'static str {
        match self.alias {
            Some(alias) if alias.as_bytes().eq_ignore_ascii_case(name) => alias,
            _ => self.name,
        }
    }

    /// Whether `name` (any case) names this directive or its alias.
    pub fn is_named(&self, name: &[u8]) -> bool {
        self.name.as_bytes().eq_ignore_ascii_case(name)
            || self
                .alias
                .is_some_and(|alias| alias.as_bytes().eq_ignore_ascii_case(name))
    }
}

/// The directive `name` or its alias names, in any case (Redis's `lookupConfig`).
pub fn lookup_directive(name: &[u8]) -> Option<&'static Directive> {
    DIRECTIVES.iter().find(|directive| directive.is_named(name))
}

/// Sets a directive as a config file line or a `--name value` argument does: any directive,
/// immutable ones included; `args` are the words after the name. Multi-word directives (`save`,
/// `bind`, `client-output-buffer-limit`, `replicaof`) take several words; the others exactly one.
///
/// Note for config files: Redis *adds* each further `save` line to the ones before; a loader
/// that wants that passes all the `save` words of the file in one call.
///
/// Errors carry Redis's text (what it logs before exiting, or CONFIG SET's reason).
pub fn set_directive(config: &mut Config, name: &str, args: &[&[u8]]) -> Result<(), String> {
    let Some(directive) = lookup_directive(name.as_bytes()) else {
        return Err("Bad directive or wrong number of arguments".into());
    };
    if directive.flags & MULTI_ARG == 0 && args.len() != 1 {
        return Err("wrong number of arguments".into());
    }
    directive.set(config, args)
}

/// The value of directive `name` (or its alias) as CONFIG GET prints it, None if unknown.
pub fn get_directive(config: &Config, name: &str) -> Option<Vec<u8>> {
    lookup_directive(name.as_bytes()).map(|directive| directive.get(config))
}

/// Redis's `yesnotoi`.
fn yes_no(value: &[u8]) -> Option<bool> {
    if value.eq_ignore_ascii_case(b"yes") {
        Some(true)
    } else if value.eq_ignore_ascii_case(b"no") {
        Some(false)
    } else {
        None
    }
}

/// A number's bound as Redis prints it.
fn bound_text(bound: i64, unsigned: bool) -> String {
    if unsigned {
        (bound as u64).to_string()
    } else {
        bound.to_string()
    }
}

/// Redis's `string2ll`: an optional `-`, then digits with no leading zero (but "0"), no spaces,
/// no `+`, within i64.
fn parse_ll(value: &[u8]) -> Option<i64> {
    crate::engine::resp::parse_i64(value)
}

/// Redis's `memtoull`: digits and an optional unit (`b`, `k`, `kb`, `m`, `mb`, `g`, `gb`, any
/// case). No digits means 0; too many digits saturate (`strtoull`); the product wraps, as in C.
pub fn memtoull(value: &[u8]) -> Option<u64> {
    if value.first() == Some(&b'-') {
        return None;
    }
    let digits_len = value.iter().take_while(|b| b.is_ascii_digit()).count();
    let (digits, unit) = value.split_at(digits_len);
    let multiplier: u64 = match unit.to_ascii_lowercase().as_slice() {
        b"" | b"b" => 1,
        b"k" => 1000,
        b"kb" => 1024,
        b"m" => 1000 * 1000,
        b"mb" => 1024 * 1024,
        b"g" => 1000 * 1000 * 1000,
        b"gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    // memtoull copies the digits into a 128-byte buffer and gives up if they do not fit.
    if digits.len() >= 128 {
        return None;
    }
    let number = digits.iter().fold(0u64, |acc, &digit| {
        acc.checked_mul(10)
            .and_then(|acc| acc.checked_add(u64::from(digit - b'0')))
            .unwrap_or(u64::MAX)
    });
    Some(number.wrapping_mul(multiplier))
}

/// C's `strtoll(s, &end, 10)` followed by a check that it consumed everything: leading blanks and
/// a sign are allowed, an empty number is 0, overflow saturates.
fn strtoll_whole(value: &[u8]) -> Option<i64> {
    let trimmed = value.trim_ascii_start();
    let (negative, digits) = match trimmed {
        [b'-', digits @ ..] => (true, digits),
        [b'+', digits @ ..] => (false, digits),
        _ => (false, trimmed),
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // strtoll with no digits consumes nothing: the whole string must then be empty.
    if digits.is_empty() && !value.is_empty() {
        return None;
    }
    let magnitude = digits.iter().fold(0u64, |acc, &digit| {
        acc.saturating_mul(10)
            .saturating_add(u64::from(digit - b'0'))
    });
    Some(if negative {
        0i64.checked_sub_unsigned(magnitude).unwrap_or(i64::MIN)
    } else {
        i64::try_from(magnitude).unwrap_or(i64::MAX)
    })
}

/// `save`: pairs of seconds (at least 1) and changes (at least 0); one empty word clears them.
fn set_save(config: &mut Config, words: &[&[u8]]) -> Result<(), String> {
    let words: &[&[u8]] = if words.len() == 1 && words[0].is_empty() {
        &[]
    } else {
        words
    };
    let invalid = || "Invalid save parameters".to_string();
    if words.len() % 2 == 1 {
        return Err(invalid());
    }
    let mut pairs = Vec::with_capacity(words.len() / 2);
    for pair in words.chunks_exact(2) {
        let seconds = strtoll_whole(pair[0]).ok_or_else(invalid)?;
        let changes = strtoll_whole(pair[1]).ok_or_else(invalid)?;
        if seconds < 1 || changes < 0 {
            return Err(invalid());
        }
        // Redis keeps the number of changes in a C int.
        pairs.push((seconds, changes as i32));
    }
    config.save = pairs;
    Ok(())
}

fn get_save(config: &Config) -> Vec<u8> {
    let mut text = String::new();
    for (seconds, changes) in &config.save {
        if !text.is_empty() {
            text.push(' ');
        }
        let _ = write!(text, "{seconds} {changes}");
    }
    text.into_bytes()
}

/// `bind`: up to 16 addresses; one empty word means none.
fn set_bind(config: &mut Config, words: &[&[u8]]) -> Result<(), String> {
    if words.len() > 16 {
        return Err("Too many bind addresses specified.".into());
    }
    let words: &[&[u8]] = if words.len() == 1 && words[0].is_empty() {
        &[]
    } else {
        words
    };
    config.bind = words
        .iter()
        .map(|word| String::from_utf8_lossy(word).into_owned())
        .collect();
    Ok(())
}

fn get_bind(config: &Config) -> Vec<u8> {
    config.bind.join(" ").into_bytes()
}

/// `client-output-buffer-limit <class> <hard> <soft> <soft-seconds> [...]`: all classes checked
/// before any is set.
fn set_client_output_buffer_limit(config: &mut Config, words: &[&[u8]]) -> Result<(), String> {
    if !words.len().is_multiple_of(4) {
        return Err("Wrong number of arguments in buffer limit configuration.".into());
    }
    let mut limits = config.client_output_buffer_limits;
    for group in words.chunks_exact(4) {
        let class = group[0].to_ascii_lowercase();
        let target = match class.as_slice() {
            b"normal" => &mut limits.normal,
            b"slave" | b"replica" => &mut limits.replica,
            b"pubsub" => &mut limits.pubsub,
            _ => {
                return Err("Invalid client class specified in buffer limit configuration.".into())
            }
        };
        let hard = memtoull(group[1]);
        let soft = memtoull(group[2]);
        let soft_secs = strtoll_whole(group[3]);
        match (hard, soft, soft_secs) {
            (Some(hard), Some(soft), Some(soft_secs)) if soft_secs >= 0 => {
                *target = OutputBufferLimit {
                    hard_bytes: hard,
                    soft_bytes: soft,
                    soft_secs: soft_secs as i32,
                };
            }
            _ => {
                return Err(
                    "Error in hard, soft or soft_seconds setting in buffer limit \
                            configuration."
                        .into(),
                )
            }
        }
    }
    config.client_output_buffer_limits = limits;
    Ok(())
}

fn get_client_output_buffer_limit(config: &Config) -> Vec<u8> {
    let limits = &config.client_output_buffer_limits;
    [
        ("normal", limits.normal),
        ("slave", limits.replica),
        ("pubsub", limits.pubsub),
    ]
    .iter()
    .map(|(class, limit)| {
        format!(
            "{class} {} {} {}",
            limit.hard_bytes, limit.soft_bytes, limit.soft_secs
        )
    })
    .collect::<Vec<_>>()
    .join(" ")
    .into_bytes()
}

/// `replicaof <host> <port>` or `replicaof no one`.
fn set_replicaof(config: &mut Config, words: &[&[u8]]) -> Result<(), String> {
    let [host, port] = words else {
        return Err("wrong number of arguments".into());
    };
    config.replicaof = None;
    if host.eq_ignore_ascii_case(b"no") && port.eq_ignore_ascii_case(b"one") {
        return Ok(());
    }
    match strtoll_whole(port) {
        Some(port) if (0..=65535).contains(&port) => {
            config.replicaof = Some((String::from_utf8_lossy(host).into_owned(), port as u16));
            Ok(())
        }
        _ => Err("Invalid master port".into()),
    }
}

fn get_replicaof(config: &Config) -> Vec<u8> {
    match &config.replicaof {
        Some((host, port)) => format!("{host} {port}").into_bytes(),
        None => Vec::new(),
    }
}

/// `appendonly`: the engine has no AOF, so only "no" is accepted.
fn set_appendonly(config: &mut Config, words: &[&[u8]]) -> Result<(), String> {
    match yes_no(words.first().copied().unwrap_or_default()) {
        Some(false) => {
            config.appendonly = false;
            Ok(())
        }
        Some(true) => Err("the AOF is not supported by this engine".into()),
        None => Err("argument must be 'yes' or 'no'".into()),
    }
}

fn get_appendonly(config: &Config) -> Vec<u8> {
    (if config.appendonly { "yes" } else { "no" }).into()
}

/// `databases`: Redis allows up to `INT_MAX`; the engine allocates every database up front, so
/// it stops at 65536 rather than trying to allocate billions.
fn check_databases(count: i64) -> Result<(), &'static str> {
    if count > 65536 {
        Err("the engine supports at most 65536 databases")
    } else {
        Ok(())
    }
}

/// `dbfilename` must be a file name, not a path (`isValidDBfilename`).
fn check_dbfilename(name: &[u8]) -> Result<(), &'static str> {
    if name.contains(&b'/') {
        Err("dbfilename can't be a path, just a filename")
    } else {
        Ok(())
    }
}

/// Redis's smallest backlog (`CONFIG_REPL_BACKLOG_MIN_SIZE`, 16 KB).
pub const REPL_BACKLOG_SIZE_MIN_BYTES: i64 = 16 * 1024;

/// `repl-backlog-size`: CONFIG SET raises it to at least 16 KB (`resizeReplicationBacklog`), or
/// to the embedder's lower floor ([`Config::repl_backlog_size_min_bytes`]).
fn apply_repl_backlog_size(config: &mut Config) {
    config.repl_backlog_size_bytes = config
        .repl_backlog_size_bytes
        .max(config.repl_backlog_size_min_bytes.max(1));
}

fn optional_bytes(value: &Option<Vec<u8>>) -> Vec<u8> {
    value.clone().unwrap_or_default()
}

fn none_if_empty(value: &[u8]) -> Option<Vec<u8>> {
    (!value.is_empty()).then(|| value.to_vec())
}

const INT_MAX: i64 = i32::MAX as i64;
const LONG_MAX: i64 = i64::MAX;

/// A directive with no alias, no flags and no apply function.
const fn plain(name: &'static str, kind: Kind) -> Directive {
    Directive {
        name,
        alias: None,
        flags: 0,
        kind,
        apply: None,
    }
}

/// A plain integer directive (`INTEGER_CONFIG`) stored signed.
const fn integer(min: i64, max: i64, get: fn(&Config) -> i64, set: fn(&mut Config, i64)) -> Kind {
    Kind::Number {
        memory: false,
        unsigned: false,
        min,
        max,
        check: None,
        get,
        set,
    }
}

/// Every directive the engine knows, with Redis 7.0's names, aliases, bounds and flags.
pub static DIRECTIVES: &[Directive] = &[
    Directive {
        flags: IMMUTABLE,
        ..plain(
            "databases",
            Kind::Number {
                memory: false,
                unsigned: false,
                min: 1,
                max: INT_MAX,
                check: Some(check_databases),
                get: |c| c.databases as i64,
                set: |c, v| c.databases = v as usize,
            },
        )
    },
    plain(
        "requirepass",
        Kind::Text {
            check: None,
            get: |c| optional_bytes(&c.requirepass),
            set: |c, v| c.requirepass = none_if_empty(v),
        },
    ),
    plain(
        "masterauth",
        Kind::Text {
            check: None,
            get: |c| optional_bytes(&c.masterauth),
            set: |c, v| c.masterauth = none_if_empty(v),
        },
    ),
    plain(
        "masteruser",
        Kind::Text {
            check: None,
            get: |c| optional_bytes(&c.masteruser),
            set: |c, v| c.masteruser = none_if_empty(v),
        },
    ),
    plain(
        "maxmemory",
        Kind::Number {
            memory: true,
            unsigned: true,
            min: 0,
            max: u64::MAX as i64,
            check: None,
            get: |c| c.maxmemory_bytes as i64,
            set: |c, v| c.maxmemory_bytes = v as u64,
        },
    ),
    plain(
        "maxmemory-policy",
        Kind::Enum {
            names: &MaxmemoryPolicy::NAMES,
            get: |c| c.maxmemory_policy as usize,
            set: |c, i| c.maxmemory_policy = MaxmemoryPolicy::ALL[i],
        },
    ),
    plain(
        "proto-max-bulk-len",
        Kind::Number {
            memory: true,
            unsigned: false,
            min: 1024 * 1024,
            max: LONG_MAX,
            check: None,
            get: |c| c.proto_max_bulk_len,
            set: |c, v| c.proto_max_bulk_len = v,
        },
    ),
    plain(
        "client-query-buffer-limit",
        Kind::Number {
            memory: true,
            unsigned: true,
            min: 1024 * 1024,
            max: LONG_MAX,
            check: None,
            get: |c| c.client_query_buffer_limit_bytes as i64,
            set: |c, v| c.client_query_buffer_limit_bytes = v as usize,
        },
    ),
    Directive {
        alias: Some("hash-max-ziplist-entries"),
        ..plain(
            "hash-max-listpack-entries",
            Kind::Number {
                memory: false,
                unsigned: true,
                min: 0,
                max: LONG_MAX,
                check: None,
                get: |c| c.hash_listpack.entries_max as i64,
                set: |c, v| c.hash_listpack.entries_max = v as usize,
            },
        )
    },
    Directive {
        alias: Some("hash-max-ziplist-value"),
        ..plain(
            "hash-max-listpack-value",
            Kind::Number {
                memory: true,
                unsigned: true,
                min: 0,
                max: LONG_MAX,
                check: None,
                get: |c| c.hash_listpack.value_bytes_max as i64,
                set: |c, v| c.hash_listpack.value_bytes_max = v as usize,
            },
        )
    },
    Directive {
        alias: Some("zset-max-ziplist-entries"),
        ..plain(
            "zset-max-listpack-entries",
            Kind::Number {
                memory: false,
                unsigned: true,
                min: 0,
                max: LONG_MAX,
                check: None,
                get: |c| c.zset_listpack.entries_max as i64,
                set: |c, v| c.zset_listpack.entries_max = v as usize,
            },
        )
    },
    Directive {
        alias: Some("zset-max-ziplist-value"),
        ..plain(
            "zset-max-listpack-value",
            Kind::Number {
                memory: true,
                unsigned: true,
                min: 0,
                max: LONG_MAX,
                check: None,
                get: |c| c.zset_listpack.value_bytes_max as i64,
                set: |c, v| c.zset_listpack.value_bytes_max = v as usize,
            },
        )
    },
    plain(
        "set-max-intset-entries",
        Kind::Number {
            memory: false,
            unsigned: true,
            min: 0,
            max: LONG_MAX,
            check: None,
            get: |c| c.set_max_intset_entries as i64,
            set: |c, v| c.set_max_intset_entries = v as usize,
        },
    ),
    Directive {
        flags: IMMUTABLE,
        ..plain(
            "enable-debug-command",
            Kind::Enum {
                names: &ProtectedAction::NAMES,
                get: |c| c.enable_debug_command as usize,
                set: |c, i| c.enable_debug_command = ProtectedAction::ALL[i],
            },
        )
    },
    Directive {
        flags: IMMUTABLE,
        ..plain(
            "enable-protected-configs",
            Kind::Enum {
                names: &ProtectedAction::NAMES,
                get: |c| c.enable_protected_configs as usize,
                set: |c, i| c.enable_protected_configs = ProtectedAction::ALL[i],
            },
        )
    },
    plain(
        "lazyfree-lazy-expire",
        Kind::Bool {
            get: |c| c.lazyfree_lazy_expire,
            set: |c, v| c.lazyfree_lazy_expire = v,
        },
    ),
    plain(
        "hz",
        integer(
            0,
            INT_MAX,
            |c| i64::from(c.hz),
            // Redis clamps the configured hz to CONFIG_MIN_HZ..=CONFIG_MAX_HZ.
            |c, v| c.hz = v.clamp(1, 500) as u32,
        ),
    ),
    plain(
        "port",
        integer(0, 65535, |c| i64::from(c.port), |c, v| c.port = v as u16),
    ),
    Directive {
        flags: MULTI_ARG,
        ..plain(
            "bind",
            Kind::Special {
                get: get_bind,
                set: set_bind,
            },
        )
    },
    Directive {
        flags: PROTECTED,
        ..plain(
            "dir",
            Kind::Text {
                check: None,
                get: |c| c.dir.clone().into_bytes(),
                set: |c, v| c.dir = String::from_utf8_lossy(v).into_owned(),
            },
        )
    },
    Directive {
        flags: PROTECTED,
        ..plain(
            "dbfilename",
            Kind::Text {
                check: Some(check_dbfilename),
                get: |c| c.dbfilename.clone().into_bytes(),
                set: |c, v| c.dbfilename = String::from_utf8_lossy(v).into_owned(),
            },
        )
    },
    Directive {
        flags: MULTI_ARG,
        ..plain(
            "save",
            Kind::Special {
                get: get_save,
                set: set_save,
            },
        )
    },
    plain(
        "appendonly",
        Kind::Special {
            get: get_appendonly,
            set: set_appendonly,
        },
    ),
    Directive {
        alias: Some("slaveof"),
        flags: IMMUTABLE | MULTI_ARG,
        ..plain(
            "replicaof",
            Kind::Special {
                get: get_replicaof,
                set: set_replicaof,
            },
        )
    },
    Directive {
        apply: Some(apply_repl_backlog_size),
        ..plain(
            "repl-backlog-size",
            Kind::Number {
                memory: true,
                unsigned: false,
                min: 1,
                max: LONG_MAX,
                check: None,
                get: |c| c.repl_backlog_size_bytes,
                set: |c, v| c.repl_backlog_size_bytes = v,
            },
        )
    },
    plain(
        "repl-backlog-ttl",
        integer(
            0,
            LONG_MAX,
            |c| c.repl_backlog_ttl_secs,
            |c, v| c.repl_backlog_ttl_secs = v,
        ),
    ),
    plain(
        "repl-diskless-sync",
        Kind::Bool {
            get: |c| c.repl_diskless_sync,
            set: |c, v| c.repl_diskless_sync = v,
        },
    ),
    plain(
        "repl-diskless-sync-delay",
        integer(
            0,
            INT_MAX,
            |c| i64::from(c.repl_diskless_sync_delay_secs),
            |c, v| c.repl_diskless_sync_delay_secs = v as i32,
        ),
    ),
    plain(
        "repl-diskless-sync-max-replicas",
        integer(
            0,
            INT_MAX,
            |c| i64::from(c.repl_diskless_sync_max_replicas),
            |c, v| c.repl_diskless_sync_max_replicas = v as i32,
        ),
    ),
    plain(
        "repl-diskless-load",
        Kind::Enum {
            names: &ReplDisklessLoad::NAMES,
            get: |c| c.repl_diskless_load as usize,
            set: |c, i| c.repl_diskless_load = ReplDisklessLoad::ALL[i],
        },
    ),
    plain(
        "repl-timeout",
        integer(
            1,
            INT_MAX,
            |c| i64::from(c.repl_timeout_secs),
            |c, v| c.repl_timeout_secs = v as i32,
        ),
    ),
    Directive {
        alias: Some("repl-ping-slave-period"),
        ..plain(
            "repl-ping-replica-period",
            integer(
                1,
                INT_MAX,
                |c| i64::from(c.repl_ping_replica_period_secs),
                |c, v| c.repl_ping_replica_period_secs = v as i32,
            ),
        )
    },
    plain(
        "repl-disable-tcp-nodelay",
        Kind::Bool {
            get: |c| c.repl_disable_tcp_nodelay,
            set: |c, v| c.repl_disable_tcp_nodelay = v,
        },
    ),
    Directive {
        alias: Some("slave-read-only"),
        ..plain(
            "replica-read-only",
            Kind::Bool {
                get: |c| c.replica_read_only,
                set: |c, v| c.replica_read_only = v,
            },
        )
    },
    Directive {
        alias: Some("slave-serve-stale-data"),
        ..plain(
            "replica-serve-stale-data",
            Kind::Bool {
                get: |c| c.replica_serve_stale_data,
                set: |c, v| c.replica_serve_stale_data = v,
            },
        )
    },
    Directive {
        alias: Some("slave-priority"),
        ..plain(
            "replica-priority",
            integer(
                0,
                INT_MAX,
                |c| i64::from(c.replica_priority),
                |c, v| c.replica_priority = v as i32,
            ),
        )
    },
    Directive {
        alias: Some("slave-lazy-flush"),
        ..plain(
            "replica-lazy-flush",
            Kind::Bool {
                get: |c| c.replica_lazy_flush,
                set: |c, v| c.replica_lazy_flush = v,
            },
        )
    },
    plain(
        "replica-announced",
        Kind::Bool {
            get: |c| c.replica_announced,
            set: |c, v| c.replica_announced = v,
        },
    ),
    Directive {
        alias: Some("slave-announce-ip"),
        ..plain(
            "replica-announce-ip",
            Kind::Text {
                check: None,
                get: |c| {
                    c.replica_announce_ip
                        .clone()
                        .unwrap_or_default()
                        .into_bytes()
                },
                set: |c, v| {
                    c.replica_announce_ip =
                        (!v.is_empty()).then(|| String::from_utf8_lossy(v).into_owned())
                },
            },
        )
    },
    Directive {
        alias: Some("slave-announce-port"),
        ..plain(
            "replica-announce-port",
            integer(
                0,
                65535,
                |c| i64::from(c.replica_announce_port),
                |c, v| c.replica_announce_port = v as u16,
            ),
        )
    },
    Directive {
        alias: Some("slave-ignore-maxmemory"),
        ..plain(
            "replica-ignore-maxmemory",
            Kind::Bool {
                get: |c| c.replica_ignore_maxmemory,
                set: |c, v| c.replica_ignore_maxmemory = v,
            },
        )
    },
    Directive {
        alias: Some("min-slaves-to-write"),
        ..plain(
            "min-replicas-to-write",
            integer(
                0,
                INT_MAX,
                |c| i64::from(c.min_replicas_to_write),
                |c, v| c.min_replicas_to_write = v as i32,
            ),
        )
    },
    Directive {
        alias: Some("min-slaves-max-lag"),
        ..plain(
            "min-replicas-max-lag",
            integer(
                0,
                INT_MAX,
                |c| i64::from(c.min_replicas_max_lag_secs),
                |c, v| c.min_replicas_max_lag_secs = v as i32,
            ),
        )
    },
    Directive {
        flags: MULTI_ARG,
        ..plain(
            "client-output-buffer-limit",
            Kind::Special {
                get: get_client_output_buffer_limit,
                set: set_client_output_buffer_limit,
            },
        )
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn set(config: &mut Config, name: &str, words: &[&str]) -> Result<(), String> {
        let words: Vec<&[u8]> = words.iter().map(|word| word.as_bytes()).collect();
        set_directive(config, name, &words)
    }

    fn get(config: &Config, name: &str) -> String {
        String::from_utf8(get_directive(config, name).expect("known directive")).unwrap()
    }

    #[test]
    fn directives_defaults_print_as_redis_7_0_prints_them() {
        let config = Config::default();
        for (name, expected) in [
            ("databases", "16"),
            ("maxmemory", "0"),
            ("maxmemory-policy", "noeviction"),
            ("hash-max-listpack-entries", "512"),
            ("hash-max-ziplist-value", "64"),
            ("zset-max-listpack-entries", "128"),
            ("save", "3600 1 300 100 60 10000"),
            ("bind", "* -::*"),
            ("appendonly", "no"),
            ("requirepass", ""),
            ("replicaof", ""),
            ("repl-backlog-size", "1048576"),
            ("repl-diskless-load", "disabled"),
            ("slave-read-only", "yes"),
            ("enable-debug-command", "no"),
            (
                "client-output-buffer-limit",
                "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
            ),
        ] {
            assert_eq!(get(&config, name), expected, "{name}");
        }
    }

    #[test]
    fn directives_memory_values_follow_memtoull() {
        let mut config = Config::default();
        assert_eq!(set(&mut config, "maxmemory", &["1GB"]), Ok(()));
        assert_eq!(config.maxmemory_bytes, 1 << 30);
        assert_eq!(set(&mut config, "maxmemory", &["100k"]), Ok(()));
        assert_eq!(config.maxmemory_bytes, 100_000);
        assert_eq!(set(&mut config, "maxmemory", &[""]), Ok(()));
        assert_eq!(config.maxmemory_bytes, 0);
        assert_eq!(
            set(&mut config, "maxmemory", &["99999999999999999999"]),
            Ok(())
        );
        assert_eq!(get(&config, "maxmemory"), "18446744073709551615");
        for bad in ["-1", "1.5gb", " 1", "+1", "1 gb", "1tb"] {
            assert_eq!(
                set(&mut config, "maxmemory", &[bad]),
                Err("argument must be a memory value".to_string()),
                "{bad}"
            );
        }
    }

    #[test]
    fn directives_integers_are_strict_and_bounded() {
        let mut config = Config::default();
        for bad in ["", "+5", " 5", "05", "abc", "99999999999999999999"] {
            assert_eq!(
                set(&mut config, "hz", &[bad]),
                Err("argument couldn't be parsed into an integer".to_string())
            );
        }
        assert_eq!(
            set(&mut config, "hz", &["-1"]),
            Err("argument must be between 0 and 2147483647 inclusive".to_string())
        );
        assert_eq!(set(&mut config, "hz", &["0"]), Ok(()));
        assert_eq!(get(&config, "hz"), "1");
        assert_eq!(
            set(&mut config, "hash-max-listpack-entries", &["-1"]),
            Err("argument must be between 0 and 9223372036854775807 inclusive".to_string())
        );
        assert_eq!(
            set(&mut config, "proto-max-bulk-len", &["100"]),
            Err("argument must be between 1048576 and 9223372036854775807 inclusive".to_string())
        );
        assert_eq!(
            set(&mut config, "proto-max-bulk-len", &["9223372036854775808"]),
            Err("argument must be between 1048576 and 9223372036854775807 inclusive".to_string())
        );
    }

    #[test]
    fn directives_enums_and_booleans_ignore_case() {
        let mut config = Config::default();
        assert_eq!(
            set(&mut config, "MAXMEMORY-POLICY", &["AllKeys-LRU"]),
            Ok(())
        );
        assert_eq!(config.maxmemory_policy, MaxmemoryPolicy::AllKeysLru);
        assert_eq!(
            set(&mut config, "maxmemory-policy", &["foo"]),
            Err(
                "argument(s) must be one of the following: volatile-lru, volatile-lfu, \
                 volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, \
                 noeviction"
                    .to_string()
            )
        );
        assert_eq!(set(&mut config, "lazyfree-lazy-expire", &["YES"]), Ok(()));
        assert!(config.lazyfree_lazy_expire);
        assert_eq!(
            set(&mut config, "lazyfree-lazy-expire", &["maybe"]),
            Err("argument must be 'yes' or 'no'".to_string())
        );
    }

    #[test]
    fn directives_special_formats_parse_like_redis() {
        let mut config = Config::default();
        assert_eq!(set(&mut config, "save", &[""]), Ok(()));
        assert_eq!(get(&config, "save"), "");
        assert_eq!(set(&mut config, "save", &["100", "1", "10", "5"]), Ok(()));
        assert_eq!(get(&config, "save"), "100 1 10 5");
        for bad in [
            &["100"][..],
            &["100", "1", "10"],
            &["0", "1"],
            &["5", "-1"],
            &["x", "1"],
        ] {
            assert_eq!(
                set(&mut config, "save", bad),
                Err("Invalid save parameters".to_string())
            );
        }
        assert_eq!(
            get(&config, "save"),
            "100 1 10 5",
            "a failed set changes nothing"
        );
        assert_eq!(
            set(
                &mut config,
                "client-output-buffer-limit",
                &["replica", "1mb", "2mb", "3"]
            ),
            Ok(())
        );
        assert_eq!(
            get(&config, "client-output-buffer-limit"),
            "normal 0 0 0 slave 1048576 2097152 3 pubsub 33554432 8388608 60"
        );
        assert_eq!(
            set(
                &mut config,
                "client-output-buffer-limit",
                &["master", "1", "2", "3"]
            ),
            Err("Invalid client class specified in buffer limit configuration.".to_string())
        );
        assert_eq!(set(&mut config, "slaveof", &["10.0.0.1", "6380"]), Ok(()));
        assert_eq!(get(&config, "replicaof"), "10.0.0.1 6380");
        assert_eq!(set(&mut config, "replicaof", &["no", "one"]), Ok(()));
        assert_eq!(config.replicaof, None);
        assert_eq!(
            set(&mut config, "replicaof", &["h", "70000"]),
            Err("Invalid master port".to_string())
        );
    }

    #[test]
    fn directives_single_word_ones_refuse_extra_words() {
        let mut config = Config::default();
        assert_eq!(
            set(&mut config, "hz", &["10", "20"]),
            Err("wrong number of arguments".to_string())
        );
        assert_eq!(
            set(&mut config, "nosuch", &["1"]),
            Err("Bad directive or wrong number of arguments".to_string())
        );
        assert_eq!(
            set(&mut config, "databases", &["4"]),
            Ok(()),
            "immutable only at runtime"
        );
        assert_eq!(config.databases, 4);
    }
}
