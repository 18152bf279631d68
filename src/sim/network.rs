//! The simulated network: hosts, directed links, and TCP-like connections over them.
//!
//! A connection carries two ordered byte streams. Each write is cut into segments of random size
//! (so the engine's decoders always see partial input); each segment's arrival time comes from
//! its direction's link: transmission at `bandwidth_bytes_per_s` (a busy link queues), then
//! `latency_ms` plus `jitter_ms` — never earlier than the segment before it, as TCP keeps order —
//! plus a retransmission delay with probability `loss_ratio`. A partitioned or held direction
//! keeps its segments until healed or released, as TCP would keep retransmitting them.

use crate::engine::deque::Deque;

use serde::Serialize;

use crate::engine::prng::Prng;
use crate::engine::vec_map::VecMap;
use crate::engine::{ConnId, Instant};

/// A node of the simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NodeId(pub u8);

/// A simulated client (a console, a workload generator).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ClientId(pub u32);

/// A connection of the simulation (both ends, both directions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SocketId(pub u32);

/// A machine on the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Host {
    /// A Redis node.
    Node(NodeId),
    /// A client machine.
    Client(ClientId),
}

/// One direction between two hosts (TigerBeetle's `Path`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Path {
    /// Where bytes come from.
    pub source: Host,
    /// Where they go.
    pub target: Host,
}

impl Path {
    /// The opposite direction.
    pub fn reversed(self) -> Path {
        Path {
            source: self.target,
            target: self.source,
        }
    }
}

/// How one direction of a link behaves.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LinkConfig {
    /// One-way delay.
    pub latency_ms: u64,
    /// Extra random delay, uniform in `0..=jitter_ms` (order is kept regardless).
    pub jitter_ms: u64,
    /// Transmission rate; `None` is unlimited.
    pub bandwidth_bytes_per_s: Option<u64>,
    /// Probability that a segment is lost once and retransmitted.
    pub loss_ratio: f64,
    /// The delay a lost segment suffers (TCP's retransmission timeout).
    pub retransmit_delay_ms: u64,
}

impl LinkConfig {
    /// Loopback: no delay at all.
    pub const SAME_HOST: LinkConfig = LinkConfig {
        latency_ms: 0,
        jitter_ms: 0,
        bandwidth_bytes_per_s: None,
        loss_ratio: 0.0,
        retransmit_delay_ms: 200,
    };
    /// A data-centre LAN: half a millisecond, 1 Gbit/s.
    pub const LAN: LinkConfig = LinkConfig {
        latency_ms: 1,
        jitter_ms: 0,
        bandwidth_bytes_per_s: Some(125_000_000),
        loss_ratio: 0.0,
        retransmit_delay_ms: 200,
    };
    /// Between regions: 40 ms, some jitter, 100 Mbit/s.
    pub const CROSS_DATACENTER: LinkConfig = LinkConfig {
        latency_ms: 40,
        jitter_ms: 5,
        bandwidth_bytes_per_s: Some(12_500_000),
        loss_ratio: 0.0,
        retransmit_delay_ms: 200,
    };
    /// A bad network: 30 ms, heavy jitter, 2 % loss, 1 MB/s.
    pub const FLAKY: LinkConfig = LinkConfig {
        latency_ms: 30,
        jitter_ms: 50,
        bandwidth_bytes_per_s: Some(1_000_000),
        loss_ratio: 0.02,
        retransmit_delay_ms: 300,
    };
}

/// Whether a direction passes bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum LinkState {
    /// Bytes flow.
    Up,
    /// Bytes silently stop (a partition); they flow again after `heal`.
    Partitioned,
    /// Bytes queue visibly on the link until `release`.
    Held,
}

/// One direction of a link: its settings, state and transmission queue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Direction {
    /// Settings.
    pub config: LinkConfig,
    /// Up, partitioned or held.
    pub state: LinkState,
    /// The transmitter is busy until then (bandwidth).
    busy_until: Instant,
}

impl Direction {
    /// A direction that passes bytes with `config`.
    pub fn new(config: LinkConfig) -> Direction {
        Direction {
            config,
            state: LinkState::Up,
            busy_until: Instant::default(),
        }
    }
}

/// One end of a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Endpoint {
    /// A node's side, with the node's own number for the connection.
    Node { node: NodeId, conn: ConnId },
    /// A client's side.
    Client { client: ClientId },
}

impl Endpoint {
    /// The host this end is on.
    pub fn host(self) -> Host {
        match self {
            Endpoint::Node { node, .. } => Host::Node(node),
            Endpoint::Client { client } => Host::Client(client),
        }
    }
}

/// Bytes on their way, or the end of the stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// Offset of the first byte in the direction's stream.
    pub offset: u64,
    /// The bytes (empty for the end of stream).
    pub bytes: Vec<u8>,
    /// The sender closed the stream after these bytes.
    pub fin: bool,
    /// When it was sent.
    pub sent_at: Instant,
    /// When it arrives; None while held or partitioned.
    pub deliver_at: Option<Instant>,
}

