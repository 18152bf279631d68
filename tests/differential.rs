//! Differential tests: every script in `tests/diff/*.redis` runs against Debian's real
//! `redis-server` 7.0 and against our `playground-server`, each freshly started, and every reply
//! must be byte-for-byte the same.
//!
//! Script format: one command per line in redis-cli quoting; `#` comments and blank lines are
//! ignored. Directives: `@sleep <ms>`, `@client <n>` (switch connection; 1 is the default),
//! `@read` (read one pushed reply on the current connection without sending anything).
//!
//! Normalisations, the only places where replies are not compared byte for byte. A line may
//! start with one of them:
//! - `[sorted]`: the top-level array is compared as a sorted list (Redis orders hashtable-encoded
//!   keys, members and fields by a random seed; we use a stable hash order).
//! - `[sorted-pairs]`: an array of field/value pairs is compared as a sorted list of pairs.
//! - `[scan]`: a SCAN-family reply: the cursor exactly, the element list sorted.
//! - `[type-only]`: only the reply's shape and types (values that depend on timing or on a
//!   random pick: PTTL, SPOP, CLIENT ID, ...).
//! - `[info-fields]`: an INFO reply: section headers and field names in order, not the values.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use replication_playground::engine::resp::{split_args, Frame};
use support::{escape, Client, ServerProcess};

/// How to compare one reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Normaliser {
    Exact,
    Sorted,
    SortedPairs,
    Scan,
    TypeOnly,
    InfoFields,
}

impl Normaliser {
    /// Splits a `[name]` prefix off a line.
    fn parse(line: &str) -> Result<(Normaliser, &str), String> {
        let Some(rest) = line.strip_prefix('[') else {
            return Ok((Normaliser::Exact, line));
        };
        let (name, command) = rest.split_once(']').ok_or("unclosed [normaliser]")?;
        let normaliser = match name {
            "sorted" => Normaliser::Sorted,
            "sorted-pairs" => Normaliser::SortedPairs,
            "scan" => Normaliser::Scan,
            "type-only" => Normaliser::TypeOnly,
            "info-fields" => Normaliser::InfoFields,
            other => return Err(format!("unknown normaliser [{other}]")),
        };
        Ok((normaliser, command.trim_start()))
    }

    fn apply(self, frame: Frame) -> Frame {
        match (self, frame) {
            (Normaliser::Exact, frame) => frame,
            (Normaliser::Sorted, Frame::Array(mut items)) => {
                items.sort_by_key(Frame::to_bytes);
                Frame::Array(items)
            }
            (Normaliser::SortedPairs, Frame::Array(items)) => {
                let mut pairs: Vec<Vec<Frame>> = items.chunks(2).map(<[Frame]>::to_vec).collect();
                pairs
                    .sort_by_key(|pair| pair.iter().flat_map(Frame::to_bytes).collect::<Vec<u8>>());
                Frame::Array(pairs.concat())
            }
            (Normaliser::Scan, Frame::Array(mut items)) if items.len() == 2 => {
                if let Frame::Array(elements) = &mut items[1] {
                    elements.sort_by_key(Frame::to_bytes);
                }
                Frame::Array(items)
            }
            (Normaliser::TypeOnly, frame) => type_only(frame),
            (Normaliser::InfoFields, Frame::Bulk(text)) => Frame::Bulk(info_fields(&text)),
            (_, frame) => frame,
        }
    }
}

fn type_only(frame: Frame) -> Frame {
    match frame {
        Frame::Simple(_) => Frame::Simple("<simple>".into()),
        Frame::Error(_) => Frame::error("<error>"),
        Frame::Integer(_) => Frame::Integer(0),
        Frame::Bulk(_) => Frame::bulk("<bulk>"),
        Frame::Array(items) => Frame::Array(items.into_iter().map(type_only).collect()),
        other => other,
    }
}

