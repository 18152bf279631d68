//! `PUBSUB HELP`.

use crate::engine::command::server::help_reply;
use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// PUBSUB HELP
/// ```
///
/// The subcommands, one status line each.
pub(super) fn execute(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    help_reply(
        "pubsub",
        concat!(
            "CHANNELS [<pattern>]\n",
            "    Return the currently active channels matching a <pattern> (default: '*').\n",
            "NUMPAT\n",
            "    Return number of subscriptions to patterns.\n",
            "NUMSUB [<channel> ...]\n",
            "    Return the number of subscribers for the specified channels, excluding\n",
            "    pattern subscriptions(default: no channels).\n",
            "SHARDCHANNELS [<pattern>]\n",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').\n",
            "SHARDNUMSUB [<shardchannel> ...]\n",
            "    Return the number of subscribers for the specified shard level channel(s)\n",
        ),
    )
}
