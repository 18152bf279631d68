//! The simulator benchmark (benches/sim.rs) in headless Chromium: the same workload — three
//! nodes, a client each on LAN links, 100 writes per virtual second plus a PING per client per
//! second, one virtual hour — timed with the browser's clock. Ignored in the normal test run (a
//! benchmark, not a test: it asserts nothing about speed); run it with
//! `scripts/bench sim-browser`.
#![cfg(target_arch = "wasm32")]

use replication_playground::sim::network::{LinkConfig, NodeId};
use replication_playground::sim::{Sim, SimConfig};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const VIRTUAL_MS: u64 = 3_600_000;
const WRITES_PER_S: u64 = 100;

#[wasm_bindgen_test]
#[ignore = "benchmark: run with scripts/bench sim-browser"]
fn simulator_speed_in_the_browser() {
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
    let started_ms = js_sys::Date::now();
    let write_every_ms = 1000 / WRITES_PER_S;
    for tick in 0..VIRTUAL_MS / write_every_ms {
        let client = clients[(tick % 3) as usize];
        let key = format!("key:{}", tick % 1000);
        sim.client_send(
            client,
            &[b"SET".to_vec(), key.into_bytes(), b"value".to_vec()],
        )
        .expect("send");
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
    let wall_s = (js_sys::Date::now() - started_ms) / 1000.0;
    console_log!(
        "simulator in Chromium: 1 virtual hour in {wall_s:.3} s ({:.2} virtual hours/s), {} events ({:.0} events/s)",
        1.0 / wall_s,
        sim.steps(),
        sim.steps() as f64 / wall_s
    );
}
