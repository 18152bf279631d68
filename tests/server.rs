//! `playground-server` as a process: configured like redis-server, usable by the real
//! `redis-cli`, and stopped cleanly by SHUTDOWN or SIGTERM.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use replication_playground::engine::resp::Frame;
use support::{free_port, Client};

fn start(args: &[&str]) -> (Child, u16) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_playground-server"))
        .args(args)
        .args(["--port", &port.to_string()])
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
