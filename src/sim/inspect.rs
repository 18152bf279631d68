//! Replication seen from outside the nodes: for every node of a simulation, the numbers the
//! page's replication panels draw (role, ids, offsets, the master link and a full sync's
//! progress, the backlog ring, what each replica acknowledged, the PSYNC decisions, `INFO
//! replication` and `ROLE`, and the replica's applied stream), all read from the engine's real
//! state, never estimated. Plain data: cheap to build every frame, to clone and to compare.
//!
//! - [`ReplView::of`]: the whole view.
//! - [`backlog_detail`]: the bytes stored in a stretch of one node's backlog ring, and the
//!   commands they belong to (decoded with the engine's own request decoder).

use crate::cli::{format_replica_command, format_reply};
use crate::engine::replication::backlog::Backlog;
use crate::engine::replication::{short_id, LinkState, PsyncOutcome, StreamEntry};
use crate::engine::resp::{RequestDecoder, RequestLimits};
use crate::engine::{Instant, Node};

use super::{NodeId, Sim, NODE_PORT};

/// Rows of a replica's stream pane kept in the view (the newest).
pub const STREAM_ROWS_MAX: usize = 40;
/// PSYNC decisions kept per node in the view (the newest).
pub const DECISIONS_MAX: usize = 8;

/// Every node's replication state, in node order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplView {
    /// One entry per node, crashed ones included.
    pub nodes: Vec<NodeRepl>,
}

/// One node's replication state.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeRepl {
    /// The node.
    pub id: NodeId,
    /// Whether its process runs (a crashed node has nothing else).
    pub up: bool,
    /// `master_replid`.
    pub replid: String,
    /// `master_replid2`.
    pub replid2: String,
    /// `second_repl_offset`.
    pub second_replid_offset: i64,
    /// `master_repl_offset`.
    pub offset: u64,
    /// The master it follows, if it is a replica.
    pub master: Option<MasterLinkView>,
    /// The backlog, if it has one.
    pub backlog: Option<BacklogView>,
    /// `repl-backlog-size` as configured.
    pub backlog_size_config: i64,
    /// The smallest `repl-backlog-size` CONFIG SET accepts on this node.
    pub backlog_size_min: i64,
    /// The connections that are (or are becoming) its replicas, in attach order.
    pub replicas: Vec<ReplicaView>,
    /// Its latest PSYNC answers, oldest first.
    pub decisions: Vec<DecisionView>,
    /// `INFO replication`, as the node would answer it now.
    pub info: String,
    /// `ROLE`, as redis-cli prints the node's answer.
    pub role_text: String,
    /// What it did with its master's stream lately, oldest first (a replica's `--replica` pane).
    pub stream: Vec<StreamRow>,
    /// `master_failover_state`.
    pub failover: &'static str,
}

impl NodeRepl {
    /// Whether it follows a master.
    pub fn is_replica(&self) -> bool {
        self.master.is_some()
    }

    /// The first 8 characters of `master_replid`.
    pub fn short_replid(&self) -> &str {
        short_id(&self.replid)
    }
}

/// A replica's link to its master.
#[derive(Clone, Debug, PartialEq)]
pub struct MasterLinkView {
    /// `master_host`.
    pub host: String,
    /// `master_port`.
    pub port: u16,
    /// The simulated node at that address, if any.
    pub node: Option<NodeId>,
    /// ROLE's word for the link's state: `connect`, `connecting`, `handshake`, `sync`,
    /// `connected`.
    pub state: &'static str,
    /// Whether the link streams.
    pub connected: bool,
    /// A full sync's payload being received.
    pub transfer: Option<TransferView>,
}

/// A full sync's payload as the replica receives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransferView {
    /// Bytes received so far.
    pub received: u64,
    /// The payload's size (`$<len>`); None for a diskless transfer (`$EOF:`), whose size is
    /// known only at its end mark, or before the header arrived.
    pub total: Option<u64>,
    /// Whether the header said diskless.
    pub diskless: bool,
}

