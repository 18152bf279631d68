//! Generic keyspace commands: DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, RANDOMKEY, RENAME, RENAMENX,
//! COPY, MOVE, EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST,
//! OBJECT and TOUCH (Redis's `db.c`, `expire.c` and `objectCommand`).
//!
//! They work on keys whatever their type, so they never answer WRONGTYPE.

mod copy;
mod del;
mod exists;
mod expire;
mod key_type;
mod matching_keys;
mod move_key;
mod object;
mod persist;
mod randomkey;
mod rename;
mod scan;
mod touch;
mod ttl;

#[cfg(test)]
mod tests;

use super::flags::{DENYOOM, FAST, READONLY, TOUCHES_ARBITRARY_KEYS, WRITE};
use super::{args, CommandSpec, Ctx};
use crate::engine::resp::Frame;

/// This family's rows of the command table (arity and flags as `COMMAND INFO` shows in 7.0).
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("copy", -3, WRITE | DENYOOM, copy::execute),
    CommandSpec::new("del", -2, WRITE, del::execute),
    CommandSpec::new("exists", -2, READONLY | FAST, exists::execute),
    CommandSpec::new("expire", -3, WRITE | FAST, expire::execute_expire),
    CommandSpec::new("expireat", -3, WRITE | FAST, expire::execute_expireat),
    CommandSpec::new("expiretime", 2, READONLY | FAST, ttl::execute_expiretime),
    CommandSpec::new("keys", 2, READONLY, matching_keys::execute),
    CommandSpec::new("move", 3, WRITE | FAST, move_key::execute),
    CommandSpec::container(
        "object",
        -2,
        0,
        &[
            CommandSpec::new("object|encoding", 3, READONLY, object::execute_encoding),
            CommandSpec::new("object|freq", 3, READONLY, object::execute_freq),
            CommandSpec::new("object|help", 2, 0, object::execute_help),
            CommandSpec::new("object|idletime", 3, READONLY, object::execute_idletime),
            CommandSpec::new("object|refcount", 3, READONLY, object::execute_refcount),
        ],
    ),
    CommandSpec::new("persist", 2, WRITE | FAST, persist::execute),
    CommandSpec::new("pexpire", -3, WRITE | FAST, expire::execute_pexpire),
    CommandSpec::new("pexpireat", -3, WRITE | FAST, expire::execute_pexpireat),
    CommandSpec::new("pexpiretime", 2, READONLY | FAST, ttl::execute_pexpiretime),
    CommandSpec::new("pttl", 2, READONLY | FAST, ttl::execute_pttl),
    CommandSpec::new(
        "randomkey",
        1,
        READONLY | TOUCHES_ARBITRARY_KEYS,
        randomkey::execute,
    ),
    CommandSpec::new("rename", 3, WRITE, rename::execute_rename),
    CommandSpec::new("renamenx", 3, WRITE | FAST, rename::execute_renamenx),
    CommandSpec::new("scan", -2, READONLY | TOUCHES_ARBITRARY_KEYS, scan::execute),
    CommandSpec::new("touch", -2, READONLY | FAST, touch::execute),
    CommandSpec::new("ttl", 2, READONLY | FAST, ttl::execute_ttl),
    CommandSpec::new("type", 2, READONLY | FAST, key_type::execute),
    CommandSpec::new("unlink", -2, WRITE | FAST, del::execute),
];

/// A database index argument (COPY ... DB, MOVE): an `int` as `getIntFromObjectOrReply` parses
/// it, then an existing database as `selectDb` checks.
fn parse_db_index(ctx: &Ctx, arg: &[u8]) -> Result<usize, Frame> {
    let value = args::integer(arg)?;
    let value = i32::try_from(value).map_err(|_| {
        Frame::error("ERR value is out of range, value must between -2147483648 and 2147483647")
    })?;
    usize::try_from(value)
        .ok()
        .filter(|&index| index < ctx.state.keyspace.len())
        .ok_or_else(|| Frame::error("ERR DB index is out of range"))
}

/// Lazy expiry of `key` in database `db`, which may not be the caller's (the target of COPY ... DB
/// and MOVE): deletes it if its TTL passed, propagating the DEL in that database.
///
/// Switches the caller's database for the duration, as Redis's own COPY and MOVE do with
/// `selectDb`, so the one implementation of expiry in [`Ctx`] serves every database.
fn expire_if_needed_in(ctx: &mut Ctx, db: usize, key: &[u8]) -> bool {
    let caller_db = ctx.db_index();
    ctx.client().db = db;
    let expired = ctx.expire_if_needed(key);
    ctx.client().db = caller_db;
    expired
}

/// `-ERR source and destination objects are the same` (COPY, MOVE).
fn same_object_error() -> Frame {
    Frame::error("ERR source and destination objects are the same")
}
