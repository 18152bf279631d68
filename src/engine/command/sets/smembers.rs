//! `SMEMBERS key`: every member (an intset sorted ascending, a hashtable in hash order).

use super::bulk_array;
use crate::engine::command::Ctx;
use crate::engine::keyspace::SetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SMEMBERS key
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    match ctx.read::<SetValue>(&args[1]) {
        Ok(set) => bulk_array(set.map(|set| set.members()).unwrap_or_default()),
        Err(error) => error,
    }
}
