//! `PUBLISH`, `SPUBLISH`: send a message to a channel's subscribers.

use super::{live_clients, Kind};
use crate::engine::command::{args, Ctx};
use crate::engine::glob::string_match;
use crate::engine::resp::Frame;
use crate::engine::ConnId;

/// # Format
///
/// ```text
/// PUBLISH channel message
/// ```
///
/// Replies with the number of deliveries: one per client subscribed to the channel
/// (`[message, channel, message]`) plus one per client and matching pattern
/// (`[pmessage, pattern, channel, message]`). A client gets its `message` before its `pmessage`s,
/// and those in its subscription order (Redis's follows its pattern dict, which is random).
/// Always propagated to replicas, whether or not anyone received it (non-cluster Redis).
pub(super) fn publish(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, Kind::Channel)
}

/// # Format
///
/// ```text
/// SPUBLISH shardchannel message
/// ```
///
/// As PUBLISH, to shard-channel subscribers only (`[smessage, channel, message]`, no patterns).
pub(super) fn spublish(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, Kind::Shard)
}

fn execute(ctx: &mut Ctx, args: &[Vec<u8>], kind: Kind) -> Frame {
    let [_, channel, message] = args::exactly(args);
    let mut deliveries: Vec<(ConnId, Frame)> = Vec::new();
    for client in live_clients(ctx.clients) {
        let subscriptions = &client.subscriptions;
        let (word, subscribed) = match kind {
            Kind::Shard => ("smessage", subscriptions.shard_channels.contains(channel)),
            Kind::Channel | Kind::Pattern => ("message", subscriptions.channels.contains(channel)),
        };
        if subscribed {
            let frame = Frame::Array(vec![
                Frame::bulk(word),
                Frame::bulk(channel.clone()),
                Frame::bulk(message.clone()),
            ]);
            deliveries.push((client.conn, frame));
        }
        if kind == Kind::Shard {
            continue;
        }
        for pattern in &subscriptions.patterns {
            if string_match(pattern, channel, false) {
                let frame = Frame::Array(vec![
                    Frame::bulk("pmessage"),
                    Frame::bulk(pattern.clone()),
                    Frame::bulk(channel.clone()),
                    Frame::bulk(message.clone()),
                ]);
                deliveries.push((client.conn, frame));
            }
        }
    }
    let receivers = deliveries.len();
    for (conn, frame) in deliveries {
        if conn == ctx.conn {
            // Only inside EXEC can a subscriber publish: the message lands in its own replies.
            ctx.client().preceding_replies.push(frame);
        } else {
            ctx.state.pending_pushes.push((conn, frame));
        }
    }
    // Non-cluster Redis forces PUBLISH into the replication stream (no dirty change).
    ctx.also_propagate(args.to_vec());
    Frame::Integer(i64::try_from(receivers).unwrap_or(i64::MAX))
}
