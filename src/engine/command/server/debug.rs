//! `DEBUG <subcommand>`: the subset of Redis's debugging commands a simulated node can honour.
//!
//! Implemented: HELP, SLEEP, DIGEST, DIGEST-VALUE, SET-ACTIVE-EXPIRE and ERROR. Every other
//! subcommand Redis lists in DEBUG HELP (RELOAD, OBJECT, POPULATE, ...) answers like an unknown
//! one.
//!
//! DEBUG SLEEP cannot block a sans-IO engine. It is modelled as the node being *busy* until
//! now + N seconds: it sets `NodeState::busy_until`, the node holds the SLEEP reply and every
//! later request (of any client) until then, and asks its driver to wake it at that time
//! (`Node::poll_timeout`). So a client sees the reply N seconds later, and nothing else is
//! served meanwhile, as with Redis's `nanosleep`.
//!
//! Redis refuses DEBUG in `processCommand`, before authentication and MULTI queueing, unless
//! `enable-debug-command` allows it; this engine checks when the command runs, so an
//! unauthenticated client gets NOAUTH first and inside MULTI the refusal comes at EXEC.

use crate::engine::command::strtod::strtod;
use crate::engine::command::{args, error_with_user_text, Ctx};
use crate::engine::resp::Frame;
use crate::engine::time::Instant;

use super::digest::{dataset_digest, hex, mix_value, Digest};

/// Redis 7.0.15's DEBUG HELP text (the jemalloc build's), without the header and HELP lines.
const HELP: &str = concat!(
    "AOF-FLUSH-SLEEP <microsec>\n",
    "    Server will sleep before flushing the AOF, this is used for testing.\n",
    "ASSERT\n",
    "    Crash by assertion failed.\n",
    "CHANGE-REPL-ID\n",
    "    Change the replication IDs of the instance.\n",
    "    Dangerous: should be used only for testing the replication subsystem.\n",
    "CONFIG-REWRITE-FORCE-ALL\n",
    "    Like CONFIG REWRITE but writes all configuration options, including\n",
    "    keywords not listed in original configuration file or default values.\n",
    "CRASH-AND-RECOVER [<milliseconds>]\n",
    "    Hard crash and restart after a <milliseconds> delay (default 0).\n",
    "DIGEST\n",
    "    Output a hex signature representing the current DB content.\n",
    "DIGEST-VALUE <key> [<key> ...]\n",
    "    Output a hex signature of the values of all the specified keys.\n",
    "ERROR <string>\n",
    "    Return a Redis protocol error with <string> as message. Useful for clients\n",
    "    unit tests to simulate Redis errors.\n",
    "LEAK <string>\n",
    "    Create a memory leak of the input string.\n",
    "LOG <message>\n",
    "    Write <message> to the server log.\n",
    "HTSTATS <dbid>\n",
    "    Return hash table statistics of the specified Redis database.\n",
    "HTSTATS-KEY <key>\n",
    "    Like HTSTATS but for the hash table stored at <key>'s value.\n",
    "LOADAOF\n",
    "    Flush the AOF buffers on disk and reload the AOF in memory.\n",
    "REPLICATE <string>\n",
    "    Replicates the provided string to replicas, allowing data divergence.\n",
    "MALLCTL <key> [<val>]\n",
    "    Get or set a malloc tuning integer.\n",
    "MALLCTL-STR <key> [<val>]\n",
    "    Get or set a malloc tuning string.\n",
    "OBJECT <key>\n",
    "    Show low level info about `key` and associated value.\n",
    "DROP-CLUSTER-PACKET-FILTER <packet-type>\n",
    "    Drop all packets that match the filtered type. Set to -1 allow all packets.\n",
    "OOM\n",
    "    Crash the server simulating an out-of-memory error.\n",
    "PANIC\n",
    "    Crash the server simulating a panic.\n",
    "POPULATE <count> [<prefix>] [<size>]\n",
    "    Create <count> string keys named key:<num>. If <prefix> is specified then\n",
    "    it is used instead of the 'key' prefix. These are not propagated to\n",
    "    replicas. Cluster slots are not respected so keys not belonging to the\n",
    "    current node can be created in cluster mode.\n",
    "PROTOCOL <type>\n",
    "    Reply with a test value of the specified type. <type> can be: string,\n",
    "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,\n",
    "    true, false.\n",
    "RELOAD [option ...]\n",
    "    Save the RDB on disk and reload it back to memory. Valid <option> values:\n",
    "    * MERGE: conflicting keys will be loaded from RDB.\n",
    "    * NOFLUSH: the existing database will not be removed before load, but\n",
    "      conflicting keys will generate an exception and kill the server.\n",
    "    * NOSAVE: the database will be loaded from an existing RDB file.\n",
    "    Examples:\n",
    "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload\n",
    "      the database.\n",
    "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an\n",
    "      existing RDB file.\n",
    "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB\n",
    "      file to the database.\n",
    "RESTART [<milliseconds>]\n",
    "    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).\n",
    "SDSLEN <key>\n",
    "    Show low level SDS string info representing `key` and value.\n",
    "SEGFAULT\n",
    "    Crash the server with sigsegv.\n",
    "SET-ACTIVE-EXPIRE <0|1>\n",
    "    Setting it to 0 disables expiring keys in background when they are not\n",
    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the\n",
    "    default.\n",
    "QUICKLIST-PACKED-THRESHOLD <size>\n",
    "    Sets the threshold for elements to be inserted as plain vs packed nodes\n",
    "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.\n",
    "SET-SKIP-CHECKSUM-VALIDATION <0|1>\n",
    "    Enables or disables checksum checks for RDB files and RESTORE's payload.\n",
    "SLEEP <seconds>\n",
    "    Stop the server for <seconds>. Decimals allowed.\n",
    "STRINGMATCH-TEST\n",
    "    Run a fuzz tester against the stringmatchlen() function.\n",
    "STRUCTSIZE\n",
    "    Return the size of different Redis core C structures.\n",
    "LISTPACK <key>\n",
    "    Show low level info about the listpack encoding of <key>.\n",
    "QUICKLIST <key> [<0|1>]\n",
    "    Show low level info about the quicklist encoding of <key>.\n",
    "    The optional argument (0 by default) sets the level of detail\n",
    "CLIENT-EVICTION\n",
    "    Show low level client eviction pools info (maxmemory-clients).\n",
    "PAUSE-CRON <0|1>\n",
    "    Stop periodic cron job processing.\n",
    "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>\n",
    "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.\n",
    "    In case NEVER is provided the last observed peak will never be reset\n",
    "    In case RESET is provided the peak reset time will be restored to the default value\n",
    "REPLYBUFFER RESIZING <0|1>\n",
    "    Enable or disable the reply buffer resize cron job\n",
    "CLUSTERLINK KILL <to|from|all> <node-id>\n",
    "    Kills the link based on the direction to/from (both) with the provided node.\n",
);

