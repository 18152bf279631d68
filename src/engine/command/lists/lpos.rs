//! `LPOS`: the positions of the elements equal to a value.

use super::non_negative;
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::ListValue;
use crate::engine::resp::Frame;

/// What LPOS was asked for.
struct Query {
    /// Which match to start from: 1 is the first; negative counts from the tail.
    rank: i64,
    /// How many positions to return (0: all); None without COUNT, which replies with one integer.
    count: Option<u64>,
    /// How many elements to compare at most (0: all).
    maxlen: u64,
}

/// # Format
///
/// ```text
/// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
/// ```
///
/// Without COUNT: the position of the `rank`-th match, or nil. With COUNT: an array of up to
/// `num-matches` positions from that match on (`*0` when none). Positions always count from
/// the head, even when a negative rank scans from the tail. Options are parsed before the key is
/// looked up.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_, key, element], options) = args::at_least(args);
    let query = match parse_options(options) {
        Ok(query) => query,
        Err(reply) => return reply,
    };
    let list = match ctx.read::<ListValue>(key) {
        Err(reply) => return reply,
        Ok(None) if query.count.is_some() => return Frame::Array(Vec::new()),
        Ok(None) => return Frame::Null,
        Ok(Some(list)) => list,
    };
    // Redis negates a negative rank in a C long: the minimum stays negative, and then every match
    // qualifies (and the COUNT limit is never reached): wrapping arithmetic reproduces that.
    let rank = if query.rank < 0 {
        query.rank.wrapping_neg()
    } else {
        query.rank
    };
    let len = list.len();
    let compared = usize::try_from(query.maxlen)
        .ok()
        .filter(|&maxlen| maxlen > 0)
        .map_or(len, |maxlen| maxlen.min(len));
    // Mirrors `lposCommand`'s loop, overflow behaviour included: the matches in scan order (from
    // the tail for a negative rank) from the `rank`-th on, as many as COUNT allows (one without).
    let wanted = query
        .count
        .map(|count| i64::try_from(count).unwrap_or(i64::MAX));
    let mut positions = Vec::new();
    let mut seen: i64 = 0;
    for step in 0..compared {
        let position = if query.rank < 0 { len - 1 - step } else { step };
        if list.get(position) != Some(element) {
            continue;
        }
        seen += 1;
        if seen < rank {
            continue;
        }
        positions.push(Frame::Integer(position as i64));
        match wanted {
            None => break,
            Some(wanted) if wanted != 0 && seen.wrapping_sub(rank).wrapping_add(1) >= wanted => {
                break
            }
            Some(_) => {}
        }
    }
    match query.count {
        Some(_) => Frame::Array(positions),
        None => positions.pop().unwrap_or(Frame::Null),
    }
}

/// RANK, COUNT and MAXLEN in any order, the last of each winning (`lposCommand`).
fn parse_options(options: &[Vec<u8>]) -> Result<Query, Frame> {
    let mut query = Query {
        rank: 1,
        count: None,
        maxlen: 0,
    };
    let mut rest = options.iter();
    while let Some(option) = rest.next() {
        let value = rest.as_slice().first();
        let Some(value) = value else {
            return Err(args::syntax_error());
        };
        if option.eq_ignore_ascii_case(b"rank") {
            query.rank = args::integer(value)?;
            if query.rank == 0 {
                return Err(Frame::error(
                    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the \
                     second ... or use negative to start from the end of the list",
                ));
            }
        } else if option.eq_ignore_ascii_case(b"count") {
            query.count = Some(non_negative(value, "ERR COUNT can't be negative")?);
        } else if option.eq_ignore_ascii_case(b"maxlen") {
            query.maxlen = non_negative(value, "ERR MAXLEN can't be negative")?;
        } else {
            return Err(args::syntax_error());
        }
        rest.next();
    }
    Ok(query)
}
