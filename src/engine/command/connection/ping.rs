//! `PING [message]`: `+PONG`, or the message back as a bulk string.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// PING [message]
/// ```
pub(super) fn execute(_ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    match args {
        [_] => Frame::Simple("PONG".into()),
        [_, message] => Frame::bulk(message.clone()),
        _ => Frame::error("ERR wrong number of arguments for 'ping' command"),
    }
}
