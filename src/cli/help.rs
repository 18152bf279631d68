//! redis-cli 7.0's help table and what it drives: `help`, `help <command>`, `help @<group>`
//! (`cliOutputHelp`), the grey hints while typing (`hintsCallback`) and Tab completion
//! (`completionCallback`).
//!
//! redis-cli 7.0 builds the table from the server's COMMAND DOCS reply (`cliInitHelp`): one entry
//! per command and subcommand, its arguments written out from the argument tree
//! (`cliAddArgument`), and one `@<group>` entry per group that a command names, all sorted by
//! name. [`HelpTable::from_docs`] does the same with the same reply. redis-cli prints help in
//! bold and colours (always, even to a pipe); this module gives the plain text.

use std::borrow::Cow;

use crate::engine::resp::{is_c_space, split_args, Frame};
use crate::engine::sort::sort_by;

/// redis-cli's generic help (`cliOutputGenericHelp`) as the page gives it: a console cannot be
/// quit and has no `~/.redisclirc`, so those two lines are left out, and the keys the console
/// knows are listed instead.
pub const GENERIC_HELP: &str = "redis-cli 7.0.15 (in this page)\n\
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

/// redis-cli's help table (`helpEntries`): commands, subcommands and groups.
pub struct HelpTable {
    /// Sorted by [`HelpEntry::full`] as redis-cli sorts them (`strcmp`), so groups (`@...`) come
    /// before commands and a container right before its subcommands.
    entries: Vec<HelpEntry>,
}

struct HelpEntry {
    /// The name as Tab completes it: `GET`, `CONFIG GET`, or `@string` for a group.
    full: String,
    /// What `help` prints about a command; None for a group.
    docs: Option<CommandDocs>,
}

/// The part of a command's COMMAND DOCS entry that redis-cli shows.
struct CommandDocs {
    /// The arguments written out (`key value [NX|XX] ...`); empty if it takes none.
    params: String,
    summary: String,
    /// None when the docs give no version (redis-cli then leaves the line out).
    since: Option<String>,
    group: String,
}

impl HelpEntry {
    /// The words that name a command (`["CONFIG", "GET"]`).
    fn words(&self) -> Vec<&str> {
        self.full.split(' ').collect()
    }
}

/// Whether `words` begins with the words of `prefix`, each equal in any case (`strcasecmp`).
fn begins_with<W: AsRef<[u8]>, P: AsRef<[u8]>>(words: &[W], prefix: &[P]) -> bool {
    prefix.len() <= words.len()
        && prefix
            .iter()
            .zip(words)
            .all(|(prefix, word)| prefix.as_ref().eq_ignore_ascii_case(word.as_ref()))
}

impl HelpTable {
    /// The table redis-cli builds from `reply`, a COMMAND DOCS reply: a map (in RESP2, an array
    /// of pairs) from each command name to its docs, subcommands nested in their container's.
    pub fn from_docs(reply: &Frame) -> HelpTable {
        let mut entries = Vec::new();
        for (name, docs) in pairs(reply) {
            push_command(
                &String::from_utf8_lossy(name).to_ascii_uppercase(),
                docs,
                &mut entries,
            );
        }
        let mut groups: Vec<String> = Vec::new();
        for docs in entries.iter().filter_map(|entry| entry.docs.as_ref()) {
            if !docs.group.is_empty() && !groups.contains(&docs.group) {
                groups.push(docs.group.clone());
            }
        }
        entries.extend(groups.into_iter().map(|group| HelpEntry {
            full: format!("@{group}"),
            docs: None,
        }));
        sort_by(&mut entries, |a, b| a.full.cmp(&b.full));
        HelpTable { entries }
    }

