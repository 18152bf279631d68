//! String commands: SET and its variants (SETNX, SETEX, PSETEX, GETSET, MSET, MSETNX), reads
//! (GET, MGET, STRLEN, GETRANGE/SUBSTR), GETDEL and GETEX, counters (INCR, DECR, INCRBY, DECRBY,
//! INCRBYFLOAT) and in-place edits (APPEND, SETRANGE). Redis's `t_string.c`.
//!
//! Encodings follow Redis's: values stored from arguments get `int`/`embstr`/`raw` by content,
//! INCR results are `int`, INCRBYFLOAT results never `int`, APPEND/SETRANGE results `raw`.

mod append;
mod get;
mod getdel;
mod getex;
mod getrange;
mod getset;
mod incr;
mod incrbyfloat;
mod mget;
mod mset;
mod set;
mod setex;
mod setnx;
mod setrange;
mod strlen;

use super::flags::{DENYOOM, FAST, READONLY, WRITE};
use super::{args, CommandSpec, Ctx};
use crate::engine::keyspace::{StringValue, Value, ValueType};
use crate::engine::resp::Frame;

/// This family's rows of the command table (arity and flags as Redis 7.0 declares them).
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("append", 3, WRITE | DENYOOM | FAST, append::execute),
    CommandSpec::new("decr", 2, WRITE | DENYOOM | FAST, incr::execute_decr),
    CommandSpec::new("decrby", 3, WRITE | DENYOOM | FAST, incr::execute_decrby),
    CommandSpec::new("get", 2, READONLY | FAST, get::execute),
    CommandSpec::new("getdel", 2, WRITE | FAST, getdel::execute),
    CommandSpec::new("getex", -2, WRITE | FAST, getex::execute),
    CommandSpec::new("getrange", 4, READONLY, getrange::execute),
    CommandSpec::new("getset", 3, WRITE | DENYOOM | FAST, getset::execute),
    CommandSpec::new("incr", 2, WRITE | DENYOOM | FAST, incr::execute_incr),
    CommandSpec::new("incrby", 3, WRITE | DENYOOM | FAST, incr::execute_incrby),
    CommandSpec::new(
        "incrbyfloat",
        3,
        WRITE | DENYOOM | FAST,
        incrbyfloat::execute,
    ),
    CommandSpec::new("mget", -2, READONLY | FAST, mget::execute),
    CommandSpec::new("mset", -3, WRITE | DENYOOM, mset::execute_mset),
    CommandSpec::new("msetnx", -3, WRITE | DENYOOM, mset::execute_msetnx),
    CommandSpec::new("psetex", 4, WRITE | DENYOOM, setex::execute_psetex),
    CommandSpec::new("set", -3, WRITE | DENYOOM, set::execute),
    CommandSpec::new("setex", 4, WRITE | DENYOOM, setex::execute_setex),
    CommandSpec::new("setnx", 3, WRITE | DENYOOM | FAST, setnx::execute),
    CommandSpec::new("setrange", 4, WRITE | DENYOOM, setrange::execute),
    CommandSpec::new("strlen", 2, READONLY | FAST, strlen::execute),
    // Redis 7.0 keeps SUBSTR as its own table entry running GETRANGE.
    CommandSpec::new("substr", 4, READONLY, getrange::execute),
];

/// GET's reply for `key`: its bytes, nil, or `-WRONGTYPE` (Redis's `getGenericCommand`, with
/// its read lookup: lazy expiry and hit/miss counting).
fn get_reply(ctx: &mut Ctx, key: &[u8]) -> Frame {
    match ctx.read::<StringValue>(key) {
        Ok(Some(string)) => Frame::Bulk(string.bytes().to_vec()),
        Ok(None) => Frame::Null,
        Err(reply) => reply,
    }
}

/// The reply with the value a command just replaced or removed after checking it was a string
/// (SET ... GET, GETSET, GETDEL): its bytes, handed over instead of copied; nil if there was
/// none.
fn old_value_reply(old: Option<Value>) -> Frame {
    match old {
        Some(Value::String(string)) => Frame::Bulk(string.into_bytes()),
        _ => Frame::Null,
    }
}

