//! Propagation differential test: what a master puts in its replication stream, ours against
//! Redis 7.0.15's.
//!
//! For each script in `tests/propagation/*.redis`:
//! 1. a real `redis-server` starts on a free loopback port (from `$REDIS_SERVER`, else `PATH`);
//!    a fake replica attaches over TCP with `PSYNC ? -1` and skips the RDB payload; the script
//!    runs on ordinary connections; the stream is read up to the master's final
//!    `master_repl_offset`;
//! 2. the same script runs in-process on an [`engine::Node`](replication_playground::engine::Node)
//!    whose clock starts at the wall-clock instant the real run started and moves only with
//!    `@sleep`; its `Output::Propagated` units are encoded with `StreamEncoder`, as a fresh full
//!    sync would (first command after a SELECT);
//! 3. both streams are parsed into commands and compared one by one, with a diff on mismatch.
//!
//! Script format: that of `tests/diff` (one command per line in redis-cli quoting, `#` comments,
//! `@sleep <ms>`, `@client <n>`, `@read`, normaliser prefixes such as `[sorted]` accepted and
//! ignored, since replies are not compared here), plus `@active-expire off|on`, which turns
//! Redis's active expiry off or on (`DEBUG SET-ACTIVE-EXPIRE` on a side connection) and, for the
//! node, stops or resumes running its cron during `@sleep`. A client whose connection was closed
//! (QUIT) reconnects on its next command.
//!
//! Normalisations, and only these:
//! - `PING`s in Redis's stream are dropped (the replica ping period is 3600 s, but the very first
//!   cron tick can still send one to a replica that attached early);
//! - an argument that is a Unix time in milliseconds (≥ 10^12) matches when Redis's is at most
//!   [`CLOCK_SKEW_MS_MAX`] later than ours: Redis's clock ran on while the harness worked, ours
//!   stood still between sleeps. Timestamps the script gives itself match exactly.
//!
//! A missing `redis-server` is a failure, not a skip. `PROPAGATION_FILTER=<substring>` runs the
//! scripts whose file name contains it.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use replication_playground::engine::propagate::StreamEncoder;
use replication_playground::engine::resp::{encode_request, split_args, Frame, ReplyDecoder};
use replication_playground::engine::{Config, ConnId, Input, Instant, Node, Output, Peer};

/// How much later Redis's computed absolute times may be than ours.
const CLOCK_SKEW_MS_MAX: u64 = 2_000;
/// Smallest number read as a millisecond Unix time (2001-09-09).
const UNIX_MS_MIN: u64 = 1_000_000_000_000;
/// How long to wait for a reply or for the rest of the stream before failing.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

type Argv = Vec<Vec<u8>>;

/// One line of a script.
#[derive(Clone, Debug)]
enum Step {
    /// Send a command on the current client and wait for its reply.
    Command { args: Argv },
    /// Wait (Redis: really; the node: its clock moves).
    Sleep { ms: u64 },
    /// Switch to client `n`.
    Client { n: u32 },
    /// Read one more reply (a pushed message) on the current client.
    Read,
    /// Turn active expiry on or off.
    ActiveExpire { on: bool },
}

/// The script's steps, each with its line as written (for reports).
fn parse_script(path: &Path) -> Vec<(String, Step)> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let mut steps = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let at = || format!("{}:{}", path.display(), index + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let step = match words.next() {
            Some("@sleep") => Step::Sleep {
                ms: words
                    .next()
                    .and_then(|ms| ms.parse().ok())
                    .unwrap_or_else(|| panic!("{}: @sleep needs milliseconds", at())),
            },
            Some("@client") => Step::Client {
                n: words
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| panic!("{}: @client needs a number", at())),
            },
            Some("@read") => Step::Read,
            Some("@active-expire") => match words.next() {
                Some("on") => Step::ActiveExpire { on: true },
                Some("off") => Step::ActiveExpire { on: false },
                _ => panic!("{}: @active-expire takes on or off", at()),
            },
            Some(directive) if directive.starts_with('@') => {
                panic!("{}: unknown directive {directive}", at())
            }
            _ => {
                // Reply normalisers matter to the reply diff harness only.
                let command = match line.strip_prefix('[') {
                    Some(rest) => rest
                        .split_once(']')
                        .map(|(_, command)| command.trim())
                        .unwrap_or_else(|| panic!("{}: unclosed normaliser", at())),
                    None => line,
                };
                let args = split_args(command.as_bytes())
                    .unwrap_or_else(|| panic!("{}: unbalanced quotes", at()));
                assert!(!args.is_empty(), "{}: empty command", at());
                Step::Command { args }
            }
        };
        steps.push((line.to_string(), step));
    }
    steps
}

