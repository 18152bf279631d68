//! Test support shared by the native integration tests: real server processes on free loopback
//! ports (Debian's `redis-server` as the oracle, and our `playground-server`), and a minimal
//! RESP client built on the engine's own encoder and reply decoder.
#![allow(dead_code)] // Each test binary uses a different part of this module.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use replication_playground::engine::resp::{encode_request, Frame, ReplyDecoder};

/// How long a server may take to accept its first connection.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a reply may take.
const REPLY_TIMEOUT: Duration = Duration::from_secs(10);

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap()
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
        let port = free_port();
        let dir = std::env::temp_dir().join(format!(
            "replication-playground-{name}-{port}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mut command = Command::new(&binary);
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
        let child = command
            .args(args)
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", binary.display()));
        let server = ServerProcess {
            child,
            port,
            name,
            dir,
        };
        server.wait_until_ready();
        server
    }

    fn wait_until_ready(&self) {
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < START_TIMEOUT,
                "{} did not start on port {}",
                self.name,
                self.port
            );
            std::thread::sleep(Duration::from_millis(10));
        }
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
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(REPLY_TIMEOUT)).unwrap();
        stream.set_nodelay(true).unwrap();
        Client {
            stream,
            replies: ReplyDecoder::new(),
        }
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
