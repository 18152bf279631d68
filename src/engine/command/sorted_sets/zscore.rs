//! `ZSCORE key member`: one member's score.

use super::score_reply;
use crate::engine::command::{args, Ctx};
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
    let [_, key, member] = args::exactly(args);
    match ctx.read::<SortedSetValue>(key) {
        Err(reply) => reply,
        Ok(zset) => zset
            .and_then(|zset| zset.score(member))
            .map_or(Frame::Null, score_reply),
    }
}
