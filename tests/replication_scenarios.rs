//! Replication, specified: the acceptance cases of Redis's own replication tests (section 16 of
//! the replication spec) replayed on the simulator. Every test runs on a fixed seed with the
//! invariant checker after every step; each one proves the behaviour its doc comment names.
//!
//! Nodes are numbered from 1 and live at `10.0.0.<n>:6379`; node `n`'s console is client `n`.
#![cfg(not(target_arch = "wasm32"))]

use replication_playground::engine::prng::Prng;
use replication_playground::engine::replication::{
    FullResyncReason, LinkState, PsyncOutcome, Replication,
};
use replication_playground::engine::resp::Frame;
use replication_playground::engine::Config;
use replication_playground::sim::trace::TraceKind;
use replication_playground::sim::{
    checker, ClientId, Fault, Host, LinkConfig, NodeId, Sim, SimConfig, NODE_MAXMEMORY_BYTES,
};

/// Every scenario's seed.
const SEED: u64 = 7;
/// How long a command may take to answer before the scenario fails.
const REPLY_WITHIN_MS: u64 = 10_000;

// ----- The world and its consoles -------------------------------------------------------------

/// `nodes` fresh masters on LAN links, each with a console (client `n` talks to node `n`);
/// DEBUG is enabled (DIGEST, SLEEP).
fn world(nodes: u8) -> Sim {
    world_with(nodes, |_| {})
}

/// [`world`], with every node's settings (kept across restarts) changed by `configure`.
fn world_with(nodes: u8, configure: impl FnOnce(&mut Config)) -> Sim {
    let mut node_config = Config {
        maxmemory_bytes: NODE_MAXMEMORY_BYTES,
        enable_debug_command: replication_playground::engine::config::ProtectedAction::Yes,
        ..Config::default()
    };
    configure(&mut node_config);
    let mut sim = Sim::new(SimConfig {
        seed: SEED,
        node_count: nodes,
        link: LinkConfig::LAN,
        node_config,
        ..SimConfig::default()
    });
    for node in 1..=nodes {
        assert_eq!(sim.add_client(NodeId(node)), Ok(console(node)));
    }
    sim
}

/// Node `node`'s console.
fn console(node: u8) -> ClientId {
    ClientId(u32::from(node))
}

fn host(node: u8) -> Host {
    Host::Node(NodeId(node))
}

fn words(line: &str) -> Vec<Vec<u8>> {
    line.split(' ')
        .map(|word| word.as_bytes().to_vec())
        .collect()
}

/// Takes one step, failing the scenario on any invariant violated (the message names the seed).
fn step(sim: &mut Sim) -> bool {
    let stepped = sim.step();
    if let Err(violation) = checker::check(sim) {
        panic!("{violation}");
    }
    stepped
}

/// Runs `millis` of virtual time.
fn run(sim: &mut Sim, millis: u64) {
    let until = sim.now().add_millis(millis);
    while sim.next_event_at().is_some_and(|at| at <= until) {
        step(sim);
    }
    sim.run_until(until);
}

/// Runs until `done` holds, for at most `bound_ms` of virtual time; fails the scenario otherwise.
fn run_until(sim: &mut Sim, bound_ms: u64, what: &str, mut done: impl FnMut(&Sim) -> bool) {
    let deadline = sim.now().add_millis(bound_ms);
    while !done(sim) {
        let next = sim.next_event_at();
        assert!(
            next.is_some_and(|at| at <= deadline),
            "{what}: not within {bound_ms} ms (seed {})",
            sim.seed()
        );
        step(sim);
    }
}

/// Sends `line` from `node`'s console without waiting for the reply.
fn send(sim: &mut Sim, node: u8, line: &str) {
    sim.client_send(console(node), &words(line)).unwrap();
}

/// The next reply `node`'s console gets, within `bound_ms`.
fn reply(sim: &mut Sim, node: u8, bound_ms: u64) -> Frame {
    let client = console(node);
    let deadline = sim.now().add_millis(bound_ms);
    loop {
        let replies = sim.take_replies(client);
        if let [reply] = &replies[..] {
            return reply.clone();
        }
        assert!(
            replies.is_empty(),
            "node {node} answered more than once: {replies:?}"
        );
        assert!(
            sim.next_event_at().is_some_and(|at| at <= deadline),
            "node {node} did not answer within {bound_ms} ms (seed {})",
            sim.seed()
        );
        step(sim);
    }
}

/// Runs `line` on `node` and returns its reply.
fn call(sim: &mut Sim, node: u8, line: &str) -> Frame {
    send(sim, node, line);
    reply(sim, node, REPLY_WITHIN_MS)
}

/// Runs `line` on `node`, which must answer `+OK`.
fn ok(sim: &mut Sim, node: u8, line: &str) {
    assert_eq!(call(sim, node, line), Frame::ok(), "{line} on node {node}");
}

