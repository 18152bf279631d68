//! Replication over real TCP against Debian's real `redis-server` 7.0, in every direction:
//!
//! - a real replica follows our master, our replica follows a real master, ours follows ours,
//!   and chains mixing both, each with a full sync (diskless and disk), a stream of writes of
//!   every type, a partial resync after a killed link, and equal datasets (DEBUG DIGEST) and
//!   offsets at the end;
//! - the replication differential: the same multi-node script runs on real nodes and on ours
//!   (or a mix), and the transcripts (replies, INFO replication, ROLE, sync counters, offsets)
//!   must be identical once replication ids, ports and time-dependent values are normalised.
//!
//! Every wait is a poll with a generous bound: a loaded machine makes these tests slower, never
//! wrong. Single-node error replies are in `tests/diff/replication.redis`.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use replication_playground::engine::resp::{split_args, Frame};
use support::{escape, info_field, wait_until, Client, ServerProcess};

/// How long anything replication does may take on a loaded machine.
const BOUND: Duration = Duration::from_secs(30);

/// Every node: the diskless sync starts at once instead of after 5 s, and the master PINGs its
/// replicas every second, so the streams carry PINGs too.
const FAST: &[&str] = &[
    "--repl-diskless-sync-delay",
    "0",
    "--repl-ping-replica-period",
    "1",
];
/// The same with disk-based full syncs (`$<len>` transfers).
const DISK: &[&str] = &[
    "--repl-diskless-sync-delay",
    "0",
    "--repl-ping-replica-period",
    "1",
    "--repl-diskless-sync",
    "no",
];
/// Without PINGs (every hour): for tests that compare offsets between runs, or read a master's
/// offset before its replica reconnects.
const QUIET: &[&str] = &[
    "--repl-diskless-sync-delay",
    "0",
    "--repl-ping-replica-period",
    "3600",
];
const QUIET_DISK: &[&str] = &[
    "--repl-diskless-sync-delay",
    "0",
    "--repl-ping-replica-period",
    "3600",
    "--repl-diskless-sync",
    "no",
];

/// Which server a node runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Real,
    Ours,
}

fn start(kind: Kind, args: &[&str]) -> ServerProcess {
    match kind {
        Kind::Real => ServerProcess::redis(args),
        Kind::Ours => ServerProcess::playground(args),
    }
}

/// A node started as the replica of `master_port` (`replicaof` in its configuration).
fn start_replica(kind: Kind, master_port: u16, args: &[&str]) -> ServerProcess {
    let master_port = master_port.to_string();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--replicaof", "127.0.0.1", &master_port]);
    start(kind, &all)
}

fn field(client: &mut Client, name: &str) -> String {
    client.info_field("everything", name)
}

fn number(client: &mut Client, name: &str) -> i64 {
    let value = field(client, name);
    value
        .parse()
        .unwrap_or_else(|_| panic!("{name}:{value} is not a number"))
}

fn ok(client: &mut Client, line: &str) {
    let reply = client.cmd(line);
    assert!(
        !matches!(reply, Frame::Error(_)),
        "{line}: {}",
        escape(&reply.to_bytes())
    );
}

fn link_up(replica: &mut Client) -> bool {
    replica.info_field("replication", "master_link_status") == "up"
}

/// Waits until `replica` streams from `master` and has applied all of its stream.
fn wait_caught_up(master: &mut Client, replica: &mut Client) {
    wait_until("the replica is up and caught up", BOUND, || {
        if !link_up(replica) {
            return false;
        }
        let offset = number(master, "master_repl_offset");
        number(replica, "slave_repl_offset") == offset
            && number(replica, "master_repl_offset") == offset
    });
}

/// The replica holds the master's data, offset and replication id.
fn assert_same_data(master: &mut Client, replica: &mut Client) {
    wait_caught_up(master, replica);
    assert_eq!(master.digest(), replica.digest(), "datasets differ");
    assert_eq!(
        field(master, "master_replid"),
        field(replica, "master_replid")
    );
}

/// Writes of every type in databases 0 and 3, in `round` (a key prefix): strings with TTLs,
/// lists, hashes, sets, sorted sets, a MULTI/EXEC, keys that expire on the master (whose DELs
/// must replicate) and keys moved between databases. Ends in database 0.
fn write_every_type(master: &mut Client, round: &str) {
    let r = round;
    for line in [
        format!("SET {r}:s hello"),
        format!("SET {r}:ttl v EX 1000"),
        format!("SETEX {r}:setex 1000 v"),
        format!("PSETEX {r}:psetex 1000000 v"),
        format!("SET {r}:pxat v PXAT 99999999999999"),
        format!("SET {r}:keep v EX 500"),
        format!("SET {r}:keep v2 KEEPTTL"),
        format!("APPEND {r}:s \" world\""),
        format!("SETRANGE {r}:s 0 J"),
        format!("INCR {r}:n"),
        format!("INCRBY {r}:n 41"),
        format!("DECR {r}:n"),
        format!("MSET {r}:m1 a {r}:m2 b"),
        format!("SETNX {r}:m1 z"),
        format!("GETSET {r}:m2 c"),
        format!("GETDEL {r}:m1"),
        format!("GETEX {r}:m2 EX 700"),
        format!("SET {r}:p v EX 100"),
        format!("PERSIST {r}:p"),
        format!("RPUSH {r}:l a b c d e"),
        format!("LPUSH {r}:l z"),
        format!("LPOP {r}:l"),
        format!("RPOPLPUSH {r}:l {r}:l2"),
        format!("LMOVE {r}:l {r}:l2 LEFT RIGHT"),
        format!("LSET {r}:l 0 B"),
        format!("LINSERT {r}:l BEFORE B x"),
        format!("LREM {r}:l 1 x"),
        format!("LTRIM {r}:l 0 1"),
        format!("HSET {r}:h f1 v1 f2 v2 f3 v3"),
        format!("HINCRBY {r}:h n 5"),
        format!("HSETNX {r}:h f4 v4"),
        format!("HDEL {r}:h f2"),
        format!("EXPIRE {r}:h 1000"),
        format!("SADD {r}:set a b c d e"),
        format!("SREM {r}:set e"),
        format!("SPOP {r}:set"),
        format!("SMOVE {r}:set {r}:set2 a"),
        format!("ZADD {r}:z 1 a 2 b 3 c 4 d"),
        format!("ZINCRBY {r}:z 10 a"),
        format!("ZADD {r}:z INCR 1 b"),
        format!("ZREM {r}:z d"),
        format!("ZPOPMIN {r}:z"),
        format!("ZRANGESTORE {r}:z2 {r}:z 0 -1"),
        format!("ZREMRANGEBYSCORE {r}:z 100 200"),
        format!("PEXPIREAT {r}:z 99999999999999"),
        format!("RENAME {r}:l2 {r}:l3"),
        format!("COPY {r}:h {r}:hcopy"),
        format!("UNLINK {r}:hcopy"),
        format!("EXPIREAT {r}:gone 1"),
        "MULTI".to_string(),
        format!("INCR {r}:tx"),
        format!("RPUSH {r}:txl a"),
        format!("HSET {r}:txh f v"),
        "EXEC".to_string(),
        "MULTI".to_string(),
        format!("INCR {r}:tx"),
        "EXEC".to_string(),
        "SELECT 3".to_string(),
        format!("SET {r}:db3 v EX 2000"),
        format!("HSET {r}:db3h a 1"),
        format!("SADD {r}:db3set x y"),
        format!("MOVE {r}:db3set 0"),
        "MULTI".to_string(),
        format!("INCR {r}:db3tx"),
        "SELECT 4".to_string(),
        format!("INCR {r}:db4tx"),
        "EXEC".to_string(),
        "SELECT 0".to_string(),
    ] {
        ok(master, &line);
    }
    // A big binary value (CRLFs, NULs, every byte): one command spans many reads.
    let big: Vec<u8> = (0..300_000u32).map(|index| (index % 256) as u8).collect();
    let reply = master.call(&[b"SET".to_vec(), format!("{r}:big").into_bytes(), big]);
    assert_eq!(reply, Ok(Frame::ok()));
    // Keys that expire on the master: its DELs (active expiry) must reach the replica.
    let keys_before = [0, 3].map(|db| {
        ok(master, &format!("SELECT {db}"));
        number_reply(master, "DBSIZE")
    });
    for db in [0, 3] {
        ok(master, &format!("SELECT {db}"));
        for index in 0..4 {
            ok(master, &format!("SET {r}:short{index} v PX 20"));
        }
        ok(master, &format!("HSET {r}:shorth f v"));
        ok(master, &format!("PEXPIRE {r}:shorth 20"));
    }
    for (db, before) in [0, 3].into_iter().zip(keys_before) {
        ok(master, &format!("SELECT {db}"));
        wait_until("the master expires its short-lived keys", BOUND, || {
            number_reply(master, "DBSIZE") == before
        });
    }
    ok(master, "SELECT 0");
}

