//! The full-sync benchmark's in-process workload, shared by `benches/full_sync.rs` (native) and
//! `tests/bench_full_sync_browser.rs` (headless Chromium), so both measure exactly the same run.
//! Each times the steps with its own clock; nothing here reads one.
//!
//! Two engine nodes wired back to back, without the simulator: every byte one of them transmits
//! is handed to the other at once and whole (unlimited bandwidth, no latency, no segments, no
//! trace), so the time measured is the engine's own: the handshake, the master's RDB encode and
//! the replica's receive and load, as a diskless full sync (Redis 7.0's default) does them.
//!
//! The dataset is what `DEBUG POPULATE <keys>` makes on redis-server: `key:<n>` → `value:<n>`,
//! for n from 0. The engine has no DEBUG POPULATE, so the master is filled with the same SETs
//! (redis-server gives both the same `DEBUG DIGEST`).

use crate::engine::config::ProtectedAction;
use crate::engine::keyspace::Keyspace;
use crate::engine::rdb::{self, AuxFields, RdbError, SaveOptions};
use crate::engine::resp::{encode_request, Frame, ReplyDecoder};
use crate::engine::{Config, ConnId, Input, Node, Output, Peer};

use super::super::EPOCH;

/// Keys the benchmark's master holds: a million, as `DEBUG POPULATE 1000000`.
pub const KEYS: u64 = 1_000_000;

/// Where the replica finds its master (only the replica's REPLICAOF and logs see it).
const MASTER_HOST: &str = "10.0.0.1";
const MASTER_PORT: u16 = 6379;
/// Each node's own client, through which the benchmark sends commands.
const ADMIN: ConnId = ConnId(1);
/// SETs fed to the master per input while populating.
const POPULATE_BATCH: u64 = 10_000;

/// A populated master and an empty replica, wired back to back. [`next_replica`] swaps in a
/// fresh replica to sync again from the same master (as the TCP runs start a new replica each
/// time: the master's keys stay where SETs put them in memory, which encoding speed depends on).
///
/// [`next_replica`]: FullSyncPair::next_replica
pub struct FullSyncPair {
    master: Node,
    replica: Node,
    /// The replica's connection to the master once it asked for it.
    link: Option<ConnId>,
    /// The replica's connection as the master numbers it.
    replica_on_master: ConnId,
    /// What each node answered its [`ADMIN`] client.
    master_replies: ReplyDecoder,
    replica_replies: ReplyDecoder,
    /// Bytes the master sent the current replica.
    transferred_bytes: usize,
}

/// A node with the benchmark's settings (DEBUG allowed, for the digests) and its [`ADMIN`]
/// client connected.
fn node(config: Config, entropy: u64) -> Node {
    let config = Config {
        enable_debug_command: ProtectedAction::Yes,
        ..config
    };
    let mut node = Node::new(config, EPOCH, entropy);
    // As playground-server: nobody reads Output::Propagated.
    node.set_propagation_observed(false);
    node.handle_input(
        EPOCH,
        Input::Connected {
            conn: ADMIN,
            peer: Peer {
                addr: "127.0.0.1:50000".to_string(),
                local_addr: "127.0.0.1:6379".to_string(),
            },
        },
    );
    node
}

impl FullSyncPair {
    /// A master holding `keys` keys as `DEBUG POPULATE` makes them, and an empty replica. The
    /// master starts a diskless sync at once (`repl-diskless-sync-delay 0`), as the TCP runs
    /// configure both servers.
    pub fn populated(keys: u64) -> FullSyncPair {
        let master_config = Config {
            repl_diskless_sync_delay_secs: 0,
            ..Config::default()
        };
        let mut pair = FullSyncPair {
            master: node(master_config, 1),
            replica: node(Config::default(), 2),
            link: None,
            replica_on_master: ConnId(2),
            master_replies: ReplyDecoder::new(),
            replica_replies: ReplyDecoder::new(),
            transferred_bytes: 0,
        };
        let mut batch = Vec::new();
        let mut first = 0;
        while first < keys {
            batch.clear();
            for n in first..keys.min(first + POPULATE_BATCH) {
                let key = format!("key:{n}");
                let value = format!("value:{n}");
                encode_request(&[&b"SET"[..], key.as_bytes(), value.as_bytes()], &mut batch);
            }
            pair.master.handle_received(EPOCH, ADMIN, &batch);
            // The +OKs are of no interest.
            while pair.master.poll_output().is_some() {}
            first += POPULATE_BATCH;
        }
        pair
    }

    /// Replaces the replica by a fresh, empty one; the old one's connection closes. The old
    /// replica's dataset is freed here, outside any timing of [`sync`](FullSyncPair::sync).
    pub fn next_replica(&mut self) {
        if self.link.take().is_some() {
            self.master.handle_input(
                EPOCH,
                Input::Closed {
                    conn: self.replica_on_master,
                },
            );
        }
        self.replica_on_master = ConnId(self.replica_on_master.0 + 1);
        self.replica = node(Config::default(), u64::from(self.replica_on_master.0));
        self.replica_replies = ReplyDecoder::new();
        self.transferred_bytes = 0;
        self.pump();
    }

