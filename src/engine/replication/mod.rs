//! Replication state: ids, offsets, the backlog, the link to our master, and what each replica
//! attached to us is doing (Redis 7.0's `replication.c` globals and per-client fields).
//!
//! - [`backlog`]: the ring of `repl-backlog-size` bytes.
//! - [`Replication`]: the node-wide state (ids, offsets, the master link, the cached master).
//! - [`ReplicaLink`]: what a master knows about one replica connection.
//! - [`PsyncDecision`]: why a PSYNC was answered `+CONTINUE` or `+FULLRESYNC`, in plain words.
//!
//! The byte work lives with the node (`node::master_side`, `node::replica_side`), the commands in
//! `command::replication`.

pub mod backlog;
pub mod ops;

use self::backlog::Backlog;
use super::client::Peer;
use super::deque::Deque;
use super::prng::Prng;
use super::propagate::StreamEncoder;
use super::rdb::TransferHeader;
use super::state::random_hex_id;
use super::time::Instant;
use super::ConnId;

/// `replid2` when there is none: 40 ASCII zeros.
pub const NO_REPLID: &str = "0000000000000000000000000000000000000000";

/// PSYNC decisions kept for the UI and tests.
const DECISIONS_MAX: usize = 32;
/// Entries of a replica's [`StreamLog`] kept at most...
const STREAM_LOG_ENTRIES_MAX: usize = 64;
/// ...and stream bytes they hold at most (the oldest entries go first).
const STREAM_LOG_BYTES_MAX: usize = 16 * 1024;

/// The replica side's link state (`server.repl_state`), as ROLE names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum LinkState {
    /// Must connect (the 1 Hz cron will).
    Connect,
    /// The TCP connect is in flight.
    Connecting,
    /// Handshake: waiting for the reply to this step.
    Handshake(HandshakeStep),
    /// Receiving the RDB of a full sync.
    Transfer,
    /// Streaming.
    Connected,
}

impl LinkState {
    /// ROLE's word for the state.
    pub fn role_name(self) -> &'static str {
        match self {
            LinkState::Connect => "connect",
            LinkState::Connecting => "connecting",
            LinkState::Handshake(_) => "handshake",
            LinkState::Transfer => "sync",
            LinkState::Connected => "connected",
        }
    }
}

/// The handshake replies a replica reads, in order (`REPL_STATE_RECEIVE_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum HandshakeStep {
    /// `PING` was sent.
    PingReply,
    /// `AUTH` was sent.
    AuthReply,
    /// `REPLCONF listening-port` was sent.
    PortReply,
    /// `REPLCONF ip-address` was sent.
    IpReply,
    /// `REPLCONF capa eof capa psync2` was sent.
    CapaReply,
    /// `PSYNC` was sent.
    PsyncReply,
}

/// A full sync's payload being received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transfer {
    /// `$<len>` (Some) or `$EOF:<mark>` (the mark), once the header line was read.
    pub header: Option<TransferHeader>,
    /// The payload so far.
    pub payload: Vec<u8>,
    /// When the last payload byte arrived (`master_sync_last_io_seconds_ago`).
    pub last_io_at: Option<Instant>,
}

/// The replica side: the master we follow and how far the link got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MasterLink {
    /// `master_host`.
    pub host: String,
    /// `master_port`.
    pub port: u16,
    /// Where the link is.
    pub state: LinkState,
    /// The connection, once asked for.
    pub conn: Option<ConnId>,
    /// The connection's addresses, once connected.
    pub peer: Peer,
    /// Bytes read during the handshake and transfer, not yet consumed.
    pub inbox: Vec<u8>,
    /// When the link last received anything (`master_last_io_seconds_ago`, timeouts).
    pub last_io_at: Instant,
    /// The full sync announced by `+FULLRESYNC <replid> <offset>`.
    pub full_sync: Option<(String, u64)>,
    /// The payload of that full sync.
    pub transfer: Transfer,
    /// Applied stream offset of the live master (`slave_repl_offset`, the master client's
    /// `reploff`).
    pub reploff: u64,
    /// Stream bytes read (`slave_read_repl_offset`).
    pub read_reploff: u64,
    /// Read stream bytes not yet applied, from `unapplied_from` on: a command in progress, or a
    /// MULTI block before EXEC. Once applied they go, unchanged, into our backlog and to our own
    /// replicas.
    pub unapplied: Vec<u8>,
    /// Where the unapplied bytes start in `unapplied`; the applied ones before are dropped when
    /// the next bytes arrive (once per read, not once per command).
    pub unapplied_from: usize,
    /// Wire bytes of the commands processed since the last applied point.
    pub processed_bytes: usize,
    /// A full sync's snapshot is loaded (or loading): (stream db, offset, diskless).
    pub loaded: Option<(usize, u64, bool)>,
    /// The PSYNC we sent carries `FAILOVER` (we are the old master handing over).
    pub failover_psync: bool,
}

