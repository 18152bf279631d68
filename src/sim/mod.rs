//! The simulator: several nodes, their clients and the network between them, in virtual time.
//!
//! Shaped after TigerBeetle's packet simulator and turmoil: one seeded PRNG drives every random
//! choice, an event queue ordered by `(time, sequence)` holds every delivery and scheduled fault,
//! and virtual time jumps straight to the next event, so idle hours cost nothing. The same seed
//! and the same inputs give the same trace, natively and in the browser.
//!
//! - [`network`]: hosts, directed links and TCP-like connections.
//! - [`trace`]: what happened, bounded and queryable, exportable as JSON.
//! - [`checker`]: invariants tests check after every step.
//! - [`timeline`]: time travel: checkpoints, recorded inputs, scrubbing and forking.
//! - [`view`]: a plain-data snapshot for the UI and the JS API.
//! - [`inspect`]: every node's replication state (roles, offsets, backlog, decisions, INFO/ROLE,
//!   the applied stream) for the UI's replication panels.
//! - [`swarm`]: seed-derived random workloads and faults, then heal and check liveness.
//! - [`benchmark`]: the benchmarks' workloads, shared by the native and browser runs.

pub mod benchmark;
pub mod checker;
pub mod inspect;
pub mod network;
pub mod swarm;
pub mod timeline;
pub mod trace;
pub mod view;

#[cfg(test)]
mod tests;

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::net::Ipv4Addr;
use std::rc::Rc;

use crate::engine::deque::Deque;
use crate::engine::prng::Prng;
use crate::engine::resp::{encode_request, Frame, ReplyDecoder};
use crate::engine::vec_map::VecMap;
use crate::engine::{Config, ConnId, Input, Instant, Node, Output, Peer};
pub use network::{ClientId, Endpoint, Host, LinkConfig, LinkState, NodeId, Path, SocketId};
use network::{Network, Segment};
use trace::{summarize, Trace, TraceKind};

/// Nodes a simulation may hold at once.
pub const NODES_MAX: usize = 16;
/// Clients a simulation may hold at once.
pub const CLIENTS_MAX: usize = 256;
/// Replies kept per client until read; older ones are dropped.
const CLIENT_REPLIES_MAX: usize = 10_000;
/// Each simulated node's `maxmemory` (Redis's default is no limit): 32 MB keeps even 16 nodes
/// well inside a browser tab; writes past it get Redis's `-OOM` error.
pub const NODE_MAXMEMORY_BYTES: u64 = 32 * 1024 * 1024;
/// Virtual time starts here: 2026-01-01T00:00:00Z.
pub const EPOCH: Instant = Instant::from_millis(1_767_225_600_000);

/// How a simulation starts.
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    /// Drives every random choice.
    pub seed: u64,
    /// Nodes at the start (1 to [`NODES_MAX`]).
    pub node_count: u8,
    /// Settings of node-to-node links nobody configured.
    pub link: LinkConfig,
    /// Settings of client-to-node links (consoles sit next to their node).
    pub client_link: LinkConfig,
    /// Every node's settings.
    pub node_config: Config,
    /// Trace events kept.
    pub trace_events_max: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 1,
            node_count: 3,
            link: LinkConfig::LAN,
            client_link: LinkConfig::SAME_HOST,
            node_config: Config {
                maxmemory_bytes: NODE_MAXMEMORY_BYTES,
                ..Config::default()
            },
            trace_events_max: 100_000,
        }
    }
}

/// Why a request to the simulator was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// No such node.
    UnknownNode(NodeId),
    /// No such client.
    UnknownClient(ClientId),
    /// The limit of nodes or clients was reached.
    Full(&'static str),
    /// The node is crashed (or already up, for restart).
    WrongStatus(NodeId, &'static str),
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::UnknownNode(node) => write!(f, "ERR no such node {}", node.0),
            SimError::UnknownClient(client) => write!(f, "ERR no such client {}", client.0),
            SimError::Full(what) => write!(f, "ERR too many {what}"),
            SimError::WrongStatus(node, status) => write!(f, "ERR node {} is {status}", node.0),
        }
    }
}

/// Whether a node's process runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum NodeStatus {
    /// Running.
    Up,
    /// Crashed: connections to it are refused.
    Crashed,
}

/// A node of the simulation.
#[derive(Clone, Debug)]
pub struct SimNode {
    /// The engine; None while crashed.
    pub node: Option<Node>,
    /// Its settings (kept across crashes).
    pub config: Config,
    /// Its simulated disk: the last snapshot it wrote (SAVE, BGSAVE, SHUTDOWN), loaded again
    /// when it restarts with its disk.
    pub disk: Option<Vec<u8>>,
    /// The node's numbers for its connections → the simulation's connections.
    sockets: VecMap<ConnId, SocketId>,
    next_conn: u32,
    /// Processes started so far (1 at the start, +1 per restart).
    incarnation: u64,
}

/// What the simulation last saw of a node's replication, after a step: it traces role and link
/// changes from it, and keeps the highest offset the node's current history reached, so that
/// the checker can tell an offset that went backwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicationWatch {
    /// The master followed, None for a master.
    pub master: Option<(String, u16)>,
    /// The link to that master.
    pub link: Option<crate::engine::replication::LinkState>,
    /// `master_replid`.
    pub replid: String,
    /// `master_repl_offset`.
    pub offset: u64,
    /// The highest `master_repl_offset` since the node's history last started over: a restart,
    /// or a full sync it loaded (whose `+FULLRESYNC` offset may be lower).
    pub offset_high: u64,
    /// The first time the offset went below `offset_high` otherwise, in words.
    pub regression: Option<String>,
    incarnation: u64,
    full_syncs_loaded: u64,
}

impl ReplicationWatch {
    fn of(node: &Node, incarnation: u64) -> ReplicationWatch {
        let repl = &node.state().repl;
        ReplicationWatch {
            master: node.replication_master(),
            link: repl.link_state(),
            replid: repl.replid.clone(),
            offset: repl.master_repl_offset,
            offset_high: repl.master_repl_offset,
            regression: None,
            incarnation,
            full_syncs_loaded: repl.full_syncs_loaded,
        }
    }