/// The backlog ring's numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BacklogView {
    /// The ring's size in bytes.
    pub size: u64,
    /// `repl_backlog_first_byte_offset`.
    pub first: u64,
    /// The newest byte's offset (`master_repl_offset`).
    pub end: u64,
    /// `repl_backlog_histlen`.
    pub histlen: u64,
    /// Where the next byte goes, as a ring position.
    pub head: u64,
    /// How many times the write head went round.
    pub wraps: u64,
}

impl BacklogView {
    fn of(backlog: &Backlog) -> BacklogView {
        BacklogView {
            size: backlog.size_bytes() as u64,
            first: backlog.first_byte_offset(),
            end: backlog.end_offset(),
            histlen: backlog.histlen() as u64,
            head: backlog.head() as u64,
            wraps: backlog.wraps(),
        }
    }

    /// The ring position just after the byte at `offset` (where a replica that has everything
    /// up to `offset` stands), if that point is inside the window or at its start.
    pub fn position_after(&self, offset: u64) -> Option<u64> {
        let behind = self.end.checked_sub(offset)?;
        if behind > self.histlen || self.size == 0 {
            return None;
        }
        Some((self.head + self.size - behind % self.size) % self.size)
    }

    /// The ring position of the byte at `offset`, if the ring holds it.
    pub fn position_of(&self, offset: u64) -> Option<u64> {
        if offset < self.first || offset > self.end || self.histlen == 0 {
            return None;
        }
        let behind = self.end - offset;
        Some((self.head + self.size - 1 - behind % self.size) % self.size)
    }
}

/// A replica as its master sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaView {
    /// The simulated node it is, if known from its address.
    pub node: Option<NodeId>,
    /// Its address as INFO shows it (`ip:listening-port`).
    pub addr: String,
    /// INFO's `state=` (`wait_bgsave`, `online`), or `handshake` before SYNC/PSYNC.
    pub state: &'static str,
    /// The highest offset it acknowledged.
    pub ack_offset: u64,
    /// Stream bytes the master holds for it (during a full sync).
    pub held_bytes: u64,
}

/// A PSYNC answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionView {
    /// When, in virtual milliseconds.
    pub at_ms: u64,
    /// The replica's address, as it announced it.
    pub replica: String,
    /// The simulated node that replica is, if known.
    pub replica_node: Option<NodeId>,
    /// Whether the answer was `+FULLRESYNC` (else `+CONTINUE`).
    pub full: bool,
    /// The decision in plain words ([`PsyncDecision::explain`](crate::engine::replication::PsyncDecision::explain)).
    pub text: String,
}

/// One row of a replica's stream pane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamRow {
    /// When it arrived, in virtual milliseconds.
    pub at_ms: u64,
    /// What it was.
    pub kind: StreamRowKind,
    /// Its length in stream bytes (0 for the sync markers).
    pub bytes: u64,
    /// The replica's offset after it.
    pub offset: u64,
}

/// What a stream row shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamRowKind {
    /// A full sync loaded a snapshot of this many bytes.
    FullSync { rdb_bytes: u64 },
    /// A partial resync continued the stream.
    Continue,
    /// A command, as `redis-cli --replica` prints it (`"set","k","v"`).
    Command(String),
}

/// The simulated node listening at `host`:`port`, if any.
pub fn node_at(host: &str, port: u16) -> Option<NodeId> {
    let rest = host.strip_prefix("10.0.0.")?;
    let id: u8 = rest.parse().ok()?;
    (port == NODE_PORT && id > 0).then_some(NodeId(id))
}

/// The simulated node at `addr` (`ip` or `ip:port`, any port: a replica's outbound connection
/// starts from an ephemeral port of its machine).
pub fn node_of_addr(addr: &str) -> Option<NodeId> {
    let ip = addr.rsplit_once(':').map_or(addr, |(ip, _)| ip);
    node_at(ip, NODE_PORT)
}