fn info_fields(text: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(text)
        .split("\r\n")
        .map(|line| match line.split_once(':') {
            Some((name, _)) if !line.starts_with('#') => format!("{name}:"),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\r\n")
        .into_bytes()
}

/// One side of the comparison: a server and its client connections.
struct Side {
    server: ServerProcess,
    clients: Vec<Option<Client>>,
}

impl Side {
    fn new(server: ServerProcess) -> Side {
        Side {
            server,
            clients: Vec::new(),
        }
    }

    fn client(&mut self, index: usize) -> &mut Client {
        if self.clients.len() <= index {
            self.clients.resize_with(index + 1, || None);
        }
        let port = self.server.port;
        self.clients[index].get_or_insert_with(|| Client::connect(port))
    }
}

/// A reply that differed.
struct Mismatch {
    location: String,
    command: String,
    redis: String,
    ours: String,
}

fn show(reply: &Result<Frame, String>) -> String {
    match reply {
        Ok(frame) => escape(&frame.to_bytes()),
        Err(error) => format!("<{error}>"),
    }
}

/// Runs one script on fresh servers; returns the number of replies compared and the mismatches.
fn run_script(path: &Path) -> (usize, Vec<Mismatch>) {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut redis = Side::new(ServerProcess::redis(&[]));
    let mut ours = Side::new(ServerProcess::playground(&[]));
    let mut current = 0usize;
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for (number, raw_line) in text.lines().enumerate() {
        let line = raw_line.trim();
        let location = format!("{name}:{}", number + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(ms) = line.strip_prefix("@sleep ") {
            std::thread::sleep(Duration::from_millis(
                ms.trim().parse().expect("@sleep <ms>"),
            ));
            continue;
        }
        if let Some(n) = line.strip_prefix("@client ") {
            current = n
                .trim()
                .parse::<usize>()
                .expect("@client <n>")
                .checked_sub(1)
                .expect("clients count from 1");
            continue;
        }
        let (normaliser, command) =
            Normaliser::parse(line).unwrap_or_else(|error| panic!("{location}: {error}"));
        let (redis_reply, our_reply) = if command == "@read" {
            (
                redis.client(current).read_frame(),
                ours.client(current).read_frame(),
            )
        } else {
            let args = split_args(command.as_bytes())
                .unwrap_or_else(|| panic!("{location}: unbalanced quotes"));
            (
                redis.client(current).call(&args),
                ours.client(current).call(&args),
            )
        };
        let redis_reply = redis_reply.map(|frame| normaliser.apply(frame));
        let our_reply = our_reply.map(|frame| normaliser.apply(frame));
        compared += 1;
        if redis_reply != our_reply {
            mismatches.push(Mismatch {
                location,
                command: command.to_string(),
                redis: show(&redis_reply),
                ours: show(&our_reply),
            });
        }
    }
    (compared, mismatches)
}

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "redis"))
        // DIFF_SCRIPT=<part of a name> runs only the matching scripts (while working on one).
        .filter(|path| {
            std::env::var("DIFF_SCRIPT").map_or(true, |only| {
                path.file_name()
                    .is_some_and(|name| name.to_string_lossy().contains(&only))
            })
        })
        .collect();
    scripts.sort();
    assert!(!scripts.is_empty(), "no scripts in {}", dir.display());
    scripts
}

/// Every script, every reply, byte for byte (after the documented normalisations).
#[test]
fn every_reply_matches_real_redis() {
    let mut report = String::new();
    let mut total_mismatches = 0;
    for script in scripts() {
        let (compared, mismatches) = run_script(&script);
        println!(
            "{}: {compared} replies compared, {} differ",
            script.display(),
            mismatches.len()
        );
        total_mismatches += mismatches.len();
        for mismatch in mismatches {
            report.push_str(&format!(
                "\n{}  {}\n    redis-server:      {}\n    playground-server: {}\n",
                mismatch.location, mismatch.command, mismatch.redis, mismatch.ours
            ));
        }
    }
    assert!(
        total_mismatches == 0,
        "{total_mismatches} replies differ from redis-server:{report}"
    );
}

