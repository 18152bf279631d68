//! `PUBSUB CHANNELS`, `PUBSUB SHARDCHANNELS`: the active channels.

use super::{subscriber_counts, Kind};
use crate::engine::command::Ctx;
use crate::engine::glob::string_match;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// PUBSUB CHANNELS [pattern]
/// ```
///
/// The channels with at least one subscriber (patterns do not count), those matching the glob
/// `pattern` if given. Sorted here; Redis's order follows its hash table.
pub(super) fn channels(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, Kind::Channel)
}

/// # Format
///
/// ```text
/// PUBSUB SHARDCHANNELS [pattern]
/// ```
///
/// As PUBSUB CHANNELS, for shard channels.
pub(super) fn shardchannels(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, Kind::Shard)
}

fn execute(ctx: &mut Ctx, args: &[Vec<u8>], kind: Kind) -> Frame {
    if args.len() > 3 {
        return super::pubsub_help::syntax_error(args);
    }
    let pattern = args.get(2);
    let channels = subscriber_counts(ctx.clients, kind)
        .into_iter()
        .map(|(channel, _)| channel)
        .filter(|channel| pattern.is_none_or(|pattern| string_match(pattern, channel, false)))
        .map(Frame::Bulk)
        .collect();
    Frame::Array(channels)
}