/// A bulk or simple reply as text.
fn text(frame: &Frame) -> String {
    match frame {
        Frame::Bulk(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        Frame::Simple(text) => text.clone(),
        other => panic!("expected text, got {other:?}"),
    }
}

/// One field of `node`'s INFO (every section), as text.
fn info_field(sim: &mut Sim, node: u8, field: &str) -> String {
    let info = text(&call(sim, node, "INFO everything"));
    info.lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .unwrap_or_else(|| panic!("node {node}'s INFO has no {field}"))
        .to_string()
}

/// One numeric field of `node`'s INFO.
fn info_number(sim: &mut Sim, node: u8, field: &str) -> i64 {
    info_field(sim, node, field).parse().unwrap()
}

/// The sync counters `node` served as a master: (sync_full, sync_partial_ok, sync_partial_err).
fn syncs(sim: &mut Sim, node: u8) -> (i64, i64, i64) {
    (
        info_number(sim, node, "sync_full"),
        info_number(sim, node, "sync_partial_ok"),
        info_number(sim, node, "sync_partial_err"),
    )
}

/// `node`'s replication state, read directly.
fn repl(sim: &Sim, node: u8) -> &Replication {
    &sim.node(NodeId(node)).expect("the node is up").state().repl
}

/// Whether `replica` streams from its master with every byte its master has (the master is the
/// node at its link's address).
fn caught_up(sim: &Sim, replica: u8) -> bool {
    let Some(link) = sim
        .node(NodeId(replica))
        .and_then(|n| n.state().repl.master.as_ref())
    else {
        return false;
    };
    let master: u8 = link.host.rsplit('.').next().unwrap().parse().unwrap();
    link.state == LinkState::Connected
        && sim.node(NodeId(master)).is_some_and(|m| {
            let m = &m.state().repl;
            m.replid == repl(sim, replica).replid && m.master_repl_offset == link.reploff
        })
}

/// `replica` follows `master` (REPLICAOF 10.0.0.<master> 6379).
fn replicaof(sim: &mut Sim, replica: u8, master: u8) {
    ok(sim, replica, &format!("REPLICAOF 10.0.0.{master} 6379"));
}

/// `replica` follows `master` and has caught up with it (a full sync waits for the master's
/// 5 s diskless delay).
fn replicate(sim: &mut Sim, replica: u8, master: u8) {
    replicaof(sim, replica, master);
    run_until(
        sim,
        30_000,
        &format!("node {replica} streams from node {master}"),
        |sim| caught_up(sim, replica),
    );
}

/// Runs until every listed replica has caught up.
fn settle(sim: &mut Sim, replicas: &[u8]) {
    run_until(sim, 60_000, "every replica caught up", |sim| {
        replicas.iter().all(|&replica| caught_up(sim, replica))
    });
}

/// `node`'s dataset digest (DEBUG DIGEST).
fn digest(sim: &mut Sim, node: u8) -> String {
    text(&call(sim, node, "DEBUG DIGEST"))
}

/// The commands of a replication stream, one line each (`SET k v`).
fn commands_in(stream: &[u8]) -> Vec<String> {
    let mut decoder = replication_playground::engine::resp::ReplyDecoder::new();
    decoder.push(stream);
    let mut commands = Vec::new();
    while let Ok(Some(frame)) = decoder.next_frame() {
        let Frame::Array(words) = frame else {
            panic!("a command is an array");
        };
        commands.push(words.iter().map(text).collect::<Vec<_>>().join(" "));
    }
    commands
}

/// The node `node` replicates from, by its link's address.
fn upstream_of(sim: &Sim, node: u8) -> Option<u8> {
    let link = repl(sim, node).master.as_ref()?;
    link.host.rsplit('.').next()?.parse().ok()
}

/// The head of `node`'s chain: the master at the end of its upstream links.
fn root(sim: &Sim, node: u8) -> u8 {
    let mut current = node;
    for _ in 0..16 {
        match upstream_of(sim, current) {
            Some(upstream) => current = upstream,
            None => return current,
        }
    }
    panic!("node {node}'s chain loops (seed {})", sim.seed());
}

/// Whether `node` logged a line containing `words`.
fn logged(sim: &Sim, node: u8, words: &str) -> bool {
    sim.trace().events().any(|event| {
        matches!(&event.kind, TraceKind::Log { node: n, line } if *n == NodeId(node) && line.message.contains(words))
    })
}

// ----- Scenarios -----------------------------------------------------------------------------

/// A replica that asked for a full sync stays in `handshake` while the master delays its
/// diskless snapshot (INFO shows it `wait_bgsave`), then streams once the 5 s delay has passed.
#[test]
fn a_replica_waits_in_handshake_while_the_master_delays_the_snapshot() {
    let mut sim = world(2);
    ok(&mut sim, 1, "SET before sync");
    replicaof(&mut sim, 2, 1);
    assert_eq!(info_field(&mut sim, 2, "master_link_status"), "down");
    run(&mut sim, 1_000);
    let Frame::Array(role) = call(&mut sim, 2, "ROLE") else {
        panic!("ROLE is an array");
    };
    assert_eq!(role[3], Frame::bulk("handshake"));
    assert_eq!(role[4], Frame::Integer(-1), "no live link yet");
    assert!(info_field(&mut sim, 1, "slave0").contains("state=wait_bgsave"));
    run_until(&mut sim, 10_000, "the link comes up", |sim| {
        caught_up(sim, 2)
    });
    assert_eq!(info_field(&mut sim, 2, "master_link_status"), "up");
    assert!(info_field(&mut sim, 1, "slave0").contains("state=online"));
    assert_eq!(call(&mut sim, 2, "GET before"), Frame::bulk("sync"));
}

/// A SET on the master reaches the replica within the link's latency.
#[test]
fn set_on_the_master_propagates() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    ok(&mut sim, 1, "SET greeting hello");
    run(&mut sim, 10);
    assert_eq!(call(&mut sim, 2, "GET greeting"), Frame::bulk("hello"));
    assert_eq!(
        repl(&sim, 2).master_repl_offset,
        repl(&sim, 1).master_repl_offset
    );
}

/// FLUSHDB and FLUSHALL replicate even on an empty dataset: a sub-replica's stream is exactly
/// the master's commands, flushes included, without a SELECT once one was sent.
#[test]
fn flushdb_and_flushall_replicate_even_when_empty() {
    let mut sim = world(3);
    replicate(&mut sim, 2, 1);
    replicate(&mut sim, 3, 2);
    ok(&mut sim, 1, "SET warm up");
    settle(&mut sim, &[2, 3]);
    let from = repl(&sim, 3).master_repl_offset + 1;
    let script = [
        "SET key value",
        "FLUSHDB",
        "SET key value2",
        "FLUSHALL",
        "FLUSHDB",
        "FLUSHDB",
        "FLUSHDB",
        "FLUSHALL",
        "FLUSHALL",
        "FLUSHALL",
    ];
    for line in script {
        ok(&mut sim, 1, line);
    }
    assert_eq!(call(&mut sim, 1, "INCR x"), Frame::Integer(1));
    settle(&mut sim, &[2, 3]);
    let backlog = repl(&sim, 3)
        .backlog
        .as_ref()
        .expect("a replica keeps a backlog");
    let stream = backlog.copy_from(from).expect("the backlog holds it");
    let mut expected: Vec<String> = script.iter().map(|line| line.to_string()).collect();
    expected.push("INCR x".into());
    assert_eq!(commands_in(&stream), expected);
}

/// A sub-replica's full sync from a replica starts in the database the stream is in (the RDB's
/// `repl-stream-db` is the replica's master client's), so later writes that need no SELECT land
/// in the right database.
#[test]
fn a_full_sync_from_a_replica_starts_in_the_streams_database() {
    let mut sim = world(3);
    replicate(&mut sim, 2, 1);
    ok(&mut sim, 1, "SELECT 1");
    ok(&mut sim, 1, "SET a 1");
    settle(&mut sim, &[2]);
    replicate(&mut sim, 3, 2);
    ok(&mut sim, 1, "SET b 2");
    settle(&mut sim, &[2, 3]);
    ok(&mut sim, 3, "SELECT 1");
    assert_eq!(
        call(&mut sim, 3, "MGET a b"),
        Frame::Array(vec![Frame::bulk("1"), Frame::bulk("2")])
    );
    assert_eq!(digest(&mut sim, 3), digest(&mut sim, 1));
}

/// A PEXPIREAT that reaches a replica after its time has passed does not delete the key there
/// (a replica waits for its master's DEL): the master moved the expiry further meanwhile, and
/// the replica ends with the key and the new expiry, like its master.
#[test]
fn an_expiry_that_arrives_late_does_not_delete_the_key_on_a_replica() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    ok(&mut sim, 1, "SET k v");
    settle(&mut sim, &[2]);
    sim.apply_fault(Fault::Hold(host(1), host(2)));
    assert_eq!(call(&mut sim, 1, "PEXPIRE k 500"), Frame::Integer(1));
    run(&mut sim, 300);
    assert_eq!(call(&mut sim, 1, "PEXPIRE k 5000"), Frame::Integer(1));
    run(&mut sim, 700);
    sim.apply_fault(Fault::Release(host(1), host(2)));
    settle(&mut sim, &[2]);
    assert_eq!(call(&mut sim, 2, "EXISTS k"), Frame::Integer(1));
    assert_eq!(digest(&mut sim, 2), digest(&mut sim, 1));
}