impl MasterLink {
    /// A link that must connect to `host`:`port`.
    pub fn new(host: String, port: u16, now: Instant) -> MasterLink {
        MasterLink {
            host,
            port,
            state: LinkState::Connect,
            conn: None,
            peer: Peer::default(),
            inbox: Vec::new(),
            last_io_at: now,
            full_sync: None,
            transfer: Transfer::default(),
            reploff: 0,
            read_reploff: 0,
            unapplied: Vec::new(),
            unapplied_from: 0,
            processed_bytes: 0,
            loaded: None,
            failover_psync: false,
        }
    }
}

/// What a replica remembers of a master it lost, so that it can ask to continue (Redis's
/// `cached_master`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedMaster {
    /// The replication id the stream belonged to.
    pub replid: String,
    /// The applied offset: the next PSYNC asks for `reploff + 1`.
    pub reploff: u64,
    /// The database the master stream had selected.
    pub db: usize,
}

/// A replica's sync state as its master sees it (`replstate`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum ReplicaSyncState {
    /// Asked for a full sync; the snapshot has not started.
    WaitBgsaveStart,
    /// Receiving the snapshot; the stream is buffered for it.
    WaitBgsaveEnd,
    /// Receiving the stream.
    Online,
}

/// What a master knows about one connection that is (or is becoming) a replica.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaLink {
    /// Where it is; None until it sends SYNC/PSYNC.
    pub state: Option<ReplicaSyncState>,
    /// `REPLCONF listening-port` (INFO's `port=`).
    pub listening_port: u16,
    /// `REPLCONF ip-address`.
    pub announced_ip: Option<String>,
    /// `capa eof`: understands a diskless (`$EOF:`) transfer.
    pub capa_eof: bool,
    /// `capa psync2`: gets `+CONTINUE <replid>`.
    pub capa_psync2: bool,
    /// The highest offset it acknowledged (`repl_ack_off`).
    pub ack_offset: u64,
    /// When it last acknowledged (`repl_ack_time`).
    pub ack_at: Instant,
    /// Attached with the old SYNC: never expected to acknowledge.
    pub pre_psync: bool,
    /// When it started waiting for a snapshot (diskless delay).
    pub waiting_since: Instant,
    /// Stream bytes held for it until it can take them (during the snapshot, and after a
    /// diskless one until its first ACK).
    pub held: Vec<u8>,
    /// After a diskless transfer: the stream starts with its first ACK.
    pub awaiting_first_ack: bool,
    /// Since when its held output is over the soft limit.
    pub soft_limit_since: Option<Instant>,
    /// `REPLCONF rdb-only 1`: it wants the snapshot, not the stream.
    pub rdb_only: bool,
    /// `REPLCONF rdb-filter-only`: its snapshot carries no data.
    pub rdb_without_data: bool,
}

impl ReplicaLink {
    /// A connection that has only sent REPLCONF so far.
    pub fn new(now: Instant) -> ReplicaLink {
        ReplicaLink {
            state: None,
            listening_port: 0,
            announced_ip: None,
            capa_eof: false,
            capa_psync2: false,
            ack_offset: 0,
            ack_at: now,
            pre_psync: false,
            waiting_since: now,
            held: Vec::new(),
            awaiting_first_ack: false,
            soft_limit_since: None,
            rdb_only: false,
            rdb_without_data: false,
        }
    }

    /// INFO's `state=` word; None for states INFO leaves out.
    pub fn info_state(&self) -> Option<&'static str> {
        match self.state? {
            ReplicaSyncState::WaitBgsaveStart | ReplicaSyncState::WaitBgsaveEnd => {
                Some("wait_bgsave")
            }
            ReplicaSyncState::Online => Some("online"),
        }
    }
}

