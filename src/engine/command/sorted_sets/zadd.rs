//! `ZADD` and `ZINCRBY`: one generic command in Redis (`zaddGenericCommand`), so ZINCRBY even
//! parses ZADD's option words (`ZINCRBY k nx m` is a syntax error, not a bad float).

use super::{ranges, score_reply};
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::{ListpackLimits, SortedSetValue};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
/// ```
///
/// The number of members added (with CH: added or changed); with INCR, the new score, or nil
/// when NX/XX/GT/LT prevented the change.
pub(super) fn zadd(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, false)
}

/// # Format
///
/// ```text
/// ZINCRBY key increment member
/// ```
///
/// The member's new score; a missing member starts at 0.
pub(super) fn zincrby(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, true)
}

/// The ZADD options.
#[derive(Clone, Copy, Debug, Default)]
struct Options {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    ch: bool,
    incr: bool,
}

/// What adding one member did (`zsetAdd`'s out flags).
enum Outcome {
    Added(f64),
    Updated(f64),
    /// Already there with that score (or a zero increment): processed, nothing changed.
    Unchanged(f64),
    /// NX, XX, GT or LT prevented it.
    Skipped,
    /// The increment made the score NaN.
    NotANumber,
}

fn generic(ctx: &mut Ctx, args: &[Vec<u8>], incr: bool) -> Frame {
    let ([_, key], mut pair_args) = args::at_least(args);
    let mut options = Options {
        incr,
        ..Options::default()
    };
    while let [word, after @ ..] = pair_args {
        let flag = match word.to_ascii_lowercase().as_slice() {
            b"nx" => &mut options.nx,
            b"xx" => &mut options.xx,
            b"ch" => &mut options.ch,
            b"incr" => &mut options.incr,
            b"gt" => &mut options.gt,
            b"lt" => &mut options.lt,
            _ => break,
        };
        *flag = true;
        pair_args = after;
    }
    if pair_args.is_empty() || pair_args.len() % 2 == 1 {
        return args::syntax_error();
    }
    if options.nx && options.xx {
        return Frame::error("ERR XX and NX options at the same time are not compatible");
    }
    // Any two of NX, GT and LT.
    if [options.nx, options.gt, options.lt]
        .iter()
        .filter(|&&set| set)
        .count()
        > 1
    {
        return Frame::error("ERR GT, LT, and/or NX options at the same time are not compatible");
    }
    if options.incr && pair_args.len() > 2 {
        return Frame::error("ERR INCR option supports a single increment-element pair");
    }
    // Every score is checked before anything changes: the command applies fully or not at all.
    let mut pairs = Vec::with_capacity(pair_args.len() / 2);
    for pair in pair_args.chunks_exact(2) {
        match ranges::score(&pair[0]) {
            Ok(score) => pairs.push((score, &pair[1])),
            Err(reply) => return reply,
        }
    }

    let limits = ctx.state.config.zset_listpack;
    let apply = |zset: &mut SortedSetValue| {
        pairs
            .iter()
            .map(|&(score, member)| add(zset, member, score, options, limits))
            .collect::<Vec<_>>()
    };
    let outcomes = if options.xx {
        // XX never creates the key.
        ctx.modify(key, apply).map(Option::unwrap_or_default)
    } else {
        ctx.modify_or_create(key, apply)
    };
    let outcomes = match outcomes {
        Ok(outcomes) => outcomes,
        Err(reply) => return reply,
    };

    let (mut added, mut updated, mut reply_score) = (0, 0, None);
    for outcome in outcomes {
        match outcome {
            Outcome::Added(score) => {
                added += 1;
                reply_score = Some(score);
            }
            Outcome::Updated(score) => {
                updated += 1;
                reply_score = Some(score);
            }
            Outcome::Unchanged(score) => reply_score = Some(score),
            Outcome::Skipped => {}
            Outcome::NotANumber => {
                return Frame::error("ERR resulting score is not a number (NaN)");
            }
        }
    }
    if added + updated > 0 {
        ctx.add_dirty(added + updated);
        ctx.signal_modified_key(key);
    }
    if options.incr {
        reply_score.map_or(Frame::Null, score_reply)
    } else {
        let count = if options.ch { added + updated } else { added };
        Frame::Integer(count as i64)
    }
}

/// Adds or updates one member under the options (Redis's `zsetAdd`).
fn add(
    zset: &mut SortedSetValue,
    member: &[u8],
    score: f64,
    options: Options,
    limits: ListpackLimits,
) -> Outcome {
    let Some(current) = zset.score(member) else {
        if options.xx {
            return Outcome::Skipped;
        }
        zset.insert(member, score, limits);
        return Outcome::Added(score);
    };
    if options.nx {
        return Outcome::Skipped;
    }
    let score = if options.incr { current + score } else { score };
    if score.is_nan() {
        return Outcome::NotANumber;
    }
    if (options.lt && score >= current) || (options.gt && score <= current) {
        return Outcome::Skipped;
    }
    // -0 equals 0: re-adding either keeps the stored one.
    if score == current {
        return Outcome::Unchanged(score);
    }
    zset.insert(member, score, limits);
    Outcome::Updated(score)
}