/// ROLE on a master lists its online replica with an offset no greater than its own; ROLE on
/// the replica shows its master and the `connected` state with its applied offset.
#[test]
fn role_on_master_and_replica() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    ok(&mut sim, 1, "SET k v");
    settle(&mut sim, &[2]);
    let Frame::Array(role) = call(&mut sim, 1, "ROLE") else {
        panic!("ROLE is an array");
    };
    let [kind, Frame::Integer(offset), Frame::Array(replicas)] = &role[..] else {
        panic!("master, offset, replicas: {role:?}");
    };
    assert_eq!(kind, &Frame::bulk("master"));
    assert!(*offset > 0);
    let [Frame::Array(replica)] = &replicas[..] else {
        panic!("one replica: {replicas:?}");
    };
    assert_eq!(replica[0], Frame::bulk("10.0.0.2"));
    assert_eq!(replica[1], Frame::bulk("6379"));
    assert!(text(&replica[2]).parse::<i64>().unwrap() <= *offset);
    let applied = repl(&sim, 2).master_repl_offset as i64;
    assert_eq!(
        call(&mut sim, 2, "ROLE"),
        Frame::Array(vec![
            Frame::bulk("slave"),
            Frame::bulk("10.0.0.1"),
            Frame::Integer(6379),
            Frame::bulk("connected"),
            Frame::Integer(applied),
        ])
    );
}

/// PSYNC with an offset that is not a number is an error, and the server stays healthy.
#[test]
fn psync_with_a_wrong_offset_is_an_error() {
    let mut sim = world(1);
    assert_eq!(
        call(&mut sim, 1, "PSYNC replicationid offset_str"),
        Frame::error("ERR value is not an integer or out of range")
    );
    assert_eq!(call(&mut sim, 1, "PING"), Frame::Simple("PONG".into()));
    assert_eq!(info_number(&mut sim, 1, "connected_slaves"), 0);
}

/// A read-only replica refuses writes from its clients with READONLY, and serves reads.
#[test]
fn a_replica_refuses_writes_with_readonly() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    assert_eq!(
        call(&mut sim, 2, "SET k v"),
        Frame::error("READONLY You can't write against a read only replica.")
    );
    assert_eq!(call(&mut sim, 2, "GET k"), Frame::Null);
}

/// `min-replicas-to-write` accepts writes with enough good replicas and refuses them with
/// NOREPLICAS otherwise; a replica that stops acknowledging (partitioned away) eventually
/// counts as not good, after `min-replicas-max-lag`.
#[test]
fn min_replicas_to_write_refuses_writes_without_enough_good_replicas() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    ok(&mut sim, 1, "CONFIG SET min-replicas-max-lag 2");
    ok(&mut sim, 1, "CONFIG SET min-replicas-to-write 1");
    run(&mut sim, 1_000);
    ok(&mut sim, 1, "SET a 1");
    ok(&mut sim, 1, "CONFIG SET min-replicas-to-write 2");
    run(&mut sim, 1_000);
    let refused = Frame::error("NOREPLICAS Not enough good replicas to write.");
    assert_eq!(call(&mut sim, 1, "SET b 2"), refused);
    assert_eq!(
        call(&mut sim, 1, "GET a"),
        Frame::bulk("1"),
        "reads are fine"
    );
    ok(&mut sim, 1, "CONFIG SET min-replicas-to-write 1");
    run(&mut sim, 1_000);
    ok(&mut sim, 1, "SET c 3");
    sim.apply_fault(Fault::Partition(host(1), host(2)));
    run(&mut sim, 5_000);
    assert_eq!(call(&mut sim, 1, "SET d 4"), refused);
    assert_eq!(info_number(&mut sim, 1, "min_slaves_good_slaves"), 0);
}

/// WAIT returns how many replicas acknowledged the caller's writes; with the only replica
/// partitioned away it returns 0, once its timeout has passed.
#[test]
fn wait_counts_the_replicas_that_acknowledged() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    ok(&mut sim, 1, "SET k v");
    assert_eq!(call(&mut sim, 1, "WAIT 1 1000"), Frame::Integer(1));
    sim.apply_fault(Fault::Partition(host(1), host(2)));
    ok(&mut sim, 1, "SET k v2");
    let asked = sim.now();
    assert_eq!(call(&mut sim, 1, "WAIT 1 500"), Frame::Integer(0));
    assert!(
        sim.now().millis_since(asked) >= 500,
        "it waited for the timeout"
    );
}

/// A briefly severed link resumes with `+CONTINUE`: one more partial sync, no full sync, and
/// the replica still has everything.
#[test]
fn a_brief_sever_resumes_with_continue() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    ok(&mut sim, 1, "SET k v");
    settle(&mut sim, &[2]);
    let (full, partial, errors) = syncs(&mut sim, 1);
    sim.apply_fault(Fault::Sever(host(1), host(2)));
    ok(&mut sim, 1, "SET during sever");
    settle(&mut sim, &[2]);
    assert_eq!(syncs(&mut sim, 1), (full, partial + 1, errors));
    let decision = repl(&sim, 1).decisions.back().unwrap().clone();
    assert!(
        matches!(decision.outcome, PsyncOutcome::Continue { .. }),
        "{}",
        decision.explain()
    );
    assert_eq!(call(&mut sim, 2, "GET during"), Frame::bulk("sever"));
}

/// Writes past the backlog (100 bytes asked, raised to Redis's floor of 16 KB) while the replica
/// is away force a full resync when it returns, and the master's decision says the bytes it
/// asked for were overwritten.
#[test]
fn writing_past_the_backlog_forces_a_full_resync() {
    let mut sim = world(2);
    ok(&mut sim, 1, "CONFIG SET repl-backlog-size 100");
    assert_eq!(info_number(&mut sim, 1, "repl_backlog_size"), 16_384);
    replicate(&mut sim, 2, 1);
    let (full, _, errors) = syncs(&mut sim, 1);
    sim.apply_fault(Fault::Sever(host(1), host(2)));
    sim.apply_fault(Fault::Partition(host(1), host(2)));
    let value = "x".repeat(1_000);
    for i in 0..20 {
        ok(&mut sim, 1, &format!("SET key:{i} {value}"));
    }
    sim.apply_fault(Fault::Heal(host(1), host(2)));
    settle(&mut sim, &[2]);
    let (full_after, _, errors_after) = syncs(&mut sim, 1);
    assert_eq!((full_after, errors_after), (full + 1, errors + 1));
    let decision = repl(&sim, 1).decisions.back().unwrap().clone();
    assert_eq!(
        decision.outcome,
        PsyncOutcome::FullResync {
            reason: FullResyncReason::OffsetOverwritten
        }
    );
    assert!(
        decision.explain().contains("overwritten"),
        "{}",
        decision.explain()
    );
    assert_eq!(digest(&mut sim, 2), digest(&mut sim, 1));
}

