//! `DISCARD`: drop the queued commands and leave MULTI.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// DISCARD
/// ```
///
/// Also forgets every WATCHed key.
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    if !ctx.client_ref().in_transaction() {
        return Frame::error("ERR DISCARD without MULTI");
    }
    super::discard_transaction(ctx);
    Frame::ok()
}
