//! `HGET key field`: the field's value, or nil.

use crate::engine::command::Ctx;
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// HGET key field
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    match ctx.read::<HashValue>(&args[1]) {
        Ok(hash) => hash
            .and_then(|hash| hash.get(&args[2]))
            .map_or(Frame::Null, |value| Frame::bulk(value.clone())),
        Err(error) => error,
    }
}
