//! Swarm testing (TigerBeetle's VOPR): the seed decides the whole run — how many nodes and
//! clients, what the links are like, how busy the workload is, how often faults strike and the
//! replication layout changes, how the nodes replicate (backlog size, diskless or disk syncs).
//!
//! A safety phase runs the workload under faults (sever, partitions, holds, crashes, restarts
//! with and without disk) and random REPLICAOF re-layouts, with the invariant checker after
//! every step. A liveness phase then heals everything, restarts crashed nodes, makes one node the
//! master and every other one its replica (directly or down a chain), and requires every replica
//! to converge on its master — same replid, same `master_repl_offset`, same dataset — and every
//! client to be answered again.

use std::collections::BTreeMap;

use super::network::{ClientId, Host, LinkConfig, NodeId, Path};
use super::{checker, Fault, Sim, SimConfig};
use crate::engine::prng::Prng;
use crate::engine::replication::LinkState;
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
    /// Client-to-node and node-to-node links.
    pub link: LinkConfig,
    /// Commands per virtual second, over all clients.
    pub commands_per_s: u64,
    /// Mean virtual time between faults.
    pub fault_every_ms: u64,
    /// Length of the safety phase.
    pub duration_ms: u64,
    /// Mean virtual time between random REPLICAOF re-layouts.
    pub relayout_every_ms: u64,
    /// Every node's `repl-backlog-size`: Redis's floor (16 KB, which an outage easily overflows)
    /// or its default (1 MB).
    pub backlog_bytes: i64,
    /// Whether full syncs are diskless (`$EOF:`) or go through the disk (`$<len>`).
    pub diskless_sync: bool,
    /// `repl-diskless-sync-delay`, 0–5 s.
    pub diskless_delay_secs: i32,
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
            relayout_every_ms: 200 + prng.below(5_000),
            backlog_bytes: if prng.below(2) == 0 { 16_384 } else { 1 << 20 },
            diskless_sync: prng.below(3) != 0,
            diskless_delay_secs: prng.below(6) as i32,
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
    /// REPLICAOF re-layouts during the safety phase.
    pub relayouts: u64,
    /// Full syncs served, over all nodes (their `sync_full`, since their last restart).
    pub full_syncs: u64,
    /// Partial syncs served (`sync_partial_ok`), likewise.
    pub partial_syncs: u64,
    /// The final layout: each replica and the node it follows (the master is left out).
    pub layout: Vec<(u8, u8)>,
    /// The trace's fingerprint: equal for equal runs.
    pub trace_hash: u64,
}

/// Keys the workload uses: few, so commands collide.
const KEYS: u64 = 16;
/// How long the replicas may take to converge once everything is healed.
const CONVERGE_WITHIN_MS: u64 = 300_000;

