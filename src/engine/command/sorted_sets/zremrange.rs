//! `ZREMRANGEBYSCORE`, `ZREMRANGEBYRANK` and `ZREMRANGEBYLEX`: Redis's
//! `zremrangeGenericCommand`, removing a score, rank or lexicographic interval.

use super::ranges::{Interval, LexRange, ScoreRange};
use crate::engine::command::args;
use crate::engine::command::Ctx;
use crate::engine::keyspace::SortedSetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// ZREMRANGEBYSCORE key min max
/// ```
///
/// The number of members removed whose score is within min..max (`(` for exclusive, `-inf`,
/// `+inf`).
pub(super) fn zremrangebyscore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, min, max] = args::exactly(args);
    match ScoreRange::parse(min, max) {
        Ok(range) => generic(ctx, key, Interval::Score(range)),
        Err(reply) => reply,
    }
}

/// # Format
///
/// ```text
/// ZREMRANGEBYRANK key start stop
/// ```
///
/// The number of members removed between ranks start and stop inclusive (negative ranks count
/// from the highest score).
pub(super) fn zremrangebyrank(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, start, stop] = args::exactly(args);
    match (args::integer(start), args::integer(stop)) {
        (Ok(start), Ok(stop)) => generic(ctx, key, Interval::Rank(start, stop)),
        (Err(reply), _) | (_, Err(reply)) => reply,
    }
}

/// # Format
///
/// ```text
/// ZREMRANGEBYLEX key min max
/// ```
///
/// The number of members removed between `[`/`(` bounds, `-` or `+` (meaningful when all scores
/// are equal).
pub(super) fn zremrangebylex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, min, max] = args::exactly(args);
    match LexRange::parse(min, max) {
        Ok(range) => generic(ctx, key, Interval::Lex(range)),
        Err(reply) => reply,
    }
}

fn generic(ctx: &mut Ctx, key: &[u8], interval: Interval) -> Frame {
    let removed = ctx.modify(key, |zset: &mut SortedSetValue| {
        let doomed = doomed_members(zset, &interval);
        for member in &doomed {
            zset.remove(member);
        }
        doomed.len() as u64
    });
    ctx.removal_reply(key, removed)
}

/// The members in the interval (at most all of them, whatever the arguments say).
fn doomed_members(zset: &SortedSetValue, interval: &Interval) -> Vec<Vec<u8>> {
    interval
        .walk(zset, false, 0, usize::MAX)
        .map(|(member, _)| member.to_vec())
        .collect()
}
