//! `ZMSCORE key member [member ...]`: several members' scores.

use super::score_reply;
use crate::engine::command::{args, Ctx};
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
    let ([_, key], members) = args::at_least(args);
    let zset = match ctx.read::<SortedSetValue>(key) {
        Err(reply) => return reply,
        Ok(zset) => zset,
    };
    let scores = members
        .iter()
        .map(|member| {
            zset.and_then(|zset| zset.score(member))
                .map_or(Frame::Null, score_reply)
        })
        .collect();
    Frame::Array(scores)
}
