//! `OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP`: how a value is stored.

use crate::engine::command::server::help_reply;
use crate::engine::command::{args, Ctx};
use crate::engine::config::MaxmemoryPolicy;
use crate::engine::keyspace::{Entry, Value};
use crate::engine::resp::{parse_i64, Frame};

/// Redis's `OBJ_SHARED_REFCOUNT`: the refcount shared objects report.
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

/// Redis keeps one shared object for each integer in `0..SHARED_INTEGERS` (`OBJ_SHARED_INTEGERS`).
const SHARED_INTEGERS: i64 = 10_000;

/// # Format
///
/// ```text
/// OBJECT ENCODING key
/// ```
///
/// Replies with the encoding's name (`int`, `embstr`, `raw`, `quicklist`, `listpack`, `intset`,
/// `hashtable`, `skiplist`), or nil for a missing key.
pub(super) fn execute_encoding(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, _, key] = args::exactly(args);
    with_entry(ctx, key, |entry| Frame::bulk(entry.value.encoding()))
}

/// # Format
///
/// ```text
/// OBJECT REFCOUNT key
/// ```
///
/// Replies 2147483647 for a string Redis would hold as one of its shared integers (0 to 9999, when
/// the eviction policy allows sharing), else 1: values are never shared otherwise. (Redis also
/// reports 1 for the COPY of such a string, which we cannot tell apart.)
pub(super) fn execute_refcount(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let sharing = ctx.state.config.maxmemory_bytes == 0
        || !evicts_by_access(ctx.state.config.maxmemory_policy);
    let [_, _, key] = args::exactly(args);
    with_entry(ctx, key, |entry| {
        Frame::Integer(if sharing && is_shared_integer(&entry.value) {
            SHARED_REFCOUNT
        } else {
            1
        })
    })
}

/// # Format
///
/// ```text
/// OBJECT IDLETIME key
/// ```
///
/// Replies with the seconds since the key was last accessed, or nil for a missing key; under an
/// LFU policy, Redis's error (idle time is not tracked then). Access times are not tracked yet,
/// so this answers 0, which is what Redis answers for a key used within the last second.
pub(super) fn execute_idletime(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let lfu = is_lfu(ctx.state.config.maxmemory_policy);
    let [_, _, key] = args::exactly(args);
    with_entry(ctx, key, |_| {
        if lfu {
            Frame::error(
                "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note \
                 that when switching between policies at runtime LRU and LFU data will take some \
                 time to adjust.",
            )
        } else {
            Frame::Integer(0)
        }
    })
}

/// # Format
///
/// ```text
/// OBJECT FREQ key
/// ```
///
/// The logarithmic access counter, which Redis tracks only under an LFU `maxmemory-policy`:
/// without one, an existing key gets Redis's error, and a missing one nil (the lookup comes
/// first). Accesses are not counted yet, so under LFU every key reports Redis's initial counter.
pub(super) fn execute_freq(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    /// Redis's `LFU_INIT_VAL`: the counter a new key starts with.
    const LFU_INITIAL_COUNTER: i64 = 5;
    let lfu = is_lfu(ctx.state.config.maxmemory_policy);
    let [_, _, key] = args::exactly(args);
    with_entry(ctx, key, |_| {
        if lfu {
            return Frame::Integer(LFU_INITIAL_COUNTER);
        }
        Frame::error(
            "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please \
             note that when switching between policies at runtime LRU and LFU data will take \
             some time to adjust.",
        )
    })
}

/// # Format
///
/// ```text
/// OBJECT HELP
/// ```
pub(super) fn execute_help(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    help_reply(
        "object",
        concat!(
            "ENCODING <key>\n",
            "    Return the kind of internal representation used in order to store the value\n",
            "    associated with a <key>.\n",
            "FREQ <key>\n",
            "    Return the access frequency index of the <key>. The returned integer is\n",
            "    proportional to the logarithm of the recent access frequency of the key.\n",
            "IDLETIME <key>\n",
            "    Return the idle time of the <key>, that is the approximated number of\n",
            "    seconds elapsed since the last access to the key.\n",
            "REFCOUNT <key>\n",
            "    Return the number of references of the value associated with the specified\n",
            "    <key>.\n",
        ),
    )
}

/// Runs `reply` on the key's entry, or answers nil if it does not exist. The lookup counts as a
/// read (hits/misses, lazy expiry); in Redis it does not touch the key's access time.
fn with_entry(ctx: &mut Ctx, key: &[u8], reply: impl FnOnce(&Entry) -> Frame) -> Frame {
    ctx.lookup_read(key).map_or(Frame::Null, reply)
}

/// An `int`-encoded string in the shared range.
fn is_shared_integer(value: &Value) -> bool {
    match value {
        Value::String(string) => {
            string.encoding() == "int"
                && parse_i64(string.bytes()).is_some_and(|n| (0..SHARED_INTEGERS).contains(&n))
        }
        _ => false,
    }
}

/// Whether the policy evicts by access time or frequency (Redis's `MAXMEMORY_FLAG_LRU |
/// MAXMEMORY_FLAG_LFU`), which turns off shared integers. No wildcard on purpose: a new policy
/// must decide what IDLETIME and FREQ answer under it.
fn evicts_by_access(policy: MaxmemoryPolicy) -> bool {
    match policy {
        MaxmemoryPolicy::NoEviction
        | MaxmemoryPolicy::AllKeysRandom
        | MaxmemoryPolicy::VolatileRandom
        | MaxmemoryPolicy::VolatileTtl => false,
        MaxmemoryPolicy::AllKeysLru
        | MaxmemoryPolicy::VolatileLru
        | MaxmemoryPolicy::AllKeysLfu
        | MaxmemoryPolicy::VolatileLfu => true,
    }
}

/// Whether the policy is one of the LFU ones (Redis's `MAXMEMORY_FLAG_LFU`).
fn is_lfu(policy: MaxmemoryPolicy) -> bool {
    matches!(
        policy,
        MaxmemoryPolicy::AllKeysLfu | MaxmemoryPolicy::VolatileLfu
    )
}
