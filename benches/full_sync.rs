//! Benchmark: a full sync of a million keys (the data `DEBUG POPULATE 1000000` makes), in one
//! run on one machine:
//!
//! 1. In-process: two engine nodes wired back to back (`sim::benchmark::full_sync`: unlimited
//!    bandwidth, no latency, no simulator), from REPLICAOF until the replica's link is up with
//!    every key; then the RDB encode and the load alone, for the breakdown.
//! 2. Two `playground-server`s on loopback, and
//! 3. two Debian `redis-server`s on loopback: a fresh replica is told `REPLICAOF` the populated
//!    master, and the time runs until its `INFO` says `master_link_status:up` (Redis reports it
//!    once the RDB is loaded). Diskless (7.0's default, `repl-diskless-sync-delay 0`) and
//!    disk-based (`repl-diskless-sync no`) transfers.
//!
//! Every sync is checked (the replica's DBSIZE and DEBUG DIGEST equal the master's); the RDB size
//! is compared too (SAVE on each master). Prints the median and the spread of `BENCH_ROUNDS` runs
//! (5 by default) and the ratios to redis-server. A benchmark, not a test: it asserts nothing
//! about speed. Run with `scripts/bench full-sync` (or `cargo bench --bench full_sync`);
//! `--engine-only` runs the in-process part alone (for profiling), `BENCH_KEYS` changes the size.

mod support;

use std::time::{Duration, Instant as WallInstant};

use replication_playground::engine::resp::Frame;
use replication_playground::sim::benchmark::full_sync::{FullSyncPair, KEYS};
use support::{seconds_since, Client, Kind, Server, Spread};

fn keys() -> u64 {
    std::env::var("BENCH_KEYS")
        .ok()
        .and_then(|keys| keys.parse().ok())
        .unwrap_or(KEYS)
}

/// The in-process figures.
struct InProcess {
    sync: Vec<f64>,
    encode: Vec<f64>,
    decode: Vec<f64>,
    rdb_bytes: usize,
}

fn in_process(keys: u64, rounds: usize) -> InProcess {
    let mut pair = FullSyncPair::populated(keys);
    let mut figures = InProcess {
        sync: Vec::new(),
        encode: Vec::new(),
        decode: Vec::new(),
        rdb_bytes: 0,
    };
    for round in 0..rounds {
        if round > 0 {
            pair.next_replica();
        }
        let started = WallInstant::now();
        let synced = pair.sync();
        figures.sync.push(seconds_since(started));
        assert!(synced, "the in-process replica did not sync");
        if round == 0 {
            let (master, replica) = pair.digests();
            assert_eq!(master, replica, "the in-process replica's data differs");
        }
    }
    for _ in 0..rounds {
        let started = WallInstant::now();
        let rdb = pair.encode_master();
        figures.encode.push(seconds_since(started));
        figures.rdb_bytes = rdb.len();
        let started = WallInstant::now();
        let loaded = pair.decode(&rdb).expect("the engine loads its own RDB");
        figures.decode.push(seconds_since(started));
        // Freeing a million keys is not part of loading them.
        assert_eq!(loaded.key_count(), keys as usize);
    }
    figures
}

/// One full sync over loopback: a fresh replica of `kind` follows `master`; seconds from its
/// REPLICAOF until its link is up, checked against the master's DBSIZE and digest.
fn tcp_sync(master: &Server, kind: Kind, diskless: bool, digest: &Frame, keys: u64) -> f64 {
    let mode = if diskless { "yes" } else { "no" };
    let reply = master
        .client()
        .call(&["CONFIG", "SET", "repl-diskless-sync", mode]);
    assert_eq!(reply, Frame::ok());
    let replica = Server::start(kind, &[]);
    let mut admin = replica.client();
    let port = master.port.to_string();
    let started = WallInstant::now();
    let reply = admin.call(&["REPLICAOF", "127.0.0.1", &port]);
    assert_eq!(reply, Frame::ok());
    while admin
        .info_field("replication", "master_link_status")
        .as_deref()
        != Some("up")
    {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "{} never synced",
            kind.name()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let seconds = seconds_since(started);
    assert_eq!(admin.call(&["DBSIZE"]), Frame::Integer(keys as i64));
    assert_eq!(&admin.digest(), digest, "{}'s replica differs", kind.name());
    seconds
}

fn row(name: &str, figures: &[f64], redis: Option<&Spread>) {
    let spread = Spread::of(figures);
    let ratio = redis.map_or(String::new(), |redis| {
        format!(
            "   {:.2}x redis-server's time",
            spread.median / redis.median
        )
    });
    println!(
        "  {name:<52} {:>7.3} s  ({:.3}–{:.3}){ratio}",
        spread.median, spread.min, spread.max
    );
}

fn main() {
    let keys = keys();
    let rounds = support::rounds(5);
    println!(
        "full sync of {keys} keys (key:<n> → value:<n>, as DEBUG POPULATE), {rounds} runs each: median (lowest–highest)"
    );
    let engine = in_process(keys, rounds);
    if std::env::args().any(|arg| arg == "--engine-only") {
        row("engine in-process, whole sync", &engine.sync, None);
        row("  RDB encode alone", &engine.encode, None);
        row("  RDB load alone", &engine.decode, None);
        return;
    }

    let kinds = [Kind::Redis, Kind::Ours];
    let masters: Vec<(Server, Frame)> = kinds
        .iter()
        .map(|&kind| {
            let master = Server::start(kind, &[]);
            let mut client: Client = master.client();
            client.populate(keys);
            let digest = client.digest();
            (master, digest)
        })
        .collect();
    let rdb_bytes: Vec<u64> = masters
        .iter()
        .map(|(master, _)| master.saved_rdb_bytes())
        .collect();
    // [mode][kind] → seconds per round; the servers take turns, so drift hits both alike.
    let mut times = [[Vec::new(), Vec::new()], [Vec::new(), Vec::new()]];
    for _ in 0..rounds {
        for (mode, diskless) in [true, false].into_iter().enumerate() {
            for (index, &kind) in kinds.iter().enumerate() {
                let (master, digest) = &masters[index];
                times[mode][index].push(tcp_sync(master, kind, diskless, digest, keys));
            }
        }
    }

    let redis_diskless = Spread::of(&times[0][0]);
    let redis_disk = Spread::of(&times[1][0]);
    println!("from REPLICAOF to master_link_status:up with every key, loopback:");
    row("redis-server 7.0, diskless", &times[0][0], None);
    row(
        "playground-server, diskless",
        &times[0][1],
        Some(&redis_diskless),
    );
    row("redis-server 7.0, disk-based", &times[1][0], None);
    row(
        "playground-server, disk-based",
        &times[1][1],
        Some(&redis_disk),
    );
    println!("in-process (two engine nodes back to back, diskless):");
    row("engine, whole sync", &engine.sync, Some(&redis_diskless));
    row("  RDB encode alone", &engine.encode, None);
    row("  RDB load alone", &engine.decode, None);
    println!("RDB size of the same data (SAVE):");
    println!("  redis-server 7.0      {:>12} bytes", rdb_bytes[0]);
    println!(
        "  playground-server     {:>12} bytes   ({:+.3} % of redis-server's)",
        rdb_bytes[1],
        (rdb_bytes[1] as f64 / rdb_bytes[0] as f64 - 1.0) * 100.0
    );
    println!("  engine in-process     {:>12} bytes", engine.rdb_bytes);
}
