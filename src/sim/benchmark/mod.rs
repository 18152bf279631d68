//! The benchmarks' workloads that run natively and in headless Chromium alike, so both measure
//! exactly the same run. Each caller times them with its own clock; nothing here reads one.
//!
//! - This module: the simulator's speed (`benches/sim.rs`, `tests/bench_sim_browser.rs`).
//! - [`full_sync`]: a full sync between two engine nodes wired back to back
//!   (`benches/full_sync.rs`, `tests/bench_full_sync_browser.rs`).

pub mod full_sync;

use super::network::{LinkConfig, NodeId};
use super::{Sim, SimConfig};

/// Virtual time the workload covers: one hour.
pub const VIRTUAL_MS: u64 = 3_600_000;
/// SETs per virtual second, over all clients.
pub const WRITES_PER_S: u64 = 100;

/// How the benchmark's three nodes are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Three standalone masters, the writes spread over them (the workload).
    Standalone,
    /// A master and two replicas, every write on the master (what the playground runs).
    Replicated,
}

/// Three nodes with a client each on LAN links; 100 SETs per virtual second plus a PING per
/// client per second, for one virtual hour. Returns the finished run (its step count and trace
/// are the figures to report).
pub fn one_virtual_hour(layout: Layout) -> Sim {
    writes(layout, VIRTUAL_MS)
}

/// [`one_virtual_hour`]'s workload for `virtual_ms` of virtual time.
fn writes(layout: Layout, virtual_ms: u64) -> Sim {
    let config = SimConfig {
        seed: 7,
        node_count: 3,
        link: LinkConfig::LAN,
        client_link: LinkConfig::LAN,
        ..SimConfig::default()
    };
    let mut sim = Sim::new(config);
    let clients: Vec<_> = (1..=3)
        .filter_map(|n| sim.add_client(NodeId(n)).ok())
        .collect();
    if layout == Layout::Replicated {
        let replicaof = [
            b"REPLICAOF".to_vec(),
            b"10.0.0.1".to_vec(),
            b"6379".to_vec(),
        ];
        for &replica in &clients[1..] {
            let _ = sim.client_send(replica, &replicaof);
        }
    }
    let start = sim.now();
    let write_every_ms = 1000 / WRITES_PER_S;
    for tick in 0..virtual_ms / write_every_ms {
        let key = format!("key:{}", tick % 1000);
        let writer = match layout {
            Layout::Standalone => clients[(tick % 3) as usize],
            Layout::Replicated => clients[0],
        };
        let _ = sim.client_send(
            writer,
            &[b"SET".to_vec(), key.into_bytes(), b"value".to_vec()],
        );
        if tick % (1000 / write_every_ms) == 0 {
            for &client in &clients {
                let _ = sim.client_send(client, &[b"PING".to_vec()]);
            }
        }
        sim.run_until(start.add_millis((tick + 1) * write_every_ms));
        for &client in &clients {
            sim.take_replies(client);
        }
    }
    sim
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::NodeId;

    /// The benchmark measures replication: once the first full sync is done (Redis's 5 s
    /// diskless delay), both replicas stream from the master and keep up with its writes.
    #[test]
    fn the_workload_replicates() {
        let sim = writes(Layout::Replicated, 20_000);
        let offset = |node| {
            sim.node(NodeId(node))
                .unwrap()
                .state()
                .repl
                .master_repl_offset
        };
        assert!(offset(1) > 0);
        assert!((2..=3).all(|node| sim.node(NodeId(node)).unwrap().state().repl.link_is_up()));
        assert!((2..=3).all(|node| offset(node) + 100 >= offset(1)));
    }
}
