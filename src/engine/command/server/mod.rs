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

pub use command::command_docs;
pub(crate) use info::info_replication;

use super::flags::{ADMIN, FAST, NO_MULTI, READONLY, WRITE};
use super::CommandSpec;
use crate::engine::resp::Frame;

pub(in crate::engine::command) use self::command::has_redis_flag;
pub(crate) use self::digest::{dataset_digest, hex};
pub(in crate::engine::command) use crate::engine::glob::string_match;

/// Redis's `addReplyHelp`: a header naming the command, the given lines, then HELP's own entry,
/// each as a status reply. `lines` is one text, one line per reply line (no pointer table per
/// line in the page's data).
pub(in crate::engine::command) fn help_reply(command: &str, lines: &str) -> Frame {
    let header = format!(
        "{} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        command.to_ascii_uppercase()
    );
    let mut items = vec![Frame::Simple(header)];
    items.extend(
        lines
            .split_terminator('\n')
            .map(|line| Frame::Simple(line.to_string())),
    );
    items.push(Frame::Simple("HELP".into()));
    items.push(Frame::Simple("    Prints this help.".into()));
    Frame::Array(items)
}

/// This family's rows of the command table.
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("bgsave", -1, ADMIN, bgsave::execute),
    CommandSpec {
        name: "command",
        arity: -1,
        flags: 0,
        execute: command::execute_all,
        subcommands: &[
            CommandSpec::new("command|count", 2, 0, command::execute_count),
            CommandSpec::new("command|docs", -2, 0, command::execute_docs),
            CommandSpec::new("command|getkeys", -4, 0, command_getkeys::execute_getkeys),
            CommandSpec::new(
                "command|getkeysandflags",
                -4,
                0,
                command_getkeys::execute_getkeysandflags,
            ),
            CommandSpec::new("command|help", 2, 0, command::execute_help),
            CommandSpec::new("command|info", -2, 0, command::execute_info),
            CommandSpec::new("command|list", -2, 0, command::execute_list),
        ],
    },
    CommandSpec::container(
        "config",
        -2,
        0,
        &[
            CommandSpec::new("config|get", -3, ADMIN, config::execute_get),
            CommandSpec::new("config|help", 2, 0, config::execute_help),
            CommandSpec::new("config|resetstat", 2, ADMIN, config::execute_resetstat),
            CommandSpec::new("config|rewrite", 2, ADMIN, config::execute_rewrite),
            CommandSpec::new("config|set", -4, ADMIN, config::execute_set),
        ],
    ),
    CommandSpec::new("dbsize", 1, READONLY | FAST, dbsize::execute),
    CommandSpec::new("debug", -2, ADMIN, debug::execute),
    CommandSpec::new("flushall", -1, WRITE, flush::execute_flushall),
    CommandSpec::new("flushdb", -1, WRITE, flush::execute_flushdb),
    CommandSpec::new("info", -1, 0, info::execute),
    CommandSpec::new("lastsave", 1, FAST, lastsave::execute),
    CommandSpec::new("save", 1, ADMIN | NO_MULTI, save::execute),
    CommandSpec::new("shutdown", -1, ADMIN | NO_MULTI, shutdown::execute),
    CommandSpec::new("time", 1, FAST, time::execute),
];
