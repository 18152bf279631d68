//! `ZPOPMIN` and `ZPOPMAX`: remove and return the lowest or highest scored members.

use super::members_reply;
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SortedSetValue;
use crate::engine::resp::{parse_i64, Frame};

/// # Format
///
/// ```text
/// ZPOPMIN key [count]
/// ```
///
/// A flat array of member, score pairs, lowest first; empty if the key is missing or count is 0.
pub(super) fn zpopmin(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, false)
}

/// # Format
///
/// ```text
/// ZPOPMAX key [count]
/// ```
///
/// A flat array of member, score pairs, highest first; empty if the key is missing or count is 0.
pub(super) fn zpopmax(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, true)
}

/// Redis's `genericZpopCommand` as ZPOPMIN/ZPOPMAX use it (RESP2, no key in the reply).
fn generic(ctx: &mut Ctx, args: &[Vec<u8>], highest: bool) -> Frame {
    let ([_, key], count) = args::at_least(args);
    // `getPositiveLongFromObjectOrReply`: one message for non-numbers and negatives alike.
    let count = match count {
        [] => 1,
        [count] => match parse_i64(count) {
            Some(count) if count >= 0 => count.unsigned_abs(),
            _ => return Frame::error("ERR value is out of range, must be positive"),
        },
        _ => return args::syntax_error(),
    };
    let popped = ctx.modify(key, |zset: &mut SortedSetValue| {
        let popping = count.min(zset.len() as u64) as usize;
        let mut popped = Vec::with_capacity(popping);
        for _ in 0..popping {
            let end = if highest {
                zset.iter().next_back()
            } else {
                zset.iter().next()
            };
            let Some((member, score)) = end.map(|(member, score)| (member.to_vec(), score)) else {
                break;
            };
            zset.remove(&member);
            popped.push((member, score));
        }
        popped
    });
    let popped = match popped {
        Err(reply) => return reply,
        Ok(popped) => popped.unwrap_or_default(),
    };
    if !popped.is_empty() {
        ctx.add_dirty(popped.len() as u64);
        ctx.signal_modified_key(key);
    }
    members_reply(
        popped
            .iter()
            .map(|(member, score)| (member.as_slice(), *score)),
        true,
    )
}