/// Stores `value` under `key` (Redis's `setKey`), returning the old live value. It does the
/// key's write lookup itself: an expired key is deleted first (DEL propagated, as
/// `lookupKeyWrite` does), and a live one is overwritten in place, clearing its TTL unless
/// `keep_ttl`: one map lookup on SET's hot path instead of a lookup, a removal and an insertion.
fn store(ctx: &mut Ctx, key: &[u8], value: Value, keep_ttl: bool) -> Option<Value> {
    let now_ms = ctx.expiry_clock_ms();
    let replaced = match ctx.db().lookup_mut(key) {
        Some(mut entry) if !entry.is_expired(now_ms) => {
            let had_ttl = entry.expires_at_ms().is_some();
            Ok((std::mem::replace(&mut entry.value, value), had_ttl))
        }
        Some(_) => Err((value, true)),
        None => Err((value, false)),
    };
    match replaced {
        Ok((old, had_ttl)) => {
            if had_ttl && !keep_ttl {
                ctx.db().set_expire(key, None);
            }
            Some(old)
        }
        Err((value, expired)) => {
            if expired {
                ctx.expire_if_needed(key);
            }
            ctx.db().insert(key, value);
            None
        }
    }
}

/// The string under `key` as a reply, without lookup side effects: for a second look at a key
/// a command already looked up (and type-checked).
fn peek_reply(ctx: &mut Ctx, key: &[u8]) -> Frame {
    ctx.db()
        .lookup(key)
        .and_then(|entry| StringValue::from_value(&entry.value))
        .map_or(Frame::Null, |string| Frame::Bulk(string.bytes().to_vec()))
}

/// `-ERR string exceeds maximum allowed size (proto-max-bulk-len)` unless a string of
/// `size` bytes (None: beyond any integer) fits under `limit` (Redis's `checkStringLength`;
/// the caller reads the limit first so it can check while holding an entry).
fn check_string_length(limit: i64, size: Option<u64>) -> Result<(), Frame> {
    match size {
        Some(size) if u64::try_from(limit).is_ok_and(|limit| size <= limit) => Ok(()),
        _ => Err(Frame::error(
            "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
        )),
    }
}

/// Option bits of SET and GETEX (Redis's `OBJ_*` flags).
mod option {
    /// Only if the key does not exist.
    pub const NX: u32 = 1 << 0;
    /// Only if the key exists.
    pub const XX: u32 = 1 << 1;
    /// Relative expiry in seconds.
    pub const EX: u32 = 1 << 2;
    /// Relative expiry in milliseconds.
    pub const PX: u32 = 1 << 3;
    /// Keep the key's TTL.
    pub const KEEPTTL: u32 = 1 << 4;
    /// Reply with the old value.
    pub const GET: u32 = 1 << 5;
    /// Absolute expiry in Unix seconds.
    pub const EXAT: u32 = 1 << 6;
    /// Absolute expiry in Unix milliseconds.
    pub const PXAT: u32 = 1 << 7;
    /// Remove the TTL (GETEX).
    pub const PERSIST: u32 = 1 << 8;
    /// Any expiry option.
    pub const ANY_EXPIRE: u32 = EX | PX | EXAT | PXAT;
}

/// Which command's options are being parsed: they share EX/PX/EXAT/PXAT.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OptionsOf {
    /// SET: NX, XX, GET, KEEPTTL after `key value`.
    Set,
    /// GETEX: PERSIST after `key`.
    Getex,
}

/// The options of a SET or GETEX call.
struct Options<'a> {
    /// [`option`] bits.
    flags: u32,
    /// The argument of EX/PX/EXAT/PXAT.
    expire: Option<&'a [u8]>,
}

/// Redis's `parseExtendedStringArgumentsOrReply`, with its exact conflict rules: a repeated
/// EX (or PX, ...) is allowed and the last one wins, NX with XX is a syntax error, an expiry
/// option without a following argument is a syntax error.
fn parse_options(args: &[Vec<u8>], of: OptionsOf) -> Result<Options<'_>, Frame> {
    use option::*;
    let mut options = Options {
        flags: 0,
        expire: None,
    };
    let set = of == OptionsOf::Set;
    let mut index = if set { 3 } else { 2 };
    while index < args.len() {
        // Redis compares option names as C strings: `"nx\0junk"` is NX.
        let name = args::c_string(&args[index]);
        let next = args.get(index + 1).map(Vec::as_slice);
        let flags = options.flags;
        let is = |expected: &[u8]| name.eq_ignore_ascii_case(expected);
        let expire_allowed =
            |conflicts: u32| flags & (KEEPTTL | PERSIST | conflicts) == 0 && next.is_some();
        let (flag, takes_argument) = if set && is(b"nx") && flags & XX == 0 {
            (NX, false)
        } else if set && is(b"xx") && flags & NX == 0 {
            (XX, false)
        } else if set && is(b"get") {
            (GET, false)
        } else if set && is(b"keepttl") && flags & (PERSIST | ANY_EXPIRE) == 0 {
            (KEEPTTL, false)
        } else if !set && is(b"persist") && flags & (KEEPTTL | ANY_EXPIRE) == 0 {
            (PERSIST, false)
        } else if is(b"ex") && expire_allowed(ANY_EXPIRE & !EX) {
            (EX, true)
        } else if is(b"px") && expire_allowed(ANY_EXPIRE & !PX) {
            (PX, true)
        } else if is(b"exat") && expire_allowed(ANY_EXPIRE & !EXAT) {
            (EXAT, true)
        } else if is(b"pxat") && expire_allowed(ANY_EXPIRE & !PXAT) {
            (PXAT, true)
        } else {
            return Err(args::syntax_error());
        };
        options.flags |= flag;
        if takes_argument {
            options.expire = next;
            index += 1;
        }
        index += 1;
    }
    Ok(options)
}