fn number_reply(client: &mut Client, line: &str) -> i64 {
    match client.cmd(line) {
        Frame::Integer(value) => value,
        other => panic!("{line}: {}", escape(&other.to_bytes())),
    }
}

/// Kills the replica connections of `master` and waits until `replica` resumed with a partial
/// resync (the master's `sync_partial_ok` up by one, `sync_full` unchanged).
fn kill_replica_link_and_resume(master: &mut Client, replica: &mut Client) {
    let full = number(master, "sync_full");
    let partial = number(master, "sync_partial_ok");
    assert_eq!(master.cmd("CLIENT KILL TYPE replica"), Frame::Integer(1));
    wait_until("the replica resumes with PSYNC", BOUND, || {
        number(master, "sync_partial_ok") == partial + 1
    });
    assert_eq!(number(master, "sync_full"), full, "a full sync happened");
    wait_caught_up(master, replica);
}

/// (a), (b), (c): `replica_kind` follows `master_kind`: full sync of a dataset of every type,
/// a stream of every type, WAIT, a killed link resumed with PSYNC (from the master's side, then
/// from the replica's side), equal data and offsets throughout.
fn follow(master_kind: Kind, replica_kind: Kind, args: &[&str]) {
    let master_server = start(master_kind, args);
    let mut master = master_server.connect();
    write_every_type(&mut master, "before");
    let replica_server = start_replica(replica_kind, master_server.port, args);
    let mut replica = replica_server.connect();
    assert_same_data(&mut master, &mut replica);
    assert_eq!(number(&mut master, "sync_full"), 1);
    assert_eq!(number(&mut master, "sync_partial_err"), 0);

    write_every_type(&mut master, "streamed");
    // WAIT in the connection that wrote: the replica acknowledges at once.
    ok(&mut master, "SET waited v");
    assert_eq!(master.cmd("WAIT 1 10000"), Frame::Integer(1));
    assert_same_data(&mut master, &mut replica);

    // A read-only replica refuses writes.
    assert_eq!(
        replica.cmd("SET x y"),
        Frame::error("READONLY You can't write against a read only replica.")
    );

    kill_replica_link_and_resume(&mut master, &mut replica);
    write_every_type(&mut master, "after-kill");
    assert_same_data(&mut master, &mut replica);

    // The replica drops its master link: it reconnects and continues.
    let partial = number(&mut master, "sync_partial_ok");
    assert_eq!(replica.cmd("CLIENT KILL TYPE master"), Frame::Integer(1));
    wait_until("the replica resumes with PSYNC", BOUND, || {
        number(&mut master, "sync_partial_ok") == partial + 1
    });
    assert_eq!(number(&mut master, "sync_full"), 1, "a full sync happened");
    write_every_type(&mut master, "after-master-kill");
    assert_same_data(&mut master, &mut replica);

    // Promotion: the replica keeps the data and the history (replid2, second_repl_offset).
    let old_id = field(&mut replica, "master_replid");
    assert_eq!(replica.cmd("REPLICAOF NO ONE"), Frame::ok());
    assert_eq!(field(&mut replica, "role"), "master");
    assert_eq!(field(&mut replica, "master_replid2"), old_id);
    let offset = number(&mut replica, "master_repl_offset");
    assert_eq!(number(&mut replica, "second_repl_offset"), offset + 1);
    assert_ne!(field(&mut replica, "master_replid"), old_id);
    assert_eq!(master.digest(), replica.digest());
    ok(&mut replica, "SET promoted yes");
}

#[test]
fn real_replica_follows_our_master_diskless() {
    follow(Kind::Ours, Kind::Real, FAST);
}

#[test]
fn real_replica_follows_our_master_disk() {
    follow(Kind::Ours, Kind::Real, DISK);
}

#[test]
fn our_replica_follows_a_real_master_diskless() {
    follow(Kind::Real, Kind::Ours, FAST);
}

#[test]
fn our_replica_follows_a_real_master_disk() {
    follow(Kind::Real, Kind::Ours, DISK);
}

#[test]
fn our_replica_follows_our_master_diskless_and_disk() {
    follow(Kind::Ours, Kind::Ours, FAST);
    follow(Kind::Ours, Kind::Ours, DISK);
}

/// Several clients write at once (pipelined, interleaved on the master) and WAIT at once: every
/// WAIT is answered with the replica's acknowledgement, and the replica ends with the same data.
#[test]
fn concurrent_writers_and_waits_converge() {
    for (master_kind, replica_kind) in [(Kind::Ours, Kind::Real), (Kind::Real, Kind::Ours)] {
        let master_server = start(master_kind, FAST);
        let replica_server = start_replica(replica_kind, master_server.port, FAST);
        let mut master = master_server.connect();
        let mut replica = replica_server.connect();
        wait_caught_up(&mut master, &mut replica);
        std::thread::scope(|scope| {
            for writer in 0..4 {
                let master_server = &master_server;
                scope.spawn(move || {
                    let mut client = master_server.connect();
                    let commands: Vec<String> = (0..300)
                        .flat_map(|index| {
                            [
                                "INCR counter".to_string(),
                                format!("RPUSH list w{writer}:{index}"),
                                format!("HINCRBY hash w{writer} 1"),
                                format!("SET key:{writer}:{} {index}", index % 7),
                            ]
                        })
                        .collect();
                    for command in &commands {
                        let args = split_args(command.as_bytes()).unwrap();
                        client.send(&args).unwrap();
                    }
                    for command in &commands {
                        let reply = client.read_frame().unwrap();
                        assert!(!matches!(reply, Frame::Error(_)), "{command}: {reply:?}");
                    }
                    assert_eq!(client.cmd("WAIT 1 10000"), Frame::Integer(1));
                });
            }
        });
        assert_eq!(master.cmd("GET counter"), Frame::bulk("1200"));
        assert_same_data(&mut master, &mut replica);
    }
}

/// A master with `requirepass`: the replica's handshake authenticates with `masterauth` (and
/// `masteruser`), then syncs and streams.
#[test]
fn the_handshake_authenticates_with_masterauth() {
    for (master_kind, replica_kind, user) in [
        (Kind::Ours, Kind::Real, false),
        (Kind::Real, Kind::Ours, false),
        (Kind::Real, Kind::Ours, true),
        (Kind::Ours, Kind::Real, true),
    ] {
        let mut args = FAST.to_vec();
        args.extend(["--requirepass", "s3cret", "--masterauth", "s3cret"]);
        if user {
            args.extend(["--masteruser", "default"]);
        }
        let master_server = start(master_kind, &args);
        let mut master = master_server.connect();
        ok(&mut master, "AUTH s3cret");
        write_every_type(&mut master, "before");
        let replica_server = start_replica(replica_kind, master_server.port, &args);
        let mut replica = replica_server.connect();
        ok(&mut replica, "AUTH s3cret");
        write_every_type(&mut master, "streamed");
        assert_same_data(&mut master, &mut replica);
    }
}

