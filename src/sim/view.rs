//! [`SimView`]: a plain-data snapshot of a simulation for the UI and the JS API: cheap to build
//! (no dataset is copied), to clone and to compare.

use serde::Serialize;

use super::network::{LinkConfig, LinkState, Network, NodeId, Path};
use super::trace::TraceEvent;
use super::{NodeStatus, Sim};

/// Recent trace events included in a view.
const RECENT_EVENTS_MAX: usize = 32;
/// In-flight segments listed per link.
const SEGMENTS_PER_LINK_MAX: usize = 16;

/// Everything the page draws, at one instant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimView {
    /// Virtual time, Unix milliseconds.
    pub now_ms: u64,
    /// The seed.
    pub seed: u64,
    /// Events processed so far.
    pub steps: u64,
    /// Nodes in id order.
    pub nodes: Vec<NodeView>,
    /// Every link direction that was configured or carried a connection.
    pub links: Vec<LinkView>,
    /// The latest trace events, oldest first.
    pub recent_events: Vec<TraceEvent>,
}

/// One node.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NodeView {
    /// Its id.
    pub id: NodeId,
    /// Up or crashed.
    pub status: NodeStatus,
    /// Keys in all databases.
    pub keys: usize,
    /// Estimated dataset bytes.
    pub used_bytes: usize,
    /// Connections.
    pub connected_clients: usize,
    /// Commands run since it started.
    pub commands_processed: u64,
}

/// One direction of a link.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkView {
    /// Which direction.
    pub path: Path,
    /// Up, partitioned or held.
    pub state: LinkState,
    /// Its settings.
    pub config: LinkConfig,
    /// Bytes sent and not yet delivered.
    pub in_flight_bytes: u64,
    /// The oldest segments in flight.
    pub segments: Vec<SegmentView>,
}

/// A segment in flight.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SegmentView {
    /// Its size.
    pub bytes: u64,
    /// When it was sent, Unix milliseconds.
    pub sent_at_ms: u64,
    /// When it arrives; None while it waits (partition, hold).
    pub deliver_at_ms: Option<u64>,
}

impl SimView {
    /// The view of `sim` now.
    pub fn of(sim: &Sim) -> SimView {
        let nodes = sim
            .nodes()
            .map(|(id, sim_node)| match &sim_node.node {
                Some(node) => NodeView {
                    id,
                    status: NodeStatus::Up,
                    keys: node.state().keyspace.key_count(),
                    used_bytes: node.state().keyspace.used_bytes(),
                    connected_clients: node.connected_clients(),
                    commands_processed: node.state().stats.commands_processed,
                },
                None => NodeView {
                    id,
                    status: NodeStatus::Crashed,
                    keys: 0,
                    used_bytes: 0,
                    connected_clients: 0,
                    commands_processed: 0,
                },
            })
            .collect();
        let network = sim.network();
        let mut paths: Vec<Path> = network.directions().map(|(&path, _)| path).collect();
        for connection in network.connections.values() {
            paths.extend([connection.path(0), connection.path(1)]);
        }
        crate::engine::sort::sort(&mut paths);
        paths.dedup();
        let links = paths
            .into_iter()
            .map(|path| {
                let direction = network.direction(path);
                LinkView {
                    path,
                    state: direction.state,
                    config: direction.config,
                    in_flight_bytes: network.in_flight_bytes(path),
                    segments: segments_on(network, path),
                }
            })
            .collect();
        let events = sim.trace().events();
        let skip = events.len().saturating_sub(RECENT_EVENTS_MAX);
        SimView {
            now_ms: sim.now().as_millis(),
            seed: sim.seed(),
            steps: sim.steps(),
            nodes,
            links,
            recent_events: events.skip(skip).cloned().collect(),
        }
    }
}

/// The first [`SEGMENTS_PER_LINK_MAX`] segments in flight on `path`, connection by connection.
fn segments_on(network: &Network, path: Path) -> Vec<SegmentView> {
    let mut segments = Vec::new();
    for (socket, index) in network.streams_on(path) {
        for segment in &network.connections[&socket].streams[index].in_flight {
            if segments.len() == SEGMENTS_PER_LINK_MAX {
                return segments;
            }
            segments.push(SegmentView {
                bytes: segment.bytes.len() as u64,
                sent_at_ms: segment.sent_at.as_millis(),
                deliver_at_ms: segment.deliver_at.map(|at| at.as_millis()),
            });
        }
    }
    segments
}