/// Runs the swarm for `params`; Err with the first invariant violated or liveness failure.
pub fn run(params: &SwarmParams) -> Result<SwarmReport, String> {
    let mut prng = Prng::from_seed(params.seed);
    let node_config = crate::engine::Config {
        repl_backlog_size_bytes: params.backlog_bytes,
        repl_diskless_sync: params.diskless_sync,
        repl_diskless_sync_delay_secs: params.diskless_delay_secs,
        ..SimConfig::default().node_config
    };
    let config = SimConfig {
        seed: params.seed,
        node_count: params.node_count,
        client_link: params.link,
        link: params.link,
        node_config,
        trace_events_max: 10_000,
    };
    let mut sim = Sim::new(config);
    let fail = |sim: &Sim, what: String| format!("{what} (reproduce with seed {})", sim.seed());
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
    // One operator console per node, on the node's machine (no latency, never faulted).
    let mut consoles = BTreeMap::new();
    for n in 1..=params.node_count {
        let console = sim
            .add_client(NodeId(n))
            .map_err(|error| error.to_string())?;
        for path in [
            Path {
                source: Host::Client(console),
                target: Host::Node(NodeId(n)),
            },
            Path {
                source: Host::Node(NodeId(n)),
                target: Host::Client(console),
            },
        ] {
            sim.set_link(path, LinkConfig::SAME_HOST);
        }
        consoles.insert(n, console);
    }
    let mut report = SwarmReport {
        steps: 0,
        commands_sent: 0,
        replies_received: 0,
        faults: 0,
        relayouts: 0,
        full_syncs: 0,
        partial_syncs: 0,
        layout: Vec::new(),
        trace_hash: 0,
    };

    // The initial layout: node 1 the master, every other node under one already placed.
    let layout = random_tree(&mut prng, params.node_count, 1);
    apply_layout(&mut sim, &consoles, 1, &layout)?;

    let start = sim.now();
    let end = start.add_millis(params.duration_ms);
    let command_every_ms = (1000 / params.commands_per_s).max(1);
    let mut next_command = start;
    let mut next_fault = start.add_millis(prng.below(params.fault_every_ms * 2));
    let mut next_relayout = start.add_millis(prng.below(params.relayout_every_ms * 2));

    // Safety: workload under faults and re-layouts, invariants after every step.
    while sim.now() < end {
        let next_input = next_command.min(next_fault).min(next_relayout).min(end);
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
        if sim.now() >= next_relayout {
            if let Some((node, command)) = random_relayout(&sim, &mut prng, params) {
                sim.client_send(consoles[&node], &words(&command))
                    .map_err(|error| error.to_string())?;
                report.relayouts += 1;
            }
            next_relayout = sim
                .now()
                .add_millis(1 + prng.below(params.relayout_every_ms * 2));
        }
        for &(client, _) in &clients {
            report.replies_received += sim.take_replies(client).len() as u64;
        }
        for &console in consoles.values() {
            sim.take_replies(console);
        }
    }

    // Liveness: heal everything, restart the crashed nodes, one master with every other node
    // its replica; every replica must converge on its master.
    heal_everything(&mut sim, params, &consoles);
    run_checked(&mut sim, 1_000)?;
    // A failover still under way would refuse REPLICAOF.
    for &console in consoles.values() {
        sim.client_send(console, &words("FAILOVER ABORT"))
            .map_err(|error| error.to_string())?;
    }
    run_checked(&mut sim, 0)?;
    for &console in consoles.values() {
        sim.take_replies(console);
    }
    // A hand-over's PSYNC FAILOVER already on its way still promotes its target when it arrives
    // (as in Redis): let it arrive before laying out.
    // Nor may a node still be loading a snapshot: REPLICAOF lacks Redis's `loading` flag, so it
    // would be answered -LOADING.
    let deadline = sim.now().add_millis(60_000);
    while (sim_has_deliveries(&sim) || any_node_loading(&sim))
        && sim.next_event_at().is_some_and(|at| at <= deadline)
    {
        sim.step();
        checker::check(&sim)?;
    }
    let master = 1 + prng.below(u64::from(params.node_count)) as u8;
    let layout = random_tree(&mut prng, params.node_count, master);
    apply_layout(&mut sim, &consoles, master, &layout)?;
    let deadline = sim.now().add_millis(CONVERGE_WITHIN_MS);
    while !converged(&sim, &layout) {
        if sim.next_event_at().is_none_or(|at| at > deadline) {
            return Err(fail(
                &sim,
                format!(
                    "the replicas did not converge within {} s of healing: {}",
                    CONVERGE_WITHIN_MS / 1000,
                    describe(&sim, master, &layout)
                ),
            ));
        }
        sim.step();
        checker::check(&sim)?;
    }
    let master_digest = digest(&sim, master);
    for &(replica, _) in &layout {
        let replica_digest = digest(&sim, replica);
        if replica_digest != master_digest {
            return Err(fail(
                &sim,
                format!(
                    "node {replica}'s dataset (digest {replica_digest}) differs from master node {master}'s ({master_digest}): {}; {}",
                    describe(&sim, master, &layout),
                    difference(&sim, master, replica)
                ),
            ));
        }
    }
    for (_, console) in consoles {
        let replies = sim.take_replies(console);
        let refused = replies
            .iter()
            .find(|reply| !matches!(reply, Frame::Simple(text) if text.starts_with("OK")));
        if let Some(refused) = refused {
            return Err(fail(&sim, format!("REPLICAOF answered {refused:?}")));
        }
    }

    // Every client is answered again, once what is still on the links has arrived (a connection
    // that broke during the faults learns it from the FIN queued behind its bytes).
    let deadline = sim.now().add_millis(60_000);
    while sim_has_deliveries(&sim) && sim.next_event_at().is_some_and(|at| at <= deadline) {
        sim.step();
        checker::check(&sim)?;
    }
    for &(client, _) in &clients {
        report.replies_received += sim.take_replies(client).len() as u64;
        // The workload may have left the client inside MULTI: end that first (an error if not).
        sim.client_send(client, &[b"DISCARD".to_vec()])
            .map_err(|error| error.to_string())?;
        sim.client_send(client, &[b"PING".to_vec()])
            .map_err(|error| error.to_string())?;
    }
    // A client whose connection a fault reset connects again first.
    let pong = Frame::Simple("PONG".into());
    let answered = |sim: &Sim| {
        clients.iter().all(|&(client, _)| {
            sim.clients()
                .any(|(id, state)| id == client && state.replies.back() == Some(&pong))
        })
    };
    let deadline = sim.now().add_millis(60_000);
    while !answered(&sim) && sim.next_event_at().is_some_and(|at| at <= deadline) {
        sim.step();
        checker::check(&sim)?;
    }
    for &(client, node) in &clients {
        let connected = sim.client_connected(client);
        let connect_error = sim.client_connect_error(client);
        let replies = sim.take_replies(client);
        if replies.last() != Some(&pong) {
            let last = &replies[replies.len().saturating_sub(3)..];
            return Err(fail(
                &sim,
                format!(
                    "client {} of node {} got {} replies ending {last:?} instead of PONG after healing (connected {connected}, connect error {connect_error:?})",
                    client.0,
                    node.0,
                    replies.len()
                ),
            ));
        }
        report.replies_received += replies.len() as u64;
    }
    for (_, node) in sim.nodes() {
        if let Some(engine) = node.node.as_ref() {
            report.full_syncs += engine.state().stats.sync_full;
            report.partial_syncs += engine.state().stats.sync_partial_ok;
        }
    }
    report.layout = layout;
    report.steps = sim.steps();
    report.trace_hash = sim.trace().hash();
    Ok(report)
}

