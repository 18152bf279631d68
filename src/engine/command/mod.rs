//! Commands: the table Redis 7.0 knows, the checks every request goes through, and one file per
//! command, grouped by family (`strings/`, `lists/`, ...).
//!
//! [`process`] mirrors Redis's `processCommand`: look the command up, check its arity, check
//! authentication, memory and context, queue it inside MULTI, or [`call`] it. `call` runs the
//! command and, if it changed the dataset (the `dirty` counter moved), propagates it.
//!
//! A command's `execute` takes a [`Ctx`] and the arguments and *returns* its reply (mini-redis's
//! `apply`, made sans-IO).

pub mod args;
mod connection;
pub mod context;
mod hashes;
mod keys;
mod lists;
mod long_double;
mod pubsub;
mod replication;
mod scan;
mod server;
mod sets;
mod sorted_sets;
mod strings;
pub(crate) mod strtod;
mod transactions;

use std::sync::OnceLock;

pub use context::Ctx;
pub(crate) use replication::role_reply;
pub use server::command_docs;
pub(crate) use server::info_replication;
pub(crate) use server::{dataset_digest, hex as digest_hex};

use super::client::ClientKind;
use super::propagate::PropagatedCommand;
use super::resp::Frame;
use super::state::CommandStats;

/// Command flags that change how requests are processed (Redis's `CMD_*`).
pub mod flags {
    /// Modifies the dataset.
    pub const WRITE: u32 = 1 << 0;
    /// Only reads.
    pub const READONLY: u32 = 1 << 1;
    /// May grow memory use: refused with `-OOM` above `maxmemory`.
    pub const DENYOOM: u32 = 1 << 2;
    /// Administrative.
    pub const ADMIN: u32 = 1 << 3;
    /// Allowed before AUTH.
    pub const NO_AUTH: u32 = 1 << 4;
    /// Allowed in RESP2 subscriber mode.
    pub const PUBSUB_CONTEXT: u32 = 1 << 5;
    /// Runs directly instead of being queued inside MULTI (EXEC, DISCARD, MULTI, WATCH, QUIT).
    pub const NOT_QUEUED: u32 = 1 << 6;
    /// Its lazy-expiry DELs are never wrapped in MULTI/EXEC (SCAN, RANDOMKEY).
    pub const TOUCHES_ARBITRARY_KEYS: u32 = 1 << 7;
    /// Fast (O(1) or O(log n)).
    pub const FAST: u32 = 1 << 8;
    /// Refused inside MULTI (`no_multi`: SAVE, SHUTDOWN, SYNC, PSYNC).
    pub const NO_MULTI: u32 = 1 << 9;
}

/// Runs one command.
pub type Execute = fn(&mut Ctx, &[Vec<u8>]) -> Frame;

/// One row of the command table (Redis's `redisCommand`).
pub struct CommandSpec {
    /// Lower-case name, as Redis prints it in errors and statistics: a subcommand's is its full
    /// name (`config|get`).
    pub name: &'static str,
    /// Exact argument count including the name(s) if positive; the minimum if negative.
    pub arity: i32,
    /// [`flags`] bits.
    pub flags: u32,
    /// The implementation (unused by containers, whose subcommands run instead).
    pub execute: Execute,
    /// Subcommands, for container commands such as CONFIG and CLIENT.
    pub subcommands: &'static [CommandSpec],
}

impl CommandSpec {
    /// The word a request names it by: a command's name, a subcommand's part after the `|`.
    pub fn short_name(&self) -> &'static str {
        self.name.rsplit_once('|').map_or(self.name, |(_, sub)| sub)
    }

    /// A command without subcommands.
    pub const fn new(name: &'static str, arity: i32, flags: u32, execute: Execute) -> CommandSpec {
        CommandSpec {
            name,
            arity,
            flags,
            execute,
            subcommands: &[],
        }
    }

    /// A container command (OBJECT, CONFIG, CLIENT): [`process`] runs one of its `subcommands`,
    /// or refuses the request (named alone, these containers fail their arity check). COMMAND,
    /// which runs itself when named alone, is built with its own `execute` instead.
    pub const fn container(
        name: &'static str,
        arity: i32,
        flags: u32,
        subcommands: &'static [CommandSpec],
    ) -> CommandSpec {
        CommandSpec {
            name,
            arity,
            flags,
            execute: container_without_subcommand,
            subcommands,
        }
    }
}

