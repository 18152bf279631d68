//! `SUBSCRIBE`, `PSUBSCRIBE`, `SSUBSCRIBE`: start receiving messages.

use super::{confirmation, Kind};
use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SUBSCRIBE channel [channel ...]
/// ```
///
/// One `[subscribe, channel, count]` reply per channel, in argument order; `count` is the number
/// of channels plus patterns the client then has (a repeated channel does not add).
pub(super) fn subscribe(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, Kind::Channel)
}

/// # Format
///
/// ```text
/// PSUBSCRIBE pattern [pattern ...]
/// ```
///
/// As SUBSCRIBE, with glob patterns (`psubscribe` replies).
pub(super) fn psubscribe(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, Kind::Pattern)
}

/// # Format
///
/// ```text
/// SSUBSCRIBE shardchannel [shardchannel ...]
/// ```
///
/// As SUBSCRIBE, for shard channels (`ssubscribe` replies); the count is of shard channels only.
pub(super) fn ssubscribe(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, Kind::Shard)
}

fn execute(ctx: &mut Ctx, args: &[Vec<u8>], kind: Kind) -> Frame {
    let ([_], names) = args::at_least(args);
    let client = ctx.client();
    let mut replies: Vec<Frame> = names
        .iter()
        .map(|name| {
            kind.add(&mut client.subscriptions, name);
            let count = kind.count(&client.subscriptions);
            confirmation(kind.subscribe_word(), Some(name), count)
        })
        .collect();
    // Arity guarantees at least one name; all replies but the last go out ahead of it.
    let last = replies.pop().unwrap_or(Frame::NullArray);
    client.preceding_replies.extend(replies);
    last
}
