//! Test support shared by the native integration tests: real server processes on free loopback
//! ports (Debian's `redis-server` as the oracle, and our `playground-server`), and a minimal
//! RESP client built on the engine's own encoder and reply decoder.
#![allow(dead_code)] // Each test binary uses a different part of this module.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use replication_playground::engine::resp::{encode_request, Frame, ReplyDecoder};

/// How long a server may take to accept its first connection.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a starting server may take to answer the readiness PINGs.
const PROBE_REPLY_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a reply may take.
const REPLY_TIMEOUT: Duration = Duration::from_secs(10);

/// A port nobody listens on right now: the next free one of `PLAYGROUND_TEST_PORTS` (`7400-7499`:
/// a shared machine's share), else of [`DEFAULT_TEST_PORTS`], round-robin, so a port handed out
/// and not yet bound is not handed out again.
pub fn free_port() -> u16 {
    loop {
        let port = any_free_port();
        // Never the port kept free for tests that need one nobody listens on.
        if UNREACHABLE_PORT.get() != Some(&port) {
            return port;
        }
    }
}

static UNREACHABLE_PORT: std::sync::OnceLock<u16> = std::sync::OnceLock::new();

/// A port nothing listens on for the whole run (the same for every test of a binary, and never
/// handed out by [`free_port`]): a master a replica cannot reach.
pub fn unreachable_port() -> u16 {
    *UNREACHABLE_PORT.get_or_init(any_free_port)
}

/// Below Linux's ephemeral range (32768-60999): a port the OS picked there could be taken as the
/// source port of some outgoing connection (a replica's, a client's) between the moment it was
/// found free and the moment the server binds it, and the readiness probe could even connect to
/// itself, so a server that never started looked ready.
const DEFAULT_TEST_PORTS: &str = "20000-29999";