/// With `repl-backlog-ttl 1`, a master left without replicas frees its backlog and takes a new
/// replication id, so the returning replica's PSYNC becomes a full sync.
#[test]
fn an_expired_backlog_makes_the_next_psync_full() {
    let mut sim = world(2);
    ok(&mut sim, 1, "CONFIG SET repl-backlog-ttl 1");
    replicate(&mut sim, 2, 1);
    let replid = info_field(&mut sim, 1, "master_replid");
    let (full, partial, errors) = syncs(&mut sim, 1);
    sim.apply_fault(Fault::Sever(host(1), host(2)));
    sim.apply_fault(Fault::Partition(host(1), host(2)));
    run(&mut sim, 3_000);
    assert_eq!(info_number(&mut sim, 1, "repl_backlog_active"), 0);
    assert_ne!(
        info_field(&mut sim, 1, "master_replid"),
        replid,
        "a new history"
    );
    sim.apply_fault(Fault::Heal(host(1), host(2)));
    settle(&mut sim, &[2]);
    assert_eq!(syncs(&mut sim, 1), (full + 1, partial, errors + 1));
    let decision = repl(&sim, 1).decisions.back().unwrap().clone();
    assert_eq!(
        decision.outcome,
        PsyncOutcome::FullResync {
            reason: FullResyncReason::IdMismatch
        },
        "{}",
        decision.explain()
    );
}

/// REPLICAOF NO ONE on a replica shifts its ids (the old one stays valid up to its offset as
/// replid2), and the other replica and the old master then continue from it: 2 partial syncs,
/// no full sync.
#[test]
fn a_promoted_replica_serves_the_others_with_partial_syncs() {
    let mut sim = world(3);
    replicate(&mut sim, 2, 1);
    replicate(&mut sim, 3, 1);
    ok(&mut sim, 1, "SET k v");
    settle(&mut sim, &[2, 3]);
    let old_id = info_field(&mut sim, 1, "master_replid");
    ok(&mut sim, 2, "REPLICAOF NO ONE");
    let offset = info_number(&mut sim, 2, "master_repl_offset");
    assert_eq!(info_field(&mut sim, 2, "master_replid2"), old_id);
    assert_eq!(info_number(&mut sim, 2, "second_repl_offset"), offset + 1);
    assert_ne!(info_field(&mut sim, 2, "master_replid"), old_id);
    replicaof(&mut sim, 3, 2);
    replicaof(&mut sim, 1, 2);
    settle(&mut sim, &[1, 3]);
    assert_eq!(syncs(&mut sim, 2), (0, 2, 0));
    ok(&mut sim, 2, "SET after promotion");
    settle(&mut sim, &[1, 3]);
    assert_eq!(call(&mut sim, 1, "GET after"), Frame::bulk("promotion"));
    assert_eq!(call(&mut sim, 3, "GET after"), Frame::bulk("promotion"));
}

/// Chained replicas A → B → C share the replid and the offsets; when only the A–B link drops,
/// B continues from A and C stays connected to B.
#[test]
fn a_chained_replica_is_untouched_when_only_its_masters_link_drops() {
    let mut sim = world(3);
    replicate(&mut sim, 2, 1);
    replicate(&mut sim, 3, 2);
    ok(&mut sim, 1, "SET k v");
    settle(&mut sim, &[2, 3]);
    let replid = repl(&sim, 1).replid.clone();
    assert_eq!(repl(&sim, 2).replid, replid);
    assert_eq!(repl(&sim, 3).replid, replid);
    let c_link = repl(&sim, 3).master.as_ref().unwrap().conn;
    let (_, a_partial, _) = syncs(&mut sim, 1);
    let b_syncs = syncs(&mut sim, 2);
    sim.apply_fault(Fault::Sever(host(1), host(2)));
    ok(&mut sim, 1, "SET during sever");
    settle(&mut sim, &[2, 3]);
    assert_eq!(syncs(&mut sim, 1).1, a_partial + 1, "B continued from A");
    assert_eq!(syncs(&mut sim, 2), b_syncs, "C never resynced");
    assert_eq!(
        repl(&sim, 3).master.as_ref().unwrap().conn,
        c_link,
        "same connection"
    );
    let offsets: Vec<u64> = (1..=3).map(|n| repl(&sim, n).master_repl_offset).collect();
    assert_eq!(offsets, vec![offsets[0]; 3]);
    assert_eq!(call(&mut sim, 3, "GET during"), Frame::bulk("sever"));
}

/// A replica that crashes and restarts with its disk continues with a partial sync: its
/// snapshot's replication info gives it a cached master.
#[test]
fn a_replica_restarted_with_its_disk_continues_partially() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    ok(&mut sim, 1, "SET k v");
    settle(&mut sim, &[2]);
    let (full, partial, errors) = syncs(&mut sim, 1);
    sim.apply_fault(Fault::Crash(NodeId(2)));
    ok(&mut sim, 1, "SET while down");
    sim.apply_fault(Fault::Restart(NodeId(2)));
    settle(&mut sim, &[2]);
    assert_eq!(syncs(&mut sim, 1), (full, partial + 1, errors));
    assert_eq!(call(&mut sim, 2, "GET while"), Frame::bulk("down"));
    assert_eq!(digest(&mut sim, 2), digest(&mut sim, 1));
}

/// The documented hazard: a master restarted without its disk comes back empty under a new
/// id, and its replica follows it into emptiness with a full sync.
#[test]
fn a_master_restarted_without_its_disk_empties_its_replica() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    ok(&mut sim, 1, "SET precious data");
    settle(&mut sim, &[2]);
    assert_eq!(call(&mut sim, 2, "DBSIZE"), Frame::Integer(1));
    sim.apply_fault(Fault::Crash(NodeId(1)));
    sim.apply_fault(Fault::RestartWithoutDisk(NodeId(1)));
    run_until(&mut sim, 30_000, "the replica resynchronised", |sim| {
        caught_up(sim, 2) && repl(sim, 2).full_syncs_loaded == 2
    });
    assert_eq!(call(&mut sim, 1, "DBSIZE"), Frame::Integer(0));
    assert_eq!(call(&mut sim, 2, "DBSIZE"), Frame::Integer(0));
    assert_eq!(syncs(&mut sim, 1), (1, 0, 1));
}

/// A master restarted with its disk keeps its history valid as replid2 up to its offset, with
/// an empty backlog after it; its replica continues with a partial sync, and so does that
/// replica's own replica after the id change reaches it.
#[test]
fn a_master_restarted_with_its_disk_keeps_its_history_as_replid2() {
    let mut sim = world(3);
    replicate(&mut sim, 2, 1);
    replicate(&mut sim, 3, 2);
    ok(&mut sim, 1, "SET k v");
    settle(&mut sim, &[2, 3]);
    let replid = info_field(&mut sim, 1, "master_replid");
    ok(&mut sim, 1, "SAVE");
    let offset = repl(&sim, 1).master_repl_offset as i64;
    sim.apply_fault(Fault::Crash(NodeId(1)));
    run(&mut sim, 0);
    sim.apply_fault(Fault::Restart(NodeId(1)));
    assert_ne!(info_field(&mut sim, 1, "master_replid"), replid);
    assert_eq!(info_field(&mut sim, 1, "master_replid2"), replid);
    assert_eq!(info_number(&mut sim, 1, "second_repl_offset"), offset + 1);
    assert_eq!(info_number(&mut sim, 1, "master_repl_offset"), offset);
    assert_eq!(
        info_number(&mut sim, 1, "repl_backlog_first_byte_offset"),
        offset + 1
    );
    assert_eq!(info_number(&mut sim, 1, "repl_backlog_histlen"), 0);
    settle(&mut sim, &[2, 3]);
    assert_eq!(syncs(&mut sim, 1), (0, 1, 0), "B continued from A");
    let (full, partial, _) = syncs(&mut sim, 2);
    assert_eq!(
        (full, partial),
        (1, 1),
        "C's initial full sync, then it continued from B through replid2"
    );
}

