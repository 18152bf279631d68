//! `PUBSUB HELP`, and the error PUBSUB subcommands share.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// Redis 7.0.15's help text, line by line.
const HELP_LINES: &[&str] = &[
    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
    "HELP",
    "    Prints this help.",
];

/// # Format
///
/// ```text
/// PUBSUB HELP
/// ```
///
/// The subcommands, one status line each.
pub(super) fn execute(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    Frame::Array(
        HELP_LINES
            .iter()
            .map(|line| Frame::Simple((*line).to_string()))
            .collect(),
    )
}