/// The replica leaves for an unreachable master (its link is cached) while the master writes
/// `bytes`, then comes back: it continues from the backlog when the writes fit in it, and gets a
/// full sync when they overflowed it (`repl-backlog-size` 64 KB; redis-server may keep up to a
/// 16 KB block more, so the two sizes stay clear of that).
///
/// With `resized`, the master starts with the other size (64 KB for a continuation, 1 MB for a
/// full sync) and gets 1 MB or 64 KB with CONFIG SET while streaming: a live backlog takes its
/// new size at once.
fn come_back_after(
    master_kind: Kind,
    replica_kind: Kind,
    bytes: usize,
    continues: bool,
    resized: bool,
) {
    let final_size = if continues && resized {
        "1048576"
    } else {
        "65536"
    };
    let first_size = match (resized, continues) {
        (false, _) => final_size,
        (true, true) => "65536",
        (true, false) => "1048576",
    };
    let args = [
        "--repl-diskless-sync-delay",
        "0",
        "--repl-backlog-size",
        first_size,
    ];
    let master_server = start(master_kind, &args);
    let mut master = master_server.connect();
    write_every_type(&mut master, "before");
    let replica_server = start_replica(replica_kind, master_server.port, &args);
    let mut replica = replica_server.connect();
    assert_same_data(&mut master, &mut replica);
    ok(
        &mut master,
        &format!("CONFIG SET repl-backlog-size {final_size}"),
    );
    let unreachable = support::unreachable_port();
    ok(&mut replica, &format!("REPLICAOF 127.0.0.1 {unreachable}"));
    wait_until("the master lost its replica", BOUND, || {
        number(&mut master, "connected_slaves") == 0
    });
    let value = "x".repeat(1000);
    for index in 0..bytes / 1000 {
        ok(&mut master, &format!("SET away:{} {value}", index % 50));
    }
    let stats = |master: &mut Client| {
        (
            number(master, "sync_full"),
            number(master, "sync_partial_ok"),
            number(master, "sync_partial_err"),
        )
    };
    let (full, partial_ok, partial_err) = stats(&mut master);
    ok(
        &mut replica,
        &format!("REPLICAOF 127.0.0.1 {}", master_server.port),
    );
    let expected = if continues {
        (full, partial_ok + 1, partial_err)
    } else {
        (full + 1, partial_ok, partial_err + 1)
    };
    let mut counted = stats(&mut master);
    let started = Instant::now();
    while counted != expected {
        assert!(
            started.elapsed() < BOUND,
            "after {bytes} bytes with a {final_size} backlog the master counts (full, partial ok, \
             partial err) = {counted:?}, expected {expected:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
        counted = stats(&mut master);
    }
    assert_same_data(&mut master, &mut replica);
}

#[test]
fn a_returning_replica_continues_from_the_backlog_or_full_syncs() {
    for (master, replica) in [
        (Kind::Ours, Kind::Real),
        (Kind::Real, Kind::Ours),
        (Kind::Ours, Kind::Ours),
    ] {
        for resized in [false, true] {
            come_back_after(master, replica, 20_000, true, resized);
            come_back_after(master, replica, 300_000, resized, resized);
        }
    }
}

/// A dataset of a few megabytes (many keys and one big value) full-syncs while the master keeps
/// writing: what the master wrote during the transfer reaches the replica after it.
fn big_sync_under_writes(master_kind: Kind, replica_kind: Kind, args: &[&str]) {
    let master_server = start(master_kind, args);
    let mut master = master_server.connect();
    for batch in 0..40 {
        let mut request = vec![b"MSET".to_vec()];
        for index in 0..1000 {
            request.push(format!("key:{batch}:{index}").into_bytes());
            request.push(format!("value-{index}-{}", "v".repeat(64)).into_bytes());
        }
        master.send(&request).unwrap();
    }
    for _ in 0..40 {
        assert_eq!(master.read_frame().unwrap(), Frame::ok());
    }
    let big = "b".repeat(2 * 1024 * 1024);
    assert_eq!(
        master.call(&[b"SET".to_vec(), b"big".to_vec(), big.into_bytes()]),
        Ok(Frame::ok())
    );
    let replica_server = start_replica(replica_kind, master_server.port, args);
    let mut replica = replica_server.connect();
    let mut writes = 0;
    while !link_up(&mut replica) {
        ok(&mut master, &format!("RPUSH during {writes}"));
        ok(&mut master, "INCR counter");
        writes += 1;
        assert!(writes < 1_000_000, "the replica never came up");
    }
    ok(&mut master, "APPEND big tail");
    assert_same_data(&mut master, &mut replica);
    assert_eq!(number(&mut master, "sync_full"), 1);
}

#[test]
fn a_big_dataset_full_syncs_under_writes() {
    big_sync_under_writes(Kind::Ours, Kind::Real, FAST);
    big_sync_under_writes(Kind::Real, Kind::Ours, FAST);
    big_sync_under_writes(Kind::Real, Kind::Ours, DISK);
    big_sync_under_writes(Kind::Ours, Kind::Real, DISK);
}

/// A restarted master keeps its history from its RDB (`replid2`, the offset, a backlog), so
/// its replica continues with PSYNC; a restarted replica does the same from its own RDB
/// (psync2-master-restart.tcl, "Partial resync after restart using RDB aux fields").
fn restart_keeps_the_history(master_kind: Kind, replica_kind: Kind, restart_master: bool) {
    let mut master_server = start(master_kind, QUIET);
    let mut master = master_server.connect();
    let mut replica_server = start_replica(replica_kind, master_server.port, QUIET);
    let mut replica = replica_server.connect();
    write_every_type(&mut master, "before");
    assert_same_data(&mut master, &mut replica);
    let replid = field(&mut master, "master_replid");
    if restart_master {
        // Keys that expire while the master is down: it deletes them as it loads its RDB, and
        // the DELs go into its new backlog, for the replica to continue with.
        for index in 0..3 {
            ok(&mut master, &format!("SET soon:{index} v PX 300"));
        }
        ok(&mut master, "SAVE");
        let offset = number(&mut master, "master_repl_offset");
        master_server.restart_after(Duration::from_millis(400));
        master = master_server.connect();
        assert_eq!(number(&mut master, "rdb_last_load_keys_expired"), 3);
        assert_eq!(field(&mut master, "master_replid2"), replid);
        assert_eq!(number(&mut master, "second_repl_offset"), offset + 1);
        assert_eq!(field(&mut master, "repl_backlog_active"), "1");
        assert_eq!(
            number(&mut master, "repl_backlog_first_byte_offset"),
            offset + 1
        );
        let dels = number(&mut master, "repl_backlog_histlen");
        assert!(dels > 0, "the DELs of the expired keys are in the backlog");
        assert_eq!(number(&mut master, "master_repl_offset"), offset + dels);
        wait_until(
            "the replica continues with the restarted master",
            BOUND,
            || number(&mut master, "sync_partial_ok") == 1,
        );
        assert_eq!(number(&mut master, "sync_full"), 0);
    } else {
        ok(&mut replica, "SAVE");
        let before = number(&mut master, "sync_partial_ok");
        replica_server.restart();
        replica = replica_server.connect();
        wait_until("the restarted replica continues", BOUND, || {
            number(&mut master, "sync_partial_ok") == before + 1
        });
        assert_eq!(number(&mut master, "sync_full"), 1);
    }
    write_every_type(&mut master, "after");
    assert_same_data(&mut master, &mut replica);
}

#[test]
fn a_restarted_master_or_replica_continues_from_its_rdb() {
    for (master, replica) in [(Kind::Ours, Kind::Real), (Kind::Real, Kind::Ours)] {
        restart_keeps_the_history(master, replica, true);
        restart_keeps_the_history(master, replica, false);
    }
}

/// A chain real → ours → ours → real: both middle nodes proxy the exact bytes (every node ends
/// with the same `master_repl_offset` and data), and a link dropped in the middle resumes
/// without disturbing the rest of the chain.
#[test]
fn chain_real_ours_ours_real_proxies_the_exact_stream() {
    let top = start(Kind::Real, FAST);
    let mut top_client = top.connect();
    write_every_type(&mut top_client, "before");
    let middle1 = start_replica(Kind::Ours, top.port, FAST);
    let middle2 = start_replica(Kind::Ours, middle1.port, FAST);
    let leaf = start_replica(Kind::Real, middle2.port, FAST);
    let mut clients: Vec<Client> = [&middle1, &middle2, &leaf]
        .iter()
        .map(|server| server.connect())
        .collect();
    let check_chain = |top: &mut Client, clients: &mut [Client]| {
        wait_until("the whole chain caught up", BOUND, || {
            let offset = number(top, "master_repl_offset");
            clients
                .iter_mut()
                .all(|client| link_up(client) && number(client, "master_repl_offset") == offset)
        });
        let digest = top.digest();
        let replid = field(top, "master_replid");
        for (index, client) in clients.iter_mut().enumerate() {
            assert_eq!(client.digest(), digest, "node {} of the chain", index + 1);
            assert_eq!(field(client, "master_replid"), replid);
        }
    };
    check_chain(&mut top_client, &mut clients);
    write_every_type(&mut top_client, "streamed");
    check_chain(&mut top_client, &mut clients);

    // The first middle node loses its master: it resumes (top's sync_partial_ok +1) with the
    // same id, so the rest of the chain stays connected (no resync anywhere below).
    let partial = number(&mut top_client, "sync_partial_ok");
    let below: Vec<(i64, i64)> = clients[..2]
        .iter_mut()
        .map(|client| {
            (
                number(client, "sync_full"),
                number(client, "sync_partial_ok"),
            )
        })
        .collect();
    assert_eq!(clients[0].cmd("CLIENT KILL TYPE master"), Frame::Integer(1));
    wait_until("the middle node resumes with PSYNC", BOUND, || {
        number(&mut top_client, "sync_partial_ok") == partial + 1
    });
    write_every_type(&mut top_client, "after-kill");
    check_chain(&mut top_client, &mut clients);
    for (client, before) in clients[..2].iter_mut().zip(below) {
        assert_eq!(
            (
                number(client, "sync_full"),
                number(client, "sync_partial_ok")
            ),
            before,
            "a node below the dropped link resynced"
        );
    }
}

// ------------------------------------------------------------------------------------------
// The replication differential: one script, real nodes against ours.
//
// Script lines (`#` comments and blank lines are skipped):
// - `<n>> <command>` runs a command on node n's main connection (`<n>.<k>>` on its k-th),
//   with `$port<m>` and `$unreachable` replaced; `[fields a,b]` keeps only those INFO fields
//   (or CLIENT LIST pairs), `[names]` only INFO's field names. The reply goes into the
//   transcript, normalised: replication ids numbered by first appearance, node ports named,
//   seconds (lag, last I/O, link down since) replaced.
// - `@sync <n>...`: each node has applied all of its master's stream; `@acked <n>...`: and
//   its master has its ACK of it.
// - `@until-field <n> <field> <value>`, `@until <n>> <command> => <reply>`: polls until so.
// - `@stats` (sync counters), `@offsets` (master_repl_offset), `@digests` (equal datasets
//   get the same letter), `@delta a,b` (counters' growth since the last @delta): transcript
//   lines.
// - `@read <n>.<k>`: the next reply pushed to a connection; `@sleep <ms>`: a lower bound a
//   step needs (a TTL running out), never an assertion.

/// A replication id's stand-in, numbered by first appearance, so relations (same id, replid2 =
/// the old id) survive normalisation.
struct Normaliser {
    ids: Vec<String>,
    /// Node ports (and the unreachable one) and their stand-ins.
    ports: BTreeMap<u16, String>,
}

impl Normaliser {
    fn id(&mut self, id: &str) -> String {
        if id.bytes().all(|byte| byte == b'0') {
            return id.to_string();
        }
        let index = match self.ids.iter().position(|known| known == id) {
            Some(index) => index,
            None => {
                self.ids.push(id.to_string());
                self.ids.len() - 1
            }
        };
        format!("<id{index}>")
    }

    fn port(&self, port: &str) -> String {
        port.parse::<u16>()
            .ok()
            .and_then(|port| self.ports.get(&port).cloned())
            .unwrap_or_else(|| port.to_string())
    }

    /// INFO text: ids, ports and seconds replaced.
    fn info(&mut self, text: &str) -> String {
        let mut lines = Vec::new();
        for line in text.split("\r\n") {
            let Some((name, value)) = line.split_once(':') else {
                lines.push(line.to_string());
                continue;
            };
            let value = match name {
                "master_replid" | "master_replid2" => self.id(value),
                "master_port" => self.port(value),
                "master_last_io_seconds_ago"
                | "master_link_down_since_seconds"
                | "master_sync_last_io_seconds_ago"
                    if value != "-1" =>
                {
                    "<secs>".to_string()
                }
                _ if name.starts_with("slave") && value.starts_with("ip=") => value
                    .split(',')
                    .map(|part| match part.split_once('=') {
                        Some(("port", port)) => format!("port={}", self.port(port)),
                        Some(("lag", _)) => "lag=<secs>".to_string(),
                        _ => part.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(","),
                _ => value.to_string(),
            };
            lines.push(format!("{name}:{value}"));
        }
        lines.join("\n    ")
    }

    /// A reply in readable form, normalised for `command`.
    fn reply(&mut self, command: &[Vec<u8>], reply: &Result<Frame, String>) -> String {
        let frame = match reply {
            Ok(frame) => frame,
            Err(error) => return format!("<{error}>"),
        };
        let name = command
            .first()
            .map(|name| name.to_ascii_lowercase())
            .unwrap_or_default();
        match (name.as_slice(), frame) {
            (b"info", Frame::Bulk(text)) => {
                format!("\n    {}", self.info(&String::from_utf8_lossy(text)))
            }
            (b"role", Frame::Array(items)) => {
                let items: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| match (index, item) {
                        // A replica's master port.
                        (2, Frame::Integer(port)) => self.port(&port.to_string()),
                        // A master's replicas: [ip, port, offset].
                        (2, Frame::Array(replicas)) => {
                            let replicas: Vec<String> = replicas
                                .iter()
                                .map(|replica| match replica {
                                    Frame::Array(parts) if parts.len() == 3 => {
                                        let port = match &parts[1] {
                                            Frame::Bulk(port) => {
                                                self.port(&String::from_utf8_lossy(port))
                                            }
                                            other => render(other),
                                        };
                                        format!(
                                            "[{}, {port}, {}]",
                                            render(&parts[0]),
                                            render(&parts[2])
                                        )
                                    }
                                    other => render(other),
                                })
                                .collect();
                            format!("[{}]", replicas.join(", "))
                        }
                        (_, item) => render(item),
                    })
                    .collect();
                format!("[{}]", items.join(", "))
            }
            (_, frame) => render(frame),
        }
    }
}

/// An INFO reply's headers and field names; the per-command sections sorted (redis-server lists
/// them in its hash table's order).
fn info_names(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut unordered: Vec<String> = Vec::new();
    let mut sorting = false;
    for line in text.split("\r\n") {
        if line.starts_with('#') || line.is_empty() {
            unordered.sort();
            out.append(&mut unordered);
            sorting = matches!(line, "# Commandstats" | "# Errorstats" | "# Latencystats");
            out.push(line.to_string());
            continue;
        }
        let name = line.split(':').next().unwrap_or_default().to_string();
        if sorting {
            unordered.push(name);
        } else {
            out.push(name);
        }
    }
    unordered.sort();
    out.append(&mut unordered);
    out.join("\r\n")
}

/// `<node>` or `<node>.<connection>`.
fn parse_connection(text: &str) -> Option<(usize, usize)> {
    match text.split_once('.') {
        Some((node, index)) => Some((node.parse().ok()?, index.parse().ok()?)),
        None => Some((text.parse().ok()?, 1)),
    }
}

/// The lines of INFO `text` (`name:value`) or the `key=value` pairs of CLIENT LIST lines whose
/// name is in `fields`.
fn only_fields(text: &str, fields: &[&str]) -> String {
    let kept = |pair: &str, separator: char| {
        pair.split_once(separator)
            .is_some_and(|(name, _)| fields.contains(&name))
    };
    text.split("\r\n")
        .filter(|line| !line.is_empty())
        .filter_map(|line| {
            if line.contains(' ') && line.contains('=') {
                let pairs: Vec<&str> = line.split(' ').filter(|pair| kept(pair, '=')).collect();
                Some(pairs.join(" "))
            } else {
                kept(line, ':').then(|| line.to_string())
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// A compact rendering: `+OK`, `-ERR ...`, `:1`, `"bulk"`, `(nil)`, `[a, b]`.
fn render(frame: &Frame) -> String {
    match frame {
        Frame::Simple(text) => format!("+{text}"),
        Frame::Error(text) => format!("-{}", escape(text)),
        Frame::Integer(value) => format!(":{value}"),
        Frame::Bulk(bytes) => format!("\"{}\"", escape(bytes)),
        Frame::Array(items) => format!(
            "[{}]",
            items.iter().map(render).collect::<Vec<_>>().join(", ")
        ),
        other => escape(&other.to_bytes()),
    }
}

/// The nodes a script runs on.
struct Cluster {
    nodes: Vec<(ServerProcess, Client)>,
    normaliser: Normaliser,
    transcript: Vec<String>,
    /// `@delta`'s previous values, by node and field.
    marks: BTreeMap<(usize, String), i64>,
    /// More connections (`<node>.<n>>`, n ≥ 2), opened on first use.
    extra: BTreeMap<(usize, usize), Client>,
}

impl Cluster {
    fn start(kinds: &[Kind], args: &[&str]) -> Cluster {
        let nodes: Vec<(ServerProcess, Client)> = kinds
            .iter()
            .map(|&kind| {
                let server = start(kind, args);
                let client = server.connect();
                (server, client)
            })
            .collect();
        let mut ports: BTreeMap<u16, String> = nodes
            .iter()
            .enumerate()
            .map(|(index, (server, _))| (server.port, format!("<port{index}>")))
            .collect();
        ports.insert(support::unreachable_port(), "<unreachable>".to_string());
        Cluster {
            nodes,
            normaliser: Normaliser {
                ids: Vec::new(),
                ports,
            },
            transcript: Vec::new(),
            marks: BTreeMap::new(),
            extra: BTreeMap::new(),
        }
    }

    fn client(&mut self, node: usize) -> &mut Client {
        &mut self.nodes[node].1
    }

    /// Connection `index` of `node` (1 is the main one).
    fn connection(&mut self, node: usize, index: usize) -> &mut Client {
        if index <= 1 {
            return self.client(node);
        }
        let port = self.nodes[node].0.port;
        self.extra
            .entry((node, index))
            .or_insert_with(|| Client::connect(port))
    }

    fn port_of(&self, node: &str) -> u16 {
        if node == "unreachable" {
            return *self
                .normaliser
                .ports
                .iter()
                .find(|(_, name)| name.as_str() == "<unreachable>")
                .unwrap()
                .0;
        }
        let index: usize = node.parse().expect("$port<n> or $unreachable");
        self.nodes[index].0.port
    }

    /// `$port<n>` and `$unreachable` replaced by real ports.
    fn substitute(&self, command: &str) -> String {
        let mut out = String::new();
        let mut rest = command;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let name: String = rest[at + 1..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            let node = name.strip_prefix("port").unwrap_or(&name);
            out.push_str(&self.port_of(node).to_string());
            rest = &rest[at + 1 + name.len()..];
        }
        out.push_str(rest);
        out
    }

    fn node_of_port(&self, port: u16) -> Option<usize> {
        self.nodes
            .iter()
            .position(|(server, _)| server.port == port)
    }

    /// Node `node` is up, has applied all its master's stream, and its master has its ACK.
    fn synced(&mut self, node: usize, acked: bool) -> bool {
        let info = self.client(node).info("replication");
        if info_field(&info, "master_link_status").as_deref() != Some("up") {
            return false;
        }
        let master_port: u16 = info_field(&info, "master_port").unwrap().parse().unwrap();
        let Some(master) = self.node_of_port(master_port) else {
            return false;
        };
        let master_info = self.client(master).info("replication");
        let offset = info_field(&master_info, "master_repl_offset").unwrap();
        let announced = match self.client(node).cmd("CONFIG GET replica-announce-port") {
            Frame::Array(items) if items.len() == 2 => render(&items[1]),
            _ => String::new(),
        };
        let my_port = match announced.trim_matches('"') {
            "0" | "" => self.nodes[node].0.port.to_string(),
            port => port.to_string(),
        };
        let expected = if acked {
            format!("port={my_port},state=online,offset={offset},")
        } else {
            format!("port={my_port},state=online,")
        };
        let listed = master_info
            .split("\r\n")
            .any(|line| line.starts_with("slave") && line.contains(&expected));
        listed
            && info_field(&info, "slave_repl_offset").as_deref() == Some(offset.as_str())
            && info_field(&info, "master_repl_offset").as_deref() == Some(offset.as_str())
    }

    /// Runs `script`; the transcript ends early at a step that timed out.
    fn run(mut self, script: &str) -> Vec<String> {
        for (number, raw) in script.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Err(error) = self.step(line) {
                self.transcript
                    .push(format!("{}: {line} => FAILED: {error}", number + 1));
                break;
            }
        }
        self.transcript
    }

    fn step(&mut self, line: &str) -> Result<(), String> {
        let started = Instant::now();
        let poll = |this: &mut Cluster, what: &str, check: &mut dyn FnMut(&mut Cluster) -> bool| {
            while !check(this) {
                if started.elapsed() > BOUND {
                    return Err(format!("timed out waiting until {what}"));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(())
        };
        let mut words = line.split_whitespace();
        match words.next().unwrap() {
            "@sync" | "@acked" => {
                // `@sync`: the replica applied all its master's stream; `@acked`: and the master
                // has its ACK of it (INFO's `offset=` and ROLE show it; ACKs come once a second).
                let acked = line.starts_with("@acked");
                for node in words {
                    let node: usize = node.parse().unwrap();
                    poll(self, &format!("node {node} is synced"), &mut |this| {
                        this.synced(node, acked)
                    })?;
                }
            }
            "@until-field" => {
                let (node, name, value) = (
                    words.next().unwrap().parse::<usize>().unwrap(),
                    words.next().unwrap(),
                    words.next().unwrap(),
                );
                poll(
                    self,
                    &format!("node {node} has {name}:{value}"),
                    &mut |this| {
                        let info = this.client(node).info("everything");
                        info_field(&info, name).as_deref() == Some(value)
                    },
                )?;
            }
            "@until" => {
                // `@until <n>> <command> => <rendered reply>`: polls until the reply matches.
                let (command, expected) = line["@until".len()..]
                    .split_once(" => ")
                    .ok_or("@until <n>> <command> => <reply>")?;
                let (node, command) = command.trim().split_once("> ").ok_or("no node")?;
                let node: usize = node.parse().map_err(|_| "bad node")?;
                let args = split_args(self.substitute(command).as_bytes()).ok_or("quotes")?;
                poll(self, &format!("{command} => {expected}"), &mut |this| {
                    let reply = this.client(node).call(&args);
                    this.normaliser.reply(&args, &reply) == expected.trim()
                })?;
                self.transcript.push(line.to_string());
            }
            "@sleep" => {
                // Only ever a lower bound that a step needs (a TTL to run out), never an
                // assertion's timing.
                let ms: u64 = words
                    .next()
                    .and_then(|ms| ms.parse().ok())
                    .ok_or("@sleep <ms>")?;
                std::thread::sleep(Duration::from_millis(ms));
            }
            "@stats" => {
                let mut parts = Vec::new();
                for node in 0..self.nodes.len() {
                    let client = self.client(node);
                    parts.push(format!(
                        "{node}: full={} ok={} err={}",
                        field(client, "sync_full"),
                        field(client, "sync_partial_ok"),
                        field(client, "sync_partial_err")
                    ));
                }
                self.transcript.push(format!("stats {}", parts.join("; ")));
            }
            "@delta" => {
                // `@delta a,b`: how much these INFO counters grew on each node since the last
                // `@delta` (the first one only takes the baseline).
                let names: Vec<&str> = words.next().ok_or("@delta <fields>")?.split(',').collect();
                let mut parts = Vec::new();
                for node in 0..self.nodes.len() {
                    for name in &names {
                        let value = number(self.client(node), name);
                        let key = (node, name.to_string());
                        if let Some(previous) = self.marks.insert(key, value) {
                            parts.push(format!("{node}:{name}+{}", value - previous));
                        }
                    }
                }
                self.transcript.push(format!("delta {}", parts.join(" ")));
            }
            "@offsets" => {
                let offsets: Vec<String> = (0..self.nodes.len())
                    .map(|node| field(self.client(node), "master_repl_offset"))
                    .collect();
                self.transcript
                    .push(format!("master_repl_offset {}", offsets.join(" ")));
            }
            "@digests" => {
                // Equal datasets get the same letter (digests hash absolute expiry times, so
                // their values differ between runs).
                let mut seen: Vec<String> = Vec::new();
                let mut classes = Vec::new();
                for node in 0..self.nodes.len() {
                    let digest = self.client(node).digest();
                    let class = seen.iter().position(|d| *d == digest).unwrap_or_else(|| {
                        seen.push(digest);
                        seen.len() - 1
                    });
                    classes.push(char::from(b'A' + class as u8).to_string());
                }
                self.transcript
                    .push(format!("digests {}", classes.join(" ")));
            }
            "@read" => {
                // `@read <node>.<n>`: the next reply pushed to that connection.
                let (node, index) =
                    parse_connection(words.next().unwrap_or_default()).ok_or("@read <node>.<n>")?;
                let reply = self.connection(node, index).read_frame();
                let shown = self.normaliser.reply(&[], &reply);
                self.transcript.push(format!("{line} => {shown}"));
            }
            command => {
                let (node, index) = command
                    .strip_suffix('>')
                    .and_then(parse_connection)
                    .ok_or_else(|| format!("bad step {line:?}"))?;
                let shown_command = line[command.len()..].trim();
                // `[names]`: an INFO reply's section headers and field names only.
                let (names, shown_text) = match shown_command.strip_prefix("[names] ") {
                    Some(rest) => (true, rest),
                    None => (false, shown_command),
                };
                // `[fields a,b]`: only these INFO fields, or CLIENT LIST's key=value pairs.
                let (fields, text) = match shown_text.strip_prefix("[fields ") {
                    Some(rest) => {
                        let (fields, text) = rest.split_once(']').ok_or("unclosed [fields")?;
                        (Some(fields.split(',').collect::<Vec<_>>()), text.trim())
                    }
                    None => (None, shown_text),
                };
                let args = split_args(self.substitute(text).as_bytes()).ok_or("quotes")?;
                let mut reply = self.connection(node, index).call(&args);
                if let (Some(fields), Ok(Frame::Bulk(bytes))) = (&fields, &mut reply) {
                    *bytes = only_fields(&String::from_utf8_lossy(bytes), fields).into_bytes();
                }
                if let (true, Ok(Frame::Bulk(bytes))) = (names, &mut reply) {
                    *bytes = info_names(&String::from_utf8_lossy(bytes)).into_bytes();
                }
                let shown = self.normaliser.reply(&args, &reply);
                self.transcript
                    .push(format!("{command} {shown_command} => {shown}"));
                reply?;
            }
        }
        Ok(())
    }
}

/// Runs `script` on real nodes and on each variant's nodes (all at once, in threads), and
/// compares every transcript with the real one.
fn differential(script: &str, args: &[&str], variants: &[&[Kind]]) {
    let nodes = variants[0].len();
    let real_kinds = vec![Kind::Real; nodes];
    let transcripts: Vec<Vec<String>> = std::thread::scope(|scope| {
        let runs: Vec<_> = std::iter::once(real_kinds.as_slice())
            .chain(variants.iter().copied())
            .map(|kinds| scope.spawn(move || Cluster::start(kinds, args).run(script)))
            .collect();
        runs.into_iter().map(|run| run.join().unwrap()).collect()
    });
    let (real, others) = transcripts.split_first().unwrap();
    let mut report = String::new();
    for (kinds, transcript) in variants.iter().zip(others) {
        let length = real.len().max(transcript.len());
        for index in 0..length {
            let expected = real.get(index).map_or("<nothing>", String::as_str);
            let actual = transcript.get(index).map_or("<nothing>", String::as_str);
            if expected != actual {
                report.push_str(&format!(
                    "\n{kinds:?}\n  real: {expected}\n  ours: {actual}\n"
                ));
            }
        }
    }
    assert!(
        report.is_empty(),
        "transcripts differ from the real nodes':{report}\n\nreal transcript:\n{}",
        real.join("\n")
    );
    println!("{}", real.join("\n"));
}

/// Two nodes: INFO replication and ROLE in every state both reach deterministically (fresh
/// master, replica of an unreachable port, connected replica, master with an online replica,
/// after promotion), the stream's offsets (SELECT, MULTI/EXEC, GETACK from WAIT, DELs of expired
/// keys), partial resyncs after kills on either side, FAILOVER's argument errors with a replica
/// attached, promotion and the old master continuing from the promoted replica.
const TWO_NODES: &str = r#"
0> INFO replication
0> ROLE
1> REPLICAOF 127.0.0.1 $unreachable
@until 1> ROLE => ["slave", "127.0.0.1", <unreachable>, "connect", :-1]
1> INFO replication
1> REPLICAOF 127.0.0.1 $port0
@acked 1
1> INFO replication
1> ROLE
0> INFO replication
0> ROLE
@stats
@offsets
@delta total_net_repl_output_bytes,total_net_repl_input_bytes,total_commands_processed
0> SET a 1
0> SELECT 9
0> SET b 2 EX 1000
0> RPUSH l x y z
0> MULTI
0> INCR c
0> SELECT 2
0> INCR c
0> EXEC
0> SELECT 0
0> SET short v PX 30
@until-field 0 db0 keys=1,expires=0,avg_ttl=0
@sync 1
@offsets
0> SET waited 1
0> WAIT 1 10000
@acked 1
@offsets
@delta total_net_repl_output_bytes,total_net_repl_input_bytes
0> INFO replication
1> INFO replication
1> ROLE
0> ROLE
0> [names] INFO everything
1> [names] INFO everything
0> [fields connected_clients,connected_slaves,blocked_clients] INFO
0> [fields flags,db,cmd,name] CLIENT LIST TYPE replica
1> [fields flags,db,cmd,name] CLIENT LIST TYPE master
1> [fields connected_clients,connected_slaves] INFO
0> CONFIG SET min-replicas-to-write 2
0> SET refused 1
0> [fields connected_slaves,min_slaves_good_slaves] INFO replication
0> CONFIG SET min-replicas-to-write 1
0> SET accepted 1
0> CONFIG SET min-replicas-to-write 0
# A replica reports a key its master has not expired yet as missing, but keeps it until the
# master's DEL arrives.
0> DEBUG SET-ACTIVE-EXPIRE 0
0> SET soon v PX 100
@sync 1
@sleep 150
1> GET soon
1> EXISTS soon
1> TTL soon
1> DBSIZE
0> DBSIZE
0> GET soon
@sync 1
1> DBSIZE
0> DEBUG SET-ACTIVE-EXPIRE 1
@offsets
1> SET x 1
1> WAIT 0 0
1> FAILOVER
0> FAILOVER TO 127.0.0.1 $port1 FORCE
0> FAILOVER TO 127.0.0.1 $unreachable
0> FAILOVER FORCE TIMEOUT 100
0> FAILOVER TO 127.0.0.1 $port1 TIMEOUT 0
0> CLIENT KILL TYPE replica
@until-field 0 sync_partial_ok 1
@sync 1
@stats
0> SET after-kill 1
@sync 1
@offsets
@digests
# What the replica announces, from its next handshake on.
1> CONFIG SET replica-announce-ip 10.9.8.7
1> CONFIG SET replica-announce-port 4444
1> CONFIG SET replica-priority 7
1> CONFIG SET replica-announced no
1> CLIENT KILL TYPE master
@until-field 0 sync_partial_ok 2
@acked 1
@stats
0> INFO replication
0> ROLE
1> INFO replication
0> [fields flags,cmd] CLIENT LIST TYPE slave
0> SELECT 5
0> SET in5 1
@sync 1
@offsets
# Resizing the backlog keeps its content (below the minimum, the size is raised to 16 KB).
0> CONFIG SET repl-backlog-size 100
0> CONFIG GET repl-backlog-size
0> CONFIG SET repl-backlog-size 32768
0> [fields repl_backlog_active,repl_backlog_size,repl_backlog_first_byte_offset,repl_backlog_histlen] INFO replication
0> CLIENT KILL TYPE replica
@until-field 0 sync_partial_ok 3
@sync 1
@stats
1> REPLICAOF NO ONE
1> INFO replication
1> ROLE
@until-field 0 connected_slaves 0
0> INFO replication
0> REPLICAOF 127.0.0.1 $port1
@acked 0
@stats
0> INFO replication
1> INFO replication
1> SET after-promotion 1
@sync 0
@offsets
@digests
0> SET x 1
0> REPLICAOF 127.0.0.1 $port1
# The roles swap back: the old master continues through its replid2.
0> REPLICAOF NO ONE
@until-field 1 connected_slaves 0
1> REPLICAOF 127.0.0.1 $port0
@sync 1
@stats
0> SET back 1
@acked 1
@offsets
@digests
1> INFO replication
0> INFO replication
# A master alone for repl-backlog-ttl frees its backlog and starts a new history: its old
# replica must full-sync.
1> REPLICAOF 127.0.0.1 $unreachable
@until-field 0 connected_slaves 0
0> CONFIG SET repl-backlog-ttl 1
@until-field 0 repl_backlog_active 0
0> INFO replication
1> REPLICAOF 127.0.0.1 $port0
@sync 1
@stats
@digests
"#;

#[test]
fn differential_two_nodes_diskless() {
    differential(
        TWO_NODES,
        QUIET,
        &[&[Kind::Ours, Kind::Ours], &[Kind::Real, Kind::Ours]],
    );
}

#[test]
fn differential_two_nodes_disk_mixed() {
    differential(
        TWO_NODES,
        QUIET_DISK,
        &[&[Kind::Ours, Kind::Ours], &[Kind::Ours, Kind::Real]],
    );
}

/// Three nodes in a chain: the middle one proxies the stream (equal offsets), a dropped link in
/// the middle resumes without touching the sub-replica, a writable middle node keeps its own
/// writes, promotion of the middle node disconnects the sub-replica, which continues through
/// replid2, and the old top follows it; at last the middle node follows a fourth, unrelated
/// master and everyone below it full-syncs.
const CHAIN: &str = r#"
1> REPLICAOF 127.0.0.1 $port0
@sync 1
2> REPLICAOF 127.0.0.1 $port1
@acked 2
1> INFO replication
2> INFO replication
2> ROLE
1> ROLE
0> SET a 1
0> SELECT 4
0> SET b 1 PX 100000
0> MULTI
0> INCR n
0> INCR n
0> EXEC
0> SELECT 0
0> WAIT 1 10000
@sync 1 2
@offsets
@stats
@digests
1> CLIENT KILL TYPE master
@until-field 0 sync_partial_ok 1
@sync 1
0> SET c 1
@sync 1 2
@offsets
@stats
# A writable replica keeps its own writes: they reach neither its offset nor its replica.
1> CONFIG SET replica-read-only no
1> SET local 1
1> INCR a
0> SET e 1
@sync 1 2
@offsets
2> GET local
2> GET a
1> GET a
@digests
1> CONFIG SET replica-read-only yes
1> SET local 2
1> REPLICAOF NO ONE
@until-field 1 sync_partial_ok 1
@sync 2
0> REPLICAOF 127.0.0.1 $port1
@acked 0 2
@stats
0> INFO replication
1> INFO replication
2> INFO replication
1> SET d 1
@sync 0 2
@offsets
@digests
# The middle node follows an unrelated master: it full-syncs from it, and its own replicas,
# whose history it no longer has, full-sync from it in turn.
3> SET other 1
1> REPLICAOF 127.0.0.1 $port3
@until-field 3 sync_full 1
@until-field 1 sync_full 3
@sync 1 0 2
@stats
2> GET other
0> GET d
@offsets
@digests
# (The order in which its two replicas came back is a race: their INFO lines are left out.)
1> [fields role,master_link_status,connected_slaves,master_replid,master_replid2,master_repl_offset,second_repl_offset,repl_backlog_first_byte_offset,repl_backlog_histlen] INFO replication
2> INFO replication
"#;

/// Four nodes (psync2.tcl's spirit): a master with two replicas, one of them with a
/// sub-replica. The first replica is promoted and everyone else re-points to it: the sibling
/// continues through replid2 and, its id having changed, drops its own replica, which continues
/// through the sibling's replid2; the old master continues as well. Only the initial full syncs
/// ever happen, and killing every master link afterwards adds none.
const FOUR_NODES: &str = r#"
1> REPLICAOF 127.0.0.1 $port0
@sync 1
2> REPLICAOF 127.0.0.1 $port0
@sync 2
3> REPLICAOF 127.0.0.1 $port2
@sync 3
0> SET a 1
0> SELECT 1
0> INCR n
0> WAIT 2 10000
0> WAIT 3 100
@acked 1 2 3
@offsets
@stats
0> INFO replication
1> REPLICAOF NO ONE
2> REPLICAOF 127.0.0.1 $port1
@until-field 1 sync_partial_ok 1
@until-field 2 sync_partial_ok 1
@sync 2 3
0> REPLICAOF 127.0.0.1 $port1
@until-field 1 sync_partial_ok 2
@acked 0 2 3
@stats
0> INFO replication
1> INFO replication
2> INFO replication
3> INFO replication
1> SET b 1
1> WAIT 2 10000
@sync 0 2 3
@offsets
@digests
0> CLIENT KILL TYPE master
2> CLIENT KILL TYPE master
@until-field 1 sync_partial_ok 4
3> CLIENT KILL TYPE master
@until-field 2 sync_partial_ok 2
@sync 0 2 3
@stats
1> SET c 1
@sync 0 2 3
@offsets
@digests
"#;

#[test]
fn differential_four_nodes_promotion() {
    differential(
        FOUR_NODES,
        QUIET,
        &[
            &[Kind::Ours, Kind::Ours, Kind::Ours, Kind::Ours],
            &[Kind::Real, Kind::Ours, Kind::Real, Kind::Ours],
        ],
    );
}

/// The diskless sync delayed by 3 s (ample time to look at the waiting state): the replicas wait in `handshake` (master side
/// `wait_bgsave`), a second replica joins the same sync, and both come online with it
/// (replication.tcl "Slave enters handshake" / "Slave enters wait_bgsave").
const DELAYED: &str = r#"
1> REPLICAOF 127.0.0.1 $port0
@until-field 0 connected_slaves 1
2> REPLICAOF 127.0.0.1 $port0
@until-field 0 connected_slaves 2
@until 1> ROLE => ["slave", "127.0.0.1", <port0>, "handshake", :-1]
@until 2> ROLE => ["slave", "127.0.0.1", <port0>, "handshake", :-1]
0> INFO replication
0> ROLE
1> INFO replication
@acked 1 2
@stats
0> INFO replication
0> SET a 1
@sync 1 2
@offsets
"#;

#[test]
fn differential_delayed_diskless_sync() {
    differential(
        DELAYED,
        &[
            "--repl-diskless-sync-delay",
            "3",
            "--repl-ping-replica-period",
            "3600",
        ],
        &[
            &[Kind::Ours, Kind::Ours, Kind::Ours],
            &[Kind::Ours, Kind::Real, Kind::Real],
        ],
    );
}

/// What reaches a replica besides writes: PUBLISH (its subscribers get the message), keys that
/// had expired on the master but were still in its snapshot (the replica keeps them, hidden,
/// until the master's DEL), and a replica's own subscribers while it streams.
const STREAM_EXTRAS: &str = r#"
0> DEBUG SET-ACTIVE-EXPIRE 0
0> SET gone v PX 50
0> SET stays v
@sleep 100
1> REPLICAOF 127.0.0.1 $port0
@sync 1
1> [fields rdb_last_load_keys_expired,rdb_last_load_keys_loaded] INFO persistence
0> [fields rdb_last_load_keys_expired,rdb_last_load_keys_loaded] INFO persistence
1> DBSIZE
1> GET gone
1> EXISTS gone stays
0> DBSIZE
0> GET gone
@sync 1
1> DBSIZE
@offsets
1.2> SUBSCRIBE chan
1.3> PSUBSCRIBE ch*
0> PUBLISH chan hello
@read 1.2
@read 1.3
0> SPUBLISH chan sharded
0> PUBLISH other x
0> PUBLISH chan again
@read 1.2
@read 1.3
@sync 1
@offsets
1> PUBLISH chan from-replica
@read 1.2
1.2> UNSUBSCRIBE
1> PUBSUB NUMSUB chan
"#;

#[test]
fn differential_stream_extras() {
    differential(
        STREAM_EXTRAS,
        QUIET,
        &[
            &[Kind::Ours, Kind::Ours],
            &[Kind::Real, Kind::Ours],
            &[Kind::Ours, Kind::Real],
        ],
    );
}

/// Demotions: a replica whose own link is down refuses its sub-replica (NOMASTERLINK, retried
/// until it is connected); a MULTI that demotes its master half-way propagates nothing, the
/// writes before the demotion included (multi.tcl "MULTI / EXEC with REPLICAOF").
const DEMOTIONS: &str = r#"
1> REPLICAOF 127.0.0.1 $unreachable
2> REPLICAOF 127.0.0.1 $port1
@sleep 300
1> [fields connected_slaves] INFO replication
1> [fields sync_full,sync_partial_ok,sync_partial_err] INFO stats
1> REPLICAOF 127.0.0.1 $port0
@acked 1
@acked 2
@stats
0> SET foo bar
@acked 1 2
0> MULTI
0> SET foo2 bar
0> REPLICAOF 127.0.0.1 $unreachable
0> SET foo3 bar
0> EXEC
0> SET foo4 bar
@offsets
1> EXISTS foo foo2 foo3
2> EXISTS foo foo2 foo3
0> EXISTS foo foo2 foo3
@digests
0> INFO replication
1> ROLE
0> REPLICAOF NO ONE
@until-field 0 sync_partial_ok 1
@acked 1 2
@stats
@offsets
0> SET foo5 bar
@sync 1 2
@digests
# The old master writes on after its replica's promotion: their histories fork, and following
# the promoted node costs it a full sync (its offset is past second_repl_offset), while the
# promoted node's own replica continues through replid2.
1> REPLICAOF NO ONE
@until-field 1 sync_partial_ok 2
@until-field 0 connected_slaves 0
0> SET fork 1
0> REPLICAOF 127.0.0.1 $port1
@until-field 1 sync_full 2
@acked 0 2
@stats
0> EXISTS fork
@offsets
@digests
0> INFO replication
1> INFO replication
"#;

#[test]
fn differential_demotions() {
    differential(
        DEMOTIONS,
        QUIET,
        &[
            &[Kind::Ours, Kind::Ours, Kind::Ours],
            &[Kind::Real, Kind::Ours, Kind::Real],
        ],
    );
}

#[test]
fn differential_chain() {
    differential(
        CHAIN,
        QUIET,
        &[
            &[Kind::Ours, Kind::Ours, Kind::Ours, Kind::Ours],
            &[Kind::Real, Kind::Ours, Kind::Ours, Kind::Real],
            &[Kind::Ours, Kind::Ours, Kind::Real, Kind::Ours],
        ],
    );
}

// ------------------------------------------------------------------------------------------
// The stream itself, byte for byte: a raw replica on a socket.

/// A replica written by hand: the handshake, the snapshot skipped, then the raw stream.
struct RawReplica {
    stream: std::net::TcpStream,
    buffer: Vec<u8>,
}

impl RawReplica {
    fn connect(port: u16) -> RawReplica {
        let stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(BOUND)).unwrap();
        RawReplica {
            stream,
            buffer: Vec::new(),
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        use std::io::Write;
        self.stream.write_all(bytes).unwrap();
    }

    fn fill(&mut self) {
        use std::io::Read;
        let mut chunk = [0u8; 64 * 1024];
        let read = self.stream.read(&mut chunk).expect("the master went quiet");
        assert!(read > 0, "the master closed the link");
        self.buffer.extend_from_slice(&chunk[..read]);
    }

    fn line(&mut self) -> String {
        loop {
            if let Some(end) = self.buffer.iter().position(|&byte| byte == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                return String::from_utf8_lossy(&line).trim_end().to_string();
            }
            self.fill();
        }
    }

    /// The next line that is not a keep-alive newline.
    fn reply_line(&mut self) -> String {
        loop {
            let line = self.line();
            if !line.is_empty() {
                return line;
            }
        }
    }

    fn take(&mut self, count: usize) -> Vec<u8> {
        while self.buffer.len() < count {
            self.fill();
        }
        self.buffer.drain(..count).collect()
    }

    /// Skips the snapshot (`$<len>` or `$EOF:<mark>` framing).
    fn skip_snapshot(&mut self) {
        let header = self.reply_line();
        if let Some(mark) = header.strip_prefix("$EOF:") {
            let mark = mark.as_bytes().to_vec();
            while !self.buffer.ends_with(&mark) {
                self.fill();
            }
            self.buffer.clear();
        } else {
            let len: usize = header
                .strip_prefix('$')
                .and_then(|len| len.parse().ok())
                .unwrap_or_else(|| panic!("bad snapshot header {header:?}"));
            self.take(len);
        }
    }
}

/// The stream a raw replica receives while `master` runs a workload of every rewrite the
/// stream knows (relative TTLs, GETEX, GETDEL, SPOP, MULTI/EXEC across databases, lazy
/// expiry, FLUSHDB/FLUSHALL, WAIT's GETACK), attached with `sync` (`PSYNC` or the old `SYNC`).
/// Millisecond timestamps are replaced by `<ms>`.
fn raw_stream(kind: Kind, args: &[&str], psync: bool) -> (String, String) {
    let server = start(kind, args);
    let mut master = server.connect();
    ok(&mut master, "DEBUG SET-ACTIVE-EXPIRE 0");
    let mut replica = RawReplica::connect(server.port);
    let attach = if psync {
        replica.send(b"PING\r\n");
        assert_eq!(replica.reply_line(), "+PONG");
        replica.send(b"REPLCONF listening-port 4321\r\nREPLCONF capa eof capa psync2\r\n");
        assert_eq!(replica.reply_line(), "+OK");
        assert_eq!(replica.reply_line(), "+OK");
        replica.send(b"PSYNC ? -1\r\n");
        let fullresync = replica.reply_line();
        let words: Vec<&str> = fullresync.split(' ').collect();
        assert_eq!(words.len(), 3, "{fullresync}");
        assert_eq!(words[1], field(&mut master, "master_replid"));
        let attach = format!("{} <id> {}", words[0], words[2]);
        replica.skip_snapshot();
        attach
    } else {
        replica.send(b"SYNC\r\n");
        replica.skip_snapshot();
        "SYNC".to_string()
    };
    wait_until("the raw replica is online", BOUND, || {
        master.info("replication").contains("state=online")
    });
    if psync {
        // After a diskless transfer the stream starts with the replica's first ACK once online
        // (redis-server notices the end of its transfer child later than the replica does).
        replica.send(b"REPLCONF ACK 0\r\n");
    }
    let start_offset = number(&mut master, "master_repl_offset");
    for line in [
        "SET k v",
        "set lower v",
        "SET ex v EX 100",
        "SET px v PX 100000",
        "SET exat v EXAT 9999999999",
        "SET pxat v PXAT 9999999999999",
        "SETEX se 100 v",
        "PSETEX pse 100000 v",
        "SET nx v NX",
        "SET nx v2 NX",
        "SET nx v3 XX EX 100",
        "SET g v GET",
        "GETSET g v2",
        "SET kt v KEEPTTL",
        "EXPIRE k 100",
        "EXPIRE k 200 GT",
        "PEXPIRE k 100000",
        "EXPIREAT k 9999999999",
        "PEXPIREAT k 9999999999999",
        "EXPIRE nosuch 10",
        "EXPIRE k -1",
        "GETEX pse PERSIST",
        "GETEX se EX 100",
        "GETEX g",
        "GETDEL ex",
        "GETDEL nosuch",
        "PERSIST kt",
        "RPUSH l a b c d",
        "LPOP l",
        "RPOP l 2",
        "RPOPLPUSH l l2",
        "LMOVE l2 l3 LEFT RIGHT",
        "LPUSHX l3 z",
        "HSET h f v",
        "HINCRBY h n 1",
        "HDEL h nosuch",
        "SADD s a",
        "SPOP s",
        "SADD s a b c",
        "SPOP s 3",
        "SADD s2 a",
        "SREM s2 nosuch",
        "ZADD z 1 a 2 b",
        "ZINCRBY z 1 a",
        "ZPOPMIN z",
        "ZREMRANGEBYRANK z 0 0",
        "MULTI",
        "SET m1 1",
        "SELECT 3",
        "SET m2 2",
        "EXEC",
        "MULTI",
        "SET m3 1",
        "EXEC",
        "MULTI",
        "GET m3",
        "EXEC",
        "MULTI",
        "EXEC",
        "FLUSHDB",
        "FLUSHDB",
        "SELECT 0",
        "SET lazy v PX 1",
        "SET lazy2 v PX 1",
        "SET lazy3 v PX 1",
    ] {
        ok(&mut master, line);
    }
    // Lazy expiry (active expiry is off): a read gets a DEL, a write on an expired key gets
    // the DEL before it.
    std::thread::sleep(Duration::from_millis(20));
    for line in [
        "GET lazy",
        "SET lazy2 v2",
        "EXISTS lazy3",
        "INCR n",
        "INCRBY n 5",
        "DECRBY n 2",
        "APPEND k x",
        "SETRANGE k2 1 y",
        "MSET a 1 b 2",
        "MSETNX c 1 d 2",
        "MSETNX c 1 e 2",
        "RENAME a a2",
        "MOVE b 5",
        "COPY a2 a3",
        "COPY a2 a4 DB 6",
        "DEL a3 nosuch",
        "UNLINK c",
        "PUBLISH chan msg",
        "SPUBLISH chan msg",
        "SET kg v EX 100 GET",
        "SET kg v2 PX 100000 XX",
        "SET kg v3 KEEPTTL GET",
        "GETEX kg PX 100000",
        "GETEX kg EXAT 9999999999",
        "GETEX kg PXAT 9999999999999",
        "EXPIRE kg 0",
        "SET kp v",
        "PEXPIREAT kp 1",
        "SET kq v",
        "EXPIREAT kq 1 GT",
        "EXPIRE kq 100 LT",
        "EXPIRE kq 100 XX",
        "COPY kq kr REPLACE",
        "RPUSH ml a b c d",
        "LMPOP 1 ml RIGHT COUNT 2",
        "LMPOP 2 nosuch ml LEFT",
        "ZADD mz 1 a 2 b 3 c",
        "ZPOPMAX mz 2",
        "HSET mh a 1",
        "MULTI",
        "SET ma 1",
        "LPUSH ma x",
        "SET mb 2",
        "EXEC",
        "MULTI",
        "DEL nosuch",
        "EXEC",
        "SET lazy4 v PX 1",
        "SELECT 7",
        "MULTI",
        "SET s7a 1",
        "SET s7b 1",
        "EXEC",
        "SELECT 8",
        "MULTI",
        "SET s8 1",
        "SELECT 0",
        "SET s0 1",
        "EXEC",
        "FLUSHALL",
        "SET before-wait 1",
        "WAIT 1 50",
        "SET after-wait 1",
    ] {
        // Errors are part of the workload (the LPUSH on a string inside MULTI).
        master.cmd(line);
    }
    std::thread::sleep(Duration::from_millis(20));
    for line in [
        "MULTI",
        "GET lazy4",
        "SET after-lazy 1",
        "EXEC",
        "SET last 1",
    ] {
        ok(&mut master, line);
    }
    let end_offset = number(&mut master, "master_repl_offset");
    let bytes = replica.take((end_offset - start_offset) as usize);
    // Later replicas: one continues from the backlog (without `capa psync2`, a bare
    // +CONTINUE) and gets the very same bytes; one asking past the end gets a full sync.
    let replid = field(&mut master, "master_replid");
    let mut late = RawReplica::connect(server.port);
    late.send(b"REPLCONF capa eof\r\n");
    assert_eq!(late.reply_line(), "+OK");
    late.send(format!("PSYNC {replid} {}\r\n", start_offset + 1).as_bytes());
    let continued = late.reply_line();
    assert_eq!(
        late.take(bytes.len()),
        bytes,
        "the backlog holds the stream"
    );
    let mut ahead = RawReplica::connect(server.port);
    ahead.send(format!("PSYNC {replid} {}\r\n", end_offset + 2).as_bytes());
    let ahead_reply = ahead.reply_line().replace(&replid, "<id>");
    let attach = format!(
        "{attach} / {continued} / {ahead_reply} / partial ok {}, err {}",
        field(&mut master, "sync_partial_ok"),
        field(&mut master, "sync_partial_err")
    );
    let mut text = escape(&bytes);
    // Absolute times in milliseconds: 13 digits.
    let mut normalised = String::new();
    let mut digits = String::new();
    for char in text.drain(..).chain(std::iter::once(' ')) {
        if char.is_ascii_digit() {
            digits.push(char);
            continue;
        }
        if digits.len() == 13 && !digits.starts_with("9999") {
            normalised.push_str("<ms>");
        } else {
            normalised.push_str(&digits);
        }
        digits.clear();
        normalised.push(char);
    }
    normalised.pop();
    (attach, normalised.replace("*", "\n*"))
}

/// The stream our master sends is byte for byte what redis-server sends for the same
/// commands, after `PSYNC` (diskless and disk) and after the old `SYNC`.
#[test]
fn raw_stream_bytes_match_real_redis() {
    for (args, psync) in [(QUIET, true), (QUIET_DISK, true), (QUIET, false)] {
        let (real_attach, real) = raw_stream(Kind::Real, args, psync);
        let (our_attach, ours) = raw_stream(Kind::Ours, args, psync);
        assert_eq!(our_attach, real_attach, "{args:?}");
        assert!(
            ours == real,
            "{args:?} psync={psync}: the streams differ\nreal:{real}\nours:{ours}"
        );
    }
}