/// The `execute` of a container command: never called, as [`resolve`] always picks a
/// subcommand or refuses the request.
fn container_without_subcommand(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    Frame::error("ERR unreachable: container command without a subcommand")
}

/// Every family's table; a new family adds one line here.
const FAMILIES: &[&[CommandSpec]] = &[
    connection::COMMANDS,
    hashes::COMMANDS,
    keys::COMMANDS,
    lists::COMMANDS,
    pubsub::COMMANDS,
    replication::COMMANDS,
    sets::COMMANDS,
    sorted_sets::COMMANDS,
    strings::COMMANDS,
    server::COMMANDS,
    transactions::COMMANDS,
];

/// All top-level commands sorted by name, for binary search.
fn table() -> &'static [&'static CommandSpec] {
    static TABLE: OnceLock<Vec<&'static CommandSpec>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut all: Vec<&'static CommandSpec> = Vec::new();
        for family in FAMILIES {
            all.extend(family.iter());
        }
        crate::engine::sort::sort_by_key(&mut all, |spec| spec.name);
        all
    })
}

/// Every top-level command (COMMAND COUNT, COMMAND INFO with no names, help).
pub fn all_commands() -> &'static [&'static CommandSpec] {
    table()
}

/// Finds a top-level command by name, case-insensitively.
pub fn lookup(name: &[u8]) -> Option<&'static CommandSpec> {
    let table = table();
    table
        .binary_search_by(|spec| compare_ignore_ascii_case(spec.name.as_bytes(), name))
        .ok()
        .map(|index| table[index])
}

fn compare_ignore_ascii_case(lower: &[u8], other: &[u8]) -> std::cmp::Ordering {
    lower
        .iter()
        .copied()
        .cmp(other.iter().map(u8::to_ascii_lowercase))
}

/// The command a request names and its full name (`config|get` for subcommands), or the error
/// Redis answers for an unknown command or wrong arity (`commandCheckExistence`/`Arity`) together
/// with the full name when the command exists (Redis then counts the refusal against it).
fn resolve(
    args: &[Vec<u8>],
) -> Result<(&'static CommandSpec, &'static str), (Option<&'static str>, Frame)> {
    let Some(mut spec) = args.first().and_then(|name| lookup(name)) else {
        return Err((None, unknown_command(args)));
    };
    // A container named alone runs itself if its own arity allows it (COMMAND, arity -1);
    // otherwise the arity check below refuses it (CONFIG, CLIENT: arity -2).
    let typed_sub = args.get(1).filter(|_| !spec.subcommands.is_empty());
    if let Some(typed_sub) = typed_sub {
        let sub = spec
            .subcommands
            .iter()
            .find(|sub| sub.short_name().as_bytes().eq_ignore_ascii_case(typed_sub));
        let Some(sub) = sub else {
            let mut message = b"ERR unknown subcommand '".to_vec();
            message.extend_from_slice(typed_sub.get(..128).unwrap_or(typed_sub));
            message.extend_from_slice(
                format!("'. Try {} HELP.", spec.name.to_ascii_uppercase()).as_bytes(),
            );
            return Err((None, error_with_user_text(message)));
        };
        spec = sub;
    }
    let full_name = spec.name;
    let argc = args.len() as i64;
    let arity = i64::from(spec.arity);
    if (arity > 0 && argc != arity) || argc < -arity {
        return Err((Some(full_name), wrong_arity(full_name)));
    }
    Ok((spec, full_name))
}

