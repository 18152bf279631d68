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
    let key = &args[1];
    let removed = ctx.modify(key, |zset: &mut SortedSetValue| {
        let mut removed = 0;
        for member in &args[2..] {
            removed += u64::from(zset.remove(member).is_some());
            if zset.is_empty() {
                break;
            }
        }
        removed
    });
    ctx.removal_reply(key, removed)
}