/// Everything a server sends back for `input` on a fresh connection, until it closes the
/// connection, or goes quiet for `quiet` after sending at least `expected_bytes` (bounded by a
/// few seconds, so a slow machine delays the test instead of failing it).
fn raw_exchange(
    server: &ServerProcess,
    input: &[u8],
    expected_bytes: usize,
    quiet: Duration,
) -> Vec<u8> {
    use std::io::{Read, Write};
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    // A server may close mid-write after a protocol error; what it answered is what counts.
    let _ = stream.write_all(input);
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let waiting_for_more =
            received.len() < expected_bytes && std::time::Instant::now() < deadline;
        let timeout = if waiting_for_more {
            Duration::from_millis(100)
        } else {
            quiet
        };
        stream.set_read_timeout(Some(timeout)).unwrap();
        match stream.read(&mut buffer) {
            Ok(0) => {
                received.extend_from_slice(b"<closed>");
                return received;
            }
            Ok(read) => received.extend_from_slice(&buffer[..read]),
            Err(_) if waiting_for_more => continue,
            Err(_) => return received,
        }
    }
}

/// Malformed and hostile requests get Redis's exact protocol errors (and the connection is
/// closed exactly when Redis closes it).
#[test]
fn protocol_errors_match_real_redis() {
    let redis = ServerProcess::redis(&[]);
    let ours = ServerProcess::playground(&[]);
    let mut huge_inline = vec![b'a'; 70_000];
    huge_inline.extend_from_slice(b"\r\n");
    let mut huge_count = b"*".to_vec();
    huge_count.extend(std::iter::repeat_n(b'9', 70_000));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("invalid multibulk length", b"*x\r\n".to_vec()),
        ("multibulk length past INT_MAX", b"*2147483648\r\n".to_vec()),
        (
            "multibulk length at INT_MAX waits",
            b"*2147483647\r\n".to_vec(),
        ),
        (
            "negative multibulk length is an empty request",
            b"*-5\r\nPING\r\n".to_vec(),
        ),
        ("expected $", b"*1\r\n:1\r\n".to_vec()),
        (
            "empty bulk header line (found by the fuzzer)",
            b"*1\r\n\r\n".to_vec(),
        ),
        (
            "a non-ASCII byte where $ belongs",
            b"*1\r\n\xff1\r\n".to_vec(),
        ),
        ("negative bulk length", b"*1\r\n$-1\r\n".to_vec()),
        (
            "bulk length past proto-max-bulk-len",
            b"*1\r\n$536870913\r\n".to_vec(),
        ),
        ("unbalanced quotes inline", b"ECHO \"abc\r\n".to_vec()),
        (
            "glued closing quote inline",
            b"ECHO \"abc\"def\r\n".to_vec(),
        ),
        ("too big inline request", huge_inline[..70_000].to_vec()),
        ("too big mbulk count string", huge_count),
        (
            "pipelined good then bad",
            b"PING\r\n*1\r\n$4\r\nPING\r\n*1\r\nx\r\nPING\r\n".to_vec(),
        ),
        (
            "inline with non-ASCII bytes",
            b"ECHO h\xc3\xa9 \xff\r\n".to_vec(),
        ),
        (
            "bulk payload not followed by CRLF",
            b"*2\r\n$4\r\nECHOxx$1\r\na\r\n".to_vec(),
        ),
        ("empty lines are ignored", b"\r\n\n\r\nPING\r\n".to_vec()),
        (
            "nul byte ends an inline line",
            b"ECHO a\x00b c\r\n".to_vec(),
        ),
    ];
    let mut report = String::new();
    for (name, input) in &cases {
        let expected = raw_exchange(&redis, input, 0, Duration::from_millis(1000));
        let actual = raw_exchange(&ours, input, expected.len(), Duration::from_millis(200));
        if expected != actual {
            report.push_str(&format!(
                "\n{name}\n    redis-server:      {}\n    playground-server: {}\n",
                escape(&expected),
                escape(&actual)
            ));
        }
    }
    assert!(
        report.is_empty(),
        "protocol handling differs from redis-server:{report}"
    );
}