/// `-ERR wrong number of arguments for '<command>' command` (Redis's `addReplyErrorArity`):
/// also what commands whose arity the table cannot express answer themselves (MSET's pairs).
pub(super) fn wrong_arity(full_name: &str) -> Frame {
    Frame::error(format!(
        "ERR wrong number of arguments for '{full_name}' command"
    ))
}

/// Processes one non-empty request from the calling client: checks, MULTI queueing, then
/// [`call`]. Returns the reply.
pub fn process(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let (spec, full_name) = match resolve(args) {
        Ok(found) => found,
        Err((full_name, reply)) => return reject(ctx, full_name, reply),
    };
    if !ctx.client_ref().authenticated && spec.flags & flags::NO_AUTH == 0 {
        return reject(
            ctx,
            Some(full_name),
            Frame::error("NOAUTH Authentication required."),
        );
    }
    if ctx.client_ref().in_transaction() && spec.flags & flags::NO_MULTI != 0 {
        return reject(
            ctx,
            Some(full_name),
            Frame::error("ERR Command not allowed inside a transaction"),
        );
    }
    // Redis's performEvictions: before every command while a limit is set (a replica leaves
    // that to its master with `replica-ignore-maxmemory`).
    let ignores_maxmemory =
        ctx.state.repl.is_replica() && ctx.state.config.replica_ignore_maxmemory;
    let fits = ignores_maxmemory || crate::engine::evict::evict_until_under_limit(ctx.state);
    if refused_for_memory(ctx, spec, full_name) && !fits {
        return reject(
            ctx,
            Some(full_name),
            Frame::error("OOM command not allowed when used memory > 'maxmemory'."),
        );
    }
    if let Some(refusal) = replication_refusal(ctx, spec, full_name) {
        return reject(ctx, Some(full_name), refusal);
    }
    if let Some(refusal) = stale_refusal(ctx, full_name) {
        return reject(ctx, Some(full_name), refusal);
    }
    if ctx.state.loading.is_some() && !server::has_redis_flag(full_name, "loading") {
        return reject(
            ctx,
            Some(full_name),
            Frame::error("LOADING Redis is loading the dataset in memory"),
        );
    }
    if ctx.client_ref().kind == ClientKind::Replica
        && spec.flags & (flags::WRITE | flags::READONLY) != 0
    {
        return reject(
            ctx,
            Some(full_name),
            Frame::error("ERR Replica can't interact with the keyspace"),
        );
    }
    if is_write_command(ctx, spec, full_name)
        && ctx.client_ref().kind != ClientKind::Master
        && ctx.replication().writes_paused()
        && !ctx.client_ref().in_transaction()
    {
        // FAILOVER pauses writes: the request waits, unanswered, until the failover ends.
        ctx.client().postponed_request = Some(args.to_vec());
        ctx.state.repl.postponed.push(ctx.conn);
        ctx.reply_suppressed = true;
        return Frame::Null;
    }
    // RESP2 subscriber mode allows only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET.
    if ctx.client_ref().is_pubsub() && spec.flags & flags::PUBSUB_CONTEXT == 0 {
        let message = format!(
            "ERR Can't execute '{full_name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
        );
        return reject(ctx, Some(full_name), Frame::error(message));
    }
    if ctx.client_ref().in_transaction() && spec.flags & flags::NOT_QUEUED == 0 {
        if let Some(transaction) = ctx.client().transaction.as_mut() {
            // A doomed transaction keeps answering QUEUED but stores nothing (as Redis).
            if !transaction.aborted {
                transaction.queued.push(args.to_vec());
            }
        }
        return Frame::Simple("QUEUED".into());
    }
    ctx.client().last_command = full_name;
    call(ctx, spec, full_name, args)
}

/// Whether the command writes: write-flagged, or an EXEC with a queued write
/// (Redis's `is_write_command`).
fn is_write_command(ctx: &Ctx, spec: &CommandSpec, full_name: &str) -> bool {
    spec.flags & flags::WRITE != 0
        || (full_name == "exec" && any_queued(ctx, |spec, _| spec.flags & flags::WRITE != 0))
}