    /// The trace's words for the role and the link.
    fn describe(&self) -> (String, Option<String>) {
        let role = match &self.master {
            Some((host, port)) => format!("replica of {host}:{port}"),
            None => "master".to_string(),
        };
        (role, self.link.map(|link| link.role_name().to_string()))
    }
}

/// A simulated client: sends commands to one node and collects the replies.
#[derive(Clone, Debug)]
pub struct SimClient {
    /// The node it talks to.
    pub node: NodeId,
    socket: Option<SocketId>,
    /// The handshake in progress, if connecting.
    connecting: Option<u64>,
    /// Requests written while connecting; sent once connected, dropped if the connect fails.
    pending: Vec<u8>,
    /// Why the last connection attempt failed, until the next one succeeds.
    pub connect_error: Option<String>,
    decoder: ReplyDecoder,
    /// Replies received and not yet taken.
    pub replies: Deque<Frame>,
    /// Replies received since the client was added, taken or not (even once the oldest were
    /// dropped): a reader that never takes can tell which replies are new.
    pub replies_received: u64,
}

impl SimClient {
    /// Whether it has a connection to its node.
    pub fn is_connected(&self) -> bool {
        self.socket.is_some()
    }

    /// Whether a connection attempt (the TCP handshake) is in progress.
    pub fn is_connecting(&self) -> bool {
        self.connecting.is_some()
    }
}

/// The port every node listens on.
pub const NODE_PORT: u16 = 6379;

/// A node's machine's address: `10.0.0.<id>`.
pub fn node_ip(node: NodeId) -> Ipv4Addr {
    Ipv4Addr::new(10, 0, 0, node.0)
}

/// How fast a simulated node loads a snapshot: about what redis-server does on a laptop, so a
/// big full sync shows its `-LOADING` window in virtual time.
pub const LOAD_BYTES_PER_SEC: u64 = 100 * 1024 * 1024;

/// A simulated node's engine.
fn new_node(config: Config, now: Instant, entropy: u64) -> Node {
    let mut node = Node::new(config, now, entropy);
    node.set_load_rate(Some(LOAD_BYTES_PER_SEC));
    node
}

/// The address a node listens on (`10.0.0.<id>:6379`), as its clients see it.
pub fn node_addr(node: NodeId) -> String {
    format!("{}:{NODE_PORT}", node_ip(node))
}

/// Where a node's outbound connections start from: its machine's address (the loopback one
/// when it dials loopback), with an ephemeral port the connection's number picks, so ports are
/// unique among the node's connections and need no state.
fn outbound_local_addr(node: NodeId, conn: ConnId, loopback: bool) -> String {
    const EPHEMERAL_PORT_FIRST: u32 = 40_000;
    const EPHEMERAL_PORTS: u32 = 20_000;
    let ip = if loopback {
        Ipv4Addr::LOCALHOST
    } else {
        node_ip(node)
    };
    let port = EPHEMERAL_PORT_FIRST + conn.0.wrapping_sub(ConnId::OUTBOUND_FIRST) % EPHEMERAL_PORTS;
    format!("{ip}:{port}")
}

/// What a host name means on the simulated network: an IPv4 address, `localhost`, or nothing
/// (the simulation has no DNS).
fn resolve(host: &str) -> Option<Ipv4Addr> {
    if host.eq_ignore_ascii_case("localhost") {
        return Some(Ipv4Addr::LOCALHOST);
    }
    host.parse().ok()
}

/// A TCP handshake in progress: the SYN travels to the address's machine, the answer comes back.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Handshake {
    /// Who connects: a client, or a node's outbound connection.
    initiator: Endpoint,
    /// The initiator's address, as the acceptor sees it.
    initiator_addr: String,
    /// The node whose machine has the address; None if no machine has it (nobody answers).
    node: Option<NodeId>,
    /// The address dialled, `host:port` (once connected, the acceptor's local address).
    address: String,
    /// The port dialled: only [`NODE_PORT`] accepts, any other answers with a reset.
    port: u16,
    /// The node accepted: the connection exists on its side.
    accepted: Option<SocketId>,
}

/// How long an unanswered connect keeps trying (Linux's default SYN retries, about 127 s).
pub const CONNECT_TIMEOUT_MS: u64 = 127_000;

/// Something scheduled to happen.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Event {
    /// The front segment of a stream is due.
    Deliver { socket: SocketId, stream: usize },
    /// A fault planned for later.
    Fault(Fault),
    /// A connection attempt's SYN reaches the node.
    SynArrives { attempt: u64 },
    /// The node's answer (accepted or refused) reaches the initiator.
    HandshakeAnswer { attempt: u64, refused: bool },
    /// The attempt gives up if still unanswered.
    ConnectTimeout { attempt: u64 },
    /// The address's host name resolved to nothing.
    NameLookupFailed { attempt: u64 },
}

/// An event in the queue, ordered by when it happens, then by when it was scheduled (each
/// `sequence` is unique, so events at the same time keep their scheduling order).
#[derive(Clone, Copy, Debug)]
struct Scheduled {
    at: Instant,
    sequence: u64,
    event: Event,
}

impl Ord for Scheduled {
    fn cmp(&self, other: &Scheduled) -> Ordering {
        (self.at, self.sequence).cmp(&(other.at, other.sequence))
    }
}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Scheduled) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Equal keys: the same scheduling (the event is not compared).
impl PartialEq for Scheduled {
    fn eq(&self, other: &Scheduled) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Scheduled {}

/// The fault vocabulary (UI buttons, JS API and scenarios share it).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub enum Fault {
    /// Reset every connection between two hosts at both ends.
    Sever(Host, Host),
    /// Bytes stop flowing both ways between two hosts.
    Partition(Host, Host),
    /// Bytes stop flowing from the first host to the second.
    PartitionOneway(Host, Host),
    /// Bytes flow again both ways (ends a partition or a hold).
    Heal(Host, Host),
    /// Bytes queue visibly on both directions.
    Hold(Host, Host),
    /// Queued bytes flow again.
    Release(Host, Host),
    /// The node's process dies.
    Crash(NodeId),
    /// The node's process starts again and loads its disk's last snapshot, if any.
    Restart(NodeId),
    /// The node starts again on a blank disk: an empty dataset.
    RestartWithoutDisk(NodeId),
}