    /// What `help <topic>` prints (`cliOutputHelp`), every line ending in `\n`: without a topic,
    /// the generic help; for `@<group>`, each command of the group; otherwise each command whose
    /// first words the topic's words are (`help config` lists CONFIG and its subcommands).
    pub fn help<T: AsRef<str>>(&self, topic: &[T]) -> String {
        let topic: Vec<&str> = topic.iter().map(AsRef::as_ref).collect();
        let Some(first) = topic.first() else {
            return GENERIC_HELP.to_string();
        };
        let group = first.strip_prefix('@');
        let mut out = String::new();
        for (entry, docs) in self.commands() {
            match group {
                Some(group) if group.eq_ignore_ascii_case(&docs.group) => {
                    push_command_help(&entry.full, docs, false, &mut out);
                }
                Some(_) => {}
                None if begins_with(&entry.words(), &topic) => {
                    push_command_help(&entry.full, docs, true, &mut out);
                }
                None => {}
            }
        }
        out.push('\n');
        out
    }

    /// The grey hint after what was typed, or None (`hintsCallback`). The command is the entry
    /// naming the most of the typed words (`OBJECT ENCODING` rather than `OBJECT`, even before a
    /// space is typed); one argument of its params is dropped for each word typed after its
    /// name, up to the first optional one (`[`); the hint starts with a space unless the line
    /// ends with one. What is left may be only that space (`GET k` gives `" "`).
    pub fn hint(&self, line: &str) -> Option<String> {
        let typed = split_args(line.as_bytes())?;
        let (name_words, docs) = self
            .commands()
            .map(|(entry, docs)| (entry.words(), docs))
            .filter(|(words, _)| begins_with(&typed, words))
            .max_by_key(|(words, _)| words.len())?;
        let mut to_remove = typed.len() - name_words.len();
        let mut rest = docs.params.chars();
        while to_remove > 0 {
            match rest.clone().next() {
                None | Some('[') => break,
                Some(' ') => to_remove -= 1,
                Some(_) => {}
            }
            rest.next();
        }
        let mut hint = String::new();
        if !line.bytes().last().is_some_and(is_c_space) {
            hint.push(' ');
        }
        hint.push_str(rest.as_str());
        Some(hint)
    }

    /// The lines Tab cycles through (`completionCallback`), in the table's order: the command
    /// names that start with what was typed, in any case; after `help `, also the `@<group>`
    /// names, keeping what precedes them.
    pub fn completions(&self, line: &str) -> Vec<String> {
        let after_help = line
            .as_bytes()
            .get(..5)
            .is_some_and(|start| start.eq_ignore_ascii_case(b"help "));
        let start = if after_help {
            5 + line[5..]
                .bytes()
                .take_while(|&byte| is_c_space(byte))
                .count()
        } else {
            0
        };
        let (head, typed) = line.split_at(start);
        self.entries
            .iter()
            .filter(|entry| after_help || entry.docs.is_some())
            .filter(|entry| {
                entry
                    .full
                    .as_bytes()
                    .get(..typed.len())
                    .is_some_and(|prefix| prefix.eq_ignore_ascii_case(typed.as_bytes()))
            })
            .map(|entry| head.to_string() + &entry.full)
            .collect()
    }

    /// The command and subcommand entries, in order.
    fn commands(&self) -> impl Iterator<Item = (&HelpEntry, &CommandDocs)> {
        self.entries
            .iter()
            .filter_map(|entry| Some((entry, entry.docs.as_ref()?)))
    }
}

/// Adds the entry of the command `full` (upper case) described by `docs`, then its subcommands'
/// (`cliInitCommandHelpEntry`).
fn push_command(full: &str, docs: &Frame, entries: &mut Vec<HelpEntry>) {
    let mut command = CommandDocs {
        params: String::new(),
        summary: String::new(),
        since: None,
        group: String::new(),
    };
    let mut subcommands = None;
    for (key, value) in pairs(docs) {
        match key {
            b"summary" => command.summary = text(value).into_owned(),
            b"since" => command.since = Some(text(value).into_owned()),
            b"group" => command.group = text(value).into_owned(),
            b"arguments" => push_arguments(items(value), " ", &mut command.params),
            b"subcommands" => subcommands = Some(value),
            _ => {}
        }
    }
    entries.push(HelpEntry {
        full: full.to_string(),
        docs: Some(command),
    });
    for (sub_name, sub_docs) in subcommands.into_iter().flat_map(pairs) {
        // COMMAND DOCS names a subcommand `container|sub`; help names it `CONTAINER SUB`.
        let sub_name = String::from_utf8_lossy(sub_name).to_ascii_uppercase();
        let mut sub_full = full.to_string();
        sub_full.push(' ');
        sub_full.push_str(sub_name.split_once('|').map_or("", |(_, sub)| sub));
        push_command(&sub_full, sub_docs, entries);
    }
}