/// What one run produced: the stream and, for failure reports, each step's replies.
struct RunResult {
    stream: Vec<u8>,
    /// Per step: the replies the current client got, as RESP text.
    replies: Vec<String>,
}

// ------------------------------------------------------------------------------------------------
// The real redis-server.
// ------------------------------------------------------------------------------------------------

/// A redis-server child process with its own directory; killed and cleaned up on drop.
struct RedisServer {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl RedisServer {
    fn start(name: &str) -> RedisServer {
        let binary = std::env::var_os("REDIS_SERVER").unwrap_or_else(|| "redis-server".into());
        let dir = std::env::temp_dir().join(format!(
            "propagation-{}-{}-{}",
            std::process::id(),
            name,
            unix_ms_now()
        ));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        let port = support::free_port();
        let args: Vec<String> = [
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--repl-diskless-sync",
            "no",
            "--repl-diskless-sync-delay",
            "0",
            "--repl-ping-replica-period",
            "3600",
            "--enable-debug-command",
            "yes",
            "--daemonize",
            "no",
            "--loglevel",
            "warning",
            "--dir",
            &dir.to_string_lossy(),
        ]
        .iter()
        .map(|arg| arg.to_string())
        .collect();
        let log = std::fs::File::create(dir.join("redis.log")).expect("create the log file");
        let child = Command::new(&binary)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "cannot start {:?} ({error}): the propagation test needs Redis 7.0's \
                     redis-server (apt-get install redis-server, or set REDIS_SERVER)",
                    binary
                )
            });
        let server = RedisServer { child, port, dir };
        server.wait_until_ready();
        server.check_version();
        server
    }

    /// The oracle is Redis 7.0: other versions propagate differently (7.2 puts SELECT inside
    /// MULTI), so running against one would only produce misleading diffs.
    fn check_version(&self) {
        let mut connection = Connection::open(self.port).expect("connect to redis-server");
        let info = match connection.call(&[b"INFO".to_vec(), b"server".to_vec()]) {
            Ok(Frame::Bulk(text)) => String::from_utf8_lossy(&text).into_owned(),
            other => panic!("INFO server answered {other:?}"),
        };
        let version = info
            .lines()
            .find_map(|line| line.strip_prefix("redis_version:"))
            .unwrap_or("unknown")
            .trim()
            .to_string();
        assert!(
            version.starts_with("7.0."),
            "redis-server is version {version}; the propagation test needs Redis 7.0 \
             (set REDIS_SERVER to a 7.0 binary)"
        );
    }

    fn wait_until_ready(&self) {
        let deadline = std::time::Instant::now() + IO_TIMEOUT;
        loop {
            if let Ok(mut connection) = Connection::open(self.port) {
                if let Ok(reply) = connection.call(&[b"PING".to_vec()]) {
                    assert_eq!(reply, Frame::Simple("PONG".into()), "redis-server answers");
                    return;
                }
            }
            assert!(
                std::time::Instant::now() < deadline,
                "redis-server did not start on port {}; see {}",
                self.port,
                self.dir.join("redis.log").display()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn unix_ms_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as u64)
        .unwrap_or(0)
}

/// A client connection to redis-server.
struct Connection {
    stream: TcpStream,
    decoder: ReplyDecoder,
}

impl Connection {
    fn open(port: u16) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(IO_TIMEOUT))?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream,
            decoder: ReplyDecoder::new(),
        })
    }

    fn send(&mut self, args: &[Vec<u8>]) -> std::io::Result<()> {
        let mut request = Vec::new();
        encode_request(args, &mut request);
        self.stream.write_all(&request)
    }

    /// The next reply; an `UnexpectedEof` error once the server closed the connection.
    fn read_reply(&mut self) -> std::io::Result<Frame> {
        loop {
            match self.decoder.next_frame() {
                Ok(Some(frame)) => return Ok(frame),
                Ok(None) => {}
                Err(error) => return Err(std::io::Error::other(error.to_string())),
            }
            let mut chunk = [0u8; 16 * 1024];
            let read = self.stream.read(&mut chunk)?;
            if read == 0 {
                return Err(ErrorKind::UnexpectedEof.into());
            }
            self.decoder.push(&chunk[..read]);
        }
    }

    fn call(&mut self, args: &[Vec<u8>]) -> std::io::Result<Frame> {
        self.send(args)?;
        self.read_reply()
    }
}