impl ReplView {
    /// The view of every node of `sim` now.
    pub fn of(sim: &Sim) -> ReplView {
        let now = sim.now();
        let nodes = sim
            .nodes()
            .map(|(id, sim_node)| match &sim_node.node {
                Some(node) => node_repl(id, node, now),
                None => NodeRepl {
                    id,
                    up: false,
                    replid: String::new(),
                    replid2: String::new(),
                    second_replid_offset: -1,
                    offset: 0,
                    master: None,
                    backlog: None,
                    backlog_size_config: sim_node.config.repl_backlog_size_bytes,
                    backlog_size_min: sim_node.config.repl_backlog_size_min_bytes,
                    replicas: Vec::new(),
                    decisions: Vec::new(),
                    info: String::new(),
                    role_text: String::new(),
                    stream: Vec::new(),
                    failover: "no-failover",
                },
            })
            .collect();
        ReplView { nodes }
    }

    /// One node's entry.
    pub fn node(&self, id: NodeId) -> Option<&NodeRepl> {
        self.nodes.iter().find(|node| node.id == id)
    }

    /// How many bytes `replica` is behind its master (the master's `master_repl_offset` minus
    /// the replica's), when both are up and the master is a simulated node.
    pub fn lag(&self, replica: NodeId) -> Option<u64> {
        let node = self.node(replica).filter(|node| node.up)?;
        let master = self.node(node.master.as_ref()?.node?).filter(|m| m.up)?;
        Some(master.offset.saturating_sub(node.offset))
    }
}

/// Every replica whose master is an up node of `sim`, with how many bytes it is behind it (the
/// master's `master_repl_offset` minus its own): [`ReplView::lag`] without building the view.
pub fn lags(sim: &Sim) -> Vec<(NodeId, u64)> {
    sim.nodes()
        .filter_map(|(id, sim_node)| {
            let repl = &sim_node.node.as_ref()?.state().repl;
            let link = repl.master.as_ref()?;
            let master = sim.node(node_at(&link.host, link.port)?)?;
            let ahead = master.state().repl.master_repl_offset;
            Some((id, ahead.saturating_sub(repl.master_repl_offset)))
        })
        .collect()
}

fn node_repl(id: NodeId, node: &Node, now: Instant) -> NodeRepl {
    let state = node.state();
    let repl = &state.repl;
    let master = repl.master.as_ref().map(|link| {
        let transfer = (link.state == LinkState::Transfer).then(|| {
            let header = link.transfer.header.as_ref();
            let total = match header {
                Some(crate::engine::rdb::TransferHeader::Disk { len }) => Some(*len),
                _ => None,
            };
            TransferView {
                received: link.transfer.payload.len() as u64,
                total,
                diskless: matches!(
                    header,
                    Some(crate::engine::rdb::TransferHeader::Diskless { .. })
                ),
            }
        });
        MasterLinkView {
            host: link.host.clone(),
            port: link.port,
            node: node_at(&link.host, link.port),
            state: link.state.role_name(),
            connected: link.state == LinkState::Connected,
            transfer,
        }
    });
    let replicas = node
        .replica_links()
        .map(|(_, peer, link)| {
            let ip = link.announced_ip.clone().unwrap_or_else(|| {
                peer.addr
                    .rsplit_once(':')
                    .map_or(peer.addr.clone(), |(ip, _)| ip.to_string())
            });
            ReplicaView {
                node: node_of_addr(&ip),
                addr: format!("{ip}:{}", link.listening_port),
                state: link.info_state().unwrap_or("handshake"),
                ack_offset: link.ack_offset,
                held_bytes: link.held.len() as u64,
            }
        })
        .collect();
    let skip = repl.decisions.len().saturating_sub(DECISIONS_MAX);
    let decisions = repl
        .decisions
        .iter()
        .skip(skip)
        .map(|decision| DecisionView {
            at_ms: decision.at_ms,
            replica: decision.replica.clone(),
            replica_node: node_of_addr(&decision.replica),
            full: matches!(decision.outcome, PsyncOutcome::FullResync { .. }),
            text: decision.explain(),
        })
        .collect();
    NodeRepl {
        id,
        up: true,
        replid: repl.replid.clone(),
        replid2: repl.replid2.clone(),
        second_replid_offset: repl.second_replid_offset,
        offset: repl.master_repl_offset,
        master,
        backlog: repl.backlog.as_ref().map(BacklogView::of),
        backlog_size_config: state.config.repl_backlog_size_bytes,
        backlog_size_min: state.config.repl_backlog_size_min_bytes,
        replicas,
        decisions,
        info: node.info_replication(now),
        role_text: format_reply(&node.role()),
        stream: stream_rows(repl.stream_log.entries()),
        failover: repl.failover.info_name(),
    }
}

