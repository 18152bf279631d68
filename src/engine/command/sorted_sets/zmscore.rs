//! `ZMSCORE key member [member ...]`: several members' scores.

use super::score_reply;
use crate::engine::command::Ctx;
use crate::engine::keyspace::SortedSetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// ZMSCORE key member [member ...]
/// ```
///
/// One score or nil per member; a missing key counts as an empty set.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let zset = match ctx.read::<SortedSetValue>(&args[1]) {
        Err(reply) => return reply,
        Ok(zset) => zset,
    };
    let scores = args[2..]
        .iter()
        .map(|member| {
            zset.and_then(|zset| zset.score(member))
                .map_or(Frame::Null, score_reply)
        })
        .collect();
    Frame::Array(scores)
}
