//! `playground-server`: one engine [`Node`] served over real TCP, like `redis-server`.
//!
//! A single-threaded event loop (mio): it accepts connections, hands received bytes and the
//! wall-clock time to the node, writes what the node asks to send, closes what it asks to close,
//! and wakes the node when its timer is due. All Redis behaviour lives in the engine; this
//! module only moves bytes.
//!
//! - [`options`]: the command line and config file (redis-server's syntax).

pub mod options;

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};

use crate::engine::log::{format_log_line, LogLevel};
use crate::engine::{Config, ConnId, Input, Instant, Node, Output, Peer};

/// The listener's token; connections use their `ConnId` number + 1.
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

/// One accepted connection.
struct Connection {
    stream: TcpStream,
    /// Bytes the node produced that the socket has not taken yet.
    unsent: Vec<u8>,
    /// Close once `unsent` is empty.
    closing: bool,
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
            let conn = ConnId(event.token().0 as u32 - 1);
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
        let conn = ConnId(*next_conn);
        *next_conn = next_conn.wrapping_add(1) % (u32::MAX - 1);
        let _ = stream.set_nodelay(true);
        poll.registry().register(
            &mut stream,
            Token(conn.0 as usize + 1),
            Interest::READABLE | Interest::WRITABLE,
        )?;
        let local = stream
            .local_addr()
            .map(|addr| addr.to_string())
            .unwrap_or_default();
        let peer = Peer {
            addr: remote.to_string(),
            local_addr: local,
        };
        connections.insert(
            conn,
            Connection {
                stream,
                unsent: Vec::new(),
                closing: false,
            },
        );
        node.handle_input(now, Input::Connected { conn, peer });
    }
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
                    send(connection, &bytes);
                }
            }
            Output::Close { conn } => {
                if let Some(connection) = connections.get_mut(&conn) {
                    connection.closing = true;
                }
            }
            Output::Propagated { .. } => {}
            // Outbound connections arrive with the replication work on the driver side.
            Output::Connect { conn, .. } => node.handle_input(
                now,
                Input::ConnectFailed {
                    conn,
                    reason: "outbound connections are not supported yet".into(),
                },
            ),
            Output::Shutdown => shutdown = true,
            // redis-server's default `loglevel notice`: notices and warnings.
            Output::Log(line) if line.level >= LogLevel::Notice => {
                eprintln!("{}", format_log_line(std::process::id(), 'M', now, &line));
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
        if flush(connection).is_err() || (connection.closing && connection.unsent.is_empty()) {
            finished.push(conn);
        }
    }
    for conn in finished {
        if let Some(mut connection) = connections.remove(&conn) {
            let _ = poll.registry().deregister(&mut connection.stream);
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

/// Sends `bytes` behind whatever is still queued: straight to the socket when nothing is (the
/// common case, no copy), and queues the rest.
fn send(connection: &mut Connection, bytes: &[u8]) {
    let mut written = 0;
    if connection.unsent.is_empty() {
        while written < bytes.len() {
            match connection.stream.write(&bytes[written..]) {
                Ok(0) => break,
                Ok(count) => written += count,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                // WouldBlock queues the rest; other errors surface at the next flush.
                Err(_) => break,
            }
        }
    }
    connection.unsent.extend_from_slice(&bytes[written..]);
}

/// Writes as much of `unsent` as the socket takes now.
fn flush(connection: &mut Connection) -> io::Result<()> {
    while !connection.unsent.is_empty() {
        match connection.stream.write(&connection.unsent) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(written) => {
                connection.unsent.drain(..written);
            }
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        }
    }
    Ok(())
}
