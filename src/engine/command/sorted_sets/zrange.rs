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
    generic(ctx, args, Variant::reply(Kind::Auto, Direction::Auto))
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
    generic(
        ctx,
        args,
        Variant {
            store: true,
            ..Variant::reply(Kind::Auto, Direction::Auto)
        },
    )
}

/// # Format
///
/// ```text
/// ZREVRANGE key start stop [WITHSCORES]
/// ```
pub(super) fn zrevrange(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, Variant::reply(Kind::Rank, Direction::Reverse))
}

/// # Format
///
/// ```text
/// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
/// ```
pub(super) fn zrangebyscore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, Variant::reply(Kind::Score, Direction::Forward))
}

/// # Format
///
/// ```text
/// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
/// ```
pub(super) fn zrevrangebyscore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, Variant::reply(Kind::Score, Direction::Reverse))
}

/// # Format
///
/// ```text
/// ZRANGEBYLEX key min max [LIMIT offset count]
/// ```
pub(super) fn zrangebylex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, Variant::reply(Kind::Lex, Direction::Forward))
}

/// # Format
///
/// ```text
/// ZREVRANGEBYLEX key max min [LIMIT offset count]
/// ```
pub(super) fn zrevrangebylex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, Variant::reply(Kind::Lex, Direction::Reverse))
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
    /// ZRANGESTORE: a destination key comes first, and the result is stored there instead of
    /// replied.
    store: bool,
    kind: Kind,
    direction: Direction,
}

impl Variant {
    /// A command that replies with the range.
    const fn reply(kind: Kind, direction: Direction) -> Variant {
        Variant {
            store: false,
            kind,
            direction,
        }
    }
}

fn generic(ctx: &mut Ctx, args: &[Vec<u8>], variant: Variant) -> Frame {
    let Variant {
        store,
        mut kind,
        mut direction,
    } = variant;
    let (destination, [key, mut min, mut max], mut options) = if store {
        let ([_, destination, key, min, max], options) = args::at_least(args);
        (Some(destination), [key, min, max], options)
    } else {
        let ([_, key, min, max], options) = args::at_least(args);
        (None, [key, min, max], options)
    };
    let (mut with_scores, mut offset, mut limit) = (false, 0i64, -1i64);

    // Step 1: options after <key> <min> <max>, in Redis's order of checks.
    while let [option, rest @ ..] = options {
        options = rest;
        match (option.to_ascii_lowercase().as_slice(), rest) {
            (b"withscores", _) if !store => with_scores = true,
            (b"limit", [first, count, after @ ..]) => {
                match (args::integer(first), args::integer(count)) {
                    (Ok(first), Ok(count)) => (offset, limit) = (first, count),
                    (Err(reply), _) | (_, Err(reply)) => return reply,
                }
                options = after;
            }
            (b"rev", _) if direction == Direction::Auto => direction = Direction::Reverse,
            (b"bylex", _) if kind == Kind::Auto => kind = Kind::Lex,
            (b"byscore", _) if kind == Kind::Auto => kind = Kind::Score,
            _ => return args::syntax_error(),
        }
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
    let members: Vec<(Vec<u8>, f64)> = match ctx.read::<SortedSetValue>(key) {
        Err(reply) => return reply,
        Ok(None) => Vec::new(),
        Ok(Some(zset)) => interval
            .walk(zset, reverse, skip, take)
            .map(|(member, score)| (member.to_vec(), score))
            .collect(),
    };
    if let Some(destination) = destination {
        store_result(ctx, destination, members)
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