/// # Format
///
/// ```text
/// DEBUG HELP
/// DEBUG SLEEP seconds
/// DEBUG DIGEST
/// DEBUG DIGEST-VALUE [key ...]
/// DEBUG SET-ACTIVE-EXPIRE 0|1
/// DEBUG ERROR message
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let peer = ctx.client_ref().peer.addr.clone();
    if !ctx.state.config.enable_debug_command.allows(&peer) {
        return Frame::error(
            "ERR DEBUG command not allowed. If the enable-debug-command option is set to \
             \"local\", you can run it from a local connection, otherwise you need to set this \
             option in the configuration file, and then restart the server.",
        );
    }
    let ([_, subcommand], rest) = args::at_least(args);
    match (subcommand.to_ascii_lowercase().as_slice(), rest) {
        (b"help", []) => super::help_reply("debug", HELP),
        (b"sleep", [seconds]) => sleep(ctx, seconds),
        (b"digest", []) => Frame::Simple(hex(&dataset_digest(&ctx.state.keyspace))),
        (b"digest-value", keys) => {
            // No lookup: a debug command sees logically expired keys too.
            let db = ctx.db();
            let digests = keys
                .iter()
                .map(|key| {
                    let mut digest = Digest::default();
                    if let Some(entry) = db.lookup(key) {
                        mix_value(&mut digest, entry);
                    }
                    Frame::Simple(hex(&digest))
                })
                .collect();
            Frame::Array(digests)
        }
        (b"set-active-expire", [flag]) => {
            // Redis reads the flag with atoi: anything but a non-zero number turns it off.
            ctx.state.active_expire_enabled = args::c_integer(flag) != 0;
            Frame::ok()
        }
        // Redis writes this reply raw: it is not counted in the error statistics there (here it
        // is, as any error reply).
        (b"error", [text]) => error_with_user_text(text.clone()),
        _ => args::subcommand_syntax_error(args),
    }
}

