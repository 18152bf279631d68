//! `ZREM key member [member ...]`: removes members; the key goes when the set empties.

use crate::engine::command::{args, Ctx};
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
    let ([_, key], members) = args::at_least(args);
    ctx.remove_members(key, members, |zset: &mut SortedSetValue, member| {
        zset.remove(member).is_some()
    })
}
