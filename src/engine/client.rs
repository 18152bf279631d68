//! [`Client`]: what the node knows about one connection (Redis's `client`).

use super::resp::{Request, RequestDecoder};
use super::time::Instant;
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

/// One connection's state.
#[derive(Debug)]
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
    pub last_command: String,
    /// MULTI state, if a transaction is open.
    pub transaction: Option<Transaction>,
    /// Close once the pending replies are written (QUIT, protocol errors, CLIENT KILL).
    pub close_after_reply: bool,
    /// Normal client, replica or master link.
    pub kind: ClientKind,
    /// CLIENT NO-EVICT: exempt from client eviction (`maxmemory-clients`; flag `e`).
    pub no_evict: bool,
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
            last_command: "NULL".to_string(),
            transaction: None,
            close_after_reply: false,
            kind: ClientKind::Normal,
            no_evict: false,
        }
    }

    /// Whether the client is inside MULTI.
    pub fn in_transaction(&self) -> bool {
        self.transaction.is_some()
    }

    /// Consumes the next request from the input buffer (see [`RequestDecoder::next_request`]).
    pub fn next_request(
        &mut self,
        limits: super::resp::RequestLimits,
    ) -> Result<Option<Request>, super::resp::ProtocolError> {
        self.decoder.next_request(limits)
    }
}
