//! `HEXISTS key field`: 1 if the field exists, else 0.

use crate::engine::command::Ctx;
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// HEXISTS key field
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    match ctx.read::<HashValue>(&args[1]) {
        Ok(hash) => Frame::Integer(i64::from(
            hash.is_some_and(|hash| hash.get(&args[2]).is_some()),
        )),
        Err(error) => error,
    }
}
