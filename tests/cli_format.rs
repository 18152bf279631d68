//! The consoles print replies exactly as redis-cli does on a terminal: for each command, the reply
//! real redis-server sends is formatted by our `cli::format_reply` and compared with what the real
//! `redis-cli --no-raw` prints for the same command against the same server.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::process::Command;

use replication_playground::cli::format_reply;
use support::ServerProcess;

#[test]
fn replies_print_as_the_real_redis_cli_prints_them() {
    let redis = ServerProcess::redis(&[]);
    let mut client = redis.connect();
    for setup in [
        "RPUSH list a \"b c\" \"\" d",
        "HSET hash field \"quote \\\" and backslash \\\\\" tab \"\\t\"",
        "SET bytes \"\\x00\\x01\\xff\\xc3\\xa9 \\n end\"",
        "ZADD zset 1.5 one 2 two",
        "SADD set 1 2 3 4 5 6 7 8 9 10 11",
    ] {
        assert!(!client.call_line(setup).unwrap().is_error(), "{setup}");
    }
    let cases: &[&[&str]] = &[
        &["PING"],
        &["GET", "missing"],
        &["GET", "bytes"],
        &["LRANGE", "list", "0", "-1"],
        &["LRANGE", "list", "5", "9"],
        &["HGETALL", "hash"],
        &["ZRANGE", "zset", "0", "-1", "WITHSCORES"],
        &["SMEMBERS", "set"],
        &["DBSIZE"],
        &["EXISTS", "list", "missing", "list"],
        &["NOSUCHCOMMAND", "x"],
        &["LPOP", "missing", "2"],
        &["SCAN", "0", "COUNT", "100"],
        &["COMMAND", "INFO", "get"],
        &["TYPE", "list"],
    ];
    let mut report = String::new();
    for args in cases {
        let frame = client
            .call(
                &args
                    .iter()
                    .map(|a| a.as_bytes().to_vec())
                    .collect::<Vec<_>>(),
            )
            .unwrap();
        let output = Command::new("redis-cli")
            .args(["-p", &redis.port.to_string(), "--no-raw"])
            .args(*args)
            .output()
            .expect("redis-cli (Debian package redis-tools) must be installed");
        let expected = String::from_utf8_lossy(&output.stdout).into_owned();
        let ours = format_reply(&frame);
        if ours != expected {
            report.push_str(&format!(
                "\n{args:?}\n  redis-cli: {expected:?}\n  ours:      {ours:?}\n"
            ));
        }
    }
    assert!(
        report.is_empty(),
        "formatting differs from redis-cli:{report}"
    );
}