fn words(line: &str) -> Vec<Vec<u8>> {
    line.split(' ')
        .map(|word| word.as_bytes().to_vec())
        .collect()
}

fn run_checked(sim: &mut Sim, millis: u64) -> Result<(), String> {
    let until = sim.now().add_millis(millis);
    while sim.next_event_at().is_some_and(|at| at <= until) {
        sim.step();
        checker::check(sim)?;
    }
    sim.run_until(until);
    Ok(())
}

/// A random tree over `1..=nodes` rooted at `master`: each other node, in a random order, under
/// one already placed. Parents come before their children.
fn random_tree(prng: &mut Prng, nodes: u8, master: u8) -> Vec<(u8, u8)> {
    let mut placed = vec![master];
    let mut rest: Vec<u8> = (1..=nodes).filter(|&n| n != master).collect();
    let mut tree = Vec::new();
    while !rest.is_empty() {
        let node = rest.remove(prng.below(rest.len() as u64) as usize);
        let parent = placed[prng.below(placed.len() as u64) as usize];
        tree.push((node, parent));
        placed.push(node);
    }
    tree
}

/// Whether a node is loading a full sync's snapshot.
fn any_node_loading(sim: &Sim) -> bool {
    sim.nodes()
        .filter_map(|(_, node)| node.node.as_ref())
        .any(|node| node.state().loading.is_some())
}

/// Sends the layout from the operator consoles: `master` first, then each replica after its
/// parent (the consoles have no latency, so the commands run in this order).
fn apply_layout(
    sim: &mut Sim,
    consoles: &BTreeMap<u8, ClientId>,
    master: u8,
    layout: &[(u8, u8)],
) -> Result<(), String> {
    sim.client_send(consoles[&master], &words("REPLICAOF NO ONE"))
        .map_err(|error| error.to_string())?;
    for &(replica, parent) in layout {
        let command = format!("REPLICAOF 10.0.0.{parent} 6379");
        sim.client_send(consoles[&replica], &words(&command))
            .map_err(|error| error.to_string())?;
    }
    Ok(())
}

/// Whether every replica of `layout` streams from its parent, with its parent's replid and
/// exactly its parent's offset (so, down the chains, the master's).
fn converged(sim: &Sim, layout: &[(u8, u8)]) -> bool {
    layout.iter().all(|&(replica, parent)| {
        let (Some(replica), Some(parent)) = (sim.node(NodeId(replica)), sim.node(NodeId(parent)))
        else {
            return false;
        };
        let (replica, parent) = (&replica.state().repl, &parent.state().repl);
        replica.link_state() == Some(LinkState::Connected)
            && replica.replid == parent.replid
            && replica.master_repl_offset == parent.master_repl_offset
    })
}

/// Each node's role, link, replid and offset, for failure messages.
fn describe(sim: &Sim, master: u8, layout: &[(u8, u8)]) -> String {
    let mut lines = vec![format!("master {master}, layout {layout:?}")];
    for (id, node) in sim.nodes() {
        let Some(engine) = node.node.as_ref() else {
            lines.push(format!("node {}: down", id.0));
            continue;
        };
        let repl = &engine.state().repl;
        lines.push(format!(
            "node {}: master {:?} link {:?} replid {} offset {}",
            id.0,
            engine.replication_master(),
            repl.link_state(),
            &repl.replid[..8],
            repl.master_repl_offset
        ));
    }
    lines.join("; ")
}

