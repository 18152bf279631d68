//! What redis-cli does around the commands it sends, for the page's consoles: the prompt and the
//! state behind it (`cliRefreshPrompt`), the `N command` repeat prefix, `help`, hints as you type
//! (`hintsCallback`) and Tab completion (`completionCallback`).
//!
//! redis-cli takes its help from its own table (summaries, `since`, groups); the page has only
//! the engine's command table, which holds names, arity and flags. So hints name the arguments
//! generically (`arg arg [arg ...]`, derived from the arity), `help <command>` prints the arity
//! and flags, and `help @<group>` says that groups are not available.

use crate::engine::command::{all_commands, flags, CommandSpec};
use crate::engine::resp::split_args;

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

/// One help entry: a command (or `container subcommand`) and the arguments it takes.
struct HelpEntry {
    /// The words that name it, lower case (`["object", "encoding"]`).
    words: Vec<&'static str>,
    spec: &'static CommandSpec,
}

fn help_entries() -> Vec<HelpEntry> {
    let mut entries = Vec::new();
    for &spec in all_commands() {
        entries.push(HelpEntry {
            words: vec![spec.name],
            spec,
        });
        for sub in spec.subcommands {
            entries.push(HelpEntry {
                words: vec![spec.name, sub.name],
                spec: sub,
            });
        }
    }
    entries
}

/// The arguments of `spec` as redis-cli's `params` would list them, derived from the arity:
/// `arg` for each required one, `[arg ...]` when more may follow; a container lists its
/// subcommands.
fn params(spec: &CommandSpec, words: usize) -> String {
    if !spec.subcommands.is_empty() && words == 1 {
        let names: Vec<String> = spec
            .subcommands
            .iter()
            .map(|sub| sub.name.to_ascii_uppercase())
            .collect();
        return format!("{} [arg ...]", names.join("|"));
    }
    let required = (spec.arity.unsigned_abs() as usize).saturating_sub(words);
    let mut parts = vec!["arg"; required];
    if spec.arity < 0 {
        parts.push("[arg ...]");
    }
    parts.join(" ")
}

/// The grey hint redis-cli shows after what was typed, or None (`hintsCallback`): the matching
/// command's arguments, minus one for each argument already typed, stopping at optional ones.
pub fn hint(line: &str) -> Option<String> {
    let args = split_args(line.as_bytes())?;
    if args.is_empty() {
        return None;
    }
    let entries = help_entries();
    let entry = entries
        .iter()
        .filter(|entry| entry.words.len() <= args.len())
        .filter(|entry| {
            entry
                .words
                .iter()
                .zip(&args)
                .all(|(word, arg)| arg.eq_ignore_ascii_case(word.as_bytes()))
        })
        .max_by_key(|entry| entry.words.len())?;
    let mut hint = params(entry.spec, entry.words.len());
    let mut to_remove = args.len() - entry.words.len();
    while to_remove > 0 && !hint.is_empty() && !hint.starts_with('[') {
        if hint.starts_with(' ') {
            to_remove -= 1;
        }
        hint.remove(0);
    }
    let ends_with_space = line.ends_with(|c: char| c.is_ascii_whitespace());
    if hint.is_empty() {
        return None;
    }
    Some(if ends_with_space {
        hint
    } else {
        format!(" {hint}")
    })
}

/// The lines Tab cycles through (`completionCallback`): command names (and after `help `, also
/// `@<group>`... which we do not have) that start with what was typed, in upper case.
pub fn completions(line: &str) -> Vec<String> {
    let (head, typed) = match line.get(..5) {
        Some(prefix) if prefix.eq_ignore_ascii_case("help ") => {
            let rest = &line[5..];
            let start = line.len() - rest.trim_start().len();
            (&line[..start], &line[start..])
        }
        _ => ("", line),
    };
    help_entries()
        .iter()
        .map(|entry| entry.words.join(" ").to_ascii_uppercase())
        .filter(|full| {
            full.get(..typed.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(typed))
        })
        .map(|full| format!("{head}{full}"))
        .collect()
}

