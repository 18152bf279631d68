//! Sorted sets: ZADD, ZINCRBY, ZREM, ZSCORE, ZMSCORE, ZCARD, ZCOUNT, ZLEXCOUNT, ZRANK, ZREVRANK,
//! ZPOPMIN, ZPOPMAX, the ZRANGE family (ZRANGE, ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE,
//! ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX) and ZREMRANGEBYSCORE/RANK/LEX.
//!
//! Shared pieces: [`strtod`] (C's number parser, which decides what a score or a range bound
//! is), [`ranges`] (score and lexicographic intervals) and `score_reply` (`%.17g`).
//! Variants that Redis serves with one generic function share a file here too (`zadd.rs` holds
//! ZADD and ZINCRBY, `zrange.rs` the whole ZRANGE family).

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
use super::CommandSpec;
use crate::engine::float;
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

/// A score as Redis 7.0 replies with it (RESP2 bulk string, `%.17g`).
fn score_reply(score: f64) -> Frame {
    Frame::Bulk(float::g17(score))
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