/// How a master answered a PSYNC, and why: what the UI explains in plain words.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PsyncDecision {
    /// When it was decided.
    pub at_ms: u64,
    /// The replica's address (`ip:port` as it announced it).
    pub replica: String,
    /// The id it asked for (`?` for none).
    pub requested_replid: String,
    /// The first offset it needs (-1 for none).
    pub requested_offset: i64,
    /// Our ids and offsets when deciding.
    pub replid: String,
    /// `replid2`.
    pub replid2: String,
    /// `second_repl_offset`.
    pub second_replid_offset: i64,
    /// The backlog window, if a backlog existed: (first byte, last byte).
    pub backlog_window: Option<(u64, u64)>,
    /// The outcome.
    pub outcome: PsyncOutcome,
}

/// A PSYNC's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum PsyncOutcome {
    /// `+CONTINUE`: this many backlog bytes follow.
    Continue { bytes: u64 },
    /// `+FULLRESYNC`, for this reason.
    FullResync { reason: FullResyncReason },
}

/// Why a PSYNC could not continue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum FullResyncReason {
    /// `PSYNC ? -1` (or the old SYNC): the replica has no history.
    NoHistory,
    /// The id is neither ours nor, up to `second_repl_offset`, our previous one.
    IdMismatch,
    /// We have no backlog (never had a replica, or it was freed after `repl-backlog-ttl`).
    NoBacklog,
    /// The offset was overwritten: it lies before the backlog's first byte.
    OffsetOverwritten,
    /// The offset lies beyond our end.
    OffsetAhead,
}

impl PsyncDecision {
    /// The decision in plain words, e.g. "asked for 1204, the backlog holds 980…2047 and the
    /// replid matches → +CONTINUE, 844 bytes sent".
    pub fn explain(&self) -> String {
        let window = match self.backlog_window {
            Some((first, last)) if last >= first => format!("the backlog holds {first}…{last}"),
            Some((first, _)) => format!("the backlog is empty (next byte {first})"),
            None => "there is no backlog".to_string(),
        };
        match &self.outcome {
            PsyncOutcome::Continue { bytes } => format!(
                "asked for {}, {window} and the replid matches → +CONTINUE, {bytes} bytes sent",
                self.requested_offset
            ),
            PsyncOutcome::FullResync { reason } => {
                let why = match reason {
                    FullResyncReason::NoHistory => {
                        "the replica has no history (PSYNC ? -1)".to_string()
                    }
                    FullResyncReason::IdMismatch => format!(
                        "replid {} is not ours ({}) nor our previous one ({}) up to offset {}",
                        short_id(&self.requested_replid),
                        short_id(&self.replid),
                        short_id(&self.replid2),
                        self.second_replid_offset
                    ),
                    FullResyncReason::NoBacklog => format!(
                        "asked for {}, but {window} (freed or never created)",
                        self.requested_offset
                    ),
                    FullResyncReason::OffsetOverwritten => format!(
                        "asked for {}, but {window}: the bytes were overwritten",
                        self.requested_offset
                    ),
                    FullResyncReason::OffsetAhead => format!(
                        "asked for {}, beyond our history ({window})",
                        self.requested_offset
                    ),
                };
                format!("{why} → +FULLRESYNC")
            }
        }
    }
}

/// What a replica did with its master's stream, newest last: what `redis-cli --replica` would
/// print, kept for the UI (a few dozen entries and at most 16 KB of stream bytes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamLog {
    entries: Deque<StreamEntry>,
    bytes: usize,
}

/// One entry of a [`StreamLog`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamEntry {
    /// A full sync loaded the master's snapshot (`rdb_bytes` long); the stream starts after
    /// `offset`.
    FullSync {
        at: Instant,
        offset: u64,
        rdb_bytes: u64,
    },
    /// A partial resync: the stream continues after `offset`.
    Continue { at: Instant, offset: u64 },
    /// Commands applied, exactly as the stream carried them; the last byte's offset is
    /// `end_offset`.
    Applied {
        at: Instant,
        end_offset: u64,
        bytes: Vec<u8>,
    },
}

