//! Arbitrary bytes from a replica's master, after a handshake the fuzzer may or may not get
//! right: PSYNC replies, transfer headers, RDB payloads and the command stream, in arbitrary
//! chunks with time moving. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use replication_playground::engine::keyspace::Keyspace;
use replication_playground::engine::rdb::{self, AuxFields, SaveOptions};
use replication_playground::engine::{Config, ConnId, Input, Instant, Node, Output, Peer};

/// A well-formed start, so the fuzzer spends its time past the handshake too.
fn prelude(shape: u8) -> Vec<u8> {
    let handshake = b"+PONG\r\n+OK\r\n+OK\r\n".to_vec();
    let id = "0123456789abcdef0123456789abcdef01234567";
    match shape % 4 {
        0 => Vec::new(),
        1 => handshake,
        2 => [handshake, format!("+FULLRESYNC {id} 0\r\n").into_bytes()].concat(),
        _ => {
            let aux = AuxFields {
                ctime_secs: 0,
                used_mem_bytes: 0,
                replication: None,
                aof_base: false,
            };
            let empty = rdb::encode(&Keyspace::new(16), &aux, SaveOptions::default());
            [
                handshake,
                format!("+FULLRESYNC {id} 0\r\n${}\r\n", empty.len()).into_bytes(),
                empty,
            ]
            .concat()
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&shape, data)) = data.split_first() else {
        return;
    };
    let mut config = Config::default();
    config.replicaof = Some(("10.0.0.1".into(), 6379));
    let mut now = Instant::from_millis(1_700_000_000_000);
    let mut node = Node::new(config, now, u64::from(shape));
    let client = ConnId(1);
    node.handle_input(now, Input::Connected { conn: client, peer: Peer::default() });
    now = now.add_millis(1_000);
    node.handle_timeout(now);
    let mut master = None;
    while let Some(output) = node.poll_output() {
        if let Output::Connect { conn, .. } = output {
            master = Some(conn);
        }
    }
    let master = master.expect("a replica from its config connects at its first cron");
    node.handle_input(now, Input::Connected { conn: master, peer: Peer::default() });
    let stream = [prelude(shape), data.to_vec()].concat();
    let chunk_bytes = usize::from(shape >> 2 & 0x1f) + 1;
    for chunk in stream.chunks(chunk_bytes) {
        now = now.add_millis(u64::from(chunk[0] % 8));
        node.handle_timeout(now);
        node.handle_input(now, Input::Received { conn: master, bytes: chunk.to_vec() });
        while node.poll_output().is_some() {}
    }
    node.handle_input(now, Input::Received { conn: client, bytes: b"INFO replication\r\n".to_vec() });
    while node.poll_output().is_some() {}
});
