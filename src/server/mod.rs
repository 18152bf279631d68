//! `playground-server`: one engine [`Node`] served over real TCP, like `redis-server`.
//!
//! A single-threaded event loop (mio): it accepts connections, opens the ones the node asks for
//! (a replica reaching its master), hands received bytes and the wall-clock time to the node,
//! writes what the node asks to send, closes what it asks to close, and wakes the node when its
//! timer is due. All Redis behaviour lives in the engine; this module only moves bytes.
//!
//! - [`options`]: the command line and config file (redis-server's syntax).

pub mod options;

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};

use crate::engine::log::{format_log_line, LogLevel};
use crate::engine::{Config, ConnId, Input, Instant, Node, Output, Peer};

/// The listener's token; connections use their `ConnId` number + 1 ([`token`]).
const LISTENER: Token = Token(0);
/// The longest the loop sleeps, so a SIGTERM is noticed promptly.
const POLL_INTERVAL_MAX: Duration = Duration::from_millis(100);
/// Bytes read per `read` call.
const READ_CHUNK_BYTES: usize = 64 * 1024;

/// Set by the SIGTERM/SIGINT handler; the loop exits cleanly when it sees it.
static SHUTDOWN_REQUESTED: AtomicBool = AtomicBool::new(false);

extern "C" fn request_shutdown(_signal: libc::c_int) {
    SHUTDOWN_REQUESTED.store(true, Ordering::SeqCst);
}

/// Where to listen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listen {
    /// `bind` (redis-server's default is loopback).
    pub bind: String,
    /// `port`.
    pub port: u16,
}

/// One connection: accepted, or opened for the node.
struct Connection {
    stream: TcpStream,
    /// An outbound connect whose outcome the socket has not told yet. One that never completes
    /// waits for the node's Close: giving up (`repl-timeout`) is the engine's decision.
    connecting: bool,
    /// Bytes the node produced that the socket has not taken yet: `unsent[unsent_from..]`.
    unsent: Vec<u8>,
    unsent_from: usize,
    /// Close once everything is sent.
    closing: bool,
}

impl Connection {
    fn accepted(stream: TcpStream) -> Connection {
        Connection {
            stream,
            connecting: false,
            unsent: Vec::new(),
            unsent_from: 0,
            closing: false,
        }
    }

    fn connecting(stream: TcpStream) -> Connection {
        Connection {
            connecting: true,
            ..Connection::accepted(stream)
        }
    }

    fn all_sent(&self) -> bool {
        self.unsent_from == self.unsent.len()
    }
}

/// A clock that never goes backwards, in the engine's terms.
struct Clock {
    last: Instant,
}

impl Clock {
    fn now(&mut self) -> Instant {
        let micros = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_micros() as u64);
        self.last = self.last.max(Instant::from_micros(micros));
        self.last
    }
}

