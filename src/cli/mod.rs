//! What redis-cli does on the client side, so the page's consoles behave like it.
//!
//! - [`parse_line`]: a typed line to an argument vector (redis-cli's `sdssplitargs` quoting).
//! - [`format_reply`]: a reply to the text redis-cli prints on a terminal (`cliFormatReplyTTY`);
//!   [`format_replica_command`]: a stream command as `redis-cli --replica` prints it.
//! - [`HelpTable`]: redis-cli 7.0's help table, built from a COMMAND DOCS reply: `help`,
//!   `help <command>`, `help @<group>`, hints while typing and Tab completion.
//!
//! Pure code: no browser types, so native tests can compare it with the real redis-cli.

mod format;
mod help;

pub use format::{format_replica_command, format_reply};
pub use help::{HelpTable, GENERIC_HELP};

use crate::engine::resp::split_args;

/// What a typed line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// Blank: redis-cli just shows the prompt again.
    Empty,
    /// Unbalanced or glued quotes: redis-cli prints `Invalid argument(s)`.
    Invalid,
    /// A command to send.
    Command(Vec<Vec<u8>>),
}

/// What redis-cli prints for a line it cannot split.
pub const INVALID_ARGUMENTS: &str = "Invalid argument(s)";

/// Splits a typed line as redis-cli does.
pub fn parse_line(line: &str) -> Line {
    match split_args(line.as_bytes()) {
        None => Line::Invalid,
        Some(args) if args.is_empty() => Line::Empty,
        Some(args) => Line::Command(args),
    }
}
