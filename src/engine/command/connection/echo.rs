//! `ECHO message`: the message back as a bulk string.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// ECHO message
/// ```
pub(super) fn execute(_ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    Frame::bulk(args[1].clone())
}