/// Serves `config` on `listen` until SIGTERM, SIGINT or SHUTDOWN.
pub fn run(listen: &Listen, config: Config) -> io::Result<()> {
    install_signal_handlers();
    let host = if listen.bind.contains(':') {
        format!("[{}]", listen.bind)
    } else {
        listen.bind.clone()
    };
    let address: SocketAddr = format!("{host}:{}", listen.port).parse().map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("Invalid bind address '{}'", listen.bind),
        )
    })?;
    let mut listener = TcpListener::bind(address)?;
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;

    let mut clock = Clock {
        last: Instant::default(),
    };
    let entropy = clock.now().as_micros() ^ u64::from(std::process::id()).rotate_left(32);
    let mut node = Node::new(config, clock.now(), entropy);
    // Nothing here reads the propagated stream until replication feeds it to replicas.
    node.set_propagation_observed(false);
    load_snapshot_file(&mut node, clock.now())?;
    let mut connections: BTreeMap<ConnId, Connection> = BTreeMap::new();
    let mut next_conn = 0u32;
    let mut events = Events::with_capacity(256);
    eprintln!("playground-server: ready to accept connections on {address}");

    while !SHUTDOWN_REQUESTED.load(Ordering::SeqCst) {
        let now = clock.now();
        let timeout = node
            .poll_timeout()
            .map_or(POLL_INTERVAL_MAX, |at| {
                Duration::from_micros(at.as_micros().saturating_sub(now.as_micros()))
            })
            .min(POLL_INTERVAL_MAX);
        if let Err(error) = poll.poll(&mut events, Some(timeout)) {
            if error.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(error);
        }
        for event in &events {
            if event.token() == LISTENER {
                accept_all(
                    &listener,
                    &poll,
                    &mut node,
                    &mut connections,
                    &mut next_conn,
                    clock.now(),
                )?;
                continue;
            }
            let conn = conn_of(event.token());
            let connecting = connections
                .get(&conn)
                .is_some_and(|connection| connection.connecting);
            if connecting && !settle_connect(&poll, &mut node, &mut connections, conn, clock.now())
            {
                continue;
            }
            if event.is_readable() {
                read_all(&mut node, &mut connections, conn, clock.now());
            }
        }
        node.handle_timeout(clock.now());
        if apply_outputs(&mut node, &mut connections, &poll, clock.now()) {
            // Best effort for what was queued before SHUTDOWN, as redis-server exits at once.
            for connection in connections.values_mut() {
                let _ = flush(connection);
            }
            eprintln!("playground-server: SHUTDOWN received, bye");
            return Ok(());
        }
    }
    eprintln!("playground-server: received shutdown request, bye");
    Ok(())
}

fn install_signal_handlers() {
    let handler = request_shutdown as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGTERM, handler);
        libc::signal(libc::SIGINT, handler);
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}

fn accept_all(
    listener: &TcpListener,
    poll: &Poll,
    node: &mut Node,
    connections: &mut BTreeMap<ConnId, Connection>,
    next_conn: &mut u32,
    now: Instant,
) -> io::Result<()> {
    loop {
        let (mut stream, remote) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            // A connection that died before we accepted it concerns no one else.
            Err(_) => continue,
        };
        let conn = next_accepted_conn(next_conn, connections);
        register(poll, &mut stream, conn)?;
        let peer = peer(&stream, remote);
        connections.insert(conn, Connection::accepted(stream));
        node.handle_input(now, Input::Connected { conn, peer });
    }
}

/// The id for the next accepted connection: below the node's outbound range, and never one
/// still open (the numbering wraps round after 2^31 connections).
fn next_accepted_conn<V>(next_conn: &mut u32, open: &BTreeMap<ConnId, V>) -> ConnId {
    loop {
        let conn = ConnId(*next_conn);
        *next_conn = (*next_conn + 1) % ConnId::OUTBOUND_FIRST;
        if !open.contains_key(&conn) {
            return conn;
        }
    }
}

fn token(conn: ConnId) -> Token {
    Token(conn.0 as usize + 1)
}

fn conn_of(token: Token) -> ConnId {
    ConnId((token.0 - 1) as u32)
}

/// Watches a new socket (accepted, or still connecting) for both directions; small replies go
/// out at once rather than waiting for Nagle's algorithm.
fn register(poll: &Poll, stream: &mut TcpStream, conn: ConnId) -> io::Result<()> {
    let _ = stream.set_nodelay(true);
    poll.registry()
        .register(stream, token(conn), Interest::READABLE | Interest::WRITABLE)
}

/// The node's view of a connected socket whose far end is `remote`.
fn peer(stream: &TcpStream, remote: SocketAddr) -> Peer {
    let local = stream
        .local_addr()
        .map(|addr| addr.to_string())
        .unwrap_or_default();
    Peer {
        addr: remote.to_string(),
        local_addr: local,
    }
}

