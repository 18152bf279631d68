//! `ECHO message`: the message back as a bulk string.

use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// ECHO message
/// ```
pub(super) fn execute(_ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, message] = args::exactly(args);
    Frame::bulk(message.clone())
}
