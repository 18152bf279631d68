//! Benchmark: pipelined SET and GET, three ways, in one run on one machine.
//!
//! 1. In-process: the whole engine path (RESP decode → execute → encode) driven directly, with
//!    requests in batches of 16 as `redis-benchmark -P 16` sends them.
//! 2. `playground-server` on loopback, measured by `redis-benchmark -P 16`.
//! 3. Debian's `redis-server` on loopback, measured by the same `redis-benchmark` command.
//!
//! Prints requests per second and the ratios to redis-server. A benchmark, not a test: it asserts
//! nothing about speed. Run with `scripts/bench` (or `cargo bench --bench pipeline`).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant as WallInstant};

use replication_playground::engine::resp::encode_request;
use replication_playground::engine::{Config, ConnId, Input, Instant, Node, Output, Peer};

/// Requests per measurement; `BENCH_REQUESTS` overrides it (smaller runs under callgrind).
fn requests() -> u64 {
    std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}
const PIPELINE: u64 = 16;
const KEYSPACE: u64 = 100_000;

/// Requests per second for `command` ("SET" or "GET") through an in-process node.
fn in_process(command: &str) -> f64 {
    let now = Instant::from_millis(1_700_000_000_000);
    let mut node = Node::new(Config::default(), now, 1);
    // As redis-server without replicas: no replication stream is built.
    node.set_propagation_observed(false);
    let conn = ConnId(1);
    node.handle_input(
        now,
        Input::Connected {
            conn,
            peer: Peer::default(),
        },
    );
    // Pre-encode every batch so the measurement covers the engine, not request building.
    let batches: Vec<Vec<u8>> = (0..requests() / PIPELINE)
        .map(|batch| {
            let mut bytes = Vec::new();
            for i in 0..PIPELINE {
                let key = format!(
                    "key:{:012}",
                    (batch * PIPELINE + i).wrapping_mul(2_654_435_761) % KEYSPACE
                );
                let args: Vec<&[u8]> = match command {
                    "SET" => vec![b"SET", key.as_bytes(), b"xxx"],
                    _ => vec![b"GET", key.as_bytes()],
                };
                encode_request(&args, &mut bytes);
            }
            bytes
        })
        .collect();
    if command == "GET" {
        // GETs of existing keys, as after redis-benchmark's SET phase.
        let mut fill = Vec::new();
        for i in 0..KEYSPACE {
            encode_request(
                &[&b"SET"[..], format!("key:{i:012}").as_bytes(), b"xxx"],
                &mut fill,
            );
        }
        node.handle_input(now, Input::Received { conn, bytes: fill });
        while node.poll_output().is_some() {}
    }
    let mut reply_bytes = 0usize;
    let started = WallInstant::now();
    for batch in batches {
        node.handle_input(now, Input::Received { conn, bytes: batch });
        while let Some(output) = node.poll_output() {
            if let Output::Transmit { bytes, .. } = output {
                reply_bytes += bytes.len();
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    assert!(reply_bytes > 0, "the node answered nothing");
    requests() as f64 / elapsed
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(7399)
}

fn start(binary: &str, port: u16) -> Child {
    let mut command = Command::new(binary);
    command.args(["--port", &port.to_string(), "--bind", "127.0.0.1"]);
    if binary.ends_with("redis-server") {
        command.args(["--save", "", "--appendonly", "no"]);
    }
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let started = WallInstant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err()
        && started.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// `redis-benchmark -P 16` against a server; returns (SET, GET) requests per second.
fn redis_benchmark(binary: &str) -> (f64, f64) {
    let port = free_port();
    let mut server = start(binary, port);
    let output = Command::new("redis-benchmark")
        .args([
            "-p",
            &port.to_string(),
            "-P",
            &PIPELINE.to_string(),
            "-n",
            &requests().to_string(),
        ])
        .args(["-r", &KEYSPACE.to_string(), "-t", "set,get", "-q", "--csv"])
        .output()
        .expect("redis-benchmark (Debian package redis-tools) must be installed");
    let _ = server.kill();
    let _ = server.wait();
    let text = String::from_utf8_lossy(&output.stdout);
    let rate = |name: &str| {
        text.lines()
            .find(|line| line.starts_with(&format!("\"{name}\"")))
            .and_then(|line| line.split(',').nth(1))
            .and_then(|field| field.trim_matches('"').parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (rate("SET"), rate("GET"))
}

fn main() {
    // `--engine-only` skips the servers, for profiling the in-process path.
    if std::env::args().any(|arg| arg == "--engine-only") {
        println!(
            "engine in-process: SET {:.0} req/s, GET {:.0} req/s",
            in_process("SET"),
            in_process("GET")
        );
        return;
    }
    let ours_binary = env!("CARGO_BIN_EXE_playground-server");
    let requests = requests();
    println!("pipelined SET/GET, {requests} requests, pipeline {PIPELINE}, {KEYSPACE} keys, 3-byte values");
    let (redis_set, redis_get) = redis_benchmark("/usr/bin/redis-server");
    let (server_set, server_get) = redis_benchmark(ours_binary);
    let (engine_set, engine_get) = (in_process("SET"), in_process("GET"));
    println!("{:<44} {:>14} {:>14}", "", "SET req/s", "GET req/s");
    let row = |name: &str, set: f64, get: f64| {
        println!(
            "{name:<44} {set:>14.0} {get:>14.0}   ({:.2}x / {:.2}x redis-server)",
            set / redis_set,
            get / redis_get
        );
    };
    row(
        "redis-server 7.0 (redis-benchmark -P 16)",
        redis_set,
        redis_get,
    );
    row(
        "playground-server (redis-benchmark -P 16)",
        server_set,
        server_get,
    );
    row(
        "engine in-process (decode+execute+encode)",
        engine_set,
        engine_get,
    );
}
