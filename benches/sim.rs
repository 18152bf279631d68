//! Benchmark: how fast the simulator runs virtual time natively (`sim::benchmark`'s workload:
//! three nodes, standalone and as a master with two replicas, 100 writes per virtual second plus
//! pings, one virtual hour); reports virtual
//! hours per wall second and events (steps) per wall second. `tests/bench_sim_browser.rs` runs
//! the same workload in headless Chromium.
//!
//! Goals from the issue: one virtual hour in under 2 s natively; over a million events per second.
//! A benchmark, not a test: nothing is asserted about speed.

use std::time::Instant as WallInstant;

use replication_playground::sim::benchmark::{one_virtual_hour, Layout, VIRTUAL_MS, WRITES_PER_S};

fn main() {
    for layout in [Layout::Standalone, Layout::Replicated] {
        run(layout);
    }
}

fn run(layout: Layout) {
    let started = WallInstant::now();
    let sim = one_virtual_hour(layout);
    let wall_s = started.elapsed().as_secs_f64();
    let virtual_hours = VIRTUAL_MS as f64 / 3_600_000.0;
    println!("simulator, 3 nodes ({layout:?}), {WRITES_PER_S} writes/s + 1 PING/s per client, {virtual_hours} virtual hour");
    println!("  wall time          {wall_s:.3} s");
    println!("  virtual hours/s    {:.2}", virtual_hours / wall_s);
    println!(
        "  events             {} ({:.0} events/s)",
        sim.steps(),
        sim.steps() as f64 / wall_s
    );
    println!("  writes             {}", VIRTUAL_MS / 1000 * WRITES_PER_S);
    println!("  trace events       {}", sim.trace().recorded());
}
