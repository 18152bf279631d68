//! [`Client`]: what the node knows about one connection (Redis's `client`).

use super::replication::ReplicaLink;
use super::resp::{Frame, Request, RequestDecoder};
use super::time::Instant;
use super::tree_set::{self, number_then_bytes, TreeSet};
use super::vec_map::VecMap;
use super::ConnId;

/// Who is on the other end, as the driver describes it (CLIENT LIST's `addr` and `laddr`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Peer {
    /// The remote address, e.g. `127.0.0.1:51234`.
    pub addr: String,
    /// Our address on this connection, e.g. `127.0.0.1:6379`.
    pub local_addr: String,
}

/// A transaction being queued (between MULTI and EXEC).
#[derive(Clone, Debug, Default)]
pub struct Transaction {
    /// Queued requests, to run at EXEC.
    pub queued: Vec<Vec<Vec<u8>>>,
    /// A queued command was rejected (unknown, wrong arity, ...): EXEC answers EXECABORT.
    pub aborted: bool,
}

/// What a connection is subscribed to (Redis's `pubsub_channels`, `pubsub_patterns` and
/// `pubsubshard_channels`). The node-wide view (PUBLISH receivers, PUBSUB CHANNELS) is derived
/// from every client's, so a disconnect needs no extra bookkeeping.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subscriptions {
    /// SUBSCRIBE channels. Redis keeps them in a dict (random order); sorted here, in a B-tree
    /// because one SUBSCRIBE may name 100 000 of them (a sorted vector would shift on each).
    pub channels: ChannelSet,
    /// PSUBSCRIBE patterns in subscription order (a list in Redis 7.0: PUNSUBSCRIBE without
    /// arguments answers in this order).
    pub patterns: Vec<Vec<u8>>,
    /// SSUBSCRIBE shard channels, sorted.
    pub shard_channels: ChannelSet,
}

impl Subscriptions {
    /// Channels plus patterns: the count SUBSCRIBE/PSUBSCRIBE replies carry
    /// (`clientSubscriptionsCount`).
    pub fn count(&self) -> usize {
        self.channels.len() + self.patterns.len()
    }

    /// Whether there is no subscription of any kind.
    pub fn is_empty(&self) -> bool {
        self.count() == 0 && self.shard_channels.is_empty()
    }
}

/// A set of channel names, sorted, with O(log n) inserts: the engine's one B-tree type
/// ([`TreeSet`]) with the name as the key's bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelSet {
    names: TreeSet,
}

impl ChannelSet {
    /// Adds `name`; false if it was there already.
    pub fn insert(&mut self, name: &[u8]) -> bool {
        self.names.insert(number_then_bytes(0, name))
    }

    /// Removes `name`; false if it was not there.
    pub fn remove(&mut self, name: &[u8]) -> bool {
        self.names.remove(&number_then_bytes(0, name))
    }

    /// Whether `name` is in the set.
    pub fn contains(&self, name: &[u8]) -> bool {
        self.names.contains(&number_then_bytes(0, name))
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The names in byte order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        tree_set::all(&self.names).map(|(_, _, name)| &**name)
    }
}

/// What kind of peer a connection is (CLIENT LIST's `S`/`M` flags, CLIENT KILL TYPE, INFO's
/// `connected_clients`, which leaves replicas out). A client in pub/sub mode is still `Normal`
/// here: its type `pubsub` comes from its subscriptions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientKind {
    /// An ordinary client.
    #[default]
    Normal,
    /// A replica attached to us (after SYNC/PSYNC).
    Replica,
    /// Our link to our master.
    Master,
}

/// Every connection's [`Client`], by connection (in id order). Boxed because a client is about
/// 500 bytes: a connect or disconnect among 10,000 clients then shifts 16-byte entries (about
/// 1 µs natively) rather than whole clients (about 25 µs), and lookups stay binary searches.
pub type Clients = VecMap<ConnId, Box<Client>>;