/// A fake replica: full sync requested, RDB skipped, then the raw command stream.
struct FakeReplica {
    stream: TcpStream,
    /// Stream bytes received so far (after the RDB payload).
    received: Vec<u8>,
    /// The master offset the stream starts at (`+FULLRESYNC <replid> <offset>`).
    start_offset: u64,
}

impl FakeReplica {
    fn attach(port: u16) -> FakeReplica {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("replica connects");
        stream
            .set_read_timeout(Some(IO_TIMEOUT))
            .expect("read timeout");
        stream.write_all(b"PSYNC ? -1\r\n").expect("send PSYNC");
        let mut buffer = Vec::new();
        let line = read_line(&mut stream, &mut buffer);
        let offset = line
            .strip_prefix("+FULLRESYNC ")
            .and_then(|rest| rest.split(' ').nth(1))
            .and_then(|offset| offset.parse().ok())
            .unwrap_or_else(|| panic!("expected +FULLRESYNC, got {line:?}"));
        // The master may send newlines as keep-alives while the RDB is being produced.
        let header = loop {
            let line = read_line(&mut stream, &mut buffer);
            if !line.is_empty() {
                break line;
            }
        };
        let rdb_bytes: usize = header
            .strip_prefix('$')
            .and_then(|length| length.parse().ok())
            .unwrap_or_else(|| panic!("expected the RDB bulk header, got {header:?}"));
        while buffer.len() < rdb_bytes {
            fill(&mut stream, &mut buffer);
        }
        let received = buffer.split_off(rdb_bytes);
        FakeReplica {
            stream,
            received,
            start_offset: offset,
        }
    }

    /// Reads until the stream holds every byte up to the master's `offset`.
    fn read_until_offset(&mut self, offset: u64) -> Vec<u8> {
        let expected = usize::try_from(offset - self.start_offset).expect("stream length");
        while self.received.len() < expected {
            fill(&mut self.stream, &mut self.received);
        }
        assert_eq!(
            self.received.len(),
            expected,
            "the replica received more than master_repl_offset says"
        );
        std::mem::take(&mut self.received)
    }
}

/// Reads one line (without its ending; a lone `\n` gives an empty line) from `buffer`, filling
/// it from `stream` as needed.
fn read_line(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> String {
    loop {
        if let Some(end) = buffer.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = buffer.drain(..=end).collect();
            let line = line.strip_suffix(b"\n").unwrap_or(&line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            return String::from_utf8_lossy(line).into_owned();
        }
        fill(stream, buffer);
    }
}

fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) {
    let mut chunk = [0u8; 64 * 1024];
    match stream.read(&mut chunk) {
        Ok(0) => panic!("the master closed the replication link"),
        Ok(read) => buffer.extend_from_slice(&chunk[..read]),
        Err(error) => panic!("reading the replication stream: {error}"),
    }
}

fn is_disconnect(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::UnexpectedEof | ErrorKind::ConnectionReset | ErrorKind::BrokenPipe
    )
}

fn master_repl_offset(control: &mut Connection) -> u64 {
    let info = match control.call(&[b"INFO".to_vec(), b"replication".to_vec()]) {
        Ok(Frame::Bulk(text)) => String::from_utf8_lossy(&text).into_owned(),
        other => panic!("INFO replication answered {other:?}"),
    };
    info.lines()
        .find_map(|line| line.strip_prefix("master_repl_offset:"))
        .and_then(|offset| offset.trim().parse().ok())
        .unwrap_or_else(|| panic!("no master_repl_offset in {info:?}"))
}

fn set_redis_active_expire(control: &mut Connection, on: bool) {
    let flag = if on { b"1".to_vec() } else { b"0".to_vec() };
    let args = [b"DEBUG".to_vec(), b"SET-ACTIVE-EXPIRE".to_vec(), flag];
    let reply = control.call(&args).expect("DEBUG SET-ACTIVE-EXPIRE");
    assert_eq!(reply, Frame::ok(), "DEBUG SET-ACTIVE-EXPIRE");
}

