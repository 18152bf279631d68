//! `playground-server` as a process: configured like redis-server, usable by the real
//! `redis-cli`, and stopped cleanly by SHUTDOWN or SIGTERM.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use replication_playground::engine::resp::Frame;
use support::{free_port, Client};

/// Starts playground-server with `args` on a free port, in a fresh directory of its own (as its
/// `dir` unless `args` set one), so no test ever sees another's files.
fn start(args: &[&str]) -> (Child, u16) {
    let port = free_port();
    let dir = std::env::temp_dir().join(format!(
        "playground-server-test-{}-{port}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    // A config file must come first; the default --dir goes right after it, before the test's own
    // directives (later ones win).
    let split = usize::from(args.first().is_some_and(|first| !first.starts_with("--")));
    let child = Command::new(env!("CARGO_BIN_EXE_playground-server"))
        .args(&args[..split])
        .args(["--dir", dir.to_str().unwrap()])
        .args(&args[split..])
        .args(["--port", &port.to_string()])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start playground-server");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "playground-server did not start"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    (child, port)
}

/// Waits for the process to exit; its status.
fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "playground-server did not exit"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A config file, then `--directive value` arguments on top of it, as redis-server reads them.
#[test]
fn config_file_and_arguments_configure_the_node() {
    let dir = std::env::temp_dir().join(format!("playground-server-conf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("redis.conf");
    std::fs::write(&file, "# a comment\nmaxmemory 10mb\nhz 20\nsave \"\"\n").unwrap();
    let (mut child, port) = start(&[
        file.to_str().unwrap(),
        "--hz",
        "42",
        "--requirepass",
        "secret",
    ]);
    let mut client = Client::connect(port);
    assert_eq!(
        client.call_line("PING"),
        Ok(Frame::error("NOAUTH Authentication required."))
    );
    assert_eq!(client.call_line("AUTH secret"), Ok(Frame::ok()));
    let get =
        |client: &mut Client, name: &str| client.call_line(&format!("CONFIG GET {name}")).unwrap();
    assert_eq!(
        get(&mut client, "maxmemory"),
        Frame::Array(vec![Frame::bulk("maxmemory"), Frame::bulk("10485760")])
    );
    assert_eq!(
        get(&mut client, "hz"),
        Frame::Array(vec![Frame::bulk("hz"), Frame::bulk("42")])
    );
    assert_eq!(
        get(&mut client, "bind"),
        Frame::Array(vec![Frame::bulk("bind"), Frame::bulk("127.0.0.1")])
    );
    child.kill().ok();
    child.wait().ok();
    std::fs::remove_dir_all(&dir).ok();
}

/// A bad directive stops the server at start with redis-server's report.
#[test]
fn a_bad_directive_is_refused_at_start() {
    let output = Command::new(env!("CARGO_BIN_EXE_playground-server"))
        .args(["--no-such-directive", "1"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("FATAL CONFIG FILE ERROR"), "{stderr}");
}

/// The real redis-cli talks to it: inline and multibulk, replies formatted as for redis-server.
#[test]
fn redis_cli_works_against_it() {
    let (mut child, port) = start(&["--save", ""]);
    let cli = |args: &[&str]| {
        let output = Command::new("redis-cli")
            .args(["-p", &port.to_string()])
            .args(args)
            .output()
            .expect("redis-cli (Debian package redis-tools) must be installed");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert_eq!(cli(&["SET", "greeting", "hello world"]), "OK\n");
    assert_eq!(cli(&["GET", "greeting"]), "hello world\n");
    assert_eq!(
        cli(&["--no-raw", "LPUSH", "list", "a", "b"]),
        "(integer) 2\n"
    );
    assert_eq!(
        cli(&["--no-raw", "LRANGE", "list", "0", "-1"]),
        "1) \"b\"\n2) \"a\"\n"
    );
    child.kill().ok();
    child.wait().ok();
}

/// SHUTDOWN ends the process with status 0 and no reply.
#[test]
fn shutdown_stops_the_server() {
    let (mut child, port) = start(&["--save", ""]);
    let mut client = Client::connect(port);
    client.send_raw(b"SHUTDOWN NOSAVE\r\n").unwrap();
    assert!(
        client.read_frame().is_err(),
        "SHUTDOWN has no reply: the connection just closes"
    );
    assert!(wait_exit(&mut child).success());
}

/// SIGTERM ends the process with status 0.
#[test]
fn sigterm_stops_the_server() {
    let (mut child, _) = start(&[]);
    // SAFETY: plain kill(2) on our own child's pid.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    assert!(wait_exit(&mut child).success());
}

/// SAVE writes a real RDB file: Debian's redis-server started on it holds the same dataset
/// (the same DEBUG DIGEST, Redis's own dataset checksum).
#[test]
fn save_writes_an_rdb_that_redis_server_loads() {
    let dir = std::env::temp_dir().join(format!("playground-server-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dir_arg = dir.to_str().unwrap();
    let (mut ours, port) = start(&[
        "--dir",
        dir_arg,
        "--save",
        "",
        "--enable-debug-command",
        "yes",
    ]);
    let mut client = Client::connect(port);
    for line in [
        "SET greeting hello",
        "SET counter 42",
        "RPUSH list a b c",
        "HSET hash f1 v1 f2 v2",
        "SADD ints 1 2 3",
        "SADD words x y",
        "ZADD zset 1.5 a 2 b",
        "SET ttl v PX 600000",
        "SELECT 3",
        "SET in-db-3 yes",
    ] {
        assert!(!client.call_line(line).unwrap().is_error(), "{line}");
    }
    let digest = client.call_line("DEBUG DIGEST").unwrap();
    assert_eq!(client.call_line("SAVE"), Ok(Frame::ok()));
    ours.kill().ok();
    ours.wait().ok();
    assert!(dir.join("dump.rdb").exists());

    let redis = support::ServerProcess::redis(&["--dir", dir_arg]);
    let mut real = redis.connect();
    assert_eq!(
        real.call_line("DEBUG DIGEST").unwrap(),
        digest,
        "redis-server loaded the same dataset"
    );
    assert_eq!(
        real.call_line("GET greeting").unwrap(),
        Frame::bulk("hello")
    );
    drop(redis);
    std::fs::remove_dir_all(&dir).ok();
}

/// A server stopped with SHUTDOWN SAVE comes back with its data: it loads its own snapshot.
#[test]
fn a_restarted_server_loads_its_snapshot() {
    let dir =
        std::env::temp_dir().join(format!("playground-server-restart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dir_arg = dir.to_str().unwrap();
    let (mut first, port) = start(&["--dir", dir_arg, "--save", ""]);
    let mut client = Client::connect(port);
    assert_eq!(client.call_line("SET kept yes"), Ok(Frame::ok()));
    client.send_raw(b"SHUTDOWN SAVE\r\n").unwrap();
    assert!(wait_exit(&mut first).success());
    let (mut second, port) = start(&["--dir", dir_arg, "--save", ""]);
    let mut client = Client::connect(port);
    assert_eq!(client.call_line("GET kept"), Ok(Frame::bulk("yes")));
    second.kill().ok();
    second.wait().ok();
    std::fs::remove_dir_all(&dir).ok();
}

/// A real client library works against it: redis-py (installed by `scripts/setup --for-tests`)
/// with pipelines, transactions, WATCH, pub/sub and SCAN iteration. It speaks RESP2: RESP3 is not
/// implemented, and redis-py gets Redis's own NOPROTO answer when it asks for it.
#[test]
fn redis_py_works_against_it() {
    let python =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/redis-py/bin/python");
    assert!(
        python.exists(),
        "redis-py is missing: run scripts/setup --for-tests"
    );
    let (mut child, port) = start(&["--save", ""]);
    let script = format!(
        r#"
import redis
r = redis.Redis(port={port}, decode_responses=True, protocol=2)
assert r.ping()
r.set("a", 1); assert r.incrby("a", 41) == 42
p = r.pipeline(transaction=True); p.set("x", "y"); p.lpush("l", 1, 2, 3); p.lrange("l", 0, -1)
assert p.execute() == [True, 3, ["3", "2", "1"]]
r.hset("h", mapping={{"f1": "v1", "f2": "v2"}}); assert r.hgetall("h") == {{"f1": "v1", "f2": "v2"}}
r.zadd("z", {{"m1": 1.5, "m2": 2}}); assert r.zrange("z", 0, -1, withscores=True) == [("m1", 1.5), ("m2", 2.0)]
assert sorted(r.scan_iter(match="*", count=2)) == ["a", "h", "l", "x", "z"]
with r.pipeline() as pipe:
    pipe.watch("a"); pipe.multi(); pipe.incr("a"); assert pipe.execute() == [43]
ps = r.pubsub(); ps.subscribe("ch"); ps.get_message(timeout=1); r.publish("ch", "hello")
assert ps.get_message(timeout=1)["data"] == "hello"
assert r.info("server")["redis_version"] == "7.0.15"
try:
    redis.Redis(port={port}).ping()
    raise SystemExit("RESP3 unexpectedly accepted")
except redis.ResponseError as error:
    assert "NOPROTO" in str(error)
print("ok")
"#
    );
    let output = Command::new(&python)
        .args(["-c", &script])
        .output()
        .unwrap();
    child.kill().ok();
    child.wait().ok();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "ok",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
