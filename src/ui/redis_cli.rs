//! What redis-cli does around the commands it sends, for the page's consoles: the prompt and the
//! state behind it (`cliRefreshPrompt`), the `N command` repeat prefix, `help`, hints as you type
//! (`hintsCallback`) and Tab completion (`completionCallback`).
//!
//! redis-cli 7.0 builds its help table from the server's COMMAND DOCS reply; the consoles build
//! the same table ([`HelpTable`]) once, from the engine's own reply, so `help`, `help @<group>`,
//! hints and completion are redis-cli's (in plain text, without its colours).

use std::sync::OnceLock;

use crate::cli::HelpTable;
use crate::engine::command::command_docs;

/// What redis-cli prints before the replies of SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE.
pub const READING_MESSAGES: &str = "Reading messages... (press Ctrl-C to quit)\n";
/// What redis-cli prints for a repeat count that is not a positive number.
pub const INVALID_REPEAT: &str = "Invalid redis-cli repeat command option value.\n";
/// The most times the console repeats one line (`1000 INCR k`); redis-cli has no limit, but a
/// page must stay bounded.
pub const REPEAT_MAX: u64 = 1000;
/// The prompt redis-cli shows without a connection.
pub const NOT_CONNECTED_PROMPT: &str = "not connected> ";

/// The part of redis-cli's state that the prompt shows: the selected database and whether a
/// MULTI is open. Updated from each command and its reply, exactly as `cliSendCommand` does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CliState {
    /// `config.dbnum`: shown as `[n]` when not 0, re-selected after a reconnect.
    pub dbnum: i64,
    /// `config.in_multi`: shown as `(TX)`.
    pub in_multi: bool,
    /// `config.pre_multi_dbnum`: restored when a transaction is discarded or fails.
    pre_multi_dbnum: i64,
}

impl CliState {
    /// The prompt for a connection to `addr` (`10.0.0.1:6379[2](TX)> `).
    pub fn prompt(&self, addr: &str) -> String {
        let db = if self.dbnum != 0 {
            format!("[{}]", self.dbnum)
        } else {
            String::new()
        };
        let tx = if self.in_multi { "(TX)" } else { "" };
        format!("{addr}{db}{tx}> ")
    }

    /// The state after `args` was answered; `error` and `nil` describe the reply.
    pub fn after_reply(mut self, args: &[Vec<u8>], error: bool, nil: bool) -> CliState {
        let Some(name) = args.first() else {
            return self;
        };
        let is = |word: &str| name.eq_ignore_ascii_case(word.as_bytes());
        if is("select") && args.len() == 2 && !error {
            // redis-cli uses atoi(): the server accepted the number, so it parses.
            self.dbnum = String::from_utf8_lossy(&args[1])
                .trim()
                .parse()
                .unwrap_or(0);
        } else if is("multi") && args.len() == 1 && !error {
            self.in_multi = true;
            self.pre_multi_dbnum = self.dbnum;
        } else if is("exec") && args.len() == 1 && self.in_multi {
            self.in_multi = false;
            if error || nil {
                self.dbnum = self.pre_multi_dbnum;
            }
        } else if is("discard") && args.len() == 1 && !error {
            self.in_multi = false;
            self.dbnum = self.pre_multi_dbnum;
        } else if is("reset") && args.len() == 1 && !error {
            self.in_multi = false;
            self.dbnum = 0;
        }
        self
    }
}

/// Whether redis-cli enters its "Reading messages" mode after sending `args`.
pub fn is_subscribe(args: &[Vec<u8>]) -> bool {
    args.first().is_some_and(|name| {
        ["subscribe", "psubscribe", "ssubscribe"]
            .iter()
            .any(|word| name.eq_ignore_ascii_case(word.as_bytes()))
    })
}

/// How a typed line's first word asks for repetition (`3 PING`), as redis-cli reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Repeat {
    /// No count: run once.
    Once,
    /// Run the rest of the line this many times.
    Times(u64),
    /// A count redis-cli refuses (zero, negative, out of range).
    Invalid,
    /// A count above [`REPEAT_MAX`].
    TooMany,
}

