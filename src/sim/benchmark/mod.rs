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

/// Three nodes with a client each on LAN links; 100 SETs per virtual second spread over the
/// clients plus a PING per client per second, for one virtual hour. Returns the finished run
/// (its step count and trace are the figures to report).
pub fn one_virtual_hour() -> Sim {
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
    let start = sim.now();
    let write_every_ms = 1000 / WRITES_PER_S;
    for tick in 0..VIRTUAL_MS / write_every_ms {
        let client = clients[(tick % 3) as usize];
        let key = format!("key:{}", tick % 1000);
        let _ = sim.client_send(
            client,
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