/// Runs the script on a fresh redis-server; returns the stream and when the run started.
fn run_on_redis(name: &str, steps: &[(String, Step)]) -> (RunResult, u64) {
    let server = RedisServer::start(name);
    let mut replica = FakeReplica::attach(server.port);
    let mut control = Connection::open(server.port).expect("control connection");
    let mut clients: BTreeMap<u32, Connection> = BTreeMap::new();
    let mut current = 1;
    let mut replies = Vec::new();
    let started_at_ms = unix_ms_now();
    for (_, step) in steps {
        let reply = match step {
            Step::Command { args } => {
                // A connection the server closed (after QUIT) is noticed on its next use, and
                // replaced, as redis-cli reconnects.
                let mut reply = None;
                for _attempt in 0..2 {
                    let connection = match clients.entry(current) {
                        std::collections::btree_map::Entry::Occupied(entry) => entry.into_mut(),
                        std::collections::btree_map::Entry::Vacant(entry) => {
                            entry.insert(Connection::open(server.port).expect("client connection"))
                        }
                    };
                    match connection.call(args) {
                        Ok(frame) => {
                            reply = Some(show(&frame.to_bytes()));
                            break;
                        }
                        Err(error) if is_disconnect(&error) => {
                            clients.remove(&current);
                        }
                        Err(error) => panic!("{name}: no reply to {step:?}: {error}"),
                    }
                }
                reply.unwrap_or_else(|| panic!("{name}: no reply to {step:?} after reconnecting"))
            }
            Step::Read => match clients.get_mut(&current).map(Connection::read_reply) {
                Some(Ok(frame)) => show(&frame.to_bytes()),
                Some(Err(error)) => panic!("{name}: @read on client {current}: {error}"),
                None => panic!("{name}: @read on client {current}, which is not connected"),
            },
            Step::Sleep { ms } => {
                std::thread::sleep(Duration::from_millis(*ms));
                String::new()
            }
            Step::Client { n } => {
                current = *n;
                String::new()
            }
            Step::ActiveExpire { on } => {
                set_redis_active_expire(&mut control, *on);
                String::new()
            }
        };
        replies.push(reply);
    }
    let offset = master_repl_offset(&mut control);
    let stream = replica.read_until_offset(offset);
    (RunResult { stream, replies }, started_at_ms)
}

// ------------------------------------------------------------------------------------------------
// Our engine.
// ------------------------------------------------------------------------------------------------

/// Drives one in-process node the way a TCP driver would.
struct EngineRun {
    node: Node,
    now: Instant,
    encoder: StreamEncoder,
    stream: Vec<u8>,
    /// Replies sent to each connection and not yet taken, one frame at a time.
    sent: BTreeMap<ConnId, ReplyDecoder>,
    /// Script client → its current connection.
    conns: BTreeMap<u32, ConnId>,
    next_conn: u32,
}

impl EngineRun {
    fn new(started_at_ms: u64) -> EngineRun {
        let now = Instant::from_millis(started_at_ms);
        EngineRun {
            node: Node::new(Config::default(), now, 1),
            now,
            encoder: StreamEncoder::default(),
            stream: Vec::new(),
            sent: BTreeMap::new(),
            conns: BTreeMap::new(),
            next_conn: 1,
        }
    }

    fn conn(&mut self, client: u32) -> ConnId {
        if let Some(&conn) = self.conns.get(&client) {
            return conn;
        }
        let conn = ConnId(self.next_conn);
        self.next_conn += 1;
        let peer = Peer {
            addr: format!("127.0.0.1:{}", 40_000 + conn.0),
            local_addr: "127.0.0.1:6379".to_string(),
        };
        self.node
            .handle_input(self.now, Input::Connected { conn, peer });
        self.drain();
        self.conns.insert(client, conn);
        conn
    }

    fn drain(&mut self) {
        while let Some(output) = self.node.poll_output() {
            match output {
                Output::Transmit { conn, bytes } => self.sent.entry(conn).or_default().push(&bytes),
                Output::Close { conn } => {
                    self.node.handle_input(self.now, Input::Closed { conn });
                    self.conns.retain(|_, open| *open != conn);
                }
                Output::Propagated { commands } => {
                    for command in &commands {
                        self.encoder.encode(command, &mut self.stream);
                    }
                }
                // Neither stopping, saving, logging nor connecting propagates anything.
                Output::Shutdown
                | Output::WriteSnapshot { .. }
                | Output::Log(_)
                | Output::Connect { .. } => {}
            }
        }
    }

