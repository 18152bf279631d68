//! `QUIT`: `+OK`, then the connection closes.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// QUIT
/// ```
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    ctx.client().close_after_reply = true;
    Frame::ok()
}
