//! The trace: everything that happened in a simulation, bounded, queryable, exportable as JSON.

use crate::engine::deque::Deque;
use std::hash::{Hash, Hasher};

use serde::Serialize;

use super::network::{Endpoint, Host, Path, SocketId};
use super::NodeId;
use crate::engine::log::LogLine;
use crate::engine::resp::push_hex;
use crate::engine::Instant;

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TraceKind {
    /// A connection was opened.
    Opened {
        socket: SocketId,
        initiator: Endpoint,
        acceptor: Endpoint,
    },
    /// A connection failed to open (refused, unreachable, unknown host): `to` is the node whose
    /// machine has the `address` dialled, if any.
    ConnectFailed {
        from: Host,
        to: Option<NodeId>,
        address: String,
        reason: String,
    },
    /// Bytes were written on a connection.
    Sent {
        socket: SocketId,
        path: Path,
        offset: u64,
        bytes: u64,
        summary: String,
    },
    /// Bytes arrived.
    Delivered {
        socket: SocketId,
        path: Path,
        offset: u64,
        bytes: u64,
        summary: String,
    },
    /// One end closed the connection, or it broke.
    Closed { socket: SocketId, reason: String },
    /// A node's execution unit left its propagation point.
    Propagated { node: NodeId, commands: Vec<String> },
    /// A fault was applied or healed.
    Fault { description: String },
    /// A node was added, crashed, restarted or removed.
    NodeStatus { node: NodeId, status: String },
    /// A line of a node's log.
    Log { node: NodeId, line: LogLine },
    /// A node's replication role or its link to its master changed: `role` is `master` or
    /// `replica of <host>:<port>`, `link` the link's state in ROLE's words (`connect`,
    /// `connecting`, `handshake`, `sync`, `connected`), None for a master.
    Replication {
        node: NodeId,
        role: String,
        link: Option<String>,
    },
}

/// One trace entry.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct TraceEvent {
    /// Position in the whole run (entries dropped from the front keep their numbers).
    pub sequence: u64,
    /// Virtual time, in milliseconds since the Unix epoch.
    pub at_ms: u64,
    /// What happened.
    #[serde(flatten)]
    pub kind: TraceKind,
}

impl TraceEvent {
    /// Whether the event concerns `node`.
    pub fn involves_node(&self, node: NodeId) -> bool {
        let host = Host::Node(node);
        match &self.kind {
            TraceKind::Opened {
                initiator,
                acceptor,
                ..
            } => initiator.host() == host || acceptor.host() == host,
            TraceKind::ConnectFailed { from, to, .. } => *from == host || *to == Some(node),
            TraceKind::Sent { path, .. } | TraceKind::Delivered { path, .. } => {
                path.source == host || path.target == host
            }
            TraceKind::Propagated { node: n, .. }
            | TraceKind::NodeStatus { node: n, .. }
            | TraceKind::Log { node: n, .. }
            | TraceKind::Replication { node: n, .. } => *n == node,
            TraceKind::Closed { .. } | TraceKind::Fault { .. } => false,
        }
    }

    /// The path the event travelled, for byte events.
    pub fn path(&self) -> Option<Path> {
        match &self.kind {
            TraceKind::Sent { path, .. } | TraceKind::Delivered { path, .. } => Some(*path),
            _ => None,
        }
    }
}

/// Which events a query wants; `None` fields match everything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TraceQuery {
    /// Only events involving this node.
    pub node: Option<NodeId>,
    /// Only byte events on this path.
    pub path: Option<Path>,
    /// Only events at or after this time.
    pub since: Option<Instant>,
    /// Only events at or before this time.
    pub until: Option<Instant>,
}

/// The most recent `capacity` events.
#[derive(Clone, Debug)]
pub struct Trace {
    events: Deque<TraceEvent>,
    capacity: usize,
    next_sequence: u64,
    /// A hash chained over every event ever recorded (not only the retained ones): the run's
    /// fingerprint.
    hash: u64,
}

impl Trace {
    /// An empty trace keeping at most `capacity` events.
    pub fn new(capacity: usize) -> Trace {
        Trace {
            events: Deque::new(),
            capacity: capacity.max(1),
            next_sequence: 0,
            hash: 0xcbf2_9ce4_8422_2325,
        }
    }

    /// Records an event at `at`.
    pub fn record(&mut self, at: Instant, kind: TraceKind) {
        let event = TraceEvent {
            sequence: self.next_sequence,
            at_ms: at.as_millis(),
            kind,
        };
        self.next_sequence += 1;
        let mut hasher = PortableFnv(self.hash);
        event.hash(&mut hasher);
        self.hash = hasher.finish();
        if self.events.len() == self.capacity {
            self.events.pop_front();
        }
        self.events.push_back(event);
    }

    /// The fingerprint of everything recorded so far: equal runs have equal hashes.
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// Events recorded so far, including those no longer retained.
    pub fn recorded(&self) -> u64 {
        self.next_sequence
    }

    /// The retained events, oldest first.
    pub fn events(&self) -> impl DoubleEndedIterator<Item = &TraceEvent> + ExactSizeIterator {
        self.events.iter()
    }

    /// The retained events matching `query`, oldest first.
    pub fn query(&self, query: TraceQuery) -> Vec<&TraceEvent> {
        self.events
            .iter()
            .filter(|event| query.node.is_none_or(|node| event.involves_node(node)))
            .filter(|event| query.path.is_none_or(|path| event.path() == Some(path)))
            .filter(|event| {
                query
                    .since
                    .is_none_or(|since| event.at_ms >= since.as_millis())
            })
            .filter(|event| {
                query
                    .until
                    .is_none_or(|until| event.at_ms <= until.as_millis())
            })
            .collect()
    }

    /// The retained events as a JSON array.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&*self.events).unwrap_or_else(|_| "[]".to_string())
    }
}

/// FNV-1a as a [`Hasher`] whose output is the same on every platform: integers are fed as
/// little-endian bytes and `usize` (lengths) as 64 bits, so wasm32 and x86_64 agree.
struct PortableFnv(u64);

impl Hasher for PortableFnv {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write(&[n]);
    }

    fn write_u16(&mut self, n: u16) {
        self.write(&n.to_le_bytes());
    }

    fn write_u32(&mut self, n: u32) {
        self.write(&n.to_le_bytes());
    }

    fn write_u64(&mut self, n: u64) {
        self.write(&n.to_le_bytes());
    }

    fn write_usize(&mut self, n: usize) {
        self.write(&(n as u64).to_le_bytes());
    }

    fn write_isize(&mut self, n: isize) {
        self.write(&(n as i64).to_le_bytes());
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A short readable form of RESP bytes for the trace: printable ASCII kept, CR LF as `\r\n`,
/// other bytes as `\xHH`, cut at 80 characters.
pub fn summarize(bytes: &[u8]) -> String {
    const SUMMARY_CHARS_MAX: usize = 80;
    let mut summary = String::new();
    for &byte in bytes {
        if summary.len() >= SUMMARY_CHARS_MAX {
            summary.push('…');
            break;
        }
        match byte {
            b'\r' => summary.push_str("\\r"),
            b'\n' => summary.push_str("\\n"),
            0x20..=0x7e => summary.push(char::from(byte)),
            other => {
                summary.push_str("\\x");
                push_hex(other, &mut summary);
            }
        }
    }
    summary
}