/// A whole simulation.
#[derive(Clone, Debug)]
pub struct Sim {
    now: Instant,
    prng: Prng,
    /// Shared with every checkpoint: it never changes.
    config: Rc<SimConfig>,
    nodes: VecMap<NodeId, SimNode>,
    clients: VecMap<ClientId, SimClient>,
    network: Network,
    /// What is scheduled (deliveries, faults, handshake steps), soonest on top.
    queue: BinaryHeap<Reverse<Scheduled>>,
    next_sequence: u64,
    next_client: u32,
    /// Handshakes in progress, by attempt number.
    handshakes: VecMap<u64, Handshake>,
    /// Handshake messages waiting for their path to pass bytes again: (path, event).
    waiting_handshake: Vec<(Path, Event)>,
    next_attempt: u64,
    trace: Trace,
    /// Events processed so far (deliveries, faults, timers).
    steps: u64,
    /// Each node's replication as last seen (nodes never seen up are missing).
    watch: VecMap<NodeId, ReplicationWatch>,
}

impl Sim {
    /// A simulation with `config.node_count` fresh nodes.
    pub fn new(config: SimConfig) -> Sim {
        let mut network = Network::default();
        network.default_config = Some(config.link);
        let mut sim = Sim {
            now: EPOCH,
            prng: Prng::from_seed(config.seed),
            trace: Trace::new(config.trace_events_max),
            nodes: VecMap::new(),
            clients: VecMap::new(),
            network,
            queue: BinaryHeap::new(),
            next_sequence: 0,
            next_client: 1,
            handshakes: VecMap::new(),
            waiting_handshake: Vec::new(),
            next_attempt: 0,
            steps: 0,
            watch: VecMap::new(),
            config: Rc::new(config),
        };
        for _ in 0..sim.config.node_count.clamp(1, NODES_MAX as u8) {
            let _ = sim.add_node();
        }
        sim
    }