/// psync2: five nodes re-arranged at random again and again (a new master, every other node
/// pointed at one already in the new tree) under INCR load with links killed: only the 4
/// initial full syncs ever happen, every node converges on the counter, and with pings off all
/// reach exactly the same `master_repl_offset`.
#[test]
fn psync2_random_relayouts_never_need_another_full_sync() {
    const NODES: u8 = 5;
    const CYCLES: usize = 12;
    let mut sim = world(NODES);
    let mut prng = Prng::from_seed(SEED);
    let mut counter = 0i64;
    for cycle in 1..=CYCLES {
        // 1) A new master, and a tree of the others under it.
        let master = 1 + prng.below(u64::from(NODES)) as u8;
        ok(&mut sim, master, "REPLICAOF NO ONE");
        ok(&mut sim, master, "CONFIG SET repl-ping-replica-period 1");
        if counter == 0 {
            ok(&mut sim, master, "SET x 0");
        }
        run_until(
            &mut sim,
            30_000,
            "every chain learnt its root's id",
            |sim| {
                (1..=NODES).all(|node| repl(sim, node).replid == repl(sim, root(sim, node)).replid)
            },
        );
        let mut attached = vec![master];
        let mut pending: Vec<(u8, u8)> = Vec::new();
        let mut order: Vec<u8> = (1..=NODES).filter(|&n| n != master).collect();
        while !order.is_empty() {
            let replica = order.remove(prng.below(order.len() as u64) as usize);
            let upstream = attached[prng.below(attached.len() as u64) as usize];
            attached.push(replica);
            pending.push((replica, upstream));
        }
        // Attach in an order where each upstream is already in the new tree, or in the same
        // old chain as its replica (so that no replica learns the new id before its upstream).
        while !pending.is_empty() {
            let index = pending
                .iter()
                .position(|&(replica, upstream)| {
                    root(&sim, upstream) == master || root(&sim, upstream) == root(&sim, replica)
                })
                .unwrap_or_else(|| panic!("cycle {cycle}: no replica can attach yet"));
            let (replica, upstream) = pending.remove(index);
            let answer = call(
                &mut sim,
                replica,
                &format!("REPLICAOF 10.0.0.{upstream} 6379"),
            );
            assert!(text(&answer).starts_with("OK"), "{answer:?}");
            run_until(&mut sim, 30_000, "the new link is up", |sim| {
                repl(sim, replica).link_is_up()
            });
        }
        // 2) Load, killing a random replica's link every second.
        assert_eq!(
            call(&mut sim, master, "INCR x"),
            Frame::Integer(counter + 1)
        );
        counter += 1;
        for tick in 1..=200u64 {
            send(&mut sim, master, "INCR x");
            counter += 1;
            if tick % 50 == 0 {
                let replica = 1 + prng.below(u64::from(NODES)) as u8;
                if let Some(upstream) = upstream_of(&sim, replica) {
                    sim.apply_fault(Fault::Sever(host(replica), host(upstream)));
                }
            }
            run(&mut sim, 20);
            sim.take_replies(console(master));
        }
        // 3) Everyone converges; no full sync beyond the initial four.
        let replicas: Vec<u8> = (1..=NODES).filter(|&n| n != master).collect();
        settle(&mut sim, &replicas);
        for node in 1..=NODES {
            assert_eq!(
                call(&mut sim, node, "GET x"),
                Frame::bulk(counter.to_string()),
                "cycle {cycle}, node {node}"
            );
        }
        let full_syncs: i64 = (1..=NODES).map(|node| syncs(&mut sim, node).0).sum();
        assert_eq!(full_syncs, 4, "cycle {cycle}");
        ok(&mut sim, master, "CONFIG SET repl-ping-replica-period 3600");
        settle(&mut sim, &replicas);
        let offsets: Vec<u64> = (1..=NODES)
            .map(|n| repl(&sim, n).master_repl_offset)
            .collect();
        assert_eq!(offsets, vec![offsets[0]; NODES as usize], "cycle {cycle}");
    }
}

/// FAILOVER TO a replica: once it caught up, the roles swap; the new master served 2 partial
/// syncs (the old master and the other replica) and no full sync, and the old master's
/// `master_failover_state` is back to `no-failover`.
#[test]
fn failover_to_a_replica_swaps_the_roles_with_partial_syncs() {
    let mut sim = world(3);
    replicate(&mut sim, 2, 1);
    replicate(&mut sim, 3, 1);
    ok(&mut sim, 1, "SET k v");
    settle(&mut sim, &[2, 3]);
    ok(&mut sim, 1, "FAILOVER TO 10.0.0.2 6379");
    run_until(&mut sim, 10_000, "node 2 is the master", |sim| {
        !repl(sim, 2).is_replica() && caught_up(sim, 1)
    });
    ok(&mut sim, 3, "REPLICAOF 10.0.0.2 6379");
    settle(&mut sim, &[1, 3]);
    assert_eq!(info_field(&mut sim, 1, "role"), "slave");
    assert_eq!(info_field(&mut sim, 2, "role"), "master");
    assert_eq!(
        info_field(&mut sim, 1, "master_failover_state"),
        "no-failover"
    );
    assert_eq!(syncs(&mut sim, 2), (0, 2, 0));
    ok(&mut sim, 2, "SET after failover");
    settle(&mut sim, &[1, 3]);
    assert_eq!(digest(&mut sim, 1), digest(&mut sim, 2));
    assert_eq!(digest(&mut sim, 3), digest(&mut sim, 2));
}

/// FAILOVER without a target picks a replica that caught up; the other replica then follows
/// the new master partially: 2 partial syncs, no full sync.
#[test]
fn failover_to_any_replica_swaps_the_roles_with_partial_syncs() {
    let mut sim = world(3);
    replicate(&mut sim, 2, 1);
    replicate(&mut sim, 3, 1);
    ok(&mut sim, 1, "SET k v");
    settle(&mut sim, &[2, 3]);
    ok(&mut sim, 1, "FAILOVER");
    run_until(&mut sim, 10_000, "node 1 follows a new master", |sim| {
        caught_up(sim, 1)
    });
    let new_master = upstream_of(&sim, 1).unwrap();
    let other = if new_master == 2 { 3 } else { 2 };
    assert_eq!(info_field(&mut sim, new_master, "role"), "master");
    assert_eq!(
        info_field(&mut sim, 1, "master_failover_state"),
        "no-failover"
    );
    ok(
        &mut sim,
        other,
        &format!("REPLICAOF 10.0.0.{new_master} 6379"),
    );
    settle(&mut sim, &[1, other]);
    assert_eq!(syncs(&mut sim, new_master), (0, 2, 0));
}