/// Reads a repeat prefix: redis-cli takes the first word as a count when the line has more than
/// one word and the whole word is a number (`strtol` with nothing left over).
pub fn repeat_count(args: &[Vec<u8>]) -> Repeat {
    if args.len() < 2 {
        return Repeat::Once;
    }
    let word = String::from_utf8_lossy(&args[0]);
    // strtol skips leading blanks and takes an optional sign, then digits.
    let digits = word.trim_start();
    let unsigned = digits.strip_prefix(['+', '-']).unwrap_or(digits);
    if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return Repeat::Once;
    }
    match digits.parse::<i64>() {
        Ok(n) if n <= 0 => Repeat::Invalid,
        Ok(n) if n as u64 > REPEAT_MAX => Repeat::TooMany,
        Ok(n) => Repeat::Times(n as u64),
        Err(_) => Repeat::Invalid,
    }
}

/// redis-cli's help table, built on first use from the engine's COMMAND DOCS reply.
fn help_table() -> &'static HelpTable {
    static TABLE: OnceLock<HelpTable> = OnceLock::new();
    TABLE.get_or_init(|| HelpTable::from_docs(&command_docs()))
}

/// The grey hint redis-cli shows after what was typed, or None ([`HelpTable::hint`]).
pub fn hint(line: &str) -> Option<String> {
    help_table().hint(line)
}

/// The lines Tab cycles through ([`HelpTable::completions`]).
pub fn completions(line: &str) -> Vec<String> {
    help_table().completions(line)
}

/// What `help`, `help <command>` and `help @<group>` print ([`HelpTable::help`]).
pub fn help(topic: &[String]) -> String {
    help_table().help(topic)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::resp::split_args;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn args(line: &str) -> Vec<Vec<u8>> {
        split_args(line.as_bytes()).unwrap()
    }

    #[test]
    fn prompt_shows_database_and_transaction_as_redis_cli_does() {
        let addr = "10.0.0.1:6379";
        let state = CliState::default();
        assert_eq!(state.prompt(addr), "10.0.0.1:6379> ");
        let state = state.after_reply(&args("select 2"), false, false);
        assert_eq!(state.prompt(addr), "10.0.0.1:6379[2]> ");
        let state = state.after_reply(&args("multi"), false, false);
        assert_eq!(state.prompt(addr), "10.0.0.1:6379[2](TX)> ");
        let state = state.after_reply(&args("select 3"), false, false);
        assert_eq!(state.prompt(addr), "10.0.0.1:6379[3](TX)> ");
        // A failed EXEC restores the database of before MULTI.
        let state = state.after_reply(&args("exec"), true, false);
        assert_eq!(state.prompt(addr), "10.0.0.1:6379[2]> ");
        let refused = state.after_reply(&args("select 99"), true, false);
        assert_eq!(refused, state);
    }

    #[test]
    fn repeat_prefix_reads_like_strtol() {
        assert_eq!(repeat_count(&args("3 ping")), Repeat::Times(3));
        assert_eq!(repeat_count(&args("0 ping")), Repeat::Invalid);
        assert_eq!(repeat_count(&args("-2 ping")), Repeat::Invalid);
        assert_eq!(repeat_count(&args("3")), Repeat::Once);
        assert_eq!(repeat_count(&args("3x ping")), Repeat::Once);
        assert_eq!(repeat_count(&args("1001 ping")), Repeat::TooMany);
        assert_eq!(
            repeat_count(&args("99999999999999999999 ping")),
            Repeat::Invalid
        );
    }

    #[test]
    fn help_hints_and_completion_come_from_command_docs() {
        assert_eq!(hint("get").as_deref(), Some(" key"));
        assert!(help(&["get".to_string()]).starts_with("\n  GET key\n  summary: "));
        assert!(completions("help @str").contains(&"help @string".to_string()));
    }
}
