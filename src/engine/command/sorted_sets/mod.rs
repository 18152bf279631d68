//! Sorted sets: ZADD, ZINCRBY, ZREM, ZSCORE, ZMSCORE, ZCARD, ZCOUNT, ZLEXCOUNT, ZRANK, ZREVRANK,
//! ZPOPMIN, ZPOPMAX, the ZRANGE family (ZRANGE, ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE,
//! ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX) and ZREMRANGEBYSCORE/RANK/LEX.
//!
//! Shared pieces: [`strtod`] (C's number parser, which decides what a score or a range bound
//! is), [`format`] (`%.17g` score replies) and [`ranges`] (score and lexicographic intervals).
//! Variants that Redis serves with one generic function share a file here too (`zadd.rs` holds
//! ZADD and ZINCRBY, `zrange.rs` the whole ZRANGE family).

mod format;
mod ranges;
mod zadd;
mod zcard;
mod zcount;
mod zlexcount;
mod zmscore;
mod zpop;
mod zrange;
mod zrank;
mod zrem;
mod zremrange;
mod zscore;

use super::flags::{DENYOOM, FAST, READONLY, WRITE};
use super::{args, CommandSpec, Ctx};
use crate::engine::keyspace::{SortedSetValue, Value};
use crate::engine::resp::Frame;

/// This family's rows of the command table (arity and flags as `COMMAND INFO` shows on 7.0).
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("zadd", -4, WRITE | DENYOOM | FAST, zadd::zadd),
    CommandSpec::new("zcard", 2, READONLY | FAST, zcard::execute),
    CommandSpec::new("zcount", 4, READONLY | FAST, zcount::execute),
    CommandSpec::new("zincrby", 4, WRITE | DENYOOM | FAST, zadd::zincrby),
    CommandSpec::new("zlexcount", 4, READONLY | FAST, zlexcount::execute),
    CommandSpec::new("zmscore", -3, READONLY | FAST, zmscore::execute),
    CommandSpec::new("zpopmax", -2, WRITE | FAST, zpop::zpopmax),
    CommandSpec::new("zpopmin", -2, WRITE | FAST, zpop::zpopmin),
    CommandSpec::new("zrange", -4, READONLY, zrange::zrange),
    CommandSpec::new("zrangebylex", -4, READONLY, zrange::zrangebylex),
    CommandSpec::new("zrangebyscore", -4, READONLY, zrange::zrangebyscore),
    CommandSpec::new("zrangestore", -5, WRITE | DENYOOM, zrange::zrangestore),
    CommandSpec::new("zrank", 3, READONLY | FAST, zrank::zrank),
    CommandSpec::new("zrem", -3, WRITE | FAST, zrem::execute),
    CommandSpec::new("zremrangebylex", 4, WRITE, zremrange::zremrangebylex),
    CommandSpec::new("zremrangebyrank", 4, WRITE, zremrange::zremrangebyrank),
    CommandSpec::new("zremrangebyscore", 4, WRITE, zremrange::zremrangebyscore),
    CommandSpec::new("zrevrange", -4, READONLY, zrange::zrevrange),
    CommandSpec::new("zrevrangebylex", -4, READONLY, zrange::zrevrangebylex),
    CommandSpec::new("zrevrangebyscore", -4, READONLY, zrange::zrevrangebyscore),
    CommandSpec::new("zrevrank", 3, READONLY | FAST, zrank::zrevrank),
    CommandSpec::new("zscore", 3, READONLY | FAST, zscore::execute),
];

/// The sorted set at `key` for a read command (Redis's `lookupKeyRead` + `checkType`): `Ok(None)`
/// if there is no such key, `-WRONGTYPE` if it holds something else.
fn read<'c>(ctx: &'c mut Ctx, key: &[u8]) -> Result<Option<&'c SortedSetValue>, Frame> {
    match ctx.lookup_read(key).map(|entry| &entry.value) {
        None => Ok(None),
        Some(Value::SortedSet(zset)) => Ok(Some(zset)),
        Some(_) => Err(args::wrong_type()),
    }
}

/// Runs `change` on the sorted set at `key` for a write command (`lookupKeyWrite` +
/// `checkType`), then deletes the key if `change` left the set empty, as Redis does. `Ok(None)`
/// if there is no such key, `-WRONGTYPE` if it holds something else.
fn modify<R>(
    ctx: &mut Ctx,
    key: &[u8],
    change: impl FnOnce(&mut SortedSetValue) -> R,
) -> Result<Option<R>, Frame> {
    let (result, now_empty) = {
        let Some(mut entry) = ctx.lookup_write(key) else {
            return Ok(None);
        };
        let Value::SortedSet(zset) = &mut entry.value else {
            return Err(args::wrong_type());
        };
        let result = change(zset);
        (result, zset.is_empty())
    };
    if now_empty {
        ctx.db().remove(key);
    }
    Ok(Some(result))
}

/// A score as Redis 7.0 replies with it (RESP2 bulk string, `%.17g`).
fn score_reply(score: f64) -> Frame {
    Frame::Bulk(format::format_score(score))
}

/// `[member, score, member, score, ...]` or just the members: the flat RESP2 array of ZRANGE and
/// ZPOPMIN.
fn members_reply<'a>(members: impl Iterator<Item = (&'a [u8], f64)>, with_scores: bool) -> Frame {
    let mut items = Vec::new();
    for (member, score) in members {
        items.push(Frame::bulk(member));
        if with_scores {
            items.push(score_reply(score));
        }
    }
    Frame::Array(items)
}

#[cfg(test)]
mod tests;