    /// Virtual now.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.config.seed
    }

    /// Events processed so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// How many trace events are kept.
    pub fn config_trace_events_max(&self) -> usize {
        self.config.trace_events_max
    }

    /// The trace.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// The network (links, connections, segments in flight).
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The nodes, in id order.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeId, &SimNode)> {
        self.nodes.iter().map(|(&id, node)| (id, node))
    }

    /// One node's engine, if it is up.
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(&id).and_then(|node| node.node.as_ref())
    }

    /// Each node's replication as last seen, in id order.
    pub fn replication_watch(&self) -> impl Iterator<Item = (NodeId, &ReplicationWatch)> {
        self.watch.iter().map(|(&id, watch)| (id, watch))
    }

    /// The clients, in id order.
    pub fn clients(&self) -> impl Iterator<Item = (ClientId, &SimClient)> {
        self.clients.iter().map(|(&id, client)| (id, client))
    }

    /// Adds a node with the simulation's node settings.
    pub fn add_node(&mut self) -> Result<NodeId, SimError> {
        if self.nodes.len() >= NODES_MAX {
            return Err(SimError::Full("nodes"));
        }
        let id = (1..=NODES_MAX as u8)
            .map(NodeId)
            .find(|id| !self.nodes.contains_key(id))
            .ok_or(SimError::Full("nodes"))?;
        let config = self.config.node_config.clone();
        let node = new_node(config.clone(), self.now, self.prng.next_u64());
        self.watch.insert(id, ReplicationWatch::of(&node, 1));
        self.nodes.insert(
            id,
            SimNode {
                node: Some(node),
                config,
                disk: None,
                sockets: VecMap::new(),
                next_conn: 1,
                incarnation: 1,
            },
        );
        self.trace.record(
            self.now,
            TraceKind::NodeStatus {
                node: id,
                status: "added".into(),
            },
        );
        Ok(id)
    }

    /// Removes a node, resetting its connections.
    pub fn remove_node(&mut self, id: NodeId) -> Result<(), SimError> {
        self.reset_connections_of(Host::Node(id), "node removed");
        self.abandon_handshakes(
            |initiator| initiator.host() == Host::Node(id),
            "node removed",
        );
        self.nodes.remove(&id).ok_or(SimError::UnknownNode(id))?;
        self.watch.remove(&id);
        self.observe_replication();
        self.trace.record(
            self.now,
            TraceKind::NodeStatus {
                node: id,
                status: "removed".into(),
            },
        );
        Ok(())
    }

    /// Connects a new client to `node` over a client link.
    pub fn add_client(&mut self, node: NodeId) -> Result<ClientId, SimError> {
        if self.clients.len() >= CLIENTS_MAX {
            return Err(SimError::Full("clients"));
        }
        if !self.nodes.contains_key(&node) {
            return Err(SimError::UnknownNode(node));
        }
        let id = ClientId(self.next_client);
        self.next_client += 1;
        // Client links get the client settings; a fault already on the path stays.
        let client_link = self.config.client_link;
        for path in [
            Path {
                source: Host::Client(id),
                target: Host::Node(node),
            },
            Path {
                source: Host::Node(node),
                target: Host::Client(id),
            },
        ] {
            self.network.direction_mut(path).config = client_link;
        }
        self.clients.insert(
            id,
            SimClient {
                node,
                socket: None,
                connecting: None,
                pending: Vec::new(),
                connect_error: None,
                decoder: ReplyDecoder::new(),
                replies: Deque::new(),
                replies_received: 0,
            },
        );
        self.connect_client(id);
        Ok(id)
    }

    /// Starts the client's connection to its node: the SYN leaves now.
    fn connect_client(&mut self, id: ClientId) {
        let Some(client) = self.clients.get(&id) else {
            return;
        };
        if client.socket.is_some() || client.connecting.is_some() {
            return;
        }
        let node = client.node;
        let attempt = self.dial(Handshake {
            initiator: Endpoint::Client { client: id },
            initiator_addr: format!("10.0.1.{}:50000", id.0),
            node: Some(node),
            address: node_addr(node),
            port: NODE_PORT,
            accepted: None,
        });
        if let Some(client) = self.clients.get_mut(&id) {
            client.connecting = Some(attempt);
        }
    }

    /// Carries out a node's `Output::Connect`: resolves `host` as the node's OS would, then
    /// starts the handshake. Every outcome arrives later, as an event, so the node never gets an
    /// input while its outputs are being drained.
    fn connect_from_node(&mut self, id: NodeId, conn: ConnId, host: &str, port: u16) {
        debug_assert!(
            conn.is_outbound(),
            "a node names its connects from its outbound range"
        );
        let initiator = Endpoint::Node { node: id, conn };
        let Some(ip) = resolve(host) else {
            let attempt = self.begin_handshake(Handshake {
                initiator,
                initiator_addr: outbound_local_addr(id, conn, false),
                node: None,
                address: format!("{host}:{port}"),
                port,
                accepted: None,
            });
            self.schedule(self.now, Event::NameLookupFailed { attempt });
            return;
        };
        let node = self.machine_at(id, ip);
        if node == Some(id) {
            // A node's connection to itself never leaves its machine.
            let path = Path {
                source: Host::Node(id),
                target: Host::Node(id),
            };
            self.network.direction_mut(path).config = LinkConfig::SAME_HOST;
        }
        self.dial(Handshake {
            initiator,
            initiator_addr: outbound_local_addr(id, conn, ip.is_loopback()),
            node,
            address: format!("{ip}:{port}"),
            port,
            accepted: None,
        });
    }

    /// The node whose machine has `ip`, as seen from node `me` (loopback is `me` itself).
    fn machine_at(&self, me: NodeId, ip: Ipv4Addr) -> Option<NodeId> {
        if ip.is_loopback() {
            return Some(me);
        }
        let [a, b, c, d] = ip.octets();
        Some(NodeId(d)).filter(|node| [a, b, c] == [10, 0, 0] && self.nodes.contains_key(node))
    }

    /// Numbers a handshake and keeps it until it is answered, times out or is abandoned.
    fn begin_handshake(&mut self, handshake: Handshake) -> u64 {
        let attempt = self.next_attempt;
        self.next_attempt += 1;
        self.handshakes.insert(attempt, handshake);
        attempt
    }

    /// Starts a handshake: the SYN leaves now for the address's machine (if any machine has
    /// it), and the attempt gives up after [`CONNECT_TIMEOUT_MS`]. Returns the attempt.
    fn dial(&mut self, handshake: Handshake) -> u64 {
        let syn_path = handshake.node.map(|node| Path {
            source: handshake.initiator.host(),
            target: Host::Node(node),
        });
        let attempt = self.begin_handshake(handshake);
        if let Some(path) = syn_path {
            self.send_handshake(path, Event::SynArrives { attempt });
        }
        self.schedule(
            self.now.add_millis(CONNECT_TIMEOUT_MS),
            Event::ConnectTimeout { attempt },
        );
        attempt
    }

    /// Sends a handshake message over `path`: it arrives after the link's latency, or waits while
    /// the path passes no bytes (the OS keeps retrying).
    fn send_handshake(&mut self, path: Path, event: Event) {
        let direction = self.network.direction(path);
        if direction.state == LinkState::Up {
            let jitter = if direction.config.jitter_ms > 0 {
                self.prng.below(direction.config.jitter_ms + 1)
            } else {
                0
            };
            self.schedule(
                self.now.add_millis(direction.config.latency_ms + jitter),
                event,
            );
        } else {
            self.waiting_handshake.push((path, event));
        }
    }

    /// The SYN reached the node's machine: the node accepts if it is up and the port is its own,
    /// and the answer (accepted or reset) goes back.
    fn on_syn_arrives(&mut self, attempt: u64) {
        let Some(handshake) = self.handshakes.get(&attempt).cloned() else {
            return;
        };
        let Some(node) = handshake.node.filter(|node| self.nodes.contains_key(node)) else {
            // The machine was removed meanwhile: nobody answers, the connect times out.
            return;
        };
        let accepted = if handshake.port == NODE_PORT {
            self.accept(
                node,
                handshake.initiator,
                handshake.initiator_addr,
                handshake.address,
            )
        } else {
            None
        };
        if let Some(handshake) = self.handshakes.get_mut(&attempt) {
            handshake.accepted = accepted;
        }
        let path = Path {
            source: Host::Node(node),
            target: handshake.initiator.host(),
        };
        self.send_handshake(
            path,
            Event::HandshakeAnswer {
                attempt,
                refused: accepted.is_none(),
            },
        );
    }

    /// The answer reached the initiator: connected, or refused.
    fn on_handshake_answer(&mut self, attempt: u64, refused: bool) {
        let Some(handshake) = self.handshakes.remove(&attempt) else {
            return;
        };
        match handshake.accepted.filter(|_| !refused) {
            Some(socket) if self.network.connections.contains_key(&socket) => {
                self.complete_connect(handshake, socket)
            }
            _ => self.fail_connect(handshake, "Connection refused"),
        }
    }

    /// The attempt ran out of time: whatever the node accepted is reset.
    fn on_connect_timeout(&mut self, attempt: u64) {
        let Some(handshake) = self.handshakes.remove(&attempt) else {
            return;
        };
        if let Some(socket) = handshake.accepted {
            self.reset_socket(socket, "handshake timed out");
        }
        self.fail_connect(handshake, "Connection timed out");
    }

    /// The address's host name means nothing on this network.
    fn on_name_lookup_failed(&mut self, attempt: u64) {
        if let Some(handshake) = self.handshakes.remove(&attempt) {
            self.fail_connect(handshake, "Name or service not known");
        }
    }

    /// Whether `socket` was accepted and its initiator has not heard the answer yet: until then
    /// what the acceptor sends waits, as TCP's SYN-ACK comes before any data.
    fn answer_pending(&self, socket: SocketId) -> bool {
        self.handshakes
            .values()
            .any(|handshake| handshake.accepted == Some(socket))
    }

    /// The initiator's side of a connection the answer just confirmed.
    fn complete_connect(&mut self, handshake: Handshake, socket: SocketId) {
        match handshake.initiator {
            Endpoint::Client { client: id } => {
                let pending = match self.clients.get_mut(&id) {
                    Some(client) => {
                        client.socket = Some(socket);
                        client.connecting = None;
                        client.connect_error = None;
                        client.decoder = ReplyDecoder::new();
                        std::mem::take(&mut client.pending)
                    }
                    None => return,
                };
                if !pending.is_empty() {
                    self.write(socket, handshake.initiator, &pending, false);
                }
            }
            Endpoint::Node { node: id, conn } => {
                // Always up here: a crash or a removal abandons the node's attempts.
                let Some(sim_node) = self.nodes.get_mut(&id) else {
                    return;
                };
                let Some(node) = sim_node.node.as_mut() else {
                    return;
                };
                sim_node.sockets.insert(conn, socket);
                let peer = Peer {
                    addr: handshake.address,
                    local_addr: handshake.initiator_addr,
                };
                node.handle_input(self.now, Input::Connected { conn, peer });
                self.drain_node(id);
            }
        }
        self.deliver_held(socket);
    }

    /// Schedules again the deliveries held while the answer was on its way (each delivery
    /// takes a stream's front segment only once it is due, so extra ones are harmless).
    fn deliver_held(&mut self, socket: SocketId) {
        let Some(connection) = self.network.connections.get(&socket) else {
            return;
        };
        // One delivery per segment already due.
        let mut due = Vec::new();
        for stream in 0..2 {
            for segment in &connection.streams[stream].in_flight {
                if segment.deliver_at.is_some_and(|at| at <= self.now) {
                    due.push(stream);
                }
            }
        }
        for stream in due {
            self.schedule(self.now, Event::Deliver { socket, stream });
        }
    }

    /// Tells the initiator its connect failed, and records why.
    fn fail_connect(&mut self, handshake: Handshake, reason: &str) {
        self.trace.record(
            self.now,
            TraceKind::ConnectFailed {
                from: handshake.initiator.host(),
                to: handshake.node,
                address: handshake.address,
                reason: reason.into(),
            },
        );
        match handshake.initiator {
            Endpoint::Client { client: id } => {
                if let Some(client) = self.clients.get_mut(&id) {
                    client.connecting = None;
                    client.pending.clear();
                    client.connect_error = Some(reason.to_string());
                }
            }
            Endpoint::Node { node: id, conn } => {
                if let Some(node) = self.nodes.get_mut(&id).and_then(|node| node.node.as_mut()) {
                    let reason = reason.to_string();
                    node.handle_input(self.now, Input::ConnectFailed { conn, reason });
                }
                self.drain_node(id);
            }
        }
    }

    /// Gives up the handshakes whose initiator `abandoned` picks (it closed the socket, or its
    /// process ended): no answer will reach it, and whatever the acceptor accepted is reset, as
    /// the initiator's machine would answer the acceptor's SYN-ACK with a reset.
    fn abandon_handshakes(&mut self, abandoned: impl Fn(Endpoint) -> bool, reason: &str) {
        let attempts: Vec<u64> = self
            .handshakes
            .iter()
            .filter(|(_, handshake)| abandoned(handshake.initiator))
            .map(|(&attempt, _)| attempt)
            .collect();
        for attempt in attempts {
            if let Some(socket) = self
                .handshakes
                .remove(&attempt)
                .and_then(|handshake| handshake.accepted)
            {
                self.reset_socket(socket, reason);
            }
        }
    }

    /// The node side of a new connection: None if the node is down.
    fn accept(
        &mut self,
        node_id: NodeId,
        initiator: Endpoint,
        peer_addr: String,
        local_addr: String,
    ) -> Option<SocketId> {
        let sim_node = self.nodes.get_mut(&node_id)?;
        let node = sim_node.node.as_mut()?;
        let conn = ConnId(sim_node.next_conn);
        sim_node.next_conn += 1;
        let acceptor = Endpoint::Node {
            node: node_id,
            conn,
        };
        let socket = self.network.open(initiator, acceptor);
        sim_node.sockets.insert(conn, socket);
        node.handle_input(
            self.now,
            Input::Connected {
                conn,
                peer: Peer {
                    addr: peer_addr,
                    local_addr,
                },
            },
        );
        self.trace.record(
            self.now,
            TraceKind::Opened {
                socket,
                initiator,
                acceptor,
            },
        );
        self.drain_node(node_id);
        Some(socket)
    }

    /// Sends one command from a client. Without a connection, it connects first and the
    /// command waits for the handshake (as redis-cli does); if the connect fails it is dropped.
    pub fn client_send(&mut self, id: ClientId, args: &[Vec<u8>]) -> Result<(), SimError> {
        let client = self.clients.get(&id).ok_or(SimError::UnknownClient(id))?;
        if client.socket.is_none() {
            self.connect_client(id);
        }
        let mut bytes = Vec::new();
        encode_request(args, &mut bytes);
        let Some(client) = self.clients.get_mut(&id) else {
            return Ok(());
        };
        match client.socket {
            Some(socket) => self.write(socket, Endpoint::Client { client: id }, &bytes, false),
            None => client.pending.extend_from_slice(&bytes),
        }
        Ok(())
    }

    /// Takes the replies a client has received so far.
    pub fn take_replies(&mut self, id: ClientId) -> Vec<Frame> {
        self.clients
            .get_mut(&id)
            .map(|client| client.replies.drain(..).collect())
            .unwrap_or_default()
    }

    /// Why the client's last connection attempt failed (`Connection refused`, `Connection timed
    /// out`), until one succeeds.
    pub fn client_connect_error(&self, id: ClientId) -> Option<String> {
        self.clients
            .get(&id)
            .and_then(|client| client.connect_error.clone())
    }

    /// Whether the client is connected to its node.
    pub fn client_connected(&self, id: ClientId) -> bool {
        self.clients
            .get(&id)
            .is_some_and(|client| client.socket.is_some())
    }

    /// Writes on a connection and schedules the deliveries.
    fn write(&mut self, socket: SocketId, from: Endpoint, bytes: &[u8], fin: bool) {
        let Some(connection) = self.network.connections.get(&socket) else {
            return;
        };
        let Some((index, _)) = connection.outbound(from) else {
            return;
        };
        let path = connection.path(index);
        let offset = connection.streams[index].bytes_sent;
        let summary = if fin {
            "<close>".to_string()
        } else {
            summarize(bytes)
        };
        self.trace.record(
            self.now,
            TraceKind::Sent {
                socket,
                path,
                offset,
                bytes: bytes.len() as u64,
                summary,
            },
        );
        for (stream, at) in self
            .network
            .write(socket, from, bytes, fin, self.now, &mut self.prng)
        {
            self.schedule(at, Event::Deliver { socket, stream });
        }
    }

    fn schedule(&mut self, at: Instant, event: Event) {
        self.queue.push(Reverse(Scheduled {
            at,
            sequence: self.next_sequence,
            event,
        }));
        self.next_sequence += 1;
    }

    /// Plans `fault` for virtual time `at`.
    pub fn schedule_fault(&mut self, at: Instant, fault: Fault) {
        self.schedule(at.max(self.now), Event::Fault(fault));
    }

    /// When the next event happens: a delivery, a scheduled fault or a node timer.
    pub fn next_event_at(&self) -> Option<Instant> {
        let queued = self.queue.peek().map(|Reverse(next)| next.at);
        let timers = self
            .nodes
            .values()
            .filter_map(|node| node.node.as_ref()?.poll_timeout())
            .min();
        match (queued, timers) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Processes the next event, moving time to it. False if there is none.
    pub fn step(&mut self) -> bool {
        let Some(at) = self.next_event_at() else {
            return false;
        };
        self.now = self.now.max(at);
        self.steps += 1;
        // Deliveries and faults first at equal times (their order is the queue's), then timers.
        if self
            .queue
            .peek()
            .is_some_and(|Reverse(next)| next.at <= self.now)
        {
            if let Some(Reverse(next)) = self.queue.pop() {
                self.on_event(next.event);
            }
            self.observe_replication();
            return true;
        }
        let due: Vec<NodeId> = self
            .nodes
            .iter()
            .filter(|(_, node)| {
                node.node
                    .as_ref()
                    .and_then(Node::poll_timeout)
                    .is_some_and(|at| at <= self.now)
            })
            .map(|(&id, _)| id)
            .collect();
        for id in due {
            if let Some(node) = self.nodes.get_mut(&id).and_then(|node| node.node.as_mut()) {
                node.handle_timeout(self.now);
            }
            self.drain_node(id);
        }
        self.observe_replication();
        true
    }

    /// Looks at every up node's replication after a change: traces a role or link that changed,
    /// and keeps the offset's high-water mark of each node's history for the checker.
    fn observe_replication(&mut self) {
        for (&id, sim_node) in &self.nodes {
            let Some(node) = sim_node.node.as_ref() else {
                continue;
            };
            let Some(watch) = self.watch.get_mut(&id) else {
                self.watch
                    .insert(id, ReplicationWatch::of(node, sim_node.incarnation));
                continue;
            };
            let repl = &node.state().repl;
            let offset = repl.master_repl_offset;
            if watch.incarnation != sim_node.incarnation
                || watch.full_syncs_loaded != repl.full_syncs_loaded
            {
                // A new process, or a full sync loaded: the history starts over.
                watch.incarnation = sim_node.incarnation;
                watch.full_syncs_loaded = repl.full_syncs_loaded;
                watch.offset_high = offset;
            } else if offset < watch.offset_high && watch.regression.is_none() {
                watch.regression = Some(format!(
                    "node {}: master_repl_offset went back from {} to {} (replid {}) without a full sync or a restart",
                    id.0, watch.offset_high, offset, repl.replid
                ));
            }
            watch.offset_high = watch.offset_high.max(offset);
            watch.offset = offset;
            if watch.replid != repl.replid {
                watch.replid.clone_from(&repl.replid);
            }
            let master = repl
                .master
                .as_ref()
                .map(|link| (link.host.as_str(), link.port));
            let role_changed = watch
                .master
                .as_ref()
                .map(|(host, port)| (host.as_str(), *port))
                != master;
            // In ROLE's words: the handshake's steps are one state.
            let link_changed = watch.link.map(|link| link.role_name())
                != repl.link_state().map(|link| link.role_name());
            watch.link = repl.link_state();
            if role_changed || link_changed {
                watch.master = master.map(|(host, port)| (host.to_string(), port));
                let (role, link) = watch.describe();
                self.trace.record(
                    self.now,
                    TraceKind::Replication {
                        node: id,
                        role,
                        link,
                    },
                );
            }
        }
    }

    /// Moves the clock forward without processing events (replay puts a recorded input back at
    /// the exact instant it happened).
    pub(crate) fn set_now(&mut self, at: Instant) {
        self.now = self.now.max(at);
    }

    /// Runs every event up to `until`, then sets the clock to it.
    pub fn run_until(&mut self, until: Instant) {
        while self.next_event_at().is_some_and(|at| at <= until) {
            self.step();
        }
        self.now = self.now.max(until);
    }

    /// Runs until no delivery or fault is pending (timers alone don't count), at most
    /// `steps_max` steps; true if it got quiet.
    pub fn run_until_quiet(&mut self, steps_max: u64) -> bool {
        for _ in 0..steps_max {
            if self.queue.is_empty() {
                return true;
            }
            self.step();
        }
        self.queue.is_empty()
    }

    fn on_event(&mut self, event: Event) {
        match event {
            Event::Deliver { socket, stream } => {
                if self.answer_pending(socket) {
                    return;
                }
                if let Some((reader, segment)) = self.network.take_due(socket, stream, self.now) {
                    self.deliver(socket, stream, reader, segment);
                }
            }
            Event::Fault(fault) => self.apply_fault(fault),
            Event::SynArrives { attempt } => self.on_syn_arrives(attempt),
            Event::HandshakeAnswer { attempt, refused } => {
                self.on_handshake_answer(attempt, refused)
            }
            Event::ConnectTimeout { attempt } => self.on_connect_timeout(attempt),
            Event::NameLookupFailed { attempt } => self.on_name_lookup_failed(attempt),
        }
    }

    fn deliver(&mut self, socket: SocketId, stream: usize, reader: Endpoint, segment: Segment) {
        let path = self
            .network
            .connections
            .get(&socket)
            .map(|connection| connection.path(stream));
        if let Some(path) = path {
            let summary = if segment.fin && segment.bytes.is_empty() {
                "<close>".into()
            } else {
                summarize(&segment.bytes)
            };
            self.trace.record(
                self.now,
                TraceKind::Delivered {
                    socket,
                    path,
                    offset: segment.offset,
                    bytes: segment.bytes.len() as u64,
                    summary,
                },
            );
        }
        match reader {
            Endpoint::Node {
                node: node_id,
                conn,
            } => {
                // Only the node's current connection by that number reads: after the node closed
                // it, or restarted and numbered a new outbound connection the same, late bytes
                // reach nobody.
                if self.node_socket(node_id, conn) == Some(socket) {
                    if let Some(node) = self
                        .nodes
                        .get_mut(&node_id)
                        .and_then(|node| node.node.as_mut())
                    {
                        if !segment.bytes.is_empty() {
                            node.handle_input(
                                self.now,
                                Input::Received {
                                    conn,
                                    bytes: segment.bytes,
                                },
                            );
                        }
                        if segment.fin {
                            node.handle_input(self.now, Input::Closed { conn });
                        }
                    }
                    if segment.fin {
                        self.forget_node_socket(node_id, conn);
                    }
                    self.drain_node(node_id);
                }
                if segment.fin {
                    self.close_socket(socket, "closed by peer");
                }
            }
            Endpoint::Client { client: id } => {
                if let Some(client) = self.clients.get_mut(&id) {
                    client.decoder.push(&segment.bytes);
                    loop {
                        match client.decoder.next_frame() {
                            Ok(Some(frame)) => {
                                if client.replies.len() == CLIENT_REPLIES_MAX {
                                    client.replies.pop_front();
                                }
                                client.replies.push_back(frame);
                                client.replies_received += 1;
                            }
                            Ok(None) => break,
                            Err(error) => {
                                client
                                    .replies
                                    .push_back(Frame::error(format!("ERR client: {error}")));
                                client.replies_received += 1;
                                client.decoder = ReplyDecoder::new();
                                break;
                            }
                        }
                    }
                    if segment.fin {
                        client.socket = None;
                    }
                }
                if segment.fin {
                    self.close_socket(socket, "closed by peer");
                }
            }
        }
    }

    /// Carries out what a node asked for.
    fn drain_node(&mut self, id: NodeId) {
        loop {
            let Some(output) = self
                .nodes
                .get_mut(&id)
                .and_then(|node| node.node.as_mut())
                .and_then(Node::poll_output)
            else {
                return;
            };
            match output {
                Output::Transmit { conn, bytes } => {
                    if let Some(socket) = self.node_socket(id, conn) {
                        self.write(socket, Endpoint::Node { node: id, conn }, &bytes, false);
                    }
                }
                Output::Close { conn } => {
                    let end = Endpoint::Node { node: id, conn };
                    if let Some(socket) = self.node_socket(id, conn) {
                        // A FIN after the queued bytes; the node forgets the connection now.
                        self.write(socket, end, &[], true);
                        if let Some(node) =
                            self.nodes.get_mut(&id).and_then(|node| node.node.as_mut())
                        {
                            node.handle_input(self.now, Input::Closed { conn });
                        }
                        self.forget_node_socket(id, conn);
                    } else {
                        self.abandon_handshakes(|initiator| initiator == end, "connect abandoned");
                    }
                }
                Output::Connect { conn, host, port } => {
                    self.connect_from_node(id, conn, &host, port)
                }
                Output::Propagated { commands } => {
                    let commands = commands
                        .iter()
                        .map(|command| summarize(&command.argv.join(&b' ')))
                        .collect();
                    self.trace
                        .record(self.now, TraceKind::Propagated { node: id, commands });
                }
                Output::Shutdown => {
                    self.stop_node(id, "shut down");
                    return;
                }
                Output::WriteSnapshot { rdb } => {
                    if let Some(node) = self.nodes.get_mut(&id) {
                        node.disk = Some(rdb);
                    }
                }
                Output::Log(line) => self
                    .trace
                    .record(self.now, TraceKind::Log { node: id, line }),
            }
        }
    }

    fn node_socket(&self, id: NodeId, conn: ConnId) -> Option<SocketId> {
        self.nodes.get(&id)?.sockets.get(&conn).copied()
    }

    fn forget_node_socket(&mut self, id: NodeId, conn: ConnId) {
        if let Some(node) = self.nodes.get_mut(&id) {
            node.sockets.remove(&conn);
        }
    }

    /// Drops a connection whose both ends are done (or that was reset).
    fn close_socket(&mut self, socket: SocketId, reason: &str) {
        if self.network.connections.remove(&socket).is_some() {
            self.queue.retain(|Reverse(scheduled)| {
                !matches!(scheduled.event, Event::Deliver { socket: s, .. } if s == socket)
            });
            self.trace.record(
                self.now,
                TraceKind::Closed {
                    socket,
                    reason: reason.to_string(),
                },
            );
        }
    }

    /// Resets (RST) every connection with an end on `host`, telling both ends at once.
    fn reset_connections_of(&mut self, host: Host, reason: &str) {
        let sockets: Vec<SocketId> = self
            .network
            .connections
            .iter()
            .filter(|(_, c)| c.initiator.host() == host || c.acceptor.host() == host)
            .map(|(&socket, _)| socket)
            .collect();
        for socket in sockets {
            self.reset_socket(socket, reason);
        }
    }

    fn reset_socket(&mut self, socket: SocketId, reason: &str) {
        let Some(ends) = self
            .network
            .connections
            .get(&socket)
            .map(|connection| [connection.initiator, connection.acceptor])
        else {
            return;
        };
        self.close_socket(socket, reason);
        for end in ends {
            match end {
                Endpoint::Node { node: id, conn } => {
                    // A node that no longer holds this connection (it closed it, or restarted
                    // and reused the number) has nothing to reset.
                    if self.node_socket(id, conn) == Some(socket) {
                        self.forget_node_socket(id, conn);
                        if let Some(node) =
                            self.nodes.get_mut(&id).and_then(|node| node.node.as_mut())
                        {
                            node.handle_input(self.now, Input::Closed { conn });
                        }
                        self.drain_node(id);
                    }
                }
                Endpoint::Client { client } => {
                    if let Some(client) = self.clients.get_mut(&client) {
                        client.socket = None;
                    }
                }
            }
        }
    }

    /// Applies a fault now.
    pub fn apply_fault(&mut self, fault: Fault) {
        self.trace.record(
            self.now,
            TraceKind::Fault {
                description: format!("{fault:?}"),
            },
        );
        match fault {
            Fault::Sever(a, b) => {
                let sockets: Vec<SocketId> = self
                    .network
                    .connections
                    .iter()
                    .filter(|(_, c)| {
                        let (x, y) = (c.initiator.host(), c.acceptor.host());
                        (x == a && y == b) || (x == b && y == a)
                    })
                    .map(|(&socket, _)| socket)
                    .collect();
                for socket in sockets {
                    self.reset_socket(socket, "severed");
                }
            }
            Fault::Partition(a, b) => {
                self.set_state(
                    Path {
                        source: a,
                        target: b,
                    },
                    LinkState::Partitioned,
                );
                self.set_state(
                    Path {
                        source: b,
                        target: a,
                    },
                    LinkState::Partitioned,
                );
            }
            Fault::PartitionOneway(a, b) => self.set_state(
                Path {
                    source: a,
                    target: b,
                },
                LinkState::Partitioned,
            ),
            Fault::Hold(a, b) => {
                self.set_state(
                    Path {
                        source: a,
                        target: b,
                    },
                    LinkState::Held,
                );
                self.set_state(
                    Path {
                        source: b,
                        target: a,
                    },
                    LinkState::Held,
                );
            }
            Fault::Heal(a, b) | Fault::Release(a, b) => {
                self.set_state(
                    Path {
                        source: a,
                        target: b,
                    },
                    LinkState::Up,
                );
                self.set_state(
                    Path {
                        source: b,
                        target: a,
                    },
                    LinkState::Up,
                );
            }
            Fault::Crash(id) => self.stop_node(id, "crashed"),
            Fault::Restart(id) => self.restart_node(id, true),
            Fault::RestartWithoutDisk(id) => self.restart_node(id, false),
        }
        self.observe_replication();
    }

    /// Starts a stopped node again: with its disk it loads the last snapshot (an unreadable one
    /// leaves it empty, and the trace says so), without it the disk is wiped.
    fn restart_node(&mut self, id: NodeId, with_disk: bool) {
        let entropy = self.prng.next_u64();
        let now = self.now;
        let Some(sim_node) = self.nodes.get_mut(&id) else {
            return;
        };
        if sim_node.node.is_some() {
            return;
        }
        if !with_disk {
            sim_node.disk = None;
        }
        let mut node = new_node(sim_node.config.clone(), now, entropy);
        let status = match sim_node
            .disk
            .as_deref()
            .map(|rdb| node.load_snapshot(now, rdb))
        {
            None => "restarted with an empty dataset".to_string(),
            Some(Ok(keys)) => format!("restarted, {keys} keys loaded from disk"),
            Some(Err(error)) => {
                format!("restarted empty: its snapshot could not be loaded ({error})")
            }
        };
        sim_node.node = Some(node);
        sim_node.incarnation += 1;
        self.trace
            .record(now, TraceKind::NodeStatus { node: id, status });
    }

    /// The node's process ends (a crash, or SHUTDOWN): the OS closes its sockets, so peers get a
    /// FIN over the link; a restart starts it again.
    fn stop_node(&mut self, id: NodeId, status: &str) {
        let Some(node) = self.nodes.get_mut(&id) else {
            return;
        };
        if let Some(engine) = node.node.take() {
            // The simulation restarts a node from its config, so the role it had goes there,
            // as a node whose CONFIG REWRITE saved its REPLICAOF would come back a replica.
            node.config.replicaof = engine.replication_master();
        }
        let sockets: Vec<(ConnId, SocketId)> = node.sockets.iter().map(|(&c, &s)| (c, s)).collect();
        node.sockets.clear();
        for (conn, socket) in sockets {
            self.write(socket, Endpoint::Node { node: id, conn }, &[], true);
        }
        self.abandon_handshakes(|initiator| initiator.host() == Host::Node(id), status);
        self.trace.record(
            self.now,
            TraceKind::NodeStatus {
                node: id,
                status: status.into(),
            },
        );
    }

    /// Sets one direction's state, delivering what waited if it passes bytes again.
    fn set_state(&mut self, path: Path, state: LinkState) {
        self.network.direction_mut(path).state = state;
        if state != LinkState::Up {
            return;
        }
        for (socket, stream, at) in self.network.resume(path, self.now, &mut self.prng) {
            self.schedule(at, Event::Deliver { socket, stream });
        }
        let (resumed, still_waiting): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.waiting_handshake)
                .into_iter()
                .partition(|(waiting_path, _)| *waiting_path == path);
        self.waiting_handshake = still_waiting;
        for (path, event) in resumed {
            self.send_handshake(path, event);
        }
    }

    /// Changes one direction's settings.
    pub fn set_link(&mut self, path: Path, config: LinkConfig) {
        self.network.direction_mut(path).config = config;
    }
}
