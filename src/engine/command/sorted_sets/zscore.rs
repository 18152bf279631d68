//! `ZSCORE key member`: one member's score.

use super::score_reply;
use crate::engine::command::Ctx;
use crate::engine::keyspace::SortedSetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// ZSCORE key member
/// ```
///
/// The score as a bulk string (`%.17g`), or nil if the key or the member is missing.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    match ctx.read::<SortedSetValue>(&args[1]) {
        Err(reply) => reply,
        Ok(zset) => zset
            .and_then(|zset| zset.score(&args[2]))
            .map_or(Frame::Null, score_reply),
    }
}