/// One direction of a connection: an ordered stream of segments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stream {
    /// Bytes written so far.
    pub bytes_sent: u64,
    /// Bytes delivered so far.
    pub bytes_delivered: u64,
    /// Segments sent and not delivered, oldest first.
    pub in_flight: Deque<Segment>,
    /// The sender has closed this direction.
    pub finished: bool,
}

/// A TCP-like connection: `streams[0]` flows from `initiator` to `acceptor`, `streams[1]` back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    /// The end that connected.
    pub initiator: Endpoint,
    /// The end that accepted.
    pub acceptor: Endpoint,
    /// Both directions.
    pub streams: [Stream; 2],
}

impl Connection {
    /// Which stream `from` writes into, and the end that reads it.
    pub fn outbound(&self, from: Endpoint) -> Option<(usize, Endpoint)> {
        if from == self.initiator {
            Some((0, self.acceptor))
        } else if from == self.acceptor {
            Some((1, self.initiator))
        } else {
            None
        }
    }

    /// The end that reads stream `index`.
    pub fn reader(&self, index: usize) -> Endpoint {
        if index == 0 {
            self.acceptor
        } else {
            self.initiator
        }
    }

    /// The path stream `index` travels.
    pub fn path(&self, index: usize) -> Path {
        let (source, target) = if index == 0 {
            (self.initiator, self.acceptor)
        } else {
            (self.acceptor, self.initiator)
        };
        Path {
            source: source.host(),
            target: target.host(),
        }
    }
}

/// Every link and connection.
#[derive(Clone, Debug, Default)]
pub struct Network {
    /// Per-direction settings that differ from the default.
    directions: VecMap<Path, Direction>,
    /// The settings of links nobody configured.
    pub default_config: Option<LinkConfig>,
    /// Open connections.
    pub connections: VecMap<SocketId, Connection>,
    next_socket: u32,
}

/// Writes above this are cut into segments of at most this size (a TCP window's worth).
const SEGMENT_BYTES_MAX: usize = 64 * 1024;

impl Network {
    /// The direction `path`, created with the default settings if needed.
    pub fn direction_mut(&mut self, path: Path) -> &mut Direction {
        let config = self.default_config.unwrap_or(LinkConfig::LAN);
        self.directions
            .get_or_insert_with(path, || Direction::new(config))
    }

    /// The direction `path` as it is now (default settings if never configured).
    pub fn direction(&self, path: Path) -> Direction {
        self.directions
            .get(&path)
            .cloned()
            .unwrap_or_else(|| Direction::new(self.default_config.unwrap_or(LinkConfig::LAN)))
    }

    /// Every direction that was configured or used, in order.
    pub fn directions(&self) -> impl Iterator<Item = (&Path, &Direction)> {
        self.directions.iter()
    }

    /// Opens a connection between two ends; returns its id.
    pub fn open(&mut self, initiator: Endpoint, acceptor: Endpoint) -> SocketId {
        let socket = SocketId(self.next_socket);
        self.next_socket += 1;
        self.connections.insert(
            socket,
            Connection {
                initiator,
                acceptor,
                streams: Default::default(),
            },
        );
        socket
    }

    /// Queues `bytes` (and the end of stream if `fin`) from `from` on `socket`, cut into random
    /// segments; returns the arrival times to schedule, with the stream index.
    pub fn write(
        &mut self,
        socket: SocketId,
        from: Endpoint,
        bytes: &[u8],
        fin: bool,
        now: Instant,
        prng: &mut Prng,
    ) -> Vec<(usize, Instant)> {
        let Some(connection) = self.connections.get(&socket) else {
            return Vec::new();
        };
        let Some((index, _)) = connection.outbound(from) else {
            return Vec::new();
        };
        let path = connection.path(index);
        let pieces = cut_into_segments(bytes, prng);
        let piece_count = pieces.len();
        let mut scheduled = Vec::new();
        for (position, piece) in pieces.into_iter().enumerate() {
            let fin_here = fin && position + 1 == piece_count;
            let previous = self.connections[&socket].streams[index]
                .in_flight
                .back()
                .map(|segment| segment.deliver_at);
            let deliver_at = self.arrival_after(path, previous, piece.len(), now, prng);
            let Some(stream) = self
                .connections
                .get_mut(&socket)
                .map(|c| &mut c.streams[index])
            else {
                break;
            };
            let offset = stream.bytes_sent;
            stream.bytes_sent += piece.len() as u64;
            stream.finished |= fin_here;
            stream.in_flight.push_back(Segment {
                offset,
                bytes: piece,
                fin: fin_here,
                sent_at: now,
                deliver_at,
            });
            if let Some(at) = deliver_at {
                scheduled.push((index, at));
            }
        }
        scheduled
    }

    /// When a segment of `length` bytes, sent now behind a segment arriving at `previous`
    /// (`Some(None)`: waiting), arrives on `path`: None while it cannot move.
    fn arrival_after(
        &mut self,
        path: Path,
        previous: Option<Option<Instant>>,
        length: usize,
        now: Instant,
        prng: &mut Prng,
    ) -> Option<Instant> {
        // Behind a segment that is itself waiting, this one waits too: order is kept.
        let previous = match previous {
            Some(None) => return None,
            Some(Some(at)) => Some(at),
            None => None,
        };
        let arrival = self.transmit(path, length, now, prng)?;
        Some(previous.map_or(arrival, |previous| previous.max(arrival)))
    }