/// The first keys whose entries differ between two nodes' datasets, for failure messages.
fn difference(sim: &Sim, a: u8, b: u8) -> String {
    let (Some(a_node), Some(b_node)) = (sim.node(NodeId(a)), sim.node(NodeId(b))) else {
        return String::new();
    };
    let (a_keys, b_keys) = (&a_node.state().keyspace, &b_node.state().keyspace);
    let mut differences = Vec::new();
    for (index, db) in a_keys.iter() {
        let other = b_keys.db(index);
        let mut keys: Vec<&[u8]> = db.iter().map(|(key, _)| key).collect();
        keys.extend(other.iter().map(|(key, _)| key));
        keys.sort();
        keys.dedup();
        for key in keys {
            let (x, y) = (db.lookup(key), other.lookup(key));
            if format!("{x:?}") != format!("{y:?}") {
                differences.push(format!(
                    "db {index} key {}: node {a} {x:?}, node {b} {y:?}",
                    String::from_utf8_lossy(key)
                ));
            }
        }
    }
    differences.truncate(4);
    differences.join("; ")
}

fn digest(sim: &Sim, node: u8) -> String {
    sim.node(NodeId(node))
        .map_or_else(|| "down".to_string(), |node| node.dataset_digest())
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
    let words: Vec<Vec<u8>> = match prng.below(12) {
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
        9 => vec![b"EXEC".to_vec()],
        10 => vec![b"SELECT".to_vec(), prng.below(2).to_string().into_bytes()],
        _ => vec![b"HSET".to_vec(), b"hash".to_vec(), key, value],
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
    match prng.below(10) {
        0 => Fault::Sever(a, b),
        1 => Fault::Partition(a, b),
        2 => Fault::PartitionOneway(a, b),
        3 => Fault::Hold(a, b),
        4 => Fault::Release(a, b),
        5 => Fault::Crash(node),
        6 => Fault::Restart(node),
        7 => Fault::RestartWithoutDisk(node),
        _ => Fault::Heal(a, b),
    }
}

/// A random change of layout for a random up node: a replica may be promoted (`NO ONE`), a
/// master may hand over with FAILOVER (always with a TIMEOUT, to any replica or to a given node,
/// perhaps with FORCE), any node may be pointed at another one, but the last master that is up
/// stays a master. None when there is nothing to do (one node, or the chosen node is down).
fn random_relayout(sim: &Sim, prng: &mut Prng, params: &SwarmParams) -> Option<(u8, String)> {
    if params.node_count < 2 {
        return None;
    }
    let node = 1 + prng.below(u64::from(params.node_count)) as u8;
    let kind = prng.below(6);
    let mut target = 1 + prng.below(u64::from(params.node_count) - 1) as u8;
    if target >= node {
        target += 1;
    }
    let timeout_ms = 500 + prng.below(5_000);
    let force = prng.below(2) == 0;
    let engine = sim.node(NodeId(node))?;
    let is_replica = engine.state().repl.is_replica();
    if kind < 2 && is_replica {
        return Some((node, "REPLICAOF NO ONE".to_string()));
    }
    if kind == 2 && !is_replica {
        let command = match prng.below(2) {
            0 => format!("FAILOVER TIMEOUT {timeout_ms}"),
            _ if force => format!("FAILOVER TO 10.0.0.{target} 6379 FORCE TIMEOUT {timeout_ms}"),
            _ => format!("FAILOVER TO 10.0.0.{target} 6379 TIMEOUT {timeout_ms}"),
        };
        return Some((node, command));
    }
    let other_masters = sim
        .nodes()
        .filter(|(id, _)| id.0 != node)
        .filter_map(|(_, other)| other.node.as_ref())
        .any(|other| !other.state().repl.is_replica());
    if !is_replica && !other_masters {
        return None;
    }
    Some((node, format!("REPLICAOF 10.0.0.{target} 6379")))
}

fn heal_everything(sim: &mut Sim, params: &SwarmParams, consoles: &BTreeMap<u8, ClientId>) {
    let mut hosts: Vec<Host> = (1..=params.node_count)
        .map(|n| Host::Node(NodeId(n)))
        .collect();
    hosts.extend((1..=u32::from(params.client_count)).map(|c| Host::Client(ClientId(c))));
    hosts.extend(consoles.values().map(|&console| Host::Client(console)));
    for &a in &hosts {
        for &b in &hosts {
            sim.apply_fault(Fault::Heal(a, b));
        }
    }
    for n in 1..=params.node_count {
        sim.apply_fault(Fault::Restart(NodeId(n)));
    }
}