/// Starts connecting to `host`:`port` for the node, registered under `conn`; the outcome comes
/// later, as an event on the socket ([`settle_connect`]).
fn open_outbound(poll: &Poll, conn: ConnId, host: &str, port: u16) -> io::Result<Connection> {
    let mut stream = start_connect(host, port)?;
    register(poll, &mut stream, conn)?;
    Ok(Connection::connecting(stream))
}

/// A non-blocking connect to the first address of `host` that does not fail at once, as Redis's
/// `anetTcpGenericConnect` tries them. The name lookup blocks the whole loop (std has no
/// non-blocking resolver); acceptable because a replica connects to its master rarely (at start,
/// and after losing it), and a master given by IP needs no lookup at all.
fn start_connect(host: &str, port: u16) -> io::Result<TcpStream> {
    let mut last_error = None;
    for address in (host, port).to_socket_addrs()? {
        match TcpStream::connect(address) {
            Ok(stream) => return Ok(stream),
            Err(error) => last_error = Some(error),
        }
    }
    Err(last_error.unwrap_or_else(|| {
        io::Error::new(io::ErrorKind::NotFound, "No address found for this host")
    }))
}

/// Where a non-blocking connect stands.
enum ConnectProgress {
    InProgress,
    Connected(Peer),
    Failed(io::Error),
}

/// Asks a connecting socket, after an event on it, how its connect went (mio's recipe: a pending
/// error means failure; a peer address means success; NotConnected means not yet, the event was
/// spurious).
fn connect_progress(stream: &TcpStream) -> ConnectProgress {
    match stream.take_error() {
        Ok(Some(error)) | Err(error) => return ConnectProgress::Failed(error),
        Ok(None) => {}
    }
    match stream.peer_addr() {
        Ok(remote) => ConnectProgress::Connected(peer(stream, remote)),
        Err(error)
            if error.kind() == io::ErrorKind::NotConnected
                || error.raw_os_error() == Some(libc::EINPROGRESS) =>
        {
            ConnectProgress::InProgress
        }
        Err(error) => ConnectProgress::Failed(error),
    }
}

/// Tells the node how its connect on `conn` went, once the socket knows; a failed one is
/// dropped. Returns whether `conn` is now a connection like any other.
fn settle_connect(
    poll: &Poll,
    node: &mut Node,
    connections: &mut BTreeMap<ConnId, Connection>,
    conn: ConnId,
    now: Instant,
) -> bool {
    let Some(connection) = connections.get_mut(&conn) else {
        return false;
    };
    match connect_progress(&connection.stream) {
        ConnectProgress::InProgress => false,
        ConnectProgress::Connected(peer) => {
            connection.connecting = false;
            node.handle_input(now, Input::Connected { conn, peer });
            true
        }
        ConnectProgress::Failed(error) => {
            remove(poll, connections, conn);
            let reason = failure_reason(&error);
            node.handle_input(now, Input::ConnectFailed { conn, reason });
            false
        }
    }
}

/// The OS's words for a failed connect or lookup ("Connection refused", "Name or service not
/// known"), as Redis logs them: without std's "(os error N)" suffix or its lookup preamble.
fn failure_reason(error: &io::Error) -> String {
    let text = error.to_string();
    let text = text
        .strip_prefix("failed to lookup address information: ")
        .unwrap_or(&text);
    match text.rfind(" (os error ") {
        Some(suffix) => text[..suffix].to_string(),
        None => text.to_string(),
    }
}

/// Forgets `conn` and its socket; whether it was there.
fn remove(poll: &Poll, connections: &mut BTreeMap<ConnId, Connection>, conn: ConnId) -> bool {
    let Some(mut connection) = connections.remove(&conn) else {
        return false;
    };
    let _ = poll.registry().deregister(&mut connection.stream);
    true
}

