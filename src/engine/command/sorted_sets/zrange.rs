//! The ZRANGE family, one generic command in Redis (`zrangeGenericCommand`): ZRANGE,
//! ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX and ZREVRANGEBYLEX.
//! The older commands are ZRANGE with the range type or direction fixed, which is why
//! `ZRANGEBYSCORE k 0 1 BYSCORE` is a syntax error.

use super::members_reply;
use super::ranges::{Interval, LexRange, ScoreRange};
use crate::engine::command::args;
use crate::engine::command::Ctx;
use crate::engine::keyspace::SortedSetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
/// ```
///
/// Members by rank (default), score or lexicographic interval; REV walks from the highest and
/// then takes `max min` for BYSCORE/BYLEX.
pub(super) fn zrange(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, Variant::new(1, Kind::Auto, Direction::Auto))
}

/// # Format
///
/// ```text
/// ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
/// ```
///
/// Stores the range of `src` in `dst` (replacing whatever `dst` held, TTL included) and returns
/// its size; an empty range deletes `dst`.
pub(super) fn zrangestore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, Variant::new(2, Kind::Auto, Direction::Auto))
}

/// # Format
///
/// ```text
/// ZREVRANGE key start stop [WITHSCORES]
/// ```
pub(super) fn zrevrange(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, Variant::new(1, Kind::Rank, Direction::Reverse))
}

/// # Format
///
/// ```text
/// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
/// ```
pub(super) fn zrangebyscore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, Variant::new(1, Kind::Score, Direction::Forward))
}

/// # Format
///
/// ```text
/// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
/// ```
pub(super) fn zrevrangebyscore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, Variant::new(1, Kind::Score, Direction::Reverse))
}

/// # Format
///
/// ```text
/// ZRANGEBYLEX key min max [LIMIT offset count]
/// ```
pub(super) fn zrangebylex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, Variant::new(1, Kind::Lex, Direction::Forward))
}

/// # Format
///
/// ```text
/// ZREVRANGEBYLEX key max min [LIMIT offset count]
/// ```
pub(super) fn zrevrangebylex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, Variant::new(1, Kind::Lex, Direction::Reverse))
}

/// What the interval is made of; `Auto` until an option (or the default, rank) decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Auto,
    Rank,
    Score,
    Lex,
}

/// Lowest first or highest first; `Auto` until REV (or the default, forward) decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Auto,
    Forward,
    Reverse,
}

/// How one command of the family calls the generic one.
#[derive(Clone, Copy, Debug)]
struct Variant {
    /// Where the source key is: 1, or 2 for ZRANGESTORE (which stores instead of replying).
    key_index: usize,
    kind: Kind,
    direction: Direction,
}

impl Variant {
    const fn new(key_index: usize, kind: Kind, direction: Direction) -> Variant {
        Variant {
            key_index,
            kind,
            direction,
        }
    }
}

fn generic(ctx: &mut Ctx, args: &[Vec<u8>], variant: Variant) -> Frame {
    let store = variant.key_index == 2;
    let Variant {
        key_index,
        mut kind,
        mut direction,
    } = variant;
    let (mut with_scores, mut offset, mut limit) = (false, 0i64, -1i64);

    // Step 1: options after <key> <min> <max>, in Redis's order of checks.
    let mut index = key_index + 3;
    while let Some(option) = args.get(index) {
        let arguments_left = args.len() - index - 1;
        let option = option.to_ascii_lowercase();
        match option.as_slice() {
            b"withscores" if !store => with_scores = true,
            b"limit" if arguments_left >= 2 => {
                match (
                    args::integer(&args[index + 1]),
                    args::integer(&args[index + 2]),
                ) {
                    (Ok(first), Ok(count)) => (offset, limit) = (first, count),
                    (Err(reply), _) | (_, Err(reply)) => return reply,
                }
                index += 2;
            }
            b"rev" if direction == Direction::Auto => direction = Direction::Reverse,
            b"bylex" if kind == Kind::Auto => kind = Kind::Lex,
            b"byscore" if kind == Kind::Auto => kind = Kind::Score,
            _ => return args::syntax_error(),
        }
        index += 1;
    }
    let reverse = direction == Direction::Reverse;
    if kind == Kind::Auto {
        kind = Kind::Rank;
    }
    // LIMIT with the default count -1 passes: Redis only compares the count with its default.
    if limit != -1 && kind == Kind::Rank {
        return Frame::error(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        );
    }
    if with_scores && kind == Kind::Lex {
        return Frame::error(
            "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
        );
    }

    // Step 2: the interval; reversed score and lex ranges are written max first.
    let (mut min, mut max) = (&args[key_index + 1], &args[key_index + 2]);
    if reverse && kind != Kind::Rank {
        std::mem::swap(&mut min, &mut max);
    }
    let interval = match kind {
        Kind::Score => ScoreRange::parse(min, max).map(Interval::Score),
        Kind::Lex => LexRange::parse(min, max).map(Interval::Lex),
        Kind::Rank | Kind::Auto => match (args::integer(min), args::integer(max)) {
            (Ok(start), Ok(stop)) => Ok(Interval::Rank(start, stop)),
            (Err(reply), _) | (_, Err(reply)) => Err(reply),
        },
    };
    let interval = match interval {
        Ok(interval) => interval,
        Err(reply) => return reply,
    };

    // Step 3: the source, then the members (never more than the set holds, whatever LIMIT says).
    // LIMIT skips `offset` members (a negative one walks off the end) and returns at most
    // `limit` (a negative one: all).
    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let take = usize::try_from(limit).unwrap_or(usize::MAX);
    let members: Vec<(Vec<u8>, f64)> = match ctx.read::<SortedSetValue>(&args[key_index]) {
        Err(reply) => return reply,
        Ok(None) => Vec::new(),
        Ok(Some(zset)) => interval
            .walk(zset, reverse, skip, take)
            .map(|(member, score)| (member.to_vec(), score))
            .collect(),
    };
    if store {
        store_result(ctx, &args[1], members)
    } else {
        members_reply(
            members
                .iter()
                .map(|(member, score)| (member.as_slice(), *score)),
            with_scores,
        )
    }
}

/// ZRANGESTORE's ending (`zrangeResultFinalizeStore`): a non-empty result replaces `dst` like
/// SET (no TTL); an empty one deletes it.
fn store_result(ctx: &mut Ctx, destination: &[u8], members: Vec<(Vec<u8>, f64)>) -> Frame {
    let limits = ctx.state.config.zset_listpack;
    let mut zset = SortedSetValue::new();
    for (member, score) in &members {
        zset.insert(member, *score, limits);
    }
    ctx.store_result(destination, zset);
    Frame::Integer(members.len() as i64)
}
