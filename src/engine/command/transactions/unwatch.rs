//! `UNWATCH`: forget every WATCHed key.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// UNWATCH
/// ```
///
/// Also clears the "a watched key changed" state, so the next EXEC runs. Inside MULTI it is
/// queued like any other command.
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    let conn = ctx.conn;
    ctx.state.unwatch_all(conn);
    Frame::ok()
}
