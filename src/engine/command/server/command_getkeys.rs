//! `COMMAND GETKEYS | GETKEYSANDFLAGS command [arg ...]`: which arguments of a full command are
//! keys, found the way Redis 7.0 finds them: from the command's key specs (its COMMAND INFO
//! metadata), falling back to a command-specific function where the specs say the flags vary.
//!
//! The only such function the engine needs today is SET's (its key is overwritten, or read too
//! with GET). A command whose specs are `unknown` or `incomplete` and that has no function here
//! answers "Invalid arguments specified for command", as a Redis command without one would.

use crate::engine::command::{args, lookup, CommandSpec, Ctx};
use crate::engine::resp::{parse_i64, Frame};

use super::command::{is_bulk, key_specs};

/// A key a command would access: its argument index and the flags Redis reports for it.
struct KeyRef {
    index: usize,
    flags: Frame,
}

/// # Format
///
/// ```text
/// COMMAND GETKEYS command [arg ...]
/// ```
pub(super) fn execute_getkeys(_ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let (_, argv) = args::at_least::<2>(args);
    reply(argv, false)
}

/// # Format
///
/// ```text
/// COMMAND GETKEYSANDFLAGS command [arg ...]
/// ```
pub(super) fn execute_getkeysandflags(_ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let (_, argv) = args::at_least::<2>(args);
    reply(argv, true)
}

/// Redis's `getKeysSubcommandImpl` over `argv` (the full command, name first).
fn reply(argv: &[Vec<u8>], with_flags: bool) -> Frame {
    let Some((parent, spec)) = find_target(argv) else {
        return Frame::error("ERR Invalid command specified");
    };
    let specs = key_specs(parent, spec);
    let has_proc = getkeys_proc(spec.name, parent).is_some();
    let has_key_spec = specs.iter().any(|spec| !has_flag(spec, "not_key"));
    if !has_proc && !has_key_spec {
        return Frame::error("ERR The command has no key arguments");
    }
    let argc = argv.len() as i64;
    let arity = i64::from(spec.arity);
    if (arity > 0 && arity != argc) || argc < -arity {
        return Frame::error("ERR Invalid number of arguments specified for command");
    }
    let variable_flags = specs.iter().any(|spec| has_flag(spec, "variable_flags"));
    let from_specs = if has_key_spec && !variable_flags {
        keys_from_specs(&specs, argv, arity)
    } else {
        None
    };
    let keys = from_specs
        .or_else(|| getkeys_proc(spec.name, parent).map(|proc| proc(argv)))
        .unwrap_or_default();
    if keys.is_empty() {
        return Frame::error("ERR Invalid arguments specified for command");
    }
    Frame::Array(
        keys.into_iter()
            .filter_map(|key| {
                let name = Frame::bulk(argv.get(key.index)?.clone());
                Some(if with_flags {
                    Frame::Array(vec![name, key.flags])
                } else {
                    name
                })
            })
            .collect(),
    )
}

/// The engine command `argv` names: a command, or a container's subcommand when there is a
/// second word (Redis's non-strict `lookupCommand`).
fn find_target(argv: &[Vec<u8>]) -> Option<(&'static CommandSpec, &'static CommandSpec)> {
    let parent = lookup(argv.first()?)?;
    if parent.subcommands.is_empty() || argv.len() < 2 {
        return Some((parent, parent));
    }
    let sub = parent
        .subcommands
        .iter()
        .find(|sub| sub.short_name().as_bytes().eq_ignore_ascii_case(&argv[1]))?;
    Some((parent, sub))
}

/// A command-specific key finder.
type GetKeysProc = fn(&[Vec<u8>]) -> Vec<KeyRef>;

/// Command-specific key finders (Redis's `getkeys_proc`), for specs with variable flags.
fn getkeys_proc(name: &str, parent: &CommandSpec) -> Option<GetKeysProc> {
    match (parent.name, name) {
        ("set", "set") => Some(set_keys),
        _ => None,
    }
}

/// SET's key is read as well when GET is among the options (Redis's `setGetKeys`).
fn set_keys(argv: &[Vec<u8>]) -> Vec<KeyRef> {
    let reads = argv
        .iter()
        .skip(3)
        .any(|arg| arg.eq_ignore_ascii_case(b"get"));
    let flags: &[&str] = if reads {
        &["RW", "access", "update"]
    } else {
        &["OW", "update"]
    };
    vec![KeyRef {
        index: 1,
        flags: Frame::Array(
            flags
                .iter()
                .map(|flag| Frame::Simple((*flag).to_string()))
                .collect(),
        ),
    }]
}

