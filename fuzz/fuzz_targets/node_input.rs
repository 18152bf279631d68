//! Arbitrary bytes from two clients, in arbitrary chunks, with time moving, into a whole node:
//! the decoder, every command's parser and executor, transactions, expiry and the cron. Nothing
//! may panic, and everything the node sends must be well-formed RESP.
#![no_main]

use libfuzzer_sys::fuzz_target;
use replication_playground::engine::resp::ReplyDecoder;
use replication_playground::engine::{Config, ConnId, Input, Instant, Node, Output, Peer};

fuzz_target!(|data: &[u8]| {
    let Some((&shape, data)) = data.split_first() else {
        return;
    };
    let mut config = Config::default();
    // Some runs with a tiny memory limit, so the OOM paths are fuzzed too.
    if shape & 0x80 != 0 {
        config.maxmemory_bytes = 4096;
    }
    let mut now = Instant::from_millis(1_700_000_000_000);
    let mut node = Node::new(config, now, u64::from(shape));
    let clients = [ConnId(1), ConnId(2)];
    let mut decoders = [ReplyDecoder::new(), ReplyDecoder::new()];
    for &conn in &clients {
        node.handle_input(now, Input::Connected { conn, peer: Peer::default() });
    }
    let chunk_bytes = usize::from(shape & 0x1f) + 1;
    for (index, chunk) in data.chunks(chunk_bytes).enumerate() {
        let conn = clients[index % 2];
        now = now.add_millis(u64::from(chunk[0] % 64));
        node.handle_timeout(now);
        node.handle_input(now, Input::Received { conn, bytes: chunk.to_vec() });
        while let Some(output) = node.poll_output() {
            if let Output::Transmit { conn, bytes } = output {
                let decoder = &mut decoders[(conn.0 - 1) as usize];
                decoder.push(&bytes);
                while let Some(_reply) = decoder.next_frame().expect("the node sent malformed RESP") {}
            }
        }
    }
});