/// The stream log as rows: each applied chunk split into its commands, the newest
/// [`STREAM_ROWS_MAX`] kept.
fn stream_rows<'a>(entries: impl DoubleEndedIterator<Item = &'a StreamEntry>) -> Vec<StreamRow> {
    let mut rows: Vec<StreamRow> = Vec::new();
    // Newest first, stopping once enough rows are known.
    for entry in entries.rev() {
        if rows.len() >= STREAM_ROWS_MAX {
            break;
        }
        match entry {
            StreamEntry::FullSync {
                at,
                offset,
                rdb_bytes,
            } => rows.push(StreamRow {
                at_ms: at.as_millis(),
                kind: StreamRowKind::FullSync {
                    rdb_bytes: *rdb_bytes,
                },
                bytes: 0,
                offset: *offset,
            }),
            StreamEntry::Continue { at, offset } => rows.push(StreamRow {
                at_ms: at.as_millis(),
                kind: StreamRowKind::Continue,
                bytes: 0,
                offset: *offset,
            }),
            StreamEntry::Applied {
                at,
                end_offset,
                bytes,
            } => {
                let start = end_offset - bytes.len() as u64;
                let commands = decode_commands(bytes, start + 1);
                for command in commands.into_iter().rev() {
                    rows.push(StreamRow {
                        at_ms: at.as_millis(),
                        offset: command.first_offset + command.bytes - 1,
                        bytes: command.bytes,
                        kind: StreamRowKind::Command(command.text),
                    });
                }
            }
        }
    }
    rows.truncate(STREAM_ROWS_MAX);
    rows.reverse();
    rows
}

/// A command found in stream bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedCommand {
    /// The offset of its first byte.
    pub first_offset: u64,
    /// Its length on the wire.
    pub bytes: u64,
    /// As `redis-cli --replica` prints it.
    pub text: String,
}

/// The whole commands in `bytes`, whose first byte has offset `first_offset`, decoded with the
/// engine's request decoder as a replica would; a trailing incomplete command is left out.
pub fn decode_commands(bytes: &[u8], first_offset: u64) -> Vec<DecodedCommand> {
    let mut decoder = RequestDecoder::new();
    decoder.push(bytes);
    let limits = RequestLimits {
        bulk_bytes_max: i64::MAX,
        auth_required: false,
        from_master: true,
    };
    let mut commands = Vec::new();
    let mut offset = first_offset;
    while let Ok(Some(request)) = decoder.next_request(limits) {
        commands.push(DecodedCommand {
            first_offset: offset,
            bytes: request.wire_bytes as u64,
            text: format_replica_command(&request.args),
        });
        offset += request.wire_bytes as u64;
    }
    commands
}

/// Candidate command starts tried when looking for the first whole command in a window that
/// may begin in the middle of one.
const BOUNDARY_CANDIDATES_MAX: usize = 256;

/// The offset (within `bytes`) where whole commands start and run exactly to the end, if any:
/// a backlog window that wrapped starts in the middle of a command.
fn first_boundary(bytes: &[u8]) -> Option<usize> {
    let limits = RequestLimits {
        bulk_bytes_max: i64::MAX,
        auth_required: false,
        from_master: true,
    };
    bytes
        .iter()
        .enumerate()
        .filter(|(_, byte)| **byte == b'*')
        .take(BOUNDARY_CANDIDATES_MAX)
        .map(|(index, _)| index)
        .find(|&start| {
            let mut decoder = RequestDecoder::new();
            decoder.push(&bytes[start..]);
            let mut consumed = start;
            loop {
                match decoder.next_request(limits) {
                    Ok(Some(request)) => consumed += request.wire_bytes,
                    Ok(None) => return consumed == bytes.len(),
                    Err(_) => return false,
                }
            }
        })
}

