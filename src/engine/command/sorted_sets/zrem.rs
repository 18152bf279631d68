//! `ZREM key member [member ...]`: removes members; the key goes when the set empties.

use crate::engine::command::Ctx;
use crate::engine::keyspace::SortedSetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// ZREM key member [member ...]
/// ```
///
/// The number of members removed.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    ctx.remove_members(&args[1], &args[2..], |zset: &mut SortedSetValue, member| {
        zset.remove(member).is_some()
    })
}
