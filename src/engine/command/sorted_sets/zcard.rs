//! `ZCARD key`: the number of members.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SortedSetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// ZCARD key
/// ```
///
/// The number of members, 0 if the key is missing.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    match ctx.read::<SortedSetValue>(key) {
        Err(reply) => reply,
        Ok(zset) => Frame::Integer(zset.map_or(0, |zset| zset.len()) as i64),
    }
}
