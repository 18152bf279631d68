//! `ZRANK` and `ZREVRANK`: a member's position by score, from either end.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SortedSetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// ZRANK key member
/// ```
///
/// The 0-based rank from the lowest score, or nil if the key or the member is missing.
pub(super) fn zrank(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, false)
}

/// # Format
///
/// ```text
/// ZREVRANK key member
/// ```
///
/// The 0-based rank from the highest score, or nil if the key or the member is missing.
pub(super) fn zrevrank(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    generic(ctx, args, true)
}

fn generic(ctx: &mut Ctx, args: &[Vec<u8>], reverse: bool) -> Frame {
    let [_, key, member] = args::exactly(args);
    let zset = match ctx.read::<SortedSetValue>(key) {
        Err(reply) => return reply,
        Ok(None) => return Frame::Null,
        Ok(Some(zset)) => zset,
    };
    match zset.rank(member) {
        None => Frame::Null,
        Some(rank) if reverse => Frame::Integer((zset.len() - 1 - rank) as i64),
        Some(rank) => Frame::Integer(rank as i64),
    }
}