/// The value under `name` in a RESP2 map (a flat array of name/value pairs).
fn field<'a>(map: &'a Frame, name: &str) -> Option<&'a Frame> {
    let Frame::Array(items) = map else {
        return None;
    };
    let (pairs, _) = items.as_chunks::<2>();
    pairs
        .iter()
        .find(|[key, _]| is_bulk(key, name.as_bytes()))
        .map(|[_, value]| value)
}

fn integer(map: &Frame, name: &str) -> Option<i64> {
    match field(map, name) {
        Some(Frame::Integer(value)) => Some(*value),
        _ => None,
    }
}

fn has_flag(spec: &Frame, flag: &str) -> bool {
    matches!(field(spec, "flags"), Some(Frame::Array(flags))
        if flags.iter().any(|f| matches!(f, Frame::Simple(name) if name.eq_ignore_ascii_case(flag))))
}

/// The spec's `type` and `spec` map of its `begin_search` or `find_keys` part.
fn part<'a>(spec: &'a Frame, name: &str) -> Option<(&'a [u8], &'a Frame)> {
    let part = field(spec, name)?;
    let Some(Frame::Bulk(kind)) = field(part, "type") else {
        return None;
    };
    Some((kind.as_slice(), field(part, "spec")?))
}

/// Redis's `getKeysUsingKeySpecs`; None when a spec cannot be followed (the caller then tries
/// the command's own function).
fn keys_from_specs(specs: &[Frame], argv: &[Vec<u8>], arity: i64) -> Option<Vec<KeyRef>> {
    let argc = argv.len() as i64;
    let mut keys = Vec::new();
    for spec in specs {
        if has_flag(spec, "not_key") {
            continue;
        }
        let (begin_kind, begin) = part(spec, "begin_search")?;
        let mut first = match begin_kind {
            b"index" => integer(begin, "index")?,
            b"keyword" => {
                let Some(Frame::Bulk(keyword)) = field(begin, "keyword") else {
                    return None;
                };
                let start_from = integer(begin, "startfrom")?;
                let (start, end) = if start_from > 0 {
                    (start_from, argc - 1)
                } else {
                    (argc + start_from, 1)
                };
                let step = if start <= end { 1 } else { -1 };
                let mut found = 0;
                let mut index = start;
                while index != end && (1..argc).contains(&index) {
                    if argv[index as usize].eq_ignore_ascii_case(keyword) {
                        found = index + 1;
                        break;
                    }
                    index += step;
                }
                if found == 0 {
                    // No keyword: this spec names no key in this call.
                    continue;
                }
                found
            }
            _ => return None,
        };
        let (find_kind, find) = part(spec, "find_keys")?;
        let (last, step) = match find_kind {
            b"range" => {
                let last_key = integer(find, "lastkey")?;
                let limit = integer(find, "limit")?;
                let last = if last_key >= 0 {
                    first + last_key
                } else if limit == 0 {
                    argc + last_key
                } else {
                    first + ((argc - first) / limit + last_key)
                };
                (last, integer(find, "keystep")?)
            }
            b"keynum" => {
                let count_index = first + integer(find, "keynumidx")?;
                let count = argv
                    .get(usize::try_from(count_index).ok()?)
                    .and_then(|arg| parse_i64(arg))
                    .filter(|count| *count >= 0)?;
                first += integer(find, "firstkey")?;
                (first + count - 1, integer(find, "keystep")?)
            }
            _ => return None,
        };
        if last >= argc || last < first || first >= argc || step < 1 {
            return None;
        }
        let flags = field(spec, "flags")
            .cloned()
            .unwrap_or(Frame::Array(vec![]));
        let mut index = first;
        while index <= last {
            // Past the end only with a variable arity: the command itself reports the error.
            if index < argc {
                keys.push(KeyRef {
                    index: index as usize,
                    flags: flags.clone(),
                });
            } else if arity > 0 {
                return None;
            }
            index += step;
        }
        if has_flag(spec, "incomplete") {
            return None;
        }
    }
    Some(keys)
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn command_getkeys_refuses_unknown_and_keyless_commands() {
        let mut node = TestNode::new();
        assert_eq!(
            node.run("COMMAND GETKEYS nosuch x"),
            Frame::error("ERR Invalid command specified")
        );
        assert_eq!(
            node.run("COMMAND GETKEYS ping x"),
            Frame::error("ERR The command has no key arguments")
        );
        assert_eq!(
            node.run("COMMAND GETKEYS config get"),
            Frame::error("ERR The command has no key arguments")
        );
        assert_eq!(
            node.run("COMMAND GETKEYS config nosuch"),
            Frame::error("ERR Invalid command specified")
        );
    }
}
