//! `PUBSUB CHANNELS`, `PUBSUB SHARDCHANNELS`: the active channels.

use super::{subscriber_counts, Kind};
use crate::engine::command::{args, Ctx};
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
    let pattern = match args::at_least::<2>(args).1 {
        [] => None,
        [pattern] => Some(pattern),
        _ => return args::subcommand_syntax_error(args),
    };
    let mut channels = Vec::new();
    for (channel, _) in subscriber_counts(ctx.clients, kind) {
        if pattern.is_none_or(|pattern| string_match(pattern, channel, false)) {
            channels.push(Frame::Bulk(channel.to_vec()));
        }
    }
    Frame::Array(channels)
}
