//! `DISCARD`: drop the queued commands and leave MULTI.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// DISCARD
/// ```
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    if ctx.client().transaction.take().is_none() {
        return Frame::error("ERR DISCARD without MULTI");
    }
    super::unwatch_all(ctx);
    Frame::ok()
}