/// FAILOVER with a TIMEOUT gives up when the target cannot catch up (it is partitioned away):
/// the old master stays master, back to `no-failover`, and reads work while it waits.
#[test]
fn failover_times_out_when_the_target_cannot_catch_up() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    sim.apply_fault(Fault::Partition(host(1), host(2)));
    ok(&mut sim, 1, "SET k v");
    ok(&mut sim, 1, "FAILOVER TO 10.0.0.2 6379 TIMEOUT 1000");
    assert_eq!(
        info_field(&mut sim, 1, "master_failover_state"),
        "waiting-for-sync"
    );
    assert_eq!(call(&mut sim, 1, "GET k"), Frame::bulk("v"), "reads work");
    run(&mut sim, 1_500);
    assert_eq!(
        info_field(&mut sim, 1, "master_failover_state"),
        "no-failover"
    );
    assert_eq!(info_field(&mut sim, 1, "role"), "master");
    ok(&mut sim, 1, "SET still master");
    sim.apply_fault(Fault::Heal(host(1), host(2)));
    settle(&mut sim, &[2]);
    assert_eq!(syncs(&mut sim, 1).1, 0, "no sync happened");
}

/// A replica whose master freezes during the handshake gives up after its `repl-timeout`
/// ("Timeout connecting to the MASTER"), then connects again once the master is back.
#[test]
fn a_replica_detects_a_timeout_during_the_handshake() {
    let mut sim = world(2);
    ok(&mut sim, 2, "CONFIG SET repl-timeout 5");
    send(&mut sim, 1, "DEBUG SLEEP 10");
    run(&mut sim, 10);
    replicaof(&mut sim, 2, 1);
    run(&mut sim, 8_000);
    assert!(logged(&sim, 2, "Timeout connecting to the MASTER"));
    assert_eq!(reply(&mut sim, 1, REPLY_WITHIN_MS), Frame::ok());
    run_until(&mut sim, 30_000, "the replica syncs after all", |sim| {
        caught_up(sim, 2)
    });
}

/// A replica that lost its master and is pointed at a sibling with the same history at once
/// continues from it: the master did only the 2 initial full syncs, the siblings none.
#[test]
fn replicaof_a_sibling_right_after_the_disconnection_continues() {
    let mut sim = world(3);
    replicate(&mut sim, 2, 1);
    replicate(&mut sim, 3, 1);
    ok(&mut sim, 1, "SET k v");
    settle(&mut sim, &[2, 3]);
    send(&mut sim, 3, "DEBUG SLEEP 1");
    run(&mut sim, 100);
    assert_eq!(
        call(&mut sim, 1, "CLIENT KILL TYPE replica"),
        Frame::Integer(2)
    );
    // Node 3 finds the disconnection and this REPLICAOF when it wakes.
    send(&mut sim, 3, "REPLICAOF 10.0.0.2 6379");
    assert_eq!(reply(&mut sim, 3, REPLY_WITHIN_MS), Frame::ok());
    assert_eq!(reply(&mut sim, 3, REPLY_WITHIN_MS), Frame::ok());
    settle(&mut sim, &[2, 3]);
    assert_eq!(syncs(&mut sim, 1).0, 2);
    assert_eq!(syncs(&mut sim, 2).0, 0);
    assert_eq!(syncs(&mut sim, 3).0, 0);
}

/// A write to a key that expired on the master (active expiry off) replicates as a DEL and the
/// write; WAIT 1 0 then counts the replica, and the key's type agrees on both nodes.
#[test]
fn a_lazily_expired_key_replicates_consistently() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    ok(&mut sim, 1, "DEBUG SET-ACTIVE-EXPIRE 0");
    assert_eq!(call(&mut sim, 1, "SADD s foo"), Frame::Integer(1));
    assert_eq!(call(&mut sim, 1, "PEXPIRE s 1"), Frame::Integer(1));
    run(&mut sim, 10);
    assert_eq!(call(&mut sim, 1, "SADD s foo"), Frame::Integer(1));
    assert_eq!(call(&mut sim, 1, "WAIT 1 0"), Frame::Integer(1));
    assert_eq!(call(&mut sim, 1, "TYPE s"), Frame::Simple("set".into()));
    assert_eq!(call(&mut sim, 2, "TYPE s"), Frame::Simple("set".into()));
    assert_eq!(call(&mut sim, 2, "TTL s"), Frame::Integer(-1));
}

/// A client that sends PSYNC becomes a replica (`+FULLRESYNC <id> 0` from a fresh master); a
/// keyspace command from it then gets it disconnected, and the master says why in its log.
#[test]
fn a_replica_connection_may_not_use_the_keyspace() {
    let mut sim = world(1);
    let impostor = sim.add_client(NodeId(1)).unwrap();
    sim.client_send(impostor, &words("PSYNC replicationid -1"))
        .unwrap();
    run(&mut sim, 7_000);
    let replies = sim.take_replies(impostor);
    let first = text(&replies[0]);
    assert!(
        first.starts_with("FULLRESYNC ") && first.ends_with(" 0"),
        "{first}"
    );
    sim.client_send(impostor, &words("SET foo bar")).unwrap();
    run(&mut sim, 100);
    assert!(!sim.client_connected(impostor), "disconnected");
    assert!(logged(&sim, 1, "Replica generated a reply to command"));
    assert_eq!(
        call(&mut sim, 1, "GET foo"),
        Frame::Null,
        "its SET never ran"
    );
}

/// `min-replicas-to-write` is ignored on a replica: it still applies its master's writes.
#[test]
fn a_replica_ignores_min_replicas_to_write() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    ok(&mut sim, 2, "CONFIG SET min-replicas-to-write 1");
    ok(&mut sim, 1, "SET k v");
    settle(&mut sim, &[2]);
    assert_eq!(call(&mut sim, 2, "GET k"), Frame::bulk("v"));
}

/// After a workload with TTLs, once every volatile key has expired on the master and its DELs
/// have replicated, master and replica hold the same dataset (equal digests).
#[test]
fn digests_agree_after_expiring_keys_replicate() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    for i in 0..50 {
        ok(
            &mut sim,
            1,
            &format!("SET volatile:{i} v PX {}", 50 + i * 30),
        );
        ok(&mut sim, 1, &format!("SET durable:{i} v"));
    }
    run(&mut sim, 3_000);
    settle(&mut sim, &[2]);
    assert_eq!(call(&mut sim, 1, "DBSIZE"), Frame::Integer(50));
    assert_eq!(call(&mut sim, 2, "DBSIZE"), Frame::Integer(50));
    assert_eq!(digest(&mut sim, 2), digest(&mut sim, 1));
}

