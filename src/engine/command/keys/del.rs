//! `DEL` and `UNLINK`: remove keys.

use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// DEL key [key ...]
/// UNLINK key [key ...]
/// ```
///
/// Replies with the number of keys removed (a key named twice counts once). UNLINK frees the
/// value in the background in Redis; here freeing is immediate, which nobody can observe. The
/// command propagates as sent, and only if it removed something; an expired key is first deleted
/// by lazy expiry (propagating its own `DEL`) and then does not count.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_], keys) = args::at_least(args);
    let mut removed = 0;
    for key in keys {
        ctx.expire_if_needed(key);
        if ctx.db().remove(key).is_some() {
            ctx.signal_modified_key(key);
            ctx.add_dirty(1);
            removed += 1;
        }
    }
    Frame::Integer(removed)
}