    /// The full sync: `REPLICAOF` on the replica, then every byte moved between the two until
    /// nothing more is sent (the replica has loaded the snapshot and acknowledged it). Returns
    /// whether the replica's link is up with as many keys as the master holds.
    pub fn sync(&mut self) -> bool {
        let port = MASTER_PORT.to_string();
        let mut request = Vec::new();
        encode_request(
            &[&b"REPLICAOF"[..], MASTER_HOST.as_bytes(), port.as_bytes()],
            &mut request,
        );
        self.replica.handle_received(EPOCH, ADMIN, &request);
        self.pump();
        self.replica.state().repl.link_is_up()
            && self.replica_keys() == self.master.state().keyspace.key_count()
    }

    /// Moves outputs between the nodes until both are quiet.
    fn pump(&mut self) {
        let master_peer = Peer {
            addr: format!("{MASTER_HOST}:{MASTER_PORT}"),
            local_addr: "10.0.0.2:40000".to_string(),
        };
        let replica_peer = Peer {
            addr: master_peer.local_addr.clone(),
            local_addr: master_peer.addr.clone(),
        };
        loop {
            let mut moved = false;
            while let Some(output) = self.master.poll_output() {
                moved = true;
                match output {
                    Output::Transmit { conn, bytes } if conn == self.replica_on_master => {
                        if let Some(link) = self.link {
                            self.transferred_bytes += bytes.len();
                            self.replica.handle_received(EPOCH, link, &bytes);
                        }
                    }
                    Output::Transmit { conn, bytes } if conn == ADMIN => {
                        self.master_replies.push(&bytes);
                    }
                    // Logs, the snapshot for its disk: nothing to do here.
                    _ => {}
                }
            }
            while let Some(output) = self.replica.poll_output() {
                moved = true;
                match output {
                    Output::Connect { conn, .. } => {
                        self.link = Some(conn);
                        self.master.handle_input(
                            EPOCH,
                            Input::Connected {
                                conn: self.replica_on_master,
                                peer: replica_peer.clone(),
                            },
                        );
                        self.replica.handle_input(
                            EPOCH,
                            Input::Connected {
                                conn,
                                peer: master_peer.clone(),
                            },
                        );
                    }
                    Output::Transmit { conn, bytes } if Some(conn) == self.link => {
                        self.master
                            .handle_received(EPOCH, self.replica_on_master, &bytes);
                    }
                    Output::Transmit { conn, bytes } if conn == ADMIN => {
                        self.replica_replies.push(&bytes);
                    }
                    _ => {}
                }
            }
            if !moved {
                return;
            }
        }
    }

    /// Keys the replica holds.
    pub fn replica_keys(&self) -> usize {
        self.replica.state().keyspace.key_count()
    }

    /// Bytes the master sent the current replica (handshake replies, the framed RDB, the
    /// stream).
    pub fn transferred_bytes(&self) -> usize {
        self.transferred_bytes
    }

    /// `DEBUG DIGEST` of the master and of the replica: equal once the replica holds the same
    /// data.
    pub fn digests(&mut self) -> (Option<Frame>, Option<Frame>) {
        let mut request = Vec::new();
        encode_request(&[&b"DEBUG"[..], b"DIGEST"], &mut request);
        self.master.handle_received(EPOCH, ADMIN, &request);
        self.replica.handle_received(EPOCH, ADMIN, &request);
        self.pump();
        // REPLICAOF's +OK came first on the replica.
        let last = |replies: &mut ReplyDecoder| {
            std::iter::from_fn(|| replies.next_frame().ok().flatten()).last()
        };
        (
            last(&mut self.master_replies),
            last(&mut self.replica_replies),
        )
    }

    /// The master's dataset as the snapshot of a full sync (the encode step alone).
    pub fn encode_master(&self) -> Vec<u8> {
        let state = self.master.state();
        let aux = AuxFields {
            ctime_secs: EPOCH.as_secs() as i64,
            used_mem_bytes: state.keyspace.used_bytes() as u64,
            replication: None,
            aof_base: false,
        };
        rdb::encode(&state.keyspace, &aux, SaveOptions::default())
    }

    /// Loads `rdb` as the replica would (the load step alone). Returns the dataset, for the
    /// caller to count and to drop outside its timing.
    pub fn decode(&self, rdb: &[u8]) -> Result<Keyspace, RdbError> {
        rdb::decode(rdb, &self.replica.state().config).map(|loaded| loaded.keyspace)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_small_pair_syncs_every_key_and_the_digests_match() {
        let mut pair = FullSyncPair::populated(1_000);
        assert!(pair.sync());
        assert_eq!(pair.replica_keys(), 1_000);
        let rdb = pair.encode_master();
        assert_eq!(
            pair.decode(&rdb).map(|keyspace| keyspace.key_count()),
            Ok(1_000)
        );
        assert!(pair.transferred_bytes() > rdb.len());
        let (master, replica) = pair.digests();
        assert!(matches!(master, Some(Frame::Simple(_))), "{master:?}");
        assert_eq!(master, replica);
        pair.next_replica();
        assert_eq!(pair.replica_keys(), 0);
        assert!(pair.sync(), "a second replica syncs from the same master");
        assert_eq!(pair.digests().1, master);
    }
}