/// A command larger than the replica's `client-query-buffer-limit` still replicates: the master
/// link is exempt.
#[test]
fn a_command_larger_than_the_query_buffer_limit_replicates() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    ok(&mut sim, 2, "CONFIG SET client-query-buffer-limit 1048576");
    let big = "x".repeat(2 * 1024 * 1024);
    ok(&mut sim, 1, &format!("SET big {big}"));
    settle(&mut sim, &[2]);
    assert_eq!(
        call(&mut sim, 2, "STRLEN big"),
        Frame::Integer(big.len() as i64)
    );
}

/// psync2-master-restart, without writes: attaching replicas puts no bytes in the stream
/// (pings off), and after a restart with its disk the master's history continues at offset 0:
/// replid2 is the old id up to offset 1, the backlog starts at 1, and both the replica and its
/// sub-replica continue partially.
#[test]
fn a_master_restarted_without_writes_continues_from_offset_zero() {
    let mut sim = world_with(3, |config| config.repl_ping_replica_period_secs = 3600);
    replicate(&mut sim, 2, 1);
    replicate(&mut sim, 3, 2);
    for node in 1..=3 {
        assert_eq!(
            info_number(&mut sim, node, "master_repl_offset"),
            0,
            "node {node}"
        );
    }
    let replid = info_field(&mut sim, 1, "master_replid");
    ok(&mut sim, 1, "SAVE");
    sim.apply_fault(Fault::Crash(NodeId(1)));
    run(&mut sim, 0);
    sim.apply_fault(Fault::Restart(NodeId(1)));
    assert_eq!(info_field(&mut sim, 1, "master_replid2"), replid);
    assert_eq!(info_number(&mut sim, 1, "second_repl_offset"), 1);
    assert_eq!(info_number(&mut sim, 1, "repl_backlog_active"), 1);
    assert_eq!(
        info_number(&mut sim, 1, "repl_backlog_first_byte_offset"),
        1
    );
    assert_eq!(info_number(&mut sim, 1, "repl_backlog_histlen"), 0);
    settle(&mut sim, &[2, 3]);
    assert_eq!(syncs(&mut sim, 1).1, 1);
    assert_eq!(syncs(&mut sim, 2).1, 1);
    assert_eq!(info_number(&mut sim, 3, "master_repl_offset"), 0);
}

/// Keys that expired while the master was down are deleted when it loads its disk: the DELs
/// go into its fresh backlog (`master_repl_offset == offset + histlen`), the replica still
/// continues partially and ends with the same dataset.
#[test]
fn keys_expired_during_the_masters_restart_replicate_as_dels() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    for i in 0..100 {
        ok(&mut sim, 1, &format!("SET key:{i} v PX 2000"));
    }
    ok(&mut sim, 1, "SET durable v");
    settle(&mut sim, &[2]);
    ok(&mut sim, 1, "SAVE");
    let offset = repl(&sim, 1).master_repl_offset as i64;
    sim.apply_fault(Fault::Crash(NodeId(1)));
    run(&mut sim, 3_000);
    sim.apply_fault(Fault::Restart(NodeId(1)));
    let histlen = info_number(&mut sim, 1, "repl_backlog_histlen");
    assert!(histlen > 0, "the DELs are in the backlog");
    assert_eq!(
        info_number(&mut sim, 1, "master_repl_offset"),
        offset + histlen
    );
    assert_eq!(info_number(&mut sim, 1, "second_repl_offset"), offset + 1);
    settle(&mut sim, &[2]);
    assert_eq!(syncs(&mut sim, 1), (0, 1, 0));
    assert_eq!(call(&mut sim, 2, "DBSIZE"), Frame::Integer(1));
    assert_eq!(digest(&mut sim, 2), digest(&mut sim, 1));
}

/// With a 16 KB backlog, the DELs of 2048 keys that expired during the master's restart
/// overflow it: the replica's offset is no longer in the backlog, so it must full-sync.
#[test]
fn expiry_dels_that_overflow_the_backlog_force_a_full_sync() {
    let mut sim = world_with(2, |config| config.repl_backlog_size_bytes = 16_384);
    replicate(&mut sim, 2, 1);
    for i in 0..2048 {
        send(&mut sim, 1, &format!("SET key:{i} v PX 2000"));
    }
    run(&mut sim, 100);
    sim.take_replies(console(1));
    settle(&mut sim, &[2]);
    ok(&mut sim, 1, "SAVE");
    sim.apply_fault(Fault::Crash(NodeId(1)));
    run(&mut sim, 3_000);
    sim.apply_fault(Fault::Restart(NodeId(1)));
    let first = info_number(&mut sim, 1, "repl_backlog_first_byte_offset");
    assert!(first > info_number(&mut sim, 1, "second_repl_offset"));
    settle(&mut sim, &[2]);
    let (full, partial, _) = syncs(&mut sim, 1);
    assert_eq!((full, partial), (1, 0));
    assert_eq!(call(&mut sim, 2, "DBSIZE"), Frame::Integer(0));
}

/// FAILOVER ABORT ends a failover that is waiting for its target: the master stays master,
/// back to `no-failover`, and takes writes again.
#[test]
fn failover_can_be_aborted() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    sim.apply_fault(Fault::Partition(host(1), host(2)));
    ok(&mut sim, 1, "SET k v");
    ok(&mut sim, 1, "FAILOVER TO 10.0.0.2 6379");
    assert_eq!(
        info_field(&mut sim, 1, "master_failover_state"),
        "waiting-for-sync"
    );
    ok(&mut sim, 1, "FAILOVER ABORT");
    assert_eq!(
        info_field(&mut sim, 1, "master_failover_state"),
        "no-failover"
    );
    assert_eq!(info_field(&mut sim, 1, "role"), "master");
    ok(&mut sim, 1, "SET k v2");
    assert_eq!(
        call(&mut sim, 1, "FAILOVER ABORT"),
        Frame::error("ERR No failover in progress.")
    );
}

/// FAILOVER's errors: no replicas, a target that is not a replica, FORCE without a timeout and
/// a target, FAILOVER sent to a replica, and a hand-over's PSYNC FAILOVER sent to a master.
#[test]
fn failover_refuses_what_it_cannot_do() {
    let mut sim = world(2);
    let replid = info_field(&mut sim, 1, "master_replid");
    assert_eq!(
        call(&mut sim, 1, &format!("PSYNC {replid} 1 FAILOVER")),
        Frame::error("ERR PSYNC FAILOVER can't be sent to a master.")
    );
    assert_eq!(
        call(&mut sim, 1, "FAILOVER"),
        Frame::error("ERR FAILOVER requires connected replicas.")
    );
    replicate(&mut sim, 2, 1);
    assert_eq!(
        call(&mut sim, 1, "FAILOVER TO 10.0.0.9 6379"),
        Frame::error("ERR FAILOVER target HOST and PORT is not a replica.")
    );
    assert_eq!(
        call(&mut sim, 1, "FAILOVER TO 10.0.0.2 6379 FORCE"),
        Frame::error(
            "ERR FAILOVER with force option requires both a timeout and target HOST and IP."
        )
    );
    assert_eq!(
        call(&mut sim, 2, "FAILOVER"),
        Frame::error("ERR FAILOVER is not valid when server is a replica.")
    );
}

