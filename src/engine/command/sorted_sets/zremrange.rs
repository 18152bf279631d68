//! `ZREMRANGEBYSCORE`, `ZREMRANGEBYRANK` and `ZREMRANGEBYLEX`: Redis's
//! `zremrangeGenericCommand`, removing a score, rank or lexicographic interval.

use super::ranges::{LexRange, ScoreRange};
use crate::engine::command::args::{self, index_range};
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
    match ScoreRange::parse(&args[2], &args[3]) {
        Ok(range) => generic(ctx, &args[1], Interval::Score(range)),
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
    match (args::integer(&args[2]), args::integer(&args[3])) {
        (Ok(start), Ok(stop)) => generic(ctx, &args[1], Interval::Rank(start, stop)),
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
    match LexRange::parse(&args[2], &args[3]) {
        Ok(range) => generic(ctx, &args[1], Interval::Lex(range)),
        Err(reply) => reply,
    }
}

/// What to remove, already parsed (Redis parses before looking the key up).
enum Interval {
    Score(ScoreRange),
    Rank(i64, i64),
    Lex(LexRange),
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
    let owned = |(member, _): (&[u8], f64)| member.to_vec();
    match interval {
        Interval::Score(range) => range.members(zset).map(owned).collect(),
        Interval::Lex(range) => range
            .walk_forward(zset)
            .take_while(|(member, _)| range.below_max(member))
            .map(owned)
            .collect(),
        &Interval::Rank(start, stop) => match index_range(start, stop, zset.len()) {
            Some(ranks) => zset
                .iter()
                .skip(ranks.start)
                .take(ranks.len())
                .map(owned)
                .collect(),
            None => Vec::new(),
        },
    }
}
