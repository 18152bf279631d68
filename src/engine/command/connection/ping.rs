//! `PING [message]`: `+PONG`, or the message back as a bulk string.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// PING [message]
/// ```
///
/// In RESP2 subscriber mode the reply is the array `[pong, message]`, with an empty message when
/// none is given, so it reads like the pushed messages around it.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let pubsub = ctx.client_ref().is_pubsub();
    match args {
        [_] if pubsub => Frame::Array(vec![Frame::bulk("pong"), Frame::bulk("")]),
        [_, message] if pubsub => {
            Frame::Array(vec![Frame::bulk("pong"), Frame::bulk(message.clone())])
        }
        [_] => Frame::Simple("PONG".into()),
        [_, message] => Frame::bulk(message.clone()),
        _ => Frame::error("ERR wrong number of arguments for 'ping' command"),
    }
}
