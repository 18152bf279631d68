//! `swarm --seed N` or `swarm --seeds A..B`: runs seed-derived random workloads, faults and
//! replication re-layouts on the simulator, checks every invariant after every step, heals,
//! re-establishes one master, and checks that every replica converged on it and every client is
//! answered. Prints each seed with the parameters derived from it and what the run did; on
//! failure, the seed that reproduces it.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use replication_playground::sim::swarm::{run, SwarmParams};

    let args: Vec<String> = std::env::args().skip(1).collect();
    let seeds = match parse_seeds(&args) {
        Ok(seeds) => seeds,
        Err(message) => {
            eprintln!("{message}\nusage: swarm --seed N | --seeds A..B");
            std::process::exit(2);
        }
    };
    let mut failures = 0u64;
    for seed in seeds {
        let params = SwarmParams::from_seed(seed);
        println!(
            "SEED={seed} nodes={} clients={} latency_ms={} jitter_ms={} bandwidth={:?} loss_ratio={} \
             commands_per_s={} fault_every_ms={} relayout_every_ms={} duration_ms={} \
             backlog_bytes={} diskless_sync={} diskless_delay_secs={}",
            params.node_count,
            params.client_count,
            params.link.latency_ms,
            params.link.jitter_ms,
            params.link.bandwidth_bytes_per_s,
            params.link.loss_ratio,
            params.commands_per_s,
            params.fault_every_ms,
            params.relayout_every_ms,
            params.duration_ms,
            params.backlog_bytes,
            params.diskless_sync,
            params.diskless_delay_secs
        );
        match run(&params) {
            Ok(report) => println!(
                "  ok: {} steps, {} commands, {} replies, {} faults, {} re-layouts, \
                 {} full and {} partial syncs, converged as {:?}, trace {:016x}",
                report.steps,
                report.commands_sent,
                report.replies_received,
                report.faults,
                report.relayouts,
                report.full_syncs,
                report.partial_syncs,
                report.layout,
                report.trace_hash
            ),
            Err(failure) => {
                failures += 1;
                println!("  FAILED: {failure}");
            }
        }
    }
    if failures > 0 {
        eprintln!("{failures} seed(s) failed");
        std::process::exit(1);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_seeds(args: &[String]) -> Result<std::ops::RangeInclusive<u64>, String> {
    match args {
        [flag, seed] if flag == "--seed" => {
            let seed = seed.parse().map_err(|_| format!("invalid seed '{seed}'"))?;
            Ok(seed..=seed)
        }
        [flag, range] if flag == "--seeds" => {
            let (first, last) = range
                .split_once("..")
                .ok_or(format!("invalid range '{range}'"))?;
            let first: u64 = first
                .parse()
                .map_err(|_| format!("invalid seed '{first}'"))?;
            let last: u64 = last.parse().map_err(|_| format!("invalid seed '{last}'"))?;
            if first > last {
                return Err(format!("empty range '{range}'"));
            }
            Ok(first..=last)
        }
        _ => Err("expected --seed N or --seeds A..B".to_string()),
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
