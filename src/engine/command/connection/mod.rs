//! Connection commands: PING, ECHO, SELECT, QUIT.

mod echo;
mod ping;
mod quit;
mod select;

use super::flags::{FAST, NOT_QUEUED, NO_AUTH, PUBSUB_CONTEXT};
use super::CommandSpec;

/// This family's rows of the command table.
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "echo",
        arity: 2,
        flags: FAST,
        execute: echo::execute,
        subcommands: &[],
    },
    CommandSpec {
        name: "ping",
        arity: -1,
        flags: FAST | PUBSUB_CONTEXT,
        execute: ping::execute,
        subcommands: &[],
    },
    CommandSpec {
        name: "quit",
        arity: -1,
        flags: FAST | NO_AUTH | PUBSUB_CONTEXT | NOT_QUEUED,
        execute: quit::execute,
        subcommands: &[],
    },
    CommandSpec {
        name: "select",
        arity: 2,
        flags: FAST,
        execute: select::execute,
        subcommands: &[],
    },
];