/// What `help`, `help <command>` and `help @<group>` print (`cliOutputHelp`).
pub fn help(topic: &[String]) -> String {
    let Some(first) = topic.first() else {
        return GENERIC_HELP.to_string();
    };
    if first.starts_with('@') {
        return "\n  Command groups are not available in this console: the engine's command table \
                has names, arity and flags, not groups. Try \"help <command>\" or Tab to list \
                commands.\n\n"
            .to_string();
    }
    let mut out = String::new();
    for entry in help_entries() {
        let matches = topic.len() <= entry.words.len()
            && topic
                .iter()
                .zip(&entry.words)
                .all(|(typed, word)| typed.eq_ignore_ascii_case(word));
        if !matches {
            continue;
        }
        let name = entry.words.join(" ").to_ascii_uppercase();
        let params = params(entry.spec, entry.words.len());
        out.push_str(&format!("\n  {name} {params}\n"));
        out.push_str(&format!("  arity: {}\n", arity_text(entry.spec.arity)));
        out.push_str(&format!("  flags: {}\n", flag_names(entry.spec.flags)));
    }
    out.push('\n');
    out
}

/// redis-cli's generic help, adapted: no `~/.redisclirc` in a page.
const GENERIC_HELP: &str = "redis-cli 7.0.15 (in this page)\n\
To get help about Redis commands type:\n      \
\"help @<group>\" to get a list of commands in <group>\n      \
\"help <command>\" for help on <command>\n      \
\"help <tab>\" to get a list of possible help topics\n\
\n\
To set redis-cli preferences:\n      \
\":set hints\" enable online hints\n      \
\":set nohints\" disable online hints\n\
\n\
Keys: Up/Down walk the history, Ctrl-R searches it, Tab completes command names, \"clear\" clears\n\
the console.\n";

fn arity_text(arity: i32) -> String {
    if arity < 0 {
        format!(
            "{arity} ({} or more words, the command name included)",
            arity.unsigned_abs()
        )
    } else {
        format!("{arity} (exactly {arity} words, the command name included)")
    }
}

fn flag_names(bits: u32) -> String {
    let names: Vec<&str> = [
        (flags::WRITE, "write"),
        (flags::READONLY, "readonly"),
        (flags::DENYOOM, "denyoom"),
        (flags::ADMIN, "admin"),
        (flags::NO_AUTH, "no-auth"),
        (flags::PUBSUB_CONTEXT, "pubsub"),
        (flags::NOT_QUEUED, "not-queued"),
        (flags::FAST, "fast"),
        (flags::NO_MULTI, "no-multi"),
    ]
    .iter()
    .filter(|(bit, _)| bits & bit != 0)
    .map(|&(_, name)| name)
    .collect();
    if names.is_empty() {
        "(none)".to_string()
    } else {
        names.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn hints_follow_the_typed_arguments() {
        assert_eq!(hint("get").as_deref(), Some(" arg"));
        assert_eq!(hint("GET ").as_deref(), Some("arg"));
        assert_eq!(hint("get k"), None);
        assert_eq!(hint("set k").as_deref(), Some(" arg [arg ...]"));
        assert_eq!(hint("set k v").as_deref(), Some(" [arg ...]"));
        assert_eq!(hint("object encoding").as_deref(), Some(" arg"));
        assert_eq!(hint("nosuch"), None);
        assert_eq!(hint(""), None);
        assert_eq!(hint("\"unbalanced"), None);
    }

    #[test]
    fn completion_and_help_use_the_command_table() {
        let found = completions("pex");
        assert!(found.contains(&"PEXPIRE".to_string()), "{found:?}");
        assert!(found.iter().all(|line| line.starts_with("PEX")));
        assert!(completions("help obj")
            .iter()
            .any(|line| line == "help OBJECT ENCODING"));
        let get = help(&["get".to_string()]);
        assert!(get.starts_with("\n  GET arg\n  arity: 2"), "{get}");
        assert_eq!(help(&["nosuch".to_string()]), "\n");
        assert!(help(&["@string".to_string()]).contains("not available"));
        assert!(help(&[]).starts_with("redis-cli 7.0.15"));
    }
}
