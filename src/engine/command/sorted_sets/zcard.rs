//! `ZCARD key`: the number of members.

use crate::engine::command::Ctx;
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
    match ctx.read::<SortedSetValue>(&args[1]) {
        Err(reply) => reply,
        Ok(zset) => Frame::Integer(zset.map_or(0, |zset| zset.len()) as i64),
    }
}