/// FAILOVER FORCE goes ahead once its timeout passes even though the target has not caught up
/// (its link is held): `failover-in-progress`, the log says so, and the old master ends as the
/// target's replica, with never two masters at once.
#[test]
fn failover_with_force_goes_ahead_after_the_timeout() {
    let mut sim = world(3);
    replicate(&mut sim, 2, 1);
    replicate(&mut sim, 3, 1);
    sim.apply_fault(Fault::Hold(host(1), host(2)));
    ok(&mut sim, 1, "SET k v");
    ok(&mut sim, 1, "FAILOVER TO 10.0.0.2 6379 FORCE TIMEOUT 1000");
    let one_master_at_most = |sim: &Sim| {
        let masters = (1..=3).filter(|&n| !repl(sim, n).is_replica()).count();
        assert!(masters <= 1, "{masters} masters (seed {})", sim.seed());
    };
    let timed_out = sim.now().add_millis(1_200);
    run_until(&mut sim, 2_000, "the timeout passed", |sim| {
        one_master_at_most(sim);
        sim.now() >= timed_out
    });
    assert_eq!(
        info_field(&mut sim, 1, "master_failover_state"),
        "failover-in-progress"
    );
    assert!(logged(&sim, 1, "time out exceeded, failing over."));
    sim.apply_fault(Fault::Release(host(1), host(2)));
    run_until(&mut sim, 10_000, "node 1 follows node 2", |sim| {
        one_master_at_most(sim);
        caught_up(sim, 1)
    });
    ok(&mut sim, 3, "REPLICAOF 10.0.0.2 6379");
    settle(&mut sim, &[1, 3]);
    assert_eq!(
        info_field(&mut sim, 1, "master_failover_state"),
        "no-failover"
    );
    assert_eq!(info_field(&mut sim, 2, "role"), "master");
    assert_eq!(syncs(&mut sim, 2), (0, 2, 0));
    assert_eq!(call(&mut sim, 3, "GET k"), Frame::bulk("v"));
}

/// psync2-pingoff: a replica frozen (DEBUG SLEEP inside MULTI) while its master keeps sending
/// PINGs is then promoted; the old master, ahead by those PINGs, must full-sync from it, and
/// afterwards both have exactly the same offset.
#[test]
fn a_promoted_replica_that_missed_pings_full_syncs_its_old_master() {
    let mut sim = world(2);
    for node in 1..=2 {
        ok(&mut sim, node, "CONFIG SET repl-ping-replica-period 1");
    }
    replicate(&mut sim, 2, 1);
    ok(&mut sim, 1, "SET foo bar");
    for _ in 0..3 {
        call(&mut sim, 1, "INCR counter");
    }
    settle(&mut sim, &[2]);
    ok(&mut sim, 2, "MULTI");
    for line in ["DEBUG SLEEP 5", "SLAVEOF NO ONE"] {
        assert_eq!(call(&mut sim, 2, line), Frame::Simple("QUEUED".into()));
    }
    assert_eq!(
        call(&mut sim, 2, "EXEC"),
        Frame::Array(vec![Frame::ok(), Frame::ok()])
    );
    assert_eq!(syncs(&mut sim, 2).0, 0);
    replicaof(&mut sim, 1, 2);
    run_until(&mut sim, 30_000, "node 1 follows node 2", |sim| {
        caught_up(sim, 1)
    });
    assert_eq!(syncs(&mut sim, 2).0, 1);
    assert_eq!(call(&mut sim, 2, "INCR x"), Frame::Integer(1));
    settle(&mut sim, &[1]);
    assert_eq!(call(&mut sim, 1, "GET x"), Frame::bulk("1"));
    assert_eq!(
        repl(&sim, 1).master_repl_offset,
        repl(&sim, 2).master_repl_offset
    );
}

/// psync2-pingoff's topology edge cases (one replica promoted, one pointed at a dead address,
/// PINGs that only the other two get, then everyone re-pointed) do exactly Redis's full syncs
/// (the old master 6, the new one 2, the rest 0), and killing every master link adds none.
#[test]
fn topology_changes_with_missing_pings_do_exactly_the_needed_full_syncs() {
    let mut sim = world(5);
    let (master, r1, r2, r3, r4) = (1, 2, 3, 4, 5);
    for replica in [r1, r2, r3, r4] {
        replicate(&mut sim, replica, master);
    }
    assert_eq!(call(&mut sim, master, "INCR x"), Frame::Integer(1));
    settle(&mut sim, &[r1, r2, r3, r4]);
    ok(&mut sim, r1, "REPLICAOF NO ONE");
    // Not a promotion, which would change its id: a master that does not exist.
    ok(&mut sim, r2, "REPLICAOF 127.0.0.1 1");
    ok(&mut sim, master, "CONFIG SET repl-ping-replica-period 1");
    let offset = repl(&sim, master).master_repl_offset;
    run_until(&mut sim, 5_000, "r3 and r4 got a PING", |sim| {
        repl(sim, r3).master_repl_offset > offset && repl(sim, r4).master_repl_offset > offset
    });
    replicaof(&mut sim, r3, r1);
    replicaof(&mut sim, master, r1);
    replicaof(&mut sim, r2, master);
    settle(&mut sim, &[master, r2, r3, r4]);
    assert_eq!(call(&mut sim, r1, "INCR x"), Frame::Integer(2));
    settle(&mut sim, &[master, r2, r3, r4]);
    let expected = [(master, 6), (r1, 2), (r2, 0), (r3, 0), (r4, 0)];
    for (node, full) in expected {
        assert_eq!(
            call(&mut sim, node, "GET x"),
            Frame::bulk("2"),
            "node {node}"
        );
        assert_eq!(syncs(&mut sim, node).0, full, "node {node}'s full syncs");
    }
    for node in [master, r2, r3, r4] {
        assert_eq!(
            call(&mut sim, node, "CLIENT KILL TYPE master"),
            Frame::Integer(1)
        );
    }
    assert_eq!(call(&mut sim, r1, "INCR x"), Frame::Integer(3));
    settle(&mut sim, &[master, r2, r3, r4]);
    for (node, full) in expected {
        assert_eq!(
            call(&mut sim, node, "GET x"),
            Frame::bulk("3"),
            "node {node}"
        );
        assert_eq!(syncs(&mut sim, node).0, full, "node {node}'s full syncs");
    }
}

/// A replica frozen by DEBUG SLEEP while its master writes applies everything once it wakes,
/// with the same offset as its master.
#[test]
fn a_sleeping_replica_catches_up_when_it_wakes() {
    let mut sim = world(2);
    replicate(&mut sim, 2, 1);
    send(&mut sim, 2, "DEBUG SLEEP 1");
    run(&mut sim, 10);
    for i in 0..10 {
        ok(&mut sim, 1, &format!("SET k{i} v"));
    }
    assert_eq!(reply(&mut sim, 2, REPLY_WITHIN_MS), Frame::ok());
    settle(&mut sim, &[2]);
    assert_eq!(call(&mut sim, 2, "DBSIZE"), Frame::Integer(10));
}
