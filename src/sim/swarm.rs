//! Swarm testing (TigerBeetle's VOPR): the seed decides the whole run — how many nodes and
//! clients, what the links are like, how busy the workload is, how often faults strike. A safety
//! phase runs the workload under faults with the invariant checker after every step; a liveness
//! phase then heals everything and requires every client to be answered again.

use super::network::{ClientId, Host, LinkConfig, NodeId};
use super::{checker, Fault, Sim, SimConfig};
use crate::engine::prng::Prng;
use crate::engine::resp::Frame;

/// Everything a swarm run derives from its seed.
#[derive(Clone, Debug, PartialEq)]
pub struct SwarmParams {
    /// The seed everything comes from.
    pub seed: u64,
    /// Nodes (1–5).
    pub node_count: u8,
    /// Clients (1–6), spread over the nodes.
    pub client_count: u8,
    /// Client-to-node links.
    pub link: LinkConfig,
    /// Commands per virtual second, over all clients.
    pub commands_per_s: u64,
    /// Mean virtual time between faults.
    pub fault_every_ms: u64,
    /// Length of the safety phase.
    pub duration_ms: u64,
}

impl SwarmParams {
    /// The parameters seed `seed` stands for.
    pub fn from_seed(seed: u64) -> SwarmParams {
        let mut prng = Prng::from_seed(seed ^ 0x5a4d_5741_524d);
        let link = LinkConfig {
            latency_ms: prng.below(50),
            jitter_ms: prng.below(30),
            bandwidth_bytes_per_s: if prng.below(2) == 0 {
                None
            } else {
                Some(10_000 + prng.below(10_000_000))
            },
            loss_ratio: if prng.below(3) == 0 {
                prng.below(10) as f64 / 100.0
            } else {
                0.0
            },
            retransmit_delay_ms: 200,
        };
        SwarmParams {
            seed,
            node_count: 1 + prng.below(5) as u8,
            client_count: 1 + prng.below(6) as u8,
            link,
            commands_per_s: 1 + prng.below(200),
            fault_every_ms: 200 + prng.below(5_000),
            duration_ms: 20_000 + prng.below(40_000),
        }
    }
}

/// What a swarm run did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwarmReport {
    /// Events processed.
    pub steps: u64,
    /// Commands the clients sent.
    pub commands_sent: u64,
    /// Replies they received.
    pub replies_received: u64,
    /// Faults injected.
    pub faults: u64,
    /// The trace's fingerprint: equal for equal runs.
    pub trace_hash: u64,
}

/// Keys the workload uses: few, so commands collide.
const KEYS: u64 = 16;

/// Runs the swarm for `params`; Err with the first invariant violated or liveness failure.
pub fn run(params: &SwarmParams) -> Result<SwarmReport, String> {
    let mut prng = Prng::from_seed(params.seed);
    let config = SimConfig {
        seed: params.seed,
        node_count: params.node_count,
        client_link: params.link,
        link: params.link,
        trace_events_max: 10_000,
        ..SimConfig::default()
    };
    let mut sim = Sim::new(config);
    let clients: Vec<(ClientId, NodeId)> = (0..params.client_count)
        .map(|index| {
            let node = NodeId(1 + index % params.node_count);
            (
                sim.add_client(node).map_err(|error| error.to_string()),
                node,
            )
        })
        .map(|(client, node)| client.map(|client| (client, node)))
        .collect::<Result<_, _>>()?;
    let mut report = SwarmReport {
        steps: 0,
        commands_sent: 0,
        replies_received: 0,
        faults: 0,
        trace_hash: 0,
    };
    let start = sim.now();
    let end = start.add_millis(params.duration_ms);
    let command_every_ms = (1000 / params.commands_per_s).max(1);
    let mut next_command = start;
    let mut next_fault = start.add_millis(prng.below(params.fault_every_ms * 2));

    // Safety: workload under faults, invariants after every step.
    while sim.now() < end {
        let next_input = next_command.min(next_fault).min(end);
        while sim.next_event_at().is_some_and(|at| at <= next_input) {
            sim.step();
            checker::check(&sim)?;
        }
        sim.run_until(next_input);
        if sim.now() >= next_command {
            let (client, _) = clients[prng.below(clients.len() as u64) as usize];
            sim.client_send(client, &random_command(&mut prng))
                .map_err(|error| error.to_string())?;
            report.commands_sent += 1;
            next_command = sim.now().add_millis(command_every_ms);
        }
        if sim.now() >= next_fault {
            sim.apply_fault(random_fault(&mut prng, params));
            report.faults += 1;
            next_fault = sim
                .now()
                .add_millis(1 + prng.below(params.fault_every_ms * 2));
        }
        for &(client, _) in &clients {
            report.replies_received += sim.take_replies(client).len() as u64;
        }
    }

    // Liveness: heal everything, restart every node, and every client must be answered again.
    heal_everything(&mut sim, params);
    if !sim.run_until_quiet(1_000_000) {
        return Err(format!(
            "the network never went quiet after healing (reproduce with seed {})",
            params.seed
        ));
    }
    for &(client, _) in &clients {
        report.replies_received += sim.take_replies(client).len() as u64;
        // The workload may have left the client inside MULTI: end that first (an error if not).
        sim.client_send(client, &[b"DISCARD".to_vec()])
            .map_err(|error| error.to_string())?;
        sim.client_send(client, &[b"PING".to_vec()])
            .map_err(|error| error.to_string())?;
    }
    let deadline = sim.now().add_millis(60_000);
    while sim.next_event_at().is_some_and(|at| at <= deadline) {
        sim.step();
        checker::check(&sim)?;
        if !sim_has_deliveries(&sim) {
            break;
        }
    }
    for &(client, node) in &clients {
        let replies = sim.take_replies(client);
        if replies.last() != Some(&Frame::Simple("PONG".into())) {
            return Err(format!(
                "client {} of node {} got {replies:?} instead of PONG after healing (reproduce with seed {})",
                client.0, node.0, params.seed
            ));
        }
        report.replies_received += replies.len() as u64;
    }
    report.steps = sim.steps();
    report.trace_hash = sim.trace().hash();
    Ok(report)
}

