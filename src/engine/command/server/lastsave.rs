//! `LASTSAVE`: when the last snapshot succeeded, in Unix seconds.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// LASTSAVE
/// ```
///
/// Before any snapshot this is the time the node started, as in Redis.
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    let secs = ctx.state.persistence.last_save_at.as_secs();
    Frame::Integer(i64::try_from(secs).unwrap_or(i64::MAX))
}