    /// Moves the clock, running the node's timers on the way if `cron` is on.
    fn sleep(&mut self, ms: u64, cron: bool) {
        let until = self.now.add_millis(ms);
        if cron {
            while let Some(at) = self.node.poll_timeout().filter(|at| *at <= until) {
                self.now = self.now.max(at);
                self.node.handle_timeout(self.now);
                self.drain();
            }
        }
        self.now = until;
    }

    /// The next reply `conn` was sent, as RESP text; empty if there is none.
    fn next_reply(&mut self, conn: ConnId) -> String {
        match self.sent.get_mut(&conn).map(ReplyDecoder::next_frame) {
            Some(Ok(Some(frame))) => show(&frame.to_bytes()),
            Some(Err(error)) => format!("<{error}>"),
            _ => String::new(),
        }
    }
}

fn run_on_engine(steps: &[(String, Step)], started_at_ms: u64) -> RunResult {
    let mut run = EngineRun::new(started_at_ms);
    let mut current = 1;
    let mut cron = true;
    let mut replies = Vec::new();
    for (_, step) in steps {
        let reply = match step {
            Step::Command { args } => {
                let conn = run.conn(current);
                let mut bytes = Vec::new();
                encode_request(args, &mut bytes);
                run.node
                    .handle_input(run.now, Input::Received { conn, bytes });
                run.drain();
                run.next_reply(conn)
            }
            Step::Read => match run.conns.get(&current).copied() {
                Some(conn) => run.next_reply(conn),
                None => String::new(),
            },
            Step::Sleep { ms } => {
                run.sleep(*ms, cron);
                String::new()
            }
            Step::Client { n } => {
                current = *n;
                String::new()
            }
            Step::ActiveExpire { on } => {
                cron = *on;
                String::new()
            }
        };
        replies.push(reply);
    }
    RunResult {
        stream: run.stream,
        replies,
    }
}

// ------------------------------------------------------------------------------------------------
// Comparison.
// ------------------------------------------------------------------------------------------------

/// Splits a replication stream into commands; every command must be a multibulk of bulks.
fn parse_stream(bytes: &[u8], who: &str) -> Result<Vec<Argv>, String> {
    let mut decoder = ReplyDecoder::new();
    decoder.push(bytes);
    let mut commands = Vec::new();
    loop {
        match decoder.next_frame() {
            Ok(Some(Frame::Array(items))) => {
                let argv = items
                    .into_iter()
                    .map(|item| match item {
                        Frame::Bulk(arg) => Ok(arg),
                        other => Err(format!("{who}: a command argument is {other:?}")),
                    })
                    .collect::<Result<Argv, String>>()?;
                commands.push(argv);
            }
            Ok(Some(other)) => return Err(format!("{who}: the stream holds {other:?}")),
            Ok(None) => break,
            Err(error) => return Err(format!("{who}: {error}")),
        }
    }
    // Commands in a stream are canonical multibulks: re-encoding them must give every byte back.
    let mut reencoded = Vec::new();
    for argv in &commands {
        encode_request(argv, &mut reencoded);
    }
    if reencoded != bytes {
        return Err(format!(
            "{who}: the stream is not a sequence of whole commands: {}",
            show(bytes)
        ));
    }
    Ok(commands)
}

fn is_ping(argv: &Argv) -> bool {
    argv.len() == 1 && argv[0].eq_ignore_ascii_case(b"ping")
}

fn unix_ms(arg: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(arg).ok()?;
    let value: u64 = text.parse().ok()?;
    (value >= UNIX_MS_MIN && value.to_string() == text).then_some(value)
}

fn args_match(redis: &[u8], ours: &[u8]) -> bool {
    if redis == ours {
        return true;
    }
    match (unix_ms(redis), unix_ms(ours)) {
        (Some(redis), Some(ours)) => redis >= ours && redis - ours <= CLOCK_SKEW_MS_MAX,
        _ => false,
    }
}

fn commands_match(redis: &Argv, ours: &Argv) -> bool {
    redis.len() == ours.len()
        && redis
            .iter()
            .zip(ours)
            .all(|(redis, ours)| args_match(redis, ours))
}

