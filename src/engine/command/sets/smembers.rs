//! `SMEMBERS key`: every member (an intset sorted ascending, a hashtable in hash order).

use super::bulk_array;
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SMEMBERS key
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    match ctx.read::<SetValue>(key) {
        Ok(set) => bulk_array(set.map(|set| set.members()).unwrap_or_default()),
        Err(error) => error,
    }
}