/// Whether a command queued in the caller's transaction satisfies `test` (given its spec and
/// full name): what EXEC's checks look at (Redis's `mstate.cmd_flags`).
fn any_queued(ctx: &Ctx, test: impl Fn(&CommandSpec, &str) -> bool) -> bool {
    ctx.client_ref()
        .transaction
        .as_ref()
        .is_some_and(|transaction| {
            transaction
                .queued
                .iter()
                .any(|queued| resolve(queued).is_ok_and(|(spec, full_name)| test(spec, full_name)))
        })
}

/// `-NOREPLICAS` (a master short of good replicas) and `-READONLY` (a read-only replica),
/// in Redis 7.0's order.
fn replication_refusal(ctx: &Ctx, spec: &CommandSpec, full_name: &str) -> Option<Frame> {
    if !is_write_command(ctx, spec, full_name) {
        return None;
    }
    let repl = &ctx.state.repl;
    let config = &ctx.state.config;
    let min_replicas_active =
        config.min_replicas_to_write > 0 && config.min_replicas_max_lag_secs > 0;
    if !repl.is_replica()
        && min_replicas_active
        && (repl.good_replicas as i64) < i64::from(config.min_replicas_to_write)
    {
        return Some(Frame::error(
            "NOREPLICAS Not enough good replicas to write.",
        ));
    }
    if repl.is_replica() && config.replica_read_only && ctx.client_ref().kind != ClientKind::Master
    {
        return Some(Frame::error(
            "READONLY You can't write against a read only replica.",
        ));
    }
    None
}

/// `-MASTERDOWN`: a replica whose link is down, with `replica-serve-stale-data no`, serves
/// only commands Redis flags `stale`.
fn stale_refusal(ctx: &Ctx, full_name: &str) -> Option<Frame> {
    let repl = &ctx.state.repl;
    if !repl.is_replica() || repl.link_is_up() || ctx.state.config.replica_serve_stale_data {
        return None;
    }
    let serves_stale = |name: &str| server::has_redis_flag(name, "stale");
    let denied = !serves_stale(full_name)
        || (full_name == "exec" && any_queued(ctx, |_, queued_name| !serves_stale(queued_name)));
    denied.then(|| {
        Frame::error(
            "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
        )
    })
}

/// Whether the command is refused when memory is over `maxmemory` (Redis 7.0's
/// `processCommand`): `denyoom` commands; EXEC if a queued command is `denyoom`; and, inside
/// MULTI, everything but EXEC, DISCARD, QUIT and RESET (queueing takes memory too).
fn refused_for_memory(ctx: &Ctx, spec: &CommandSpec, full_name: &str) -> bool {
    if spec.flags & flags::DENYOOM != 0 {
        return true;
    }
    if !ctx.client_ref().in_transaction() {
        return false;
    }
    match full_name {
        "exec" => any_queued(ctx, |spec, _| spec.flags & flags::DENYOOM != 0),
        "discard" | "quit" | "reset" => false,
        _ => true,
    }
}

/// A request refused before running: counts it and, inside MULTI, dooms the transaction
/// (Redis's `rejectCommand` + `flagTransaction`). A refused EXEC discards the transaction at once
/// and says why (`execCommandAbort`), even outside MULTI.
fn reject(ctx: &mut Ctx, full_name: Option<&'static str>, reply: Frame) -> Frame {
    if let Some(name) = full_name {
        ctx.state
            .stats
            .commands
            .get_or_insert_with(name, CommandStats::default)
            .rejected_calls += 1;
    }
    if let Some(transaction) = ctx.client().transaction.as_mut() {
        transaction.aborted = true;
    }
    let reply = match (full_name, reply) {
        (Some("exec"), Frame::Error(message)) => {
            transactions::discard_transaction(ctx);
            // Redis builds arity and context errors without the `ERR ` code and adds it only when
            // replying, so the EXECABORT text carries them bare; coded errors (OOM, NOAUTH) keep it.
            let reason = message.strip_prefix(b"ERR ").unwrap_or(&message);
            let mut text = b"EXECABORT Transaction discarded because of: ".to_vec();
            text.extend_from_slice(reason);
            Frame::Error(text)
        }
        (_, reply) => reply,
    };
    if let Frame::Error(message) = &reply {
        ctx.state.stats.record_error(message);
    }
    reply
}