    /// Puts `length` bytes on `path` now: transmission behind earlier writes at the link's
    /// bandwidth, then latency, jitter and perhaps one retransmission. None if the direction
    /// does not pass bytes.
    fn transmit(
        &mut self,
        path: Path,
        length: usize,
        now: Instant,
        prng: &mut Prng,
    ) -> Option<Instant> {
        let direction = self.direction_mut(path);
        if direction.state != LinkState::Up {
            return None;
        }
        let config = direction.config;
        // In microseconds: counted in whole milliseconds, every segment held the link for at
        // least 1 ms, so no link carried more than 1 000 segments a second whatever its
        // bandwidth (a 2 000-writes-per-second stream fell further behind every second).
        let transmission_us = config
            .bandwidth_bytes_per_s
            .filter(|&rate| rate > 0)
            .map_or(0, |rate| {
                (length as u64).saturating_mul(1_000_000).div_ceil(rate)
            });
        let start = direction.busy_until.max(now);
        direction.busy_until =
            Instant::from_micros(start.as_micros().saturating_add(transmission_us));
        let mut delay_ms = config.latency_ms;
        if config.jitter_ms > 0 {
            delay_ms += prng.below(config.jitter_ms + 1);
        }
        if config.loss_ratio > 0.0 && prng.next_f64() < config.loss_ratio {
            delay_ms += config.retransmit_delay_ms;
        }
        Some(direction.busy_until.add_millis(delay_ms))
    }

    /// Gives arrival times to waiting segments on `path` once it passes bytes again (heal,
    /// release), as if they were sent now, in order; returns what to schedule.
    pub fn resume(
        &mut self,
        path: Path,
        now: Instant,
        prng: &mut Prng,
    ) -> Vec<(SocketId, usize, Instant)> {
        let mut scheduled = Vec::new();
        for (socket, index) in self.streams_on(path) {
            for position in 0..self.connections[&socket].streams[index].in_flight.len() {
                let in_flight = &self.connections[&socket].streams[index].in_flight;
                if in_flight[position].deliver_at.is_some() {
                    continue;
                }
                let previous = position.checked_sub(1).map(|p| in_flight[p].deliver_at);
                let length = in_flight[position].bytes.len();
                let Some(at) = self.arrival_after(path, previous, length, now, prng) else {
                    break;
                };
                if let Some(connection) = self.connections.get_mut(&socket) {
                    connection.streams[index].in_flight[position].deliver_at = Some(at);
                }
                scheduled.push((socket, index, at));
            }
        }
        scheduled
    }

    /// Takes the next segment of stream `index` if it is due at `now`.
    pub fn take_due(
        &mut self,
        socket: SocketId,
        index: usize,
        now: Instant,
    ) -> Option<(Endpoint, Segment)> {
        let connection = self.connections.get_mut(&socket)?;
        let front = connection.streams[index].in_flight.front()?;
        if front.deliver_at.is_none_or(|at| at > now) {
            return None;
        }
        let segment = connection.streams[index].in_flight.pop_front()?;
        connection.streams[index].bytes_delivered += segment.bytes.len() as u64;
        Some((connection.reader(index), segment))
    }

    /// The streams that travel `path`, as (connection, stream index), in connection order.
    pub fn streams_on(&self, path: Path) -> Vec<(SocketId, usize)> {
        let mut streams = Vec::new();
        for (&socket, connection) in &self.connections {
            for index in 0..2 {
                if connection.path(index) == path {
                    streams.push((socket, index));
                }
            }
        }
        streams
    }

    /// Bytes in flight on `path`, over all connections.
    pub fn in_flight_bytes(&self, path: Path) -> u64 {
        let mut bytes = 0;
        for (socket, index) in self.streams_on(path) {
            let stream = &self.connections[&socket].streams[index];
            bytes += stream.bytes_sent - stream.bytes_delivered;
        }
        bytes
    }
}

/// Cuts a write into segments: small writes into one to three pieces of random sizes, large ones
/// into random pieces of up to [`SEGMENT_BYTES_MAX`]. Always at least one segment (a bare FIN
/// is an empty one).
fn cut_into_segments(bytes: &[u8], prng: &mut Prng) -> Vec<Vec<u8>> {
    if bytes.is_empty() {
        return vec![Vec::new()];
    }
    let mut pieces = Vec::new();
    let mut rest = bytes;
    let small = bytes.len() <= 256;
    while !rest.is_empty() {
        let size_max = if small {
            rest.len()
        } else {
            rest.len().min(SEGMENT_BYTES_MAX)
        };
        let size = if small && pieces.len() < 2 {
            prng.below(size_max as u64) as usize + 1
        } else if small {
            rest.len()
        } else {
            (prng.below(size_max as u64) as usize + 1).max(size_max.min(1460))
        };
        let (piece, remaining) = rest.split_at(size);
        pieces.push(piece.to_vec());
        rest = remaining;
    }
    pieces
}