/// A stretch of one node's backlog ring: the bytes it holds and the commands they belong to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BacklogDetail {
    /// The ring positions asked for, `from..to`.
    pub positions: (u64, u64),
    /// The valid bytes in those positions as runs of consecutive offsets: (first offset, bytes).
    /// Two runs when the write head is inside the stretch (newest bytes, then the oldest).
    pub runs: Vec<(u64, Vec<u8>)>,
    /// The whole commands that have at least one byte in the stretch, oldest first.
    pub commands: Vec<DecodedCommand>,
    /// Bytes in the stretch before the window's first whole command (the tail of a command
    /// whose start was overwritten).
    pub orphan_bytes: u64,
}

/// The bytes stored at ring positions `from..to` of `node`'s backlog ([`Backlog::byte_at`]),
/// and the commands they belong to; None if the node has no backlog.
pub fn backlog_detail(sim: &Sim, node: NodeId, from: u64, to: u64) -> Option<BacklogDetail> {
    let backlog = sim.node(node)?.state().repl.backlog.as_ref()?;
    let to = to.min(backlog.size_bytes() as u64);
    let mut runs: Vec<(u64, Vec<u8>)> = Vec::new();
    for position in from..to {
        let Some((offset, byte)) = backlog.byte_at(position as usize) else {
            continue;
        };
        match runs.last_mut() {
            Some((first, bytes)) if *first + bytes.len() as u64 == offset => bytes.push(byte),
            _ => runs.push((offset, vec![byte])),
        }
    }
    let mut commands = Vec::new();
    let mut orphan_bytes = 0;
    if !runs.is_empty() {
        let window_first = backlog.first_byte_offset();
        let window = backlog.copy_from(window_first).unwrap_or_default();
        let boundary = first_boundary(&window);
        let commands_first = boundary.map(|start| window_first + start as u64);
        for (first, bytes) in &runs {
            let last = first + bytes.len() as u64 - 1;
            if let Some(start) = commands_first {
                orphan_bytes += start.saturating_sub(*first).min(bytes.len() as u64);
            } else {
                orphan_bytes += bytes.len() as u64;
            }
            if let Some(start) = boundary {
                for command in decode_commands(&window[start..], window_first + start as u64) {
                    let command_last = command.first_offset + command.bytes - 1;
                    if command_last >= *first && command.first_offset <= last {
                        commands.push(command);
                    }
                }
            }
        }
        crate::engine::sort::sort_by_key(&mut commands, |command| command.first_offset);
        commands.dedup();
    }
    Some(BacklogDetail {
        positions: (from, to),
        runs,
        commands,
        orphan_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Config;
    use crate::sim::{ClientId, Fault, Host, SimConfig};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Three nodes, 2 and 3 replicas of 1, a 1 KB backlog and no diskless delay; the clients
    /// are consoles 1..=3.
    fn replicated() -> (Sim, [ClientId; 3]) {
        let mut sim = Sim::new(SimConfig {
            seed: 3,
            node_config: Config {
                repl_backlog_size_bytes: 1024,
                repl_backlog_size_min_bytes: 64,
                repl_diskless_sync_delay_secs: 0,
                ..SimConfig::default().node_config
            },
            ..SimConfig::default()
        });
        let clients = [1, 2, 3].map(|node| sim.add_client(NodeId(node)).unwrap());
        for client in &clients[1..] {
            send(&mut sim, *client, "REPLICAOF 10.0.0.1 6379");
        }
        let until = sim.now().add_millis(3000);
        sim.run_until(until);
        (sim, clients)
    }

    fn send(sim: &mut Sim, client: ClientId, line: &str) {
        let args: Vec<Vec<u8>> = line.split(' ').map(|w| w.as_bytes().to_vec()).collect();
        sim.client_send(client, &args).unwrap();
        let until = sim.now().add_millis(50);
        sim.run_until(until);
    }

    #[test]
    fn replicas_and_their_master_are_seen_as_the_engine_has_them() {
        let (mut sim, clients) = replicated();
        send(&mut sim, clients[0], "SET k v");
        let view = ReplView::of(&sim);
        let master = view.node(NodeId(1)).unwrap();
        assert!(!master.is_replica());
        assert_eq!(master.replicas.len(), 2);
        assert_eq!(
            master.replicas.iter().map(|r| r.node).collect::<Vec<_>>(),
            [Some(NodeId(2)), Some(NodeId(3))]
        );
        assert!(master.replicas.iter().all(|r| r.state == "online"));
        let backlog = master.backlog.unwrap();
        assert_eq!(backlog.size, 1024);
        assert_eq!(backlog.end, master.offset);
        assert!(master
            .info
            .starts_with("# Replication\r\nrole:master\r\nconnected_slaves:2\r\n"));
        assert!(master.role_text.starts_with("1) \"master\"\n"));
        let replica = view.node(NodeId(2)).unwrap();
        let link = replica.master.as_ref().unwrap();
        assert_eq!((link.node, link.state), (Some(NodeId(1)), "connected"));
        assert_eq!(replica.replid, master.replid);
        assert_eq!(replica.offset, master.offset);
        assert_eq!(view.lag(NodeId(2)), Some(0));
        assert_eq!(master.decisions.len(), 2);
        assert!(master.decisions.iter().all(|d| d.full));
        // The stream pane: the full sync, then SELECT and SET with their lengths and offsets.
        let kinds: Vec<&StreamRowKind> = replica.stream.iter().map(|row| &row.kind).collect();
        assert!(
            matches!(kinds[0], StreamRowKind::FullSync { .. }),
            "{kinds:?}"
        );
        let set = replica.stream.last().unwrap();
        assert_eq!(
            set.kind,
            StreamRowKind::Command("\"SET\",\"k\",\"v\"".into())
        );
        assert_eq!(set.bytes, 27);
        assert_eq!(set.offset, replica.offset);
        let select = &replica.stream[replica.stream.len() - 2];
        assert_eq!(
            select.kind,
            StreamRowKind::Command("\"SELECT\",\"0\"".into())
        );
        assert_eq!(select.offset + 27, set.offset);
    }

    /// The PSYNC decision `node` made last.
    fn last_decision(view: &ReplView, node: NodeId) -> DecisionView {
        view.node(node)
            .and_then(|node| node.decisions.last())
            .cloned()
            .expect("a decision was made")
    }

    #[test]
    fn a_severed_replica_that_comes_back_within_the_backlog_continues() {
        let (mut sim, clients) = replicated();
        sim.apply_fault(Fault::Partition(
            Host::Node(NodeId(1)),
            Host::Node(NodeId(2)),
        ));
        send(&mut sim, clients[0], "SET a 1");
        sim.apply_fault(Fault::Sever(Host::Node(NodeId(1)), Host::Node(NodeId(2))));
        sim.apply_fault(Fault::Heal(Host::Node(NodeId(1)), Host::Node(NodeId(2))));
        let until = sim.now().add_millis(3000);
        sim.run_until(until);
        let view = ReplView::of(&sim);
        let decision = last_decision(&view, NodeId(1));
        assert!(!decision.full, "{}", decision.text);
        assert_eq!(decision.replica_node, Some(NodeId(2)));
        assert!(decision.text.contains("+CONTINUE"), "{}", decision.text);
        let replica = view.node(NodeId(2)).unwrap();
        assert!(replica
            .stream
            .iter()
            .any(|row| row.kind == StreamRowKind::Continue));
        assert_eq!(view.lag(NodeId(2)), Some(0));
    }

    #[test]
    fn writes_past_the_backlog_force_a_full_resync() {
        let (mut sim, clients) = replicated();
        sim.apply_fault(Fault::Partition(
            Host::Node(NodeId(1)),
            Host::Node(NodeId(3)),
        ));
        for n in 0..60 {
            send(&mut sim, clients[0], &format!("SET key{n} value{n}"));
        }
        let view = ReplView::of(&sim);
        let backlog = view.node(NodeId(1)).unwrap().backlog.unwrap();
        assert!(backlog.wraps >= 1);
        assert_eq!(backlog.histlen, 1024);
        assert!(view.lag(NodeId(3)).unwrap() > 1024);
        sim.apply_fault(Fault::Sever(Host::Node(NodeId(1)), Host::Node(NodeId(3))));
        sim.apply_fault(Fault::Heal(Host::Node(NodeId(1)), Host::Node(NodeId(3))));
        let until = sim.now().add_millis(3000);
        sim.run_until(until);
        let view = ReplView::of(&sim);
        let decision = last_decision(&view, NodeId(1));
        assert!(decision.full);
        assert!(decision.text.contains("overwritten"), "{}", decision.text);
        assert_eq!(view.lag(NodeId(3)), Some(0));
    }

    #[test]
    fn a_replica_restarted_with_its_disk_continues_and_without_it_syncs_in_full() {
        let (mut sim, clients) = replicated();
        send(&mut sim, clients[0], "SET a 1");
        sim.apply_fault(Fault::Crash(NodeId(2)));
        send(&mut sim, clients[0], "SET b 2");
        sim.apply_fault(Fault::Restart(NodeId(2)));
        let until = sim.now().add_millis(3000);
        sim.run_until(until);
        let view = ReplView::of(&sim);
        let decision = last_decision(&view, NodeId(1));
        assert_eq!(decision.replica_node, Some(NodeId(2)));
        assert!(!decision.full, "{}", decision.text);
        assert_eq!(view.lag(NodeId(2)), Some(0));
        sim.apply_fault(Fault::Crash(NodeId(2)));
        sim.apply_fault(Fault::RestartWithoutDisk(NodeId(2)));
        let until = sim.now().add_millis(3000);
        sim.run_until(until);
        let view = ReplView::of(&sim);
        assert!(
            view.node(NodeId(2)).unwrap().master.is_some(),
            "still a replica"
        );
        let decision = view
            .node(NodeId(1))
            .unwrap()
            .decisions
            .last()
            .unwrap()
            .clone();
        assert!(decision.full, "{}", decision.text);
    }

    #[test]
    fn ring_positions_and_the_stored_commands() {
        let (mut sim, clients) = replicated();
        for n in 0..40 {
            send(&mut sim, clients[0], &format!("SET key{n} value{n}"));
        }
        let view = ReplView::of(&sim);
        let backlog = view.node(NodeId(1)).unwrap().backlog.unwrap();
        assert!(backlog.wraps >= 1);
        // The newest byte sits just before the head; the point after it is the head.
        assert_eq!(
            backlog.position_of(backlog.end),
            Some((backlog.head + backlog.size - 1) % backlog.size)
        );
        assert_eq!(backlog.position_after(backlog.end), Some(backlog.head));
        assert_eq!(
            backlog.position_after(backlog.first - 1),
            Some(backlog.head)
        );
        assert_eq!(
            backlog.position_after(backlog.first - 2),
            None,
            "overwritten"
        );
        // The whole ring: the newest command is the last SET, whole and decoded.
        let detail = backlog_detail(&sim, NodeId(1), 0, backlog.size).unwrap();
        let held: u64 = detail
            .runs
            .iter()
            .map(|(_, bytes)| bytes.len() as u64)
            .sum();
        assert_eq!(held, 1024);
        let last = detail.commands.last().unwrap();
        assert_eq!(last.text, "\"SET\",\"key39\",\"value39\"");
        assert_eq!(last.first_offset + last.bytes - 1, backlog.end);
        assert!(detail.orphan_bytes < 40, "{}", detail.orphan_bytes);
        // A small stretch around the head: two runs (newest, then oldest) when the head is inside.
        let around = backlog.head.saturating_sub(4);
        let detail = backlog_detail(&sim, NodeId(1), around, around + 8).unwrap();
        assert!(!detail.commands.is_empty());
        assert!(detail
            .runs
            .iter()
            .all(|(first, bytes)| *first >= backlog.first
                && first + bytes.len() as u64 - 1 <= backlog.end));
    }
}