/// Runs a command that passed the checks and propagates it if it changed the dataset (Redis's
/// `call`). Re-entrant: EXEC calls its queued commands through here, and the execution unit
/// ends when the outermost call returns.
pub fn call(ctx: &mut Ctx, spec: &CommandSpec, full_name: &'static str, args: &[Vec<u8>]) -> Frame {
    let outer_rewrite = ctx.rewritten_argv.take();
    let outer_prevented = std::mem::replace(&mut ctx.propagation_prevented, false);
    if ctx.state.call_depth == 0 && spec.flags & flags::TOUCHES_ARBITRARY_KEYS != 0 {
        ctx.state.unit.never_wrap();
    }
    ctx.state.call_depth += 1;
    let dirty_before = ctx.state.dirty;

    let reply = (spec.execute)(ctx, args);

    let propagates = ctx.state.dirty != dirty_before && !ctx.propagation_prevented;
    if propagates && ctx.propagation_needed() {
        let argv = ctx.rewritten_argv.take().unwrap_or_else(|| args.to_vec());
        let db = ctx.db_index();
        ctx.state.unit.push(PropagatedCommand::in_db(db, argv));
    }
    ctx.rewritten_argv = outer_rewrite;
    ctx.propagation_prevented = outer_prevented;

    let blocked = ctx
        .clients
        .get(&ctx.conn)
        .is_some_and(|client| client.blocked_wait.is_some());
    let stats = ctx
        .state
        .stats
        .commands
        .get_or_insert_with(full_name, CommandStats::default);
    stats.calls += 1;
    if !blocked {
        stats.latency_samples += 1;
    }
    if let Frame::Error(message) = &reply {
        stats.failed_calls += 1;
        ctx.state.stats.record_error(message);
    }
    ctx.state.stats.commands_processed += 1;
    ctx.state.call_depth -= 1;
    if ctx.state.call_depth == 0 {
        let units = ctx.state.unit.finish();
        ctx.state.propagated.extend(units);
    }
    reply
}

/// Redis's reply to a command it does not know: the name and the first arguments, each cut so
/// that the argument list stays near 128 bytes (`commandCheckExistence`).
fn unknown_command(args: &[Vec<u8>]) -> Frame {
    const SHOWN_BYTES_MAX: usize = 128;
    let mut shown = Vec::new();
    for arg in args.iter().skip(1) {
        if shown.len() >= SHOWN_BYTES_MAX {
            break;
        }
        let budget = SHOWN_BYTES_MAX - shown.len();
        shown.push(b'\'');
        shown.extend_from_slice(arg.get(..budget).unwrap_or(arg));
        shown.extend_from_slice(b"' ");
    }
    let name = args
        .first()
        .map_or(&[][..], |name| name.get(..SHOWN_BYTES_MAX).unwrap_or(name));
    let mut message = b"ERR unknown command '".to_vec();
    message.extend_from_slice(name);
    message.extend_from_slice(b"', with args beginning with: ");
    message.extend_from_slice(&shown);
    error_with_user_text(message)
}

/// An error reply that embeds bytes a user sent: CR and LF become spaces so the reply stays one
/// RESP line (Redis's `addReplyErrorFormat`).
pub fn error_with_user_text(message: Vec<u8>) -> Frame {
    Frame::Error(
        message
            .into_iter()
            .map(|b| if b == b'\r' || b == b'\n' { b' ' } else { b })
            .collect(),
    )
}

