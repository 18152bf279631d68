//! Swarm runs in the test command: a modest range of seeds, each with its own derived nodes,
//! links, workload, faults and replication re-layouts, every invariant checked after every
//! step; then healed, one master re-established with every other node its (possibly chained)
//! replica, and checked for convergence (same replid, offset and dataset) and liveness — and
//! each run twice, to prove the seed alone decides it. `SWARM_SEEDS=A..B` widens the sweep;
//! `cargo run --release --bin swarm -- --seeds A..B` runs it outside tests.
#![cfg(not(target_arch = "wasm32"))]

use replication_playground::sim::swarm::{run, SwarmParams};

fn seeds() -> std::ops::RangeInclusive<u64> {
    let range = std::env::var("SWARM_SEEDS").unwrap_or_else(|_| "1..16".to_string());
    let (first, last) = range.split_once("..").expect("SWARM_SEEDS=A..B");
    first.parse().expect("first seed")..=last.parse().expect("last seed")
}

#[test]
fn swarm_seeds_keep_every_invariant_and_converge_after_healing() {
    let (mut relayouts, mut partial_syncs, mut chained) = (0, 0, 0);
    for seed in seeds() {
        let params = SwarmParams::from_seed(seed);
        let first = run(&params).unwrap_or_else(|failure| panic!("{params:?}: {failure}"));
        let second = run(&params).unwrap_or_else(|failure| panic!("{params:?}: {failure}"));
        assert_eq!(first, second, "seed {seed} is not deterministic");
        assert!(
            first.commands_sent > 0 && first.replies_received > 0,
            "seed {seed} did nothing"
        );
        relayouts += first.relayouts;
        partial_syncs += first.partial_syncs;
        let master_of = |node: u8| first.layout.iter().find(|(r, _)| *r == node).map(|l| l.1);
        chained += first
            .layout
            .iter()
            .filter(|&&(_, parent)| master_of(parent).is_some())
            .count();
    }
    // The sweep exercised replication, not only the network.
    assert!(relayouts > 0 && partial_syncs > 0 && chained > 0);
}
