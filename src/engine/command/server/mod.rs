//! Server commands: CONFIG, INFO, COMMAND, DBSIZE, FLUSHDB, FLUSHALL, TIME, LASTSAVE, SAVE,
//! BGSAVE and DEBUG.
//!
//! - `config.rs`: CONFIG GET/SET/RESETSTAT/HELP over the directive table in `engine::config`.
//! - `info.rs`: INFO and its sections, with Redis 7.0.15's field names and order.
//! - `command.rs` + `command_metadata.rs` (generated): COMMAND and its subcommands;
//!   `command_getkeys.rs`: GETKEYS and GETKEYSANDFLAGS from the key specs.
//! - `save.rs`: SAVE/BGSAVE and the snapshot hook; `lastsave.rs`, `flush.rs`, `dbsize.rs`,
//!   `time.rs`.
//! - `debug.rs` + `digest.rs`: DEBUG, including Redis's dataset digest.
//! - `glob.rs`: a private `stringmatchlen` until the shared `engine::glob` lands.

mod bgsave;
mod command;
mod command_getkeys;
mod command_metadata;
mod config;
mod dbsize;
mod debug;
mod digest;
mod flush;
mod info;
mod lastsave;
mod save;
mod shutdown;
mod time;

use super::flags::{ADMIN, FAST, NO_MULTI, READONLY, WRITE};
use super::CommandSpec;
use crate::engine::resp::Frame;

pub(in crate::engine::command) use crate::engine::glob::string_match;

/// Redis's `addReplyHelp`: a header naming the command, the given lines, then HELP's own entry,
/// each as a status reply.
pub(in crate::engine::command) fn help_reply(command: &str, lines: &[&str]) -> Frame {
    let header = format!(
        "{} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        command.to_uppercase()
    );
    let mut items = vec![Frame::Simple(header)];
    items.extend(lines.iter().map(|line| Frame::Simple((*line).to_string())));
    items.push(Frame::Simple("HELP".into()));
    items.push(Frame::Simple("    Prints this help.".into()));
    Frame::Array(items)
}

/// Runs nothing: container commands (CONFIG, COMMAND) dispatch to their subcommands.
fn container(_ctx: &mut super::Ctx, _args: &[Vec<u8>]) -> Frame {
    Frame::error("ERR unreachable: container command without a subcommand")
}

/// This family's rows of the command table.
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "bgsave",
        arity: -1,
        flags: ADMIN,
        execute: bgsave::execute,
        subcommands: &[],
    },
    CommandSpec {
        name: "command",
        arity: -1,
        flags: 0,
        execute: command::execute_all,
        subcommands: &[
            CommandSpec {
                name: "count",
                arity: 2,
                flags: 0,
                execute: command::execute_count,
                subcommands: &[],
            },
            CommandSpec {
                name: "docs",
                arity: -2,
                flags: 0,
                execute: command::execute_docs,
                subcommands: &[],
            },
            CommandSpec {
                name: "getkeys",
                arity: -4,
                flags: 0,
                execute: command_getkeys::execute_getkeys,
                subcommands: &[],
            },
            CommandSpec {
                name: "getkeysandflags",
                arity: -4,
                flags: 0,
                execute: command_getkeys::execute_getkeysandflags,
                subcommands: &[],
            },
            CommandSpec {
                name: "help",
                arity: 2,
                flags: 0,
                execute: command::execute_help,
                subcommands: &[],
            },
            CommandSpec {
                name: "info",
                arity: -2,
                flags: 0,
                execute: command::execute_info,
                subcommands: &[],
            },
            CommandSpec {
                name: "list",
                arity: -2,
                flags: 0,
                execute: command::execute_list,
                subcommands: &[],
            },
        ],
    },
    CommandSpec {
        name: "config",
        arity: -2,
        flags: 0,
        execute: container,
        subcommands: &[
            CommandSpec {
                name: "get",
                arity: -3,
                flags: ADMIN,
                execute: config::execute_get,
                subcommands: &[],
            },
            CommandSpec {
                name: "help",
                arity: 2,
                flags: 0,
                execute: config::execute_help,
                subcommands: &[],
            },
            CommandSpec {
                name: "resetstat",
                arity: 2,
                flags: ADMIN,
                execute: config::execute_resetstat,
                subcommands: &[],
            },
            CommandSpec {
                name: "rewrite",
                arity: 2,
                flags: ADMIN,
                execute: config::execute_rewrite,
                subcommands: &[],
            },
            CommandSpec {
                name: "set",
                arity: -4,
                flags: ADMIN,
                execute: config::execute_set,
                subcommands: &[],
            },
        ],
    },
    CommandSpec {
        name: "dbsize",
        arity: 1,
        flags: READONLY | FAST,
        execute: dbsize::execute,
        subcommands: &[],
    },
    CommandSpec {
        name: "debug",
        arity: -2,
        flags: ADMIN,
        execute: debug::execute,
        subcommands: &[],
    },
    CommandSpec {
        name: "flushall",
        arity: -1,
        flags: WRITE,
        execute: flush::execute_flushall,
        subcommands: &[],
    },
    CommandSpec {
        name: "flushdb",
        arity: -1,
        flags: WRITE,
        execute: flush::execute_flushdb,
        subcommands: &[],
    },
    CommandSpec {
        name: "info",
        arity: -1,
        flags: 0,
        execute: info::execute,
        subcommands: &[],
    },
    CommandSpec {
        name: "lastsave",
        arity: 1,
        flags: FAST,
        execute: lastsave::execute,
        subcommands: &[],
    },
    CommandSpec {
        name: "save",
        arity: 1,
        flags: ADMIN | NO_MULTI,
        execute: save::execute,
        subcommands: &[],
    },
    CommandSpec {
        name: "shutdown",
        arity: -1,
        flags: ADMIN | NO_MULTI,
        execute: shutdown::execute,
        subcommands: &[],
    },
    CommandSpec {
        name: "time",
        arity: 1,
        flags: FAST,
        execute: time::execute,
        subcommands: &[],
    },
];
