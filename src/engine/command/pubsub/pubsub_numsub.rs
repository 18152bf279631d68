//! `PUBSUB NUMSUB`, `PUBSUB SHARDNUMSUB`: subscriber counts of given channels.

use super::{subscriber_counts, Kind};
use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// PUBSUB NUMSUB [channel [channel ...]]
/// ```
///
/// A flat array of channel, count pairs in argument order (repeats included); pattern
/// subscriptions do not count.
pub(super) fn numsub(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, Kind::Channel)
}

/// # Format
///
/// ```text
/// PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
/// ```
///
/// As PUBSUB NUMSUB, for shard channels.
pub(super) fn shardnumsub(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, Kind::Shard)
}

fn execute(ctx: &mut Ctx, args: &[Vec<u8>], kind: Kind) -> Frame {
    let (_, channels) = args::at_least::<2>(args);
    let counts = subscriber_counts(ctx.clients, kind);
    let mut pairs = Vec::with_capacity(channels.len() * 2);
    for channel in channels {
        let count = counts
            .binary_search_by(|(name, _)| (*name).cmp(channel.as_slice()))
            .map_or(0, |found| counts[found].1);
        pairs.push(Frame::Bulk(channel.clone()));
        pairs.push(Frame::Integer(i64::try_from(count).unwrap_or(i64::MAX)));
    }
    Frame::Array(pairs)
}