fn any_free_port() -> u16 {
    let range =
        std::env::var("PLAYGROUND_TEST_PORTS").unwrap_or_else(|_| DEFAULT_TEST_PORTS.to_string());
    let (low, high) = range
        .split_once('-')
        .and_then(|(low, high)| Some((low.parse::<u16>().ok()?, high.parse::<u16>().ok()?)))
        .filter(|(low, high)| low <= high)
        .expect("PLAYGROUND_TEST_PORTS=<low>-<high>");
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    // Each test binary starts at an offset of its own (from its process id), rather than every
    // binary handing out the same ports from the range's start one after the other.
    static START: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let span = u32::from(high - low) + 1;
    let start = *START.get_or_init(|| std::process::id().wrapping_mul(7919) % span);
    for _ in 0..span {
        let offset = (start + NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) % span;
        let port = low + offset as u16;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port in {range}");
}

/// Polls `condition` every few milliseconds until it holds; fails with `what` after `bound`
/// (generous: a loaded machine only makes the test slower, never wrong).
pub fn wait_until(what: &str, bound: Duration, mut condition: impl FnMut() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(
            started.elapsed() < bound,
            "timed out after {bound:?} waiting until {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// One field of an INFO reply's text (`name:value` lines).
pub fn info_field(info: &str, name: &str) -> Option<String> {
    info.split("\r\n")
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
        .map(str::to_string)
}

/// Debian's redis-server, which the tests treat as the oracle; a clear failure if missing.
pub fn redis_server_binary() -> PathBuf {
    let path = PathBuf::from("/usr/bin/redis-server");
    assert!(
        path.exists(),
        "redis-server 7.0 is required as the test oracle: install it with scripts/setup --for-tests \
         (Debian package redis-server)"
    );
    path
}

/// A server process that is killed when dropped.
pub struct ServerProcess {
    child: Child,
    /// The loopback port it listens on.
    pub port: u16,
    /// `redis-server` or `playground-server`, for messages.
    pub name: &'static str,
    /// Its working directory (a fresh temporary one), where it would write files.
    pub dir: PathBuf,
    /// Where its log (stdout and stderr) goes, shown when a test fails.
    log: PathBuf,
    /// How it was started, for [`restart`](ServerProcess::restart).
    binary: PathBuf,
    args: Vec<String>,
}

/// Starts `binary` on `port` in `dir`, appending its output to `log`.
fn spawn(binary: &PathBuf, port: u16, dir: &PathBuf, log: &PathBuf, args: &[String]) -> Child {
    let mut command = Command::new(binary);
    // Both servers get the same directives, so CONFIG GET and INFO can be compared.
    let port_arg = port.to_string();
    let dir_arg = dir.to_str().unwrap();
    command.args(["--port", &port_arg, "--bind", "127.0.0.1", "--dir", dir_arg]);
    command.args([
        "--save",
        "",
        "--appendonly",
        "no",
        "--enable-debug-command",
        "yes",
    ]);
    let log_file = std::fs::OpenOptions::new().append(true).open(log).unwrap();
    command
        .args(args)
        .current_dir(dir)
        .stdout(log_file.try_clone().unwrap())
        .stderr(log_file)
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {}: {error}", binary.display()))
}

impl ServerProcess {
    /// Starts the real redis-server with `args` (after the common directives: port, bind, dir,
    /// no persistence, DEBUG enabled).
    pub fn redis(args: &[&str]) -> ServerProcess {
        Self::start("redis-server", redis_server_binary(), args)
    }

    /// Starts our playground-server with `args`.
    pub fn playground(args: &[&str]) -> ServerProcess {
        Self::start(
            "playground-server",
            PathBuf::from(env!("CARGO_BIN_EXE_playground-server")),
            args,
        )
    }

    fn start(name: &'static str, binary: PathBuf, args: &[&str]) -> ServerProcess {
        Self::start_on(name, binary, free_port(), args)
    }

    /// Starts the real redis-server on `port` (a replica configured with its own port).
    pub fn redis_on(port: u16, args: &[&str]) -> ServerProcess {
        Self::start_on("redis-server", redis_server_binary(), port, args)
    }

    /// Starts our playground-server on `port`.
    pub fn playground_on(port: u16, args: &[&str]) -> ServerProcess {
        Self::start_on(
            "playground-server",
            PathBuf::from(env!("CARGO_BIN_EXE_playground-server")),
            port,
            args,
        )
    }

    fn start_on(name: &'static str, binary: PathBuf, port: u16, args: &[&str]) -> ServerProcess {
        let dir = std::env::temp_dir().join(format!(
            "replication-playground-{name}-{port}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let log = std::env::temp_dir().join(format!(
            "replication-playground-{name}-{port}-{}.log",
            std::process::id()
        ));
        std::fs::File::create(&log).unwrap();
        let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
        let child = spawn(&binary, port, &dir, &log, &args);
        let mut server = ServerProcess {
            child,
            port,
            name,
            dir,
            log,
            binary,
            args,
        };
        server.wait_until_ready();
        server
    }

    /// Kills the process (as a crash would: nothing saved on the way out) and starts it again
    /// with the same directives, port and directory, so it loads whatever it saved there.
    pub fn restart(&mut self) {
        self.restart_after(Duration::ZERO);
    }

    /// [`restart`](ServerProcess::restart), staying down for `down_for` (keys expire meanwhile).
    pub fn restart_after(&mut self, down_for: Duration) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::thread::sleep(down_for);
        self.child = spawn(&self.binary, self.port, &self.dir, &self.log, &self.args);
        self.wait_until_ready();
    }

    /// Waits until the process we spawned answers on its port. If it exited instead, it is
    /// started again until it stays up, within [`START_TIMEOUT`]: a run once saw a server fail
    /// with "Address already in use" on a port found free, while something else answered the
    /// readiness probe's connect and then went away.
    fn wait_until_ready(&mut self) {
        let started = Instant::now();
        loop {
            if self.answers() {
                return;
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "{} did not start on port {}",
                self.name,
                self.port
            );
            let _ = self.child.kill();
            let _ = self.child.wait();
            std::thread::sleep(Duration::from_millis(50));
            self.child = spawn(&self.binary, self.port, &self.dir, &self.log, &self.args);
        }
    }

    /// True once our process listens and has answered; false if it exited first.
    fn answers(&mut self) -> bool {
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if self.exited() || started.elapsed() >= START_TIMEOUT {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        // Two round trips a few milliseconds apart: redis-server runs its first serverCron
        // (a timer 1 ms after start) at the end of the event-loop turn that read the second
        // one at the latest. Before that, a replica could attach early enough to receive the
        // PING of `replication_cron_loops` 0, which makes stream offsets depend on timing.
        let Some(mut client) = Client::try_connect(self.port, PROBE_REPLY_TIMEOUT) else {
            return false;
        };
        let first = client.call(&[b"PING".to_vec()]).is_ok();
        std::thread::sleep(Duration::from_millis(5));
        let second = client.call(&[b"PING".to_vec()]).is_ok();
        // Something else answering the connect (and failing our bind) shows as our exit.
        first && second && !self.exited()
    }

    fn exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }

    /// A new client connection.
    pub fn connect(&self) -> Client {
        Client::connect(self.port)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
        if std::thread::panicking() {
            // The test failed: its servers' last words help more than the assertion alone.
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let tail = &lines[lines.len().saturating_sub(40)..];
            eprintln!(
                "--- {} on port {}, last log lines:\n{}",
                self.name,
                self.port,
                tail.join("\n")
            );
        }
        let _ = std::fs::remove_file(&self.log);
    }
}

/// A RESP client on one connection.
pub struct Client {
    stream: TcpStream,
    replies: ReplyDecoder,
}

impl Client {
    /// Connects to a loopback port.
    pub fn connect(port: u16) -> Client {
        Client::try_connect(port, REPLY_TIMEOUT)
            .unwrap_or_else(|| panic!("cannot connect to port {port}"))
    }

    /// Connects to a loopback port, waiting at most `reply_timeout` for each reply.
    fn try_connect(port: u16, reply_timeout: Duration) -> Option<Client> {
        let stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
        stream.set_read_timeout(Some(reply_timeout)).ok()?;
        stream.set_nodelay(true).ok()?;
        Some(Client {
            stream,
            replies: ReplyDecoder::new(),
        })
    }

    /// Sends one command as a RESP multibulk request.
    pub fn send(&mut self, args: &[Vec<u8>]) -> std::io::Result<()> {
        let mut request = Vec::new();
        encode_request(args, &mut request);
        self.stream.write_all(&request)
    }

    /// Sends raw bytes.
    pub fn send_raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// Reads the next reply; an error string if the connection closed, timed out or sent garbage.
    pub fn read_frame(&mut self) -> Result<Frame, String> {
        let mut buffer = [0u8; 16 * 1024];
        loop {
            match self.replies.next_frame() {
                Ok(Some(frame)) => return Ok(frame),
                Ok(None) => {}
                Err(error) => return Err(format!("bad reply: {error}")),
            }
            match self.stream.read(&mut buffer) {
                Ok(0) => return Err("connection closed".into()),
                Ok(read) => self.replies.push(&buffer[..read]),
                // A reset is the same outcome as an orderly close: the server dropped us.
                Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => {
                    return Err("connection closed".into())
                }
                Err(error) => return Err(format!("no reply: {error}")),
            }
        }
    }

    /// Sends a command and reads its reply.
    pub fn call(&mut self, args: &[Vec<u8>]) -> Result<Frame, String> {
        self.send(args)
            .map_err(|error| format!("send failed: {error}"))?;
        self.read_frame()
    }

    /// Calls `line` (redis-cli quoting) and fails the test if the connection broke.
    pub fn cmd(&mut self, line: &str) -> Frame {
        self.call_line(line)
            .unwrap_or_else(|error| panic!("{line}: {error}"))
    }

    /// INFO `section`'s text.
    pub fn info(&mut self, section: &str) -> String {
        match self.cmd(&format!("INFO {section}")) {
            Frame::Bulk(text) => String::from_utf8_lossy(&text).into_owned(),
            other => panic!("INFO {section}: {other:?}"),
        }
    }

    /// One INFO field (from `section`), failing the test if it is missing.
    pub fn info_field(&mut self, section: &str, name: &str) -> String {
        let info = self.info(section);
        info_field(&info, name).unwrap_or_else(|| panic!("no {name} in INFO {section}:\n{info}"))
    }

    /// `DEBUG DIGEST`: the dataset's digest (servers are started with DEBUG enabled).
    pub fn digest(&mut self) -> String {
        match self.cmd("DEBUG DIGEST") {
            Frame::Simple(digest) => digest,
            other => panic!("DEBUG DIGEST: {other:?}"),
        }
    }

    /// Splits `line` like redis-cli and calls it.
    pub fn call_line(&mut self, line: &str) -> Result<Frame, String> {
        let args = replication_playground::engine::resp::split_args(line.as_bytes())
            .expect("balanced quotes");
        self.call(&args)
    }
}

/// A reply's bytes in readable form (`\xHH` for the unprintable), for failure messages.
pub fn escape(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&byte| match byte {
            b'\r' => "\\r".to_string(),
            b'\n' => "\\n".to_string(),
            0x20..=0x7e => char::from(byte).to_string(),
            other => format!("\\x{other:02x}"),
        })
        .collect()
}
