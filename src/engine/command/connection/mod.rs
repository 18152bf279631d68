//! Connection commands: PING, ECHO, SELECT, QUIT.

mod echo;
mod ping;
mod quit;
mod select;

use super::flags::{FAST, NOT_QUEUED, NO_AUTH, PUBSUB_CONTEXT};
use super::CommandSpec;

/// This family's rows of the command table.
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("echo", 2, FAST, echo::execute),
    CommandSpec::new("ping", -1, FAST | PUBSUB_CONTEXT, ping::execute),
    CommandSpec::new(
        "quit",
        -1,
        FAST | NO_AUTH | PUBSUB_CONTEXT | NOT_QUEUED,
        quit::execute,
    ),
    CommandSpec::new("select", 2, FAST, select::execute),
];
