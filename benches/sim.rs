//! Benchmark: how fast the simulator runs virtual time. Three nodes, a client each on LAN links,
//! 100 writes per virtual second in total plus a PING per client per second, for one virtual
//! hour; reports virtual hours per wall second and events (steps) per wall second.
//!
//! Goals from the issue: one virtual hour in under 2 s natively; over a million events per second.
//! A benchmark, not a test: nothing is asserted about speed.

use std::time::Instant as WallInstant;

use replication_playground::sim::network::{LinkConfig, NodeId};
use replication_playground::sim::{Sim, SimConfig};

const VIRTUAL_MS: u64 = 3_600_000;
const WRITES_PER_S: u64 = 100;

fn main() {
    let config = SimConfig {
        seed: 7,
        node_count: 3,
        link: LinkConfig::LAN,
        client_link: LinkConfig::LAN,
        ..SimConfig::default()
    };
    let mut sim = Sim::new(config);
    let clients: Vec<_> = (1..=3)
        .map(|n| sim.add_client(NodeId(n)).expect("client"))
        .collect();
    let start = sim.now();
    let started = WallInstant::now();
    let write_every_ms = 1000 / WRITES_PER_S;
    let mut writes = 0u64;
    for tick in 0..VIRTUAL_MS / write_every_ms {
        let client = clients[(tick % 3) as usize];
        let key = format!("key:{}", tick % 1000);
        sim.client_send(
            client,
            &[b"SET".to_vec(), key.into_bytes(), b"value".to_vec()],
        )
        .expect("send");
        writes += 1;
        if tick % (1000 / write_every_ms) == 0 {
            for &client in &clients {
                sim.client_send(client, &[b"PING".to_vec()]).expect("send");
            }
        }
        sim.run_until(start.add_millis((tick + 1) * write_every_ms));
        for &client in &clients {
            sim.take_replies(client);
        }
    }
    let wall_s = started.elapsed().as_secs_f64();
    let virtual_hours = VIRTUAL_MS as f64 / 3_600_000.0;
    println!("simulator, 3 nodes, {WRITES_PER_S} writes/s + 1 PING/s per client, {virtual_hours} virtual hour");
    println!("  wall time          {wall_s:.3} s");
    println!("  virtual hours/s    {:.2}", virtual_hours / wall_s);
    println!(
        "  events             {} ({:.0} events/s)",
        sim.steps(),
        sim.steps() as f64 / wall_s
    );
    println!("  writes             {writes}");
    println!("  trace events       {}", sim.trace().recorded());
}
