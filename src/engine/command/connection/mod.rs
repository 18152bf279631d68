//! Connection commands: PING, ECHO, SELECT, QUIT, AUTH, CLIENT.

mod auth;
mod client;
mod client_kill;
mod echo;
mod ping;
mod quit;
mod select;

use super::flags::{ADMIN, FAST, NOT_QUEUED, NO_AUTH, PUBSUB_CONTEXT};
use super::{CommandSpec, Ctx};
use crate::engine::resp::Frame;

/// Runs nothing: CLIENT dispatches to its subcommands.
fn container(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    Frame::error("ERR unreachable: container command without a subcommand")
}

/// This family's rows of the command table.
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "auth",
        arity: -2,
        flags: FAST | NO_AUTH,
        execute: auth::execute,
        subcommands: &[],
    },
    CommandSpec {
        name: "client",
        arity: -2,
        flags: 0,
        execute: container,
        subcommands: &[
            CommandSpec {
                name: "getname",
                arity: 2,
                flags: 0,
                execute: client::execute_getname,
                subcommands: &[],
            },
            CommandSpec {
                name: "getredir",
                arity: 2,
                flags: 0,
                execute: client::execute_getredir,
                subcommands: &[],
            },
            CommandSpec {
                name: "help",
                arity: 2,
                flags: 0,
                execute: client::execute_help,
                subcommands: &[],
            },
            CommandSpec {
                name: "id",
                arity: 2,
                flags: 0,
                execute: client::execute_id,
                subcommands: &[],
            },
            CommandSpec {
                name: "info",
                arity: 2,
                flags: 0,
                execute: client::execute_info,
                subcommands: &[],
            },
            CommandSpec {
                name: "kill",
                arity: -3,
                flags: ADMIN,
                execute: client_kill::execute,
                subcommands: &[],
            },
            CommandSpec {
                name: "list",
                arity: -2,
                flags: 0,
                execute: client::execute_list,
                subcommands: &[],
            },
            CommandSpec {
                name: "no-evict",
                arity: 3,
                flags: ADMIN,
                execute: client::execute_no_evict,
                subcommands: &[],
            },
            CommandSpec {
                name: "setname",
                arity: 3,
                flags: 0,
                execute: client::execute_setname,
                subcommands: &[],
            },
            CommandSpec {
                name: "trackinginfo",
                arity: 2,
                flags: 0,
                execute: client::execute_trackinginfo,
                subcommands: &[],
            },
        ],
    },
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