impl StreamLog {
    /// Adds an entry, forgetting the oldest past the bounds.
    pub fn push(&mut self, entry: StreamEntry) {
        if let StreamEntry::Applied { bytes, .. } = &entry {
            self.bytes += bytes.len();
        }
        self.entries.push_back(entry);
        while self.entries.len() > STREAM_LOG_ENTRIES_MAX
            || (self.bytes > STREAM_LOG_BYTES_MAX && self.entries.len() > 1)
        {
            if let Some(StreamEntry::Applied { bytes, .. }) = self.entries.pop_front() {
                self.bytes -= bytes.len();
            }
        }
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &StreamEntry> + ExactSizeIterator {
        self.entries.iter()
    }
}

/// The first 8 characters of an id, as the UI shows it.
pub fn short_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// FAILOVER's progress (`master_failover_state`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FailoverState {
    /// No failover.
    None,
    /// Writes paused; waiting for a replica to catch up.
    WaitingForSync(Failover),
    /// Handing over: we are the target's replica, PSYNC FAILOVER sent.
    InProgress(Failover),
}

/// One FAILOVER command's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failover {
    /// `TO host port`, or the replica chosen once one caught up.
    pub target: Option<(String, u16)>,
    /// `FORCE`.
    pub force: bool,
    /// When `TIMEOUT` runs out.
    pub deadline: Option<Instant>,
}

impl FailoverState {
    /// INFO's `master_failover_state`.
    pub fn info_name(&self) -> &'static str {
        match self {
            FailoverState::None => "no-failover",
            FailoverState::WaitingForSync(_) => "waiting-for-sync",
            FailoverState::InProgress(_) => "failover-in-progress",
        }
    }
}

/// The node-wide replication state.
#[derive(Clone, Debug)]
pub struct Replication {
    /// `master_replid`.
    pub replid: String,
    /// `master_replid2`: the id we had before the last shift.
    pub replid2: String,
    /// `second_repl_offset`: up to where `replid2` is valid (-1: none).
    pub second_replid_offset: i64,
    /// `master_repl_offset`: the stream bytes produced (master) or applied (replica).
    pub master_repl_offset: u64,
    /// The backlog; None until the first replica attaches (or after a TTL expiry).
    pub backlog: Option<Backlog>,
    /// SELECT insertion for the stream we produce (`slaveseldb`).
    pub stream: StreamEncoder,
    /// Our master; None while we are a master.
    pub master: Option<MasterLink>,
    /// What we remember of a master we lost.
    pub cached_master: Option<CachedMaster>,
    /// `master_link_down_since_seconds`: when the link went down (None: never up, -1).
    pub link_down_since: Option<Instant>,
    /// Since when a master has had no replica (`repl_no_slaves_since`), for `repl-backlog-ttl`.
    pub no_replicas_since: Instant,
    /// 1 Hz cron runs so far (`replication_cron_loops`), for the PING period.
    pub cron_loops: u64,
    /// A WAIT blocked in this round: send `REPLCONF GETACK *` to the replicas.
    pub getack_requested: bool,
    /// `min_slaves_good_slaves`, refreshed by the cron.
    pub good_replicas: usize,
    /// FAILOVER's progress.
    pub failover: FailoverState,
    /// The latest PSYNC decisions, oldest first.
    pub decisions: Deque<PsyncDecision>,
    /// What we did with our master's stream lately (replica side).
    pub stream_log: StreamLog,
    /// Clients blocked in WAIT (Redis's `clients_waiting_acks`), so that only they are looked
    /// at between inputs.
    pub waiting_acks: Vec<ConnId>,
    /// Clients whose write FAILOVER postponed, in arrival order (Redis's `postponed_clients`).
    pub postponed: Vec<ConnId>,
    /// Replica connections in the order they attached (INFO's `slave0`, `slave1`, ...).
    pub replicas: Vec<ConnId>,
    /// Connect to the master at once instead of at the next cron (REPLICAOF, a dropped link).
    pub connect_asap: bool,
    /// The node's next outbound connection id.
    pub next_outbound_conn: u32,
    /// Full syncs this node loaded as a replica: each replaced its dataset and its history, so
    /// its offset may start again lower (the simulator's checker allows that only across one).
    pub full_syncs_loaded: u64,
    prng: Prng,
}

impl Replication {
    /// A standalone master's state; `entropy` seeds its replication ids and EOF marks.
    pub fn new(now: Instant, entropy: u64) -> Replication {
        let mut prng = Prng::from_seed(entropy);
        Replication {
            replid: random_hex_id(&mut prng),
            replid2: NO_REPLID.to_string(),
            second_replid_offset: -1,
            master_repl_offset: 0,
            backlog: None,
            stream: StreamEncoder::default(),
            master: None,
            cached_master: None,
            link_down_since: None,
            no_replicas_since: now,
            cron_loops: 0,
            getack_requested: false,
            good_replicas: 0,
            failover: FailoverState::None,
            decisions: Deque::new(),
            stream_log: StreamLog::default(),
            waiting_acks: Vec::new(),
            postponed: Vec::new(),
            replicas: Vec::new(),
            connect_asap: false,
            next_outbound_conn: ConnId::OUTBOUND_FIRST,
            full_syncs_loaded: 0,
            prng,
        }
    }

