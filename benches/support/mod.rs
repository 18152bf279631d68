//! What the replication benchmarks share: servers started in their own directories (Debian's
//! redis-server or our playground-server), a small blocking client speaking RESP with the
//! engine's own encoder and decoder, and the figures' arithmetic.

#![allow(dead_code)] // each benchmark uses its own part

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant as WallInstant};

use replication_playground::engine::resp::{encode_request, Frame, ReplyDecoder};

/// Which server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Debian's redis-server 7.0.
    Redis,
    /// Our playground-server.
    Ours,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Redis => "redis-server",
            Kind::Ours => "playground-server",
        }
    }

    /// The executable; `BENCH_OURS` replaces playground-server's (to compare two builds of it
    /// against the same redis-server, e.g. before and after a change).
    fn binary(self) -> String {
        match self {
            Kind::Redis => "/usr/bin/redis-server".to_string(),
            Kind::Ours => std::env::var("BENCH_OURS")
                .unwrap_or_else(|_| env!("CARGO_BIN_EXE_playground-server").to_string()),
        }
    }
}

/// A free loopback port, searched upwards from `BENCH_PORT_BASE` (7500 unless set), skipping
/// the ones already handed out in this run.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let base = std::env::var("BENCH_PORT_BASE")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(7500);
    let _ = NEXT.compare_exchange(0, base, Ordering::SeqCst, Ordering::SeqCst);
    loop {
        let port = NEXT.fetch_add(1, Ordering::SeqCst);
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// A server process in a directory of its own (its RDB files and log), stopped and removed on
/// drop.
pub struct Server {
    pub kind: Kind,
    pub port: u16,
    pub dir: PathBuf,
    child: Child,
}

impl Server {
    /// Starts a server on loopback with DEBUG allowed, no automatic saves, a diskless full sync
    /// starting at once (`repl-diskless-sync-delay 0`) and `extra` settings; returns once it
    /// answers PING.
    pub fn start(kind: Kind, extra: &[&str]) -> Server {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!(
            "replication-playground-bench-{}-{port}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the server's directory");
        let log = std::fs::File::create(dir.join("log")).expect("create the server's log");
        let port_text = port.to_string();
        let dir_text = dir.to_string_lossy().into_owned();
        let mut args = vec![
            "--port",
            &port_text,
            "--bind",
            "127.0.0.1",
            "--dir",
            &dir_text,
            "--enable-debug-command",
            "yes",
            "--repl-diskless-sync-delay",
            "0",
        ];
        if kind == Kind::Redis {
            args.extend(["--save", "", "--appendonly", "no"]);
        }
        args.extend(extra);
        let binary = kind.binary();
        let child = Command::new(&binary)
            .args(&args)
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|error| panic!("start {binary}: {error}"));
        let server = Server {
            kind,
            port,
            dir,
            child,
        };
        let started = WallInstant::now();
        loop {
            if let Ok(mut client) = Client::connect(port) {
                if client.call(&["PING"]) == Frame::Simple("PONG".into()) {
                    return server;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{} on port {port} did not start",
                kind.name()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn client(&self) -> Client {
        Client::connect(self.port).expect("connect to the server")
    }

    /// Bytes of `dir`/dump.rdb, after SAVE.
    pub fn saved_rdb_bytes(&self) -> u64 {
        let reply = self.client().call(&["SAVE"]);
        assert_eq!(
            reply,
            Frame::Simple("OK".into()),
            "SAVE on {}",
            self.kind.name()
        );
        std::fs::metadata(self.dir.join("dump.rdb"))
            .map(|metadata| metadata.len())
            .expect("SAVE wrote dump.rdb")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A blocking RESP client.
pub struct Client {
    stream: TcpStream,
    replies: ReplyDecoder,
}

impl Client {
    pub fn connect(port: u16) -> std::io::Result<Client> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_nodelay(true)?;
        Ok(Client {
            stream,
            replies: ReplyDecoder::new(),
        })
    }

    /// Sends one command and waits for its reply.
    pub fn call(&mut self, args: &[&str]) -> Frame {
        let mut request = Vec::new();
        encode_request(args, &mut request);
        self.stream.write_all(&request).expect("send a request");
        self.read_reply()
    }

    fn read_reply(&mut self) -> Frame {
        let mut buffer = [0u8; 64 * 1024];
        loop {
            if let Some(frame) = self.replies.next_frame().expect("a well-formed reply") {
                return frame;
            }
            let read = self.stream.read(&mut buffer).expect("read a reply");
            assert!(read > 0, "the server closed the connection");
            self.replies.push(&buffer[..read]);
        }
    }

    /// `field` from `INFO section`, e.g. `master_link_status`.
    pub fn info_field(&mut self, section: &str, field: &str) -> Option<String> {
        let Frame::Bulk(text) = self.call(&["INFO", section]) else {
            return None;
        };
        let text = String::from_utf8_lossy(&text).into_owned();
        text.lines()
            .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
            .map(str::to_string)
    }

    /// `DEBUG DIGEST`.
    pub fn digest(&mut self) -> Frame {
        self.call(&["DEBUG", "DIGEST"])
    }

    /// Fills the server as `DEBUG POPULATE <keys>` does on redis-server (`key:<n>` →
    /// `value:<n>`), with pipelined SETs, so both servers are filled the same way.
    pub fn populate(&mut self, keys: u64) {
        const BATCH: u64 = 1_000;
        let mut request = Vec::new();
        let mut first = 0;
        while first < keys {
            request.clear();
            let last = keys.min(first + BATCH);
            for n in first..last {
                encode_request(
                    &["SET", &format!("key:{n}"), &format!("value:{n}")],
                    &mut request,
                );
            }
            self.stream.write_all(&request).expect("send SETs");
            for _ in first..last {
                assert_eq!(self.read_reply(), Frame::Simple("OK".into()));
            }
            first = last;
        }
    }
}

/// Seconds since `started`.
pub fn seconds_since(started: WallInstant) -> f64 {
    started.elapsed().as_secs_f64()
}

/// Median, lowest and highest of some runs' figures.
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    pub fn of(values: &[f64]) -> Spread {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let middle = sorted.len() / 2;
        let median = if sorted.len() % 2 == 1 {
            sorted[middle]
        } else {
            (sorted[middle - 1] + sorted[middle]) / 2.0
        };
        Spread {
            median,
            min: sorted[0],
            max: sorted[sorted.len() - 1],
        }
    }
}

/// How many times each measurement runs: `BENCH_ROUNDS`, or `default`.
pub fn rounds(default: usize) -> usize {
    std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|rounds| rounds.parse().ok())
        .filter(|&rounds| rounds > 0)
        .unwrap_or(default)
}
