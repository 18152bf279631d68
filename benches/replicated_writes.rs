//! Benchmark: steady-state writes per second on a master with two replicas attached, in one run
//! on one machine, for three topologies on loopback:
//!
//! - Debian `redis-server` master, two `redis-server` replicas;
//! - `playground-server` master, two `playground-server` replicas;
//! - `playground-server` master, two `redis-server` replicas.
//!
//! Each is measured by `redis-benchmark -t set -r 100000` against the master, pipelined
//! (`-P 16`, 1 000 000 requests) and not (`-P 1`, 200 000 requests), 50 clients. After each
//! run the replicas must catch up: their `slave_repl_offset` equals the master's
//! `master_repl_offset` and their `DEBUG DIGEST` the master's (the time to catch up after
//! redis-benchmark returns is reported). Prints the median and the spread of `BENCH_ROUNDS` runs
//! (3 by default) and the ratios to the all-redis-server topology. A benchmark, not a test: it
//! asserts nothing about speed. Run with `scripts/bench replicated-writes` (or
//! `cargo bench --bench replicated_writes`); `BENCH_REQUESTS` scales the request counts.

mod support;

use std::process::Command;
use std::time::{Duration, Instant as WallInstant};

use replication_playground::engine::resp::Frame;
use support::{seconds_since, Client, Kind, Server, Spread};

const KEYSPACE: u64 = 100_000;
const REPLICAS: usize = 2;

/// Requests of the pipelined run (`BENCH_REQUESTS`, default 1 000 000); the unpipelined run
/// sends a fifth of it.
fn requests() -> u64 {
    std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

/// A master with its replicas, linked and online.
struct Topology {
    master: Server,
    replicas: Vec<Server>,
}

impl Topology {
    fn start(master: Kind, replica: Kind) -> Topology {
        let master = Server::start(master, &[]);
        let replicas: Vec<Server> = (0..REPLICAS).map(|_| Server::start(replica, &[])).collect();
        let port = master.port.to_string();
        for replica in &replicas {
            let reply = replica.client().call(&["REPLICAOF", "127.0.0.1", &port]);
            assert_eq!(reply, Frame::ok());
        }
        let topology = Topology { master, replicas };
        let started = WallInstant::now();
        let mut client = topology.master.client();
        while !topology.all_online(&mut client) {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the replicas never came online"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        topology
    }

    fn all_online(&self, master: &mut Client) -> bool {
        let Frame::Bulk(info) = master.call(&["INFO", "replication"]) else {
            return false;
        };
        let info = String::from_utf8_lossy(&info);
        let online = info
            .lines()
            .filter(|line| line.contains("state=online"))
            .count();
        online == REPLICAS
            && self.replicas.iter().all(|replica| {
                replica
                    .client()
                    .info_field("replication", "master_link_status")
                    .as_deref()
                    == Some("up")
            })
    }

    /// Waits until every replica applied the master's whole stream and holds the same data;
    /// returns the seconds that took.
    fn await_caught_up(&self) -> f64 {
        let started = WallInstant::now();
        let mut master = self.master.client();
        let mut replicas: Vec<Client> = self.replicas.iter().map(Server::client).collect();
        loop {
            let offset = master.info_field("replication", "master_repl_offset");
            let caught_up = replicas
                .iter_mut()
                .all(|replica| replica.info_field("replication", "slave_repl_offset") == offset);
            if caught_up {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the replicas never caught up"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        let seconds = seconds_since(started);
        let digest = master.digest();
        for replica in &mut replicas {
            assert_eq!(replica.digest(), digest, "a replica's data differs");
        }
        seconds
    }
}

/// `redis-benchmark -t set` against `port`; requests per second.
fn redis_benchmark(port: u16, pipeline: u64, requests: u64) -> f64 {
    let output = Command::new("redis-benchmark")
        .args(["-p", &port.to_string(), "-P", &pipeline.to_string()])
        .args(["-n", &requests.to_string(), "-r", &KEYSPACE.to_string()])
        .args(["-t", "set", "-q", "--csv"])
        .output()
        .expect("redis-benchmark (Debian package redis-tools) must be installed");
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find(|line| line.starts_with("\"SET\""))
        .and_then(|line| line.split(',').nth(1))
        .and_then(|field| field.trim_matches('"').parse::<f64>().ok())
        .unwrap_or_else(|| panic!("no SET figure from redis-benchmark: {text}"))
}

/// One topology's figures: [pipelined, unpipelined] requests per second and catch-up seconds.
#[derive(Default)]
struct Figures {
    rate: [Vec<f64>; 2],
    catch_up: [Vec<f64>; 2],
}

fn main() {
    let requests = requests();
    let rounds = support::rounds(3);
    let runs = [(16, requests), (1, requests / 5)];
    let topologies = [
        (
            "redis-server master, 2 redis-server replicas",
            Kind::Redis,
            Kind::Redis,
        ),
        (
            "playground-server master, 2 playground-server replicas",
            Kind::Ours,
            Kind::Ours,
        ),
        (
            "playground-server master, 2 redis-server replicas",
            Kind::Ours,
            Kind::Redis,
        ),
    ];
    println!(
        "replicated SETs, {REPLICAS} replicas, {KEYSPACE} keys, 3-byte values, 50 clients; {rounds} runs each: median (lowest–highest)"
    );
    let mut figures: Vec<Figures> = topologies.iter().map(|_| Figures::default()).collect();
    for _ in 0..rounds {
        // The topologies take turns, so drift on the machine hits them alike.
        for (index, &(_, master, replica)) in topologies.iter().enumerate() {
            let topology = Topology::start(master, replica);
            for (run, &(pipeline, requests)) in runs.iter().enumerate() {
                let rate = redis_benchmark(topology.master.port, pipeline, requests);
                figures[index].rate[run].push(rate);
                figures[index].catch_up[run].push(topology.await_caught_up());
            }
        }
    }
    for (run, &(pipeline, requests)) in runs.iter().enumerate() {
        println!("redis-benchmark -t set -P {pipeline} -n {requests} -r {KEYSPACE}:");
        let redis = Spread::of(&figures[0].rate[run]);
        for (index, &(name, _, _)) in topologies.iter().enumerate() {
            let rate = Spread::of(&figures[index].rate[run]);
            let catch_up = Spread::of(&figures[index].catch_up[run]);
            println!(
                "  {name:<56} {:>9.0} req/s ({:.0}–{:.0})  {:.2}x   replicas caught up {:.3} s after",
                rate.median,
                rate.min,
                rate.max,
                rate.median / redis.median,
                catch_up.median
            );
        }
    }
}