    /// Whether we follow a master.
    pub fn is_replica(&self) -> bool {
        self.master.is_some()
    }

    /// The master link's state, if we are a replica.
    pub fn link_state(&self) -> Option<LinkState> {
        self.master.as_ref().map(|link| link.state)
    }

    /// Whether the link to our master is streaming.
    pub fn link_is_up(&self) -> bool {
        self.link_state() == Some(LinkState::Connected)
    }

    /// A new primary id (`changeReplicationId`).
    pub fn change_replid(&mut self) {
        self.replid = random_hex_id(&mut self.prng);
    }

    /// Forgets the previous id (`clearReplicationId2`).
    pub fn clear_replid2(&mut self) {
        self.replid2 = NO_REPLID.to_string();
        self.second_replid_offset = -1;
    }

    /// Promotion's id shift (`shiftReplicationId`): the current id stays valid, up to the
    /// current offset, as `replid2`.
    pub fn shift_replid(&mut self) {
        self.replid2 = std::mem::take(&mut self.replid);
        self.second_replid_offset = self.master_repl_offset as i64 + 1;
        self.change_replid();
    }

    /// Creates an empty backlog after the current offset.
    pub fn create_backlog(&mut self, size_bytes: i64) {
        self.backlog = Some(Backlog::new(
            size_bytes.max(1) as usize,
            self.master_repl_offset,
        ));
    }

    /// Appends stream bytes to the backlog, moving `master_repl_offset`.
    pub fn append_to_backlog(&mut self, bytes: &[u8]) {
        if let Some(backlog) = self.backlog.as_mut() {
            backlog.append(bytes);
            self.master_repl_offset = backlog.end_offset();
        }
    }

    /// A fresh outbound connection id.
    pub fn next_conn(&mut self) -> ConnId {
        let conn = ConnId(self.next_outbound_conn);
        self.next_outbound_conn = self
            .next_outbound_conn
            .wrapping_add(1)
            .max(ConnId::OUTBOUND_FIRST);
        conn
    }

    /// A fresh diskless end mark.
    pub fn eof_mark(&mut self) -> [u8; crate::engine::rdb::EOF_MARK_BYTES] {
        crate::engine::rdb::random_eof_mark(&mut self.prng)
    }

    /// Keeps a PSYNC decision, dropping the oldest past the bound.
    pub fn record_decision(&mut self, decision: PsyncDecision) {
        if self.decisions.len() == DECISIONS_MAX {
            self.decisions.pop_front();
        }
        self.decisions.push_back(decision);
    }
}

/// A replica's IP as INFO, ROLE and the logs show it: the one it announced
/// (`REPLCONF ip-address`), else its connection's peer address.
pub fn replica_ip(client: &super::client::Client) -> String {
    client
        .replica_link
        .as_ref()
        .and_then(|link| link.announced_ip.clone())
        .unwrap_or_else(|| {
            let addr = &client.peer.addr;
            addr.rsplit_once(':')
                .map_or(addr.as_str(), |(ip, _)| ip)
                .to_string()
        })
}

/// Online replicas that acknowledged `offset` (Redis's `replicationCountAcksByOffset`).
pub fn acknowledged_replicas(
    state: &super::state::NodeState,
    clients: &super::client::Clients,
    offset: u64,
) -> i64 {
    count_online_replicas(state, clients, &|link| link.ack_offset >= offset) as i64
}

/// How many online replicas have a link that passes `test` (WAIT's acknowledgements, the good
/// replicas of `min-replicas-to-write`).
pub fn count_online_replicas(
    state: &super::state::NodeState,
    clients: &super::client::Clients,
    test: &dyn Fn(&ReplicaLink) -> bool,
) -> usize {
    let mut count = 0;
    for conn in &state.repl.replicas {
        let link = clients
            .get(conn)
            .and_then(|client| client.replica_link.as_ref());
        if link.is_some_and(|link| link.state == Some(ReplicaSyncState::Online) && test(link)) {
            count += 1;
        }
    }
    count
}