/// DEBUG SLEEP: the node is busy for the given seconds (`strtod(argv[2], NULL)`: decimals
/// allowed, a malformed number reads as its longest valid prefix, or 0).
fn sleep(ctx: &mut Ctx, seconds: &[u8]) -> Frame {
    let micros = strtod(seconds).value * 1_000_000.0;
    // A float-to-int cast saturates, and NaN becomes 0: no overflow whatever the input.
    let micros = micros as i64;
    if micros > 0 {
        let until = ctx.now.as_micros().saturating_add(micros as u64);
        ctx.state.busy_until = Some(Instant::from_micros(until));
    }
    Frame::ok()
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::config::ProtectedAction;
    use crate::engine::resp::Frame;
    use crate::engine::time::Instant;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn debug_node() -> TestNode {
        let mut node = TestNode::new();
        node.state.config.enable_debug_command = ProtectedAction::Yes;
        node
    }

    #[test]
    fn debug_is_refused_unless_enabled() {
        let mut node = TestNode::new();
        let reply = node.run("DEBUG DIGEST");
        assert!(
            matches!(&reply, Frame::Error(text) if text.starts_with(b"ERR DEBUG command not allowed."))
        );
        node.state.config.enable_debug_command = ProtectedAction::Local;
        assert!(
            node.run("DEBUG DIGEST").is_error(),
            "the test client has no loopback address"
        );
        node.clients
            .values_mut()
            .for_each(|c| c.peer.addr = "127.0.0.1:5000".into());
        assert_eq!(node.run("DEBUG DIGEST"), Frame::Simple("0".repeat(40)));
    }

    #[test]
    fn debug_unknown_subcommands_and_wrong_counts_share_one_error() {
        let mut node = debug_node();
        for (line, name) in [
            ("debug FOO", "FOO"),
            ("DEBUG SLEEP", "SLEEP"),
            ("DEBUG DIGEST x", "DIGEST"),
        ] {
            assert_eq!(
                node.run(line),
                Frame::error(format!(
                    "ERR unknown subcommand or wrong number of arguments for '{name}'. Try DEBUG HELP."
                ))
            );
        }
    }

    #[test]
    fn debug_digest_value_reports_zeros_for_missing_keys() {
        let mut node = debug_node();
        assert_eq!(node.run("DEBUG DIGEST-VALUE"), Frame::Array(vec![]));
        assert_eq!(
            node.run("DEBUG DIGEST-VALUE nokey"),
            Frame::Array(vec![Frame::Simple("0".repeat(40))])
        );
    }

    #[test]
    fn debug_sleep_makes_the_node_busy_until_the_deadline() {
        let mut node = debug_node();
        assert_eq!(node.run("DEBUG SLEEP 0"), Frame::ok());
        assert_eq!(node.state.busy_until, None);
        assert_eq!(node.run("DEBUG SLEEP x"), Frame::ok());
        assert_eq!(node.state.busy_until, None);
        assert_eq!(node.run("DEBUG SLEEP 1.5"), Frame::ok());
        assert_eq!(
            node.state.busy_until,
            Some(Instant::from_micros(node.now.as_micros() + 1_500_000))
        );
    }

    #[test]
    fn debug_set_active_expire_reads_its_flag_like_atoi() {
        let mut node = debug_node();
        for (flag, enabled) in [("0", false), ("2", true), ("x", false), ("1", true)] {
            assert_eq!(
                node.run(&format!("DEBUG SET-ACTIVE-EXPIRE {flag}")),
                Frame::ok()
            );
            assert_eq!(node.state.active_expire_enabled, enabled, "{flag}");
        }
    }

    #[test]
    fn debug_error_replies_with_the_given_text() {
        let mut node = debug_node();
        assert_eq!(
            node.run("DEBUG ERROR \"BOOM it broke\""),
            Frame::error("BOOM it broke")
        );
    }
}