/// Writes out `arguments` one after the other, separated by `separator` (`cliConcatArguments`).
fn push_arguments(arguments: &[Frame], separator: &str, out: &mut String) {
    for (index, argument) in arguments.iter().enumerate() {
        if index > 0 {
            out.push_str(separator);
        }
        push_argument(argument, out);
    }
}

/// Writes out one argument as redis-cli does (`cliAddArgument`): its token, then its name (or
/// its alternatives separated by `|`, or its block's arguments), repeated as `[... ...]` if it
/// may be given several times, all in `[]` if optional: `key`, `[EX seconds|PX milliseconds]`,
/// `[LIMIT offset count]`, `key [key ...]`.
fn push_argument(argument: &Frame, out: &mut String) {
    let mut name: &[u8] = &[];
    let mut kind: &[u8] = &[];
    let mut token = String::new();
    let mut sub_arguments: &[Frame] = &[];
    let (mut optional, mut multiple, mut multiple_token) = (false, false, false);
    for (key, value) in pairs(argument) {
        match key {
            b"name" => name = bytes(value),
            b"type" => kind = bytes(value),
            b"token" => push_or_empty_quotes(bytes(value), &mut token),
            b"arguments" => sub_arguments = items(value),
            b"flags" => {
                for flag in items(value) {
                    match bytes(flag) {
                        b"optional" => optional = true,
                        b"multiple" => multiple = true,
                        b"multiple_token" => multiple_token = true,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let mut repeated = String::new();
    match kind {
        b"oneof" => push_arguments(sub_arguments, "|", &mut repeated),
        b"block" => push_arguments(sub_arguments, " ", &mut repeated),
        // A pure token is its token alone.
        b"pure-token" => {}
        // The other types of Redis 7.0 (key, string, integer, double, pattern, unix-time,
        // token) are written as their name.
        _ => push_or_empty_quotes(name, &mut repeated),
    }
    if !token.is_empty() && kind != b"pure-token" {
        token.push(' ');
    }
    if optional {
        out.push('[');
    }
    out.push_str(&token);
    out.push_str(&repeated);
    if multiple {
        out.push_str(" [");
        if multiple_token {
            out.push_str(&token);
        }
        out.push_str(&repeated);
        out.push_str(" ...]");
    }
    if optional {
        out.push(']');
    }
}

/// Writes out a name or token; redis-cli writes an empty one as `""`.
fn push_or_empty_quotes(name: &[u8], out: &mut String) {
    if name.is_empty() {
        out.push_str("\"\"");
    } else {
        out.push_str(&String::from_utf8_lossy(name));
    }
}

/// One command's lines of `help` (`cliOutputCommandHelp`); the group only outside `help @<group>`.
fn push_command_help(full: &str, docs: &CommandDocs, with_group: bool, out: &mut String) {
    let since = docs.since.as_deref();
    let group = with_group.then_some(docs.group.as_str());
    let lines = [
        ("\n  ", Some(full)),
        (" ", Some(docs.params.as_str())),
        ("\n  summary: ", Some(docs.summary.as_str())),
        ("\n  since: ", since),
        ("\n  group: ", group),
    ];
    for (label, value) in lines {
        if let Some(value) = value {
            out.push_str(label);
            out.push_str(value);
        }
    }
    out.push('\n');
}

/// The key/value pairs of a map reply (an array of pairs in RESP2), keys as bytes.
fn pairs(map: &Frame) -> impl Iterator<Item = (&[u8], &Frame)> {
    items(map)
        .as_chunks::<2>()
        .0
        .iter()
        .map(|[key, value]| (bytes(key), value))
}

/// The elements of an array reply; none for anything else.
fn items(frame: &Frame) -> &[Frame] {
    match frame {
        Frame::Array(items) => items,
        _ => &[],
    }
}

/// The bytes of a string reply (bulk or status); none for anything else.
fn bytes(frame: &Frame) -> &[u8] {
    match frame {
        Frame::Bulk(bytes) => bytes,
        Frame::Simple(text) => text.as_bytes(),
        _ => &[],
    }
}

fn text(frame: &Frame) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes(frame))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::command::command_docs;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn table() -> HelpTable {
        HelpTable::from_docs(&command_docs())
    }

    #[test]
    fn params_are_written_out_from_the_argument_tree() {
        let table = table();
        let help = table.help(&["set"]);
        assert!(
            help.starts_with(
                "\n  SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|\
                 EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]\n  \
                 summary: Set the string value of a key\n  since: 1.0.0\n  group: string\n"
            ),
            "{help}"
        );
        assert!(table.help(&["config"]).starts_with("\n  CONFIG \n"));
        assert!(table
            .help(&["CONFIG", "get"])
            .starts_with("\n  CONFIG GET parameter [parameter ...]\n"));
        assert_eq!(table.help(&["nosuch"]), "\n");
        assert_eq!(table.help(&["get", "extra"]), "\n");
        assert_eq!(table.help::<&str>(&[]), GENERIC_HELP);
    }

    #[test]
    fn group_help_lists_the_group_without_naming_it() {
        let help = table().help(&["@STRING"]);
        assert!(
            help.starts_with(
                "\n  APPEND key value\n  summary: Append a value to a key\n  since: 2.0.0\n\n  DECR key\n"
            ),
            "{help}"
        );
        assert!(!help.contains("group:"));
        assert_eq!(table().help(&["@nosuch"]), "\n");
    }

    #[test]
    fn hints_drop_the_typed_arguments_up_to_the_first_optional_one() {
        let table = table();
        let set_options =
            "[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]";
        assert_eq!(table.hint("SET k"), Some(format!(" value {set_options}")));
        assert_eq!(table.hint("SET k v "), Some(set_options.to_string()));
        assert_eq!(table.hint("set k v EX 10 "), Some(set_options.to_string()));
        assert_eq!(table.hint("get").as_deref(), Some(" key"));
        assert_eq!(table.hint("GET ").as_deref(), Some("key"));
        assert_eq!(table.hint("get k").as_deref(), Some(" "));
        // The container matches until a whole subcommand name is typed.
        assert_eq!(table.hint("CONFIG G").as_deref(), Some(" "));
        assert_eq!(
            table.hint("config get ").as_deref(),
            Some("parameter [parameter ...]")
        );
        assert_eq!(table.hint("OBJECT ENCODING").as_deref(), Some(" key"));
        assert_eq!(table.hint("del a b ").as_deref(), Some("[key ...]"));
        assert_eq!(table.hint("nosuch"), None);
        assert_eq!(table.hint("help get"), None);
        assert_eq!(table.hint(""), None);
        assert_eq!(table.hint("\"unbalanced"), None);
    }

    #[test]
    fn tab_completes_commands_and_after_help_groups() {
        let table = table();
        assert_eq!(
            table.completions("pexpire"),
            ["PEXPIRE", "PEXPIREAT", "PEXPIRETIME"]
        );
        assert_eq!(table.completions("object e"), ["OBJECT ENCODING"]);
        assert_eq!(table.completions("@str"), Vec::<String>::new());
        assert_eq!(table.completions("help  @str"), ["help  @string"]);
        let topics = table.completions("HELP ");
        assert!(topics[0].starts_with("HELP @"), "{topics:?}");
        assert!(topics.contains(&"HELP CONFIG GET".to_string()));
    }
}
