//! `CONFIG GET|SET|RESETSTAT|HELP`: read and change the directives of `engine::config`.
//!
//! CONFIG SET is atomic as in Redis 7.0: every pair is checked (unknown name, immutable or
//! protected directive, duplicate) before any is set, values are parsed into a copy of the
//! configuration, and the copy replaces the live one only if every value was accepted.

use crate::engine::command::{args, error_with_user_text, Ctx};
use crate::engine::config::{
    lookup_directive, set_directive, Directive, DIRECTIVES, IMMUTABLE, MULTI_ARG, PROTECTED,
};
use crate::engine::resp::Frame;
use crate::engine::state::Stats;

use super::{help_reply, string_match};

/// # Format
///
/// ```text
/// CONFIG GET parameter [parameter ...]
/// ```
///
/// Each parameter is a name (or old alias) or a glob pattern; the reply maps every match to its
/// value, each directive once (Redis's dict of matches, so a name and its alias are two entries).
pub(super) fn execute_get(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let mut matches: Vec<(Vec<u8>, &'static Directive)> = Vec::new();
    let already = |matches: &[(Vec<u8>, &Directive)], name: &[u8]| {
        matches
            .iter()
            .any(|(seen, _)| seen.eq_ignore_ascii_case(name))
    };
    let (_, patterns) = args::at_least::<2>(args);
    for pattern in patterns {
        if !pattern.iter().any(|b| matches!(b, b'[' | b'*' | b'?')) {
            // A plain name is looked up and echoed as the user spelled it.
            if let Some(directive) = lookup_directive(pattern) {
                if !already(&matches, pattern) {
                    matches.push((pattern.clone(), directive));
                }
            }
            continue;
        }
        for directive in DIRECTIVES {
            for name in std::iter::once(directive.name).chain(directive.alias) {
                if !already(&matches, name.as_bytes())
                    && string_match(pattern, name.as_bytes(), true)
                {
                    matches.push((name.as_bytes().to_vec(), directive));
                }
            }
        }
    }
    let config = &ctx.state.config;
    let mut reply = Vec::with_capacity(matches.len() * 2);
    for (name, directive) in matches {
        reply.push(Frame::Bulk(name));
        reply.push(Frame::Bulk(directive.get(config)));
    }
    Frame::Array(reply)
}

/// # Format
///
/// ```text
/// CONFIG SET parameter value [parameter value ...]
/// ```
///
/// Multi-word directives (`save`, `bind`, `client-output-buffer-limit`) take their words in one
/// value separated by spaces.
pub(super) fn execute_set(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let (_, words) = args::at_least::<2>(args);
    let (pairs, []) = words.as_chunks::<2>() else {
        return args::syntax_error();
    };
    let pairs: Vec<(&[u8], &[u8])> = pairs
        .iter()
        .map(|[name, value]| (name.as_slice(), value.as_slice()))
        .collect();

    // First pass: names only, first error wins (Redis's order of checks).
    let peer = ctx.client_ref().peer.addr.clone();
    let protected_allowed = ctx.state.config.enable_protected_configs.allows(&peer);
    let mut directives: Vec<(&'static Directive, &'static str)> = Vec::with_capacity(pairs.len());
    for (name, _) in &pairs {
        let Some(directive) = lookup_directive(name) else {
            return set_error_unknown(name);
        };
        // An alias counts as a directive of its own (Redis 7.0 registers it separately), so
        // setting a directive and its alias together is not a duplicate.
        let table_name = directive.table_name(name);
        if directive.flags & IMMUTABLE != 0 {
            return set_error(name, "can't set immutable config");
        }
        if directive.flags & PROTECTED != 0 && !protected_allowed {
            return set_error(name, "can't set protected config");
        }
        if directives.iter().any(|(_, seen)| *seen == table_name) {
            return set_error(name, "duplicate parameter");
        }
        directives.push((directive, table_name));
    }

    // Second pass: parse every value into a copy; the live config changes only if all succeed.
    let mut updated = ctx.state.config.clone();
    let mut changed = Vec::new();
    for ((directive, table_name), (_, value)) in directives.iter().zip(&pairs) {
        let before = directive.get(&updated);
        // Redis's `sdssplitlen`: an empty value is no words at all.
        let words: Vec<&[u8]> = if directive.flags & MULTI_ARG == 0 {
            vec![value]
        } else if value.is_empty() {
            Vec::new()
        } else {
            value.split(|&b| b == b' ').collect()
        };
        if let Err(reason) = set_directive(&mut updated, directive.name, &words) {
            // Redis names the directive as its table does here, not as typed.
            return set_error(table_name.as_bytes(), &reason);
        }
        if directive.get(&updated) != before {
            changed.push(*directive);
        }
    }
    for directive in changed {
        if let Some(apply) = directive.apply {
            apply(&mut updated);
        }
    }
    let password_removed = ctx.state.config.requirepass.is_some() && updated.requirepass.is_none();
    ctx.state.config = updated;
    resize_backlog(ctx);
    if password_removed {
        // Without a password the default user is `nopass`: nobody needs AUTH any more
        // (Redis's `authRequired` looks at the user, not only at the client's flag).
        for client in ctx.clients.values_mut() {
            client.authenticated = true;
        }
    }
    Frame::ok()
}

/// A new `repl-backlog-size` takes effect at once, keeping the newest bytes that fit
/// (Redis's `resizeReplicationBacklog`).
fn resize_backlog(ctx: &mut Ctx) {
    let size_bytes = ctx.state.config.repl_backlog_size_bytes.max(1) as usize;
    if let Some(backlog) = ctx.state.repl.backlog.as_mut() {
        if backlog.size_bytes() != size_bytes {
            *backlog = backlog.resized(size_bytes);
        }
    }
}

fn set_error_unknown(name: &[u8]) -> Frame {
    let mut message = b"ERR Unknown option or number of arguments for CONFIG SET - '".to_vec();
    message.extend_from_slice(name);
    message.push(b'\'');
    error_with_user_text(message)
}

fn set_error(name: &[u8], reason: &str) -> Frame {
    let mut message = b"ERR CONFIG SET failed (possibly related to argument '".to_vec();
    message.extend_from_slice(name);
    message.extend_from_slice(b"') - ");
    message.extend_from_slice(reason.as_bytes());
    error_with_user_text(message)
}

/// # Format
///
/// ```text
/// CONFIG REWRITE
/// ```
///
/// The engine reads no configuration file (a driver applies one through `set_directive`), so
/// it answers as Redis does when started without one.
pub(super) fn execute_rewrite(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    Frame::error("ERR The server is running without a config file")
}

/// # Format
///
/// ```text
/// CONFIG RESETSTAT
/// ```
///
/// Zeroes INFO's counters, command statistics and error statistics (Redis's `resetServerStats`,
/// `resetCommandTableStats`, `resetErrorTableStats`).
pub(super) fn execute_resetstat(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    ctx.state.stats = Stats::default();
    Frame::ok()
}

/// # Format
///
/// ```text
/// CONFIG HELP
/// ```
pub(super) fn execute_help(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    help_reply(
        "config",
        concat!(
            "GET <pattern>\n",
            "    Return parameters matching the glob-like <pattern> and their values.\n",
            "SET <directive> <value>\n",
            "    Set the configuration <directive> to <value>.\n",
            "RESETSTAT\n",
            "    Reset statistics reported by the INFO command.\n",
            "REWRITE\n",
            "    Rewrite the configuration file.\n",
        ),
    )
}

#[cfg(test)]
mod tests {
    use crate::engine::client::{Client, Peer};
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    use crate::engine::ConnId;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn bulks(items: &[&str]) -> Frame {
        Frame::Array(
            items
                .iter()
                .map(|item| Frame::bulk(item.as_bytes()))
                .collect(),
        )
    }

    #[test]
    fn config_get_echoes_the_name_as_typed_and_dedups_case_insensitively() {
        let mut node = TestNode::new();
        assert_eq!(
            node.run("CONFIG GET MAXMEMORY maxmemory"),
            bulks(&["MAXMEMORY", "0"])
        );
        assert_eq!(node.run("CONFIG GET nosuch"), bulks(&[]));
    }

    #[test]
    fn config_get_patterns_match_names_and_aliases() {
        let mut node = TestNode::new();
        assert_eq!(
            node.run("CONFIG GET *slave-pr* hz"),
            bulks(&["slave-priority", "100", "hz", "10"])
        );
        assert_eq!(
            node.run("CONFIG GET hash-max-*-entries"),
            bulks(&[
                "hash-max-listpack-entries",
                "512",
                "hash-max-ziplist-entries",
                "512"
            ])
        );
    }

    #[test]
    fn config_set_is_all_or_nothing() {
        let mut node = TestNode::new();
        assert_eq!(
            node.run("CONFIG SET hz 20 maxmemory abc"),
            Frame::error(
                "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument \
                 must be a memory value"
            )
        );
        assert_eq!(node.state.config.hz, 10);
        assert_eq!(node.run("CONFIG SET hz 20 maxmemory 1mb"), Frame::ok());
        assert_eq!(
            (node.state.config.hz, node.state.config.maxmemory_bytes),
            (20, 1 << 20)
        );
    }

    #[test]
    fn config_set_checks_names_before_values() {
        let mut node = TestNode::new();
        assert_eq!(
            node.run("CONFIG SET maxmemory abc foo bar"),
            Frame::error("ERR Unknown option or number of arguments for CONFIG SET - 'foo'")
        );
        assert_eq!(
            node.run("CONFIG SET maxmemory 10 MAXMEMORY 20"),
            Frame::error(
                "ERR CONFIG SET failed (possibly related to argument 'MAXMEMORY') - duplicate \
                 parameter"
            )
        );
        assert_eq!(
            node.run("CONFIG SET hash-max-ziplist-entries 1 hash-max-listpack-entries 2"),
            Frame::ok(),
            "an alias is a directive of its own"
        );
        assert_eq!(node.state.config.hash_listpack.entries_max, 2);
        assert_eq!(
            node.run("CONFIG SET databases 3"),
            Frame::error(
                "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set \
                 immutable config"
            )
        );
        assert_eq!(
            node.run("CONFIG SET dir /tmp"),
            Frame::error(
                "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set \
                 protected config"
            )
        );
        assert_eq!(
            node.run("CONFIG SET hz 1 hz"),
            Frame::error("ERR syntax error")
        );
    }

    #[test]
    fn config_set_names_value_errors_as_the_table_spells_them() {
        let mut node = TestNode::new();
        assert_eq!(
            node.run("CONFIG SET HASH-MAX-ZIPLIST-ENTRIES -1"),
            Frame::error(
                "ERR CONFIG SET failed (possibly related to argument 'hash-max-ziplist-entries') \
                 - argument must be between 0 and 9223372036854775807 inclusive"
            )
        );
    }

    #[test]
    fn config_set_multi_word_values_split_on_spaces() {
        let mut node = TestNode::new();
        assert_eq!(node.run("CONFIG SET save \"100 1 10 5\""), Frame::ok());
        assert_eq!(node.run("CONFIG GET save"), bulks(&["save", "100 1 10 5"]));
        assert_eq!(
            node.run("CONFIG SET save \"100 1 10\""),
            Frame::error(
                "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save \
                 parameters"
            )
        );
    }

    #[test]
    fn config_set_repl_backlog_size_applies_the_16k_floor_only_when_changed() {
        let mut node = TestNode::new();
        assert_eq!(node.run("CONFIG SET repl-backlog-size 1"), Frame::ok());
        assert_eq!(node.state.config.repl_backlog_size_bytes, 16384);
    }

    #[test]
    fn config_set_repl_backlog_size_resizes_a_live_backlog_keeping_its_newest_bytes() {
        let mut node = TestNode::new();
        node.state.repl.create_backlog(16384);
        node.state.repl.append_to_backlog(&[b'x'; 20_000]);
        assert_eq!(node.run("CONFIG SET repl-backlog-size 20000"), Frame::ok());
        let backlog = node.state.repl.backlog.as_ref().unwrap();
        assert_eq!((backlog.size_bytes(), backlog.histlen()), (20_000, 16384));
        assert_eq!(backlog.end_offset(), 20_000);
        assert_eq!(node.run("CONFIG SET repl-backlog-size 1"), Frame::ok());
        let backlog = node.state.repl.backlog.as_ref().unwrap();
        assert_eq!((backlog.size_bytes(), backlog.histlen()), (16384, 16384));
        assert_eq!(backlog.first_byte_offset(), 20_000 - 16384 + 1);
    }

    #[test]
    fn config_set_clearing_requirepass_lets_everyone_in() {
        let mut node = TestNode::new();
        assert_eq!(node.run("CONFIG SET requirepass secret"), Frame::ok());
        let waiting = Client::new(2, ConnId(2), Peer::default(), node.now, false);
        node.clients.insert(ConnId(2), Box::new(waiting));
        assert_eq!(node.run("CONFIG SET requirepass \"\""), Frame::ok());
        assert!(node.clients[&ConnId(2)].authenticated);
    }

    #[test]
    fn config_resetstat_zeroes_the_counters() {
        let mut node = TestNode::new();
        node.run("NOSUCH");
        assert_eq!(node.state.stats.error_replies, 1);
        assert_eq!(node.run("CONFIG RESETSTAT"), Frame::ok());
        assert_eq!(node.state.stats.error_replies, 0);
        assert_eq!(
            node.state.stats.commands.len(),
            1,
            "only CONFIG RESETSTAT itself"
        );
    }
}
