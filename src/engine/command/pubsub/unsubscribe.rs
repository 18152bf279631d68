//! `UNSUBSCRIBE`, `PUNSUBSCRIBE`, `SUNSUBSCRIBE`: stop receiving messages.

use super::{confirmation, Kind};
use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// UNSUBSCRIBE [channel [channel ...]]
/// ```
///
/// One `[unsubscribe, channel, count]` reply per channel named (subscribed or not), or per channel
/// the client had when none is named; `[unsubscribe, nil, count]` when there was none. The client
/// leaves subscriber mode once it has no subscription of any kind.
pub(super) fn unsubscribe(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, Kind::Channel)
}

/// # Format
///
/// ```text
/// PUNSUBSCRIBE [pattern [pattern ...]]
/// ```
///
/// As UNSUBSCRIBE, for patterns (`punsubscribe` replies; without arguments, in subscription
/// order).
pub(super) fn punsubscribe(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, Kind::Pattern)
}

/// # Format
///
/// ```text
/// SUNSUBSCRIBE [shardchannel [shardchannel ...]]
/// ```
///
/// As UNSUBSCRIBE, for shard channels (`sunsubscribe` replies, counting shard channels only).
pub(super) fn sunsubscribe(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, Kind::Shard)
}

fn execute(ctx: &mut Ctx, args: &[Vec<u8>], kind: Kind) -> Frame {
    let ([_], names) = args::at_least(args);
    let client = ctx.client();
    let names = if names.is_empty() {
        kind.names(&client.subscriptions)
    } else {
        names.to_vec()
    };
    let word = kind.unsubscribe_word();
    let mut replies: Vec<Frame> = names
        .iter()
        .map(|name| {
            kind.remove(&mut client.subscriptions, name);
            let count = kind.count(&client.subscriptions);
            confirmation(word, Some(name), count)
        })
        .collect();
    let last = replies
        .pop()
        .unwrap_or_else(|| confirmation(word, None, kind.count(&client.subscriptions)));
    client.preceding_replies.extend(replies);
    last
}