/// The absolute expiry in Unix ms that `argument` means under `flags` (EX/PX are relative,
/// EX/EXAT in seconds), or Redis's error: not an integer, or `-ERR invalid expire time in
/// '<command>' command` for a value that is not positive or overflows
/// (`getExpireMillisecondsOrReply`).
fn expire_at_ms(ctx: &Ctx, flags: u32, argument: &[u8], command: &str) -> Result<i64, Frame> {
    let value = args::integer(argument)?;
    let invalid = || Frame::error(format!("ERR invalid expire time in '{command}' command"));
    let in_seconds = flags & (option::EX | option::EXAT) != 0;
    let mut at_ms = if in_seconds {
        value.checked_mul(1000)
    } else {
        Some(value)
    };
    if flags & (option::EX | option::PX) != 0 {
        let now_ms = i64::try_from(ctx.now_ms()).unwrap_or(i64::MAX);
        at_ms = at_ms.and_then(|ms| ms.checked_add(now_ms));
    }
    match at_ms {
        Some(at_ms) if value > 0 && at_ms > 0 => Ok(at_ms),
        _ => Err(invalid()),
    }
}

/// `n` as a decimal argument (expiry times and results in rewritten commands).
fn integer_arg(n: i64) -> Vec<u8> {
    n.to_string().into_bytes()
}

#[cfg(test)]
pub(super) mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::keyspace::{ListValue, Value};
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// What OBJECT ENCODING would report for `key` (that command lives in another family).
    pub(crate) fn encoding(node: &TestNode, key: &str) -> &'static str {
        node.state
            .keyspace
            .db(0)
            .lookup(key.as_bytes())
            .map_or("none", |entry| entry.value.encoding())
    }

    /// The absolute expiry of `key` in Unix ms, if it has one.
    pub(crate) fn expires_at(node: &TestNode, key: &str) -> Option<u64> {
        node.state
            .keyspace
            .db(0)
            .lookup(key.as_bytes())
            .and_then(|entry| entry.expires_at_ms())
    }

    /// Propagated units as text: a unit's commands joined by ` | `, arguments by spaces.
    pub(crate) fn propagated(node: &mut TestNode) -> Vec<String> {
        node.take_propagated()
            .into_iter()
            .map(|unit| {
                unit.iter()
                    .map(|command| {
                        command
                            .argv
                            .iter()
                            .map(|arg| String::from_utf8_lossy(arg).into_owned())
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect()
    }

    /// A node where `setup` already ran and its propagation was forgotten.
    pub(crate) fn node_with(setup: &[&str]) -> TestNode {
        let mut node = TestNode::new();
        for line in setup {
            assert!(!node.run(line).is_error(), "{line}");
        }
        node.take_propagated();
        node
    }

    /// Stores a one-element list under `key` (LPUSH belongs to another family).
    pub(crate) fn put_list(node: &mut TestNode, key: &str) {
        let mut list = ListValue::default();
        list.push_back(b"a".to_vec());
        node.state
            .keyspace
            .db_mut(0)
            .insert(key.as_bytes(), Value::List(list));
    }

    pub(crate) fn bulk(text: &str) -> Frame {
        Frame::bulk(text)
    }

    pub(crate) fn err(text: &str) -> Frame {
        Frame::error(text)
    }

    pub(crate) const WRONG_TYPE: &str =
        "WRONGTYPE Operation against a key holding the wrong kind of value";

    #[test]
    fn options_with_nul_bytes_match_as_c_strings() {
        let mut node = TestNode::new();
        let args: Vec<Vec<u8>> = vec![
            b"SET".to_vec(),
            b"k".to_vec(),
            b"v".to_vec(),
            b"nx\0junk".to_vec(),
        ];
        assert_eq!(node.run_args(&args), Frame::ok());
        assert_eq!(node.run_args(&args), Frame::Null);
    }
}