/// Reads everything available on `conn` and hands it to the node; EOF or an error closes it.
fn read_all(
    node: &mut Node,
    connections: &mut BTreeMap<ConnId, Connection>,
    conn: ConnId,
    now: Instant,
) {
    let Some(connection) = connections.get_mut(&conn) else {
        return;
    };
    let mut buffer = vec![0u8; READ_CHUNK_BYTES];
    loop {
        match connection.stream.read(&mut buffer) {
            Ok(0) => {
                connections.remove(&conn);
                node.handle_input(now, Input::Closed { conn });
                return;
            }
            Ok(read) => node.handle_received(now, conn, &buffer[..read]),
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => return,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => {
                connections.remove(&conn);
                node.handle_input(now, Input::Closed { conn });
                return;
            }
        }
    }
}

/// Carries out what the node asked for, then writes what sockets will take. Returns true once
/// the node asked to shut down.
fn apply_outputs(
    node: &mut Node,
    connections: &mut BTreeMap<ConnId, Connection>,
    poll: &Poll,
    now: Instant,
) -> bool {
    let mut shutdown = false;
    while let Some(output) = node.poll_output() {
        match output {
            Output::Transmit { conn, bytes } => {
                if let Some(connection) = connections.get_mut(&conn) {
                    queue(connection, bytes);
                }
            }
            Output::Close { conn } => match connections.get_mut(&conn) {
                // Given up before it was made: the node expects no answer.
                Some(connection) if connection.connecting => {
                    remove(poll, connections, conn);
                }
                Some(connection) => connection.closing = true,
                None => {}
            },
            Output::Propagated { .. } => {}
            Output::Connect { conn, host, port } => {
                match open_outbound(poll, conn, &host, port) {
                    Ok(connection) => {
                        connections.insert(conn, connection);
                    }
                    // Failing at once (a name that does not resolve): the node may hear it now,
                    // as every input's outputs are drained by this same loop.
                    Err(error) => {
                        let reason = failure_reason(&error);
                        node.handle_input(now, Input::ConnectFailed { conn, reason });
                    }
                }
            }
            Output::Shutdown => shutdown = true,
            // redis-server's default `loglevel notice`: notices and warnings.
            Output::Log(line) if line.level >= LogLevel::Notice => {
                let role = if node.state().repl.is_replica() {
                    'S'
                } else {
                    'M'
                };
                eprintln!("{}", format_log_line(std::process::id(), role, now, &line));
            }
            Output::Log(_) => {}
            Output::WriteSnapshot { rdb } => {
                let config = &node.state().config;
                if let Err(error) = write_snapshot(&config.dir, &config.dbfilename, &rdb) {
                    eprintln!("playground-server: failed saving the DB: {error}");
                }
            }
        }
    }
    let mut finished = Vec::new();
    for (&conn, connection) in connections.iter_mut() {
        if flush(connection).is_err() || (connection.closing && connection.all_sent()) {
            finished.push(conn);
        }
    }
    for conn in finished {
        if remove(poll, connections, conn) {
            node.handle_input(now, Input::Closed { conn });
        }
    }
    shutdown
}

/// Writes an RDB as `dir`/`dbfilename` the way Redis does: to a temporary file first, renamed
/// over the old one only once complete, so a crash mid-write never leaves a torn snapshot.
fn write_snapshot(dir: &str, dbfilename: &str, rdb: &[u8]) -> io::Result<()> {
    let dir = std::path::Path::new(dir);
    let temporary = dir.join(format!("temp-{}.rdb", std::process::id()));
    std::fs::write(&temporary, rdb)?;
    std::fs::rename(&temporary, dir.join(dbfilename))
}

/// Loads `dir`/`dbfilename` into the node if it exists (redis-server's start-up load).
fn load_snapshot_file(node: &mut Node, now: Instant) -> io::Result<()> {
    let config = &node.state().config;
    let path = std::path::Path::new(&config.dir).join(&config.dbfilename);
    let rdb = match std::fs::read(&path) {
        Ok(rdb) => rdb,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    let keys = node.load_snapshot(now, &rdb).map_err(|error| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {error}", path.display()),
        )
    })?;
    eprintln!("playground-server: DB loaded from disk: {keys} keys");
    Ok(())
}