fn sim_has_deliveries(sim: &Sim) -> bool {
    sim.network()
        .connections
        .values()
        .any(|connection| connection.streams.iter().any(|s| !s.in_flight.is_empty()))
}

fn random_command(prng: &mut Prng) -> Vec<Vec<u8>> {
    let key = format!("key:{}", prng.below(KEYS)).into_bytes();
    let value = format!("value-{}", prng.below(1_000_000)).into_bytes();
    let words: Vec<Vec<u8>> = match prng.below(10) {
        0 | 1 => vec![b"SET".to_vec(), key, value],
        2 | 3 => vec![b"GET".to_vec(), key],
        4 => vec![b"INCR".to_vec(), b"counter".to_vec()],
        5 => vec![b"DEL".to_vec(), key],
        6 => vec![
            b"EXPIRE".to_vec(),
            key,
            (1 + prng.below(5)).to_string().into_bytes(),
        ],
        7 => vec![b"LPUSH".to_vec(), b"list".to_vec(), value],
        8 => vec![b"MULTI".to_vec()],
        _ => vec![b"EXEC".to_vec()],
    };
    words
}

fn random_host(prng: &mut Prng, params: &SwarmParams) -> Host {
    if prng.below(2) == 0 {
        Host::Node(NodeId(1 + prng.below(u64::from(params.node_count)) as u8))
    } else {
        Host::Client(ClientId(
            1 + prng.below(u64::from(params.client_count)) as u32,
        ))
    }
}

fn random_fault(prng: &mut Prng, params: &SwarmParams) -> Fault {
    let (a, b) = (random_host(prng, params), random_host(prng, params));
    let node = NodeId(1 + prng.below(u64::from(params.node_count)) as u8);
    match prng.below(8) {
        0 => Fault::Sever(a, b),
        1 => Fault::Partition(a, b),
        2 => Fault::PartitionOneway(a, b),
        3 => Fault::Hold(a, b),
        4 => Fault::Crash(node),
        5 => Fault::Restart(node),
        _ => Fault::Heal(a, b),
    }
}

fn heal_everything(sim: &mut Sim, params: &SwarmParams) {
    let mut hosts: Vec<Host> = (1..=params.node_count)
        .map(|n| Host::Node(NodeId(n)))
        .collect();
    hosts.extend((1..=u32::from(params.client_count)).map(|c| Host::Client(ClientId(c))));
    for &a in &hosts {
        for &b in &hosts {
            sim.apply_fault(Fault::Heal(a, b));
        }
    }
    for n in 1..=params.node_count {
        sim.apply_fault(Fault::Restart(NodeId(n)));
    }
}
