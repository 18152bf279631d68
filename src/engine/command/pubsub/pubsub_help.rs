//! `PUBSUB HELP`, and the error PUBSUB subcommands share.

use crate::engine::command::{error_with_user_text, Ctx};
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

/// A known subcommand with the wrong number of arguments (Redis's
/// `addReplySubcommandSyntaxError`): names the subcommand as typed.
pub(super) fn syntax_error(args: &[Vec<u8>]) -> Frame {
    let mut message = b"ERR unknown subcommand or wrong number of arguments for '".to_vec();
    message.extend_from_slice(&args[1][..args[1].len().min(128)]);
    message.extend_from_slice(b"'. Try ");
    message.extend_from_slice(&args[0].to_ascii_uppercase());
    message.extend_from_slice(b" HELP.");
    error_with_user_text(message)
}