/// Queues `bytes` behind whatever is still unsent. The sockets are written once all of the
/// node's outputs are applied ([`flush`]), as Redis writes its client buffers before the event
/// loop sleeps: a master's replicas get one write per loop, not one per propagated command.
fn queue(connection: &mut Connection, bytes: Vec<u8>) {
    if connection.all_sent() {
        // Nothing waiting: the node's buffer becomes the queue, with no copy.
        connection.unsent = bytes;
        connection.unsent_from = 0;
        return;
    }
    if connection.unsent_from >= connection.unsent.len() / 2 {
        // Forget what was sent once it is most of the buffer (amortised: each byte moves once).
        connection.unsent.drain(..connection.unsent_from);
        connection.unsent_from = 0;
    }
    connection.unsent.extend_from_slice(&bytes);
}

/// Writes as much of the unsent bytes as the socket takes now.
fn flush(connection: &mut Connection) -> io::Result<()> {
    while !connection.all_sent() {
        match connection
            .stream
            .write(&connection.unsent[connection.unsent_from..])
        {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(written) => connection.unsent_from += written,
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        }
    }
    connection.unsent.clear();
    connection.unsent_from = 0;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Connects for the node the way the loop does (open, wait for events, settle): the peer it
    /// would be told of, or the reason the connect failed.
    fn connect_as_the_loop_does(host: &str, port: u16) -> Result<Peer, String> {
        let mut poll = Poll::new().unwrap();
        let conn = ConnId(ConnId::OUTBOUND_FIRST);
        let connection =
            open_outbound(&poll, conn, host, port).map_err(|error| failure_reason(&error))?;
        let mut events = Events::with_capacity(4);
        loop {
            poll.poll(&mut events, Some(Duration::from_secs(10)))
                .unwrap();
            assert!(!events.is_empty(), "the connect never settled");
            match connect_progress(&connection.stream) {
                ConnectProgress::InProgress => continue,
                ConnectProgress::Connected(peer) => return Ok(peer),
                ConnectProgress::Failed(error) => return Err(failure_reason(&error)),
            }
        }
    }

    #[test]
    fn an_outbound_connect_reports_both_ends_once_connected() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let listening = listener.local_addr().unwrap();
        let peer = connect_as_the_loop_does("127.0.0.1", listening.port()).unwrap();
        let (_, ours) = listener.accept().unwrap();
        assert_eq!(peer.addr, listening.to_string());
        assert_eq!(peer.local_addr, ours.to_string());
    }

    #[test]
    fn an_outbound_connect_to_a_closed_port_is_refused_in_the_os_words() {
        let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .unwrap()
            .port();
        assert_eq!(
            connect_as_the_loop_does("127.0.0.1", closed_port),
            Err("Connection refused".to_string())
        );
    }

    #[test]
    fn an_unresolvable_host_fails_in_the_resolvers_words() {
        // An empty name fails inside getaddrinfo itself: no DNS server is asked, so the test
        // needs no network.
        assert_eq!(
            connect_as_the_loop_does("", 6379),
            Err("Name or service not known".to_string())
        );
    }

    #[test]
    fn accepted_connections_are_numbered_below_the_outbound_range_skipping_open_ones() {
        let open = BTreeMap::from([(ConnId(0), ())]);
        let mut next_conn = ConnId::OUTBOUND_FIRST - 1;
        let numbered: Vec<ConnId> = (0..2)
            .map(|_| next_accepted_conn(&mut next_conn, &open))
            .collect();
        assert_eq!(numbered, [ConnId(ConnId::OUTBOUND_FIRST - 1), ConnId(1)]);
    }

    #[test]
    fn every_connection_id_has_its_own_token() {
        for conn in [ConnId(0), ConnId(ConnId::OUTBOUND_FIRST), ConnId(u32::MAX)] {
            assert_ne!(token(conn), LISTENER);
            assert_eq!(conn_of(token(conn)), conn);
        }
    }
}