/// One connection's state.
#[derive(Clone, Debug)]
pub struct Client {
    /// CLIENT ID: unique and increasing for the node's lifetime.
    pub id: u64,
    /// The driver's handle for the connection.
    pub conn: ConnId,
    /// Addresses, as the driver reported them.
    pub peer: Peer,
    /// Unparsed input.
    pub decoder: RequestDecoder,
    /// The selected database.
    pub db: usize,
    /// CLIENT SETNAME.
    pub name: Option<Vec<u8>>,
    /// Passed AUTH (or no password is required).
    pub authenticated: bool,
    /// When the connection was accepted.
    pub created_at: Instant,
    /// When the last command was run.
    pub last_interaction_at: Instant,
    /// The last command's name, as CLIENT LIST shows it (`cmd=...`).
    pub last_command: &'static str,
    /// MULTI state, if a transaction is open.
    pub transaction: Option<Transaction>,
    /// Close once the pending replies are written (QUIT, protocol errors, CLIENT KILL).
    pub close_after_reply: bool,
    /// Pub/sub subscriptions; any subscription puts a RESP2 client in subscriber mode.
    pub subscriptions: Subscriptions,
    /// Replies the running command already wrote, to go out before the one it returns (Redis
    /// writes into the reply buffer as it goes: SUBSCRIBE answers once per channel, and a message
    /// published to oneself inside EXEC lands between EXEC's replies). The driver drains it.
    pub preceding_replies: Vec<Frame>,
    /// Normal client, replica or master link.
    pub kind: ClientKind,
    /// CLIENT NO-EVICT: exempt from client eviction (`maxmemory-clients`; flag `e`).
    pub no_evict: bool,
    /// What REPLCONF, SYNC and PSYNC told us, for a connection that is becoming a replica.
    pub replica_link: Option<ReplicaLink>,
    /// `master_repl_offset` right after this client's last command that moved it (Redis's
    /// `woff`): what WAIT waits for.
    pub write_offset: u64,
    /// Blocked in WAIT.
    pub blocked_wait: Option<BlockedWait>,
    /// A write that arrived while FAILOVER paused writes: it runs when the pause ends, and the
    /// client's later input waits behind it.
    pub postponed_request: Option<Vec<Vec<u8>>>,
}

/// A WAIT in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockedWait {
    /// Replicas wanted.
    pub replicas: u64,
    /// The offset they must have acknowledged.
    pub offset: u64,
    /// When WAIT gives up with the count so far (None: never).
    pub deadline: Option<Instant>,
}

impl Client {
    /// A new connection, authenticated already if no password is required.
    pub fn new(id: u64, conn: ConnId, peer: Peer, now: Instant, authenticated: bool) -> Client {
        Client {
            id,
            conn,
            peer,
            decoder: RequestDecoder::new(),
            db: 0,
            name: None,
            authenticated,
            created_at: now,
            last_interaction_at: now,
            last_command: "NULL",
            transaction: None,
            close_after_reply: false,
            subscriptions: Subscriptions::default(),
            preceding_replies: Vec::new(),
            kind: ClientKind::Normal,
            no_evict: false,
            replica_link: None,
            write_offset: 0,
            blocked_wait: None,
            postponed_request: None,
        }
    }

    /// Whether the client is inside MULTI.
    pub fn in_transaction(&self) -> bool {
        self.transaction.is_some()
    }

    /// Whether the client is in subscriber mode (Redis's `CLIENT_PUBSUB` flag: set by the first
    /// subscription, cleared when the last one of any kind goes; CLIENT KILL TYPE pubsub).
    pub fn is_pubsub(&self) -> bool {
        !self.subscriptions.is_empty()
    }

    /// Consumes the next request from the input buffer (see [`RequestDecoder::next_request`]).
    pub fn next_request(
        &mut self,
        limits: super::resp::RequestLimits,
    ) -> Result<Option<Request>, super::resp::ProtocolError> {
        self.decoder.next_request(limits)
    }
}
