//! `LPOP`, `RPOP`: remove and return elements from one end of a list.

use super::{bulk_array, non_negative, record_change, End, NOT_POSITIVE};
use crate::engine::command::{args, wrong_arity, Ctx};
use crate::engine::keyspace::ListValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// LPOP key [count]
/// ```
///
/// Without a count: the head element, or nil. With one: an array of up to `count` elements from
/// the head (`*0` for a count of 0), or the nil array if the key is missing.
pub(super) fn lpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    pop(ctx, args, End::Head)
}

/// # Format
///
/// ```text
/// RPOP key [count]
/// ```
///
/// LPOP from the tail: elements come nearest the tail first.
pub(super) fn rpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    pop(ctx, args, End::Tail)
}

/// Redis's `popGenericCommand`: the count is checked before the key is looked up; the pops are
/// propagated as sent.
fn pop(ctx: &mut Ctx, args: &[Vec<u8>], end: End) -> Frame {
    if args.len() > 3 {
        // The table's arity (-2) lets more arguments through; the command refuses them itself.
        let name = match end {
            End::Head => "lpop",
            End::Tail => "rpop",
        };
        return wrong_arity(name);
    }
    let ([_, key], count) = args::at_least(args);
    let count = match count.first().map(|arg| non_negative(arg, NOT_POSITIVE)) {
        None => None,
        Some(Ok(count)) => Some(count),
        Some(Err(reply)) => return reply,
    };
    let popped = ctx.modify(key, |list: &mut ListValue| match count {
        None => end.pop(list).into_iter().collect(),
        Some(count) => end.pop_many(list, count),
    });
    let popped = match popped {
        Err(reply) => return reply,
        Ok(None) if count.is_some() => return Frame::NullArray,
        Ok(None) => return Frame::Null,
        Ok(Some(popped)) => popped,
    };
    if !popped.is_empty() {
        record_change(ctx, key, popped.len());
    }
    match count {
        Some(_) => bulk_array(&popped),
        None => popped.into_iter().next().map_or(Frame::Null, Frame::Bulk),
    }
}