/// A command as one readable line, arguments quoted when needed.
fn show_command(argv: &Argv) -> String {
    argv.iter()
        .map(|arg| {
            if !arg.is_empty()
                && arg
                    .iter()
                    .all(|b| b.is_ascii_graphic() && !b"\"\\".contains(b))
            {
                show(arg)
            } else {
                format!("\"{}\"", show(arg))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Bytes as text with `\r`, `\n` and non-printables escaped.
fn show(bytes: &[u8]) -> String {
    let mut text = String::new();
    for &byte in bytes {
        match byte {
            b'\r' => text.push_str("\\r"),
            b'\n' => text.push_str("\\n"),
            b'\\' => text.push_str("\\\\"),
            b'"' => text.push_str("\\\""),
            0x20..=0x7e => text.push(char::from(byte)),
            _ => {
                let _ = write!(text, "\\x{byte:02x}");
            }
        }
    }
    text
}

/// A line diff of the two command lists (longest common subsequence): `  ` both, `- ` Redis
/// only, `+ ` ours only.
fn diff(redis: &[Argv], ours: &[Argv]) -> String {
    let (n, m) = (redis.len(), ours.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if commands_match(&redis[i], &ours[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && commands_match(&redis[i], &ours[j]) {
            let _ = writeln!(out, "    {}", show_command(&redis[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            let _ = writeln!(out, "  + {}", show_command(&ours[j]));
            j += 1;
        } else {
            let _ = writeln!(out, "  - {}", show_command(&redis[i]));
            i += 1;
        }
    }
    out
}

/// Runs one script both ways; None if the streams agree, else a report.
fn check_script(path: &Path) -> Option<String> {
    let name = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let steps = parse_script(path);
    let (redis, started_at_ms) = run_on_redis(&name, &steps);
    let ours = run_on_engine(&steps, started_at_ms);
    let parsed = parse_stream(&redis.stream, "redis-server")
        .and_then(|redis_commands| Ok((redis_commands, parse_stream(&ours.stream, "engine")?)));
    let (redis_commands, our_commands) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return Some(format!("{name}: {error}\n")),
    };
    let redis_commands: Vec<Argv> = redis_commands
        .into_iter()
        .filter(|argv| !is_ping(argv))
        .collect();
    let agree = redis_commands.len() == our_commands.len()
        && redis_commands
            .iter()
            .zip(&our_commands)
            .all(|(redis, ours)| commands_match(redis, ours));
    if agree {
        return None;
    }
    let mut report = format!(
        "{name}: replication streams differ (- redis-server only, + engine only)\n{}",
        diff(&redis_commands, &our_commands)
    );
    report.push_str("  replies (redis-server | engine), for context:\n");
    for ((label, _), (redis_reply, our_reply)) in
        steps.iter().zip(redis.replies.iter().zip(&ours.replies))
    {
        let marker = if redis_reply == our_reply { ' ' } else { '!' };
        let _ = writeln!(report, "  {marker} {label:<40} {redis_reply} | {our_reply}");
    }
    Some(report)
}

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/propagation");
    let filter = std::env::var("PROPAGATION_FILTER").unwrap_or_default();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "redis"))
        .filter(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().contains(&filter))
        })
        .collect();
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no scripts in {} match {filter:?}",
        dir.display()
    );
    paths
}

#[test]
fn replication_streams_match_redis_7_0() {
    let mut failures = Vec::new();
    for path in scripts() {
        // A script the harness cannot run (no reply, bad line) fails alone; the others still run.
        let outcome = std::panic::catch_unwind(|| check_script(&path)).unwrap_or_else(|_| {
            Some("the harness failed on this script (see the panic above)".into())
        });
        match outcome {
            None => eprintln!("ok    {}", path.display()),
            Some(report) => {
                eprintln!("FAIL  {}\n{report}", path.display());
                failures.push(path.display().to_string());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} script(s) failed (streams differ, or the script could not run): {}",
        failures.len(),
        failures.join(", ")
    );
}

#[test]
fn harness_compares_timestamps_with_bounded_skew_only() {
    assert!(args_match(b"1795245393487", b"1795245393487"));
    assert!(args_match(b"1795245393500", b"1795245393487"));
    assert!(!args_match(b"1795245393400", b"1795245393487"));
    assert!(!args_match(b"1795245399487", b"1795245393487"));
    assert!(!args_match(b"100", b"101"));
    assert!(!args_match(b"01795245393487", b"1795245393487"));
}