/// A node's state and one client, for unit tests of commands without a driver.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{process, Ctx};
    use crate::engine::client::{Client, Clients, Peer};
    use crate::engine::config::Config;
    use crate::engine::propagate::PropagatedCommand;
    use crate::engine::resp::{split_args, Frame};
    use crate::engine::state::NodeState;
    use crate::engine::time::Instant;
    use crate::engine::ConnId;

    /// One node, one connected client, a clock the test moves.
    pub(crate) struct TestNode {
        pub state: NodeState,
        pub clients: Clients,
        pub now: Instant,
    }

    impl TestNode {
        /// Default config, the clock at 2023-11-14.
        pub fn new() -> TestNode {
            let now = Instant::from_millis(1_700_000_000_000);
            let mut clients = Clients::new();
            clients.insert(
                ConnId(1),
                Box::new(Client::new(1, ConnId(1), Peer::default(), now, true)),
            );
            TestNode {
                state: NodeState::new(Config::default(), now, 1),
                clients,
                now,
            }
        }

        /// Runs one line (inline syntax) and returns the reply.
        pub fn run(&mut self, line: &str) -> Frame {
            let args = split_args(line.as_bytes()).expect("balanced quotes in test input");
            self.run_args(&args)
        }

        /// Runs one argument vector and returns the reply.
        pub fn run_args(&mut self, args: &[Vec<u8>]) -> Frame {
            let mut ctx = Ctx::new(self.now, &mut self.state, &mut self.clients, ConnId(1));
            process(&mut ctx, args)
        }

        /// Everything propagated so far, unit by unit, and forgets it.
        pub fn take_propagated(&mut self) -> Vec<Vec<PropagatedCommand>> {
            std::mem::take(&mut self.state.propagated)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn names_are_case_insensitive() {
        assert_eq!(TestNode::new().run("pInG"), Frame::Simple("PONG".into()));
    }

    #[test]
    fn arity_errors_name_the_command_in_lower_case() {
        let mut node = TestNode::new();
        assert_eq!(
            node.run("ECHO"),
            Frame::error("ERR wrong number of arguments for 'echo' command")
        );
        assert_eq!(
            node.run("PING a b"),
            Frame::error("ERR wrong number of arguments for 'ping' command")
        );
    }

    #[test]
    fn unknown_commands_quote_at_most_128_bytes_of_arguments() {
        let mut node = TestNode::new();
        assert_eq!(
            node.run("FOO a b"),
            Frame::error("ERR unknown command 'FOO', with args beginning with: 'a' 'b' ")
        );
        let long = "x".repeat(200);
        let expected = format!(
            "ERR unknown command 'foo', with args beginning with: '{}' ",
            "x".repeat(128)
        );
        assert_eq!(node.run(&format!("foo {long} y")), Frame::error(expected));
        let newline = vec![b"f\no".to_vec(), vec![0xff]];
        assert_eq!(
            node.run_args(&newline),
            Frame::Error(b"ERR unknown command 'f o', with args beginning with: '\xff' ".to_vec())
        );
    }

    #[test]
    fn a_refused_command_dooms_the_transaction() {
        let mut node = TestNode::new();
        assert_eq!(node.run("MULTI"), Frame::ok());
        assert_eq!(node.run("PING"), Frame::Simple("QUEUED".into()));
        assert!(node.run("NOPE").is_error());
        assert_eq!(
            node.run("EXEC"),
            Frame::error("EXECABORT Transaction discarded because of previous errors.")
        );
        assert_eq!(node.run("EXEC"), Frame::error("ERR EXEC without MULTI"));
        assert_eq!(node.state.stats.errors_by_code.get("EXECABORT"), Some(&1));
    }

    #[test]
    fn a_transaction_without_writes_propagates_nothing() {
        let mut node = TestNode::new();
        for line in ["MULTI", "PING", "ECHO x", "EXEC", "PING"] {
            node.run(line);
        }
        assert!(node.take_propagated().is_empty());
    }

    #[test]
    fn select_checks_the_range() {
        let mut node = TestNode::new();
        assert_eq!(node.run("SELECT 15"), Frame::ok());
        assert_eq!(
            node.run("SELECT 16"),
            Frame::error("ERR DB index is out of range")
        );
        assert_eq!(
            node.run("SELECT x"),
            Frame::error("ERR value is not an integer or out of range")
        );
    }
}
