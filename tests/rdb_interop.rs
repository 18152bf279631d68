//! RDB interoperability with the real redis-server 7.0 (the oracle, on free loopback ports).
//!
//! The same commands build a dataset on redis-server and on an in-process engine node; then:
//! (a) redis-server's `SAVE`d dump.rdb decodes to what the engine holds, and redis-server's `DUMP`
//!     of every key equals our encoding of the engine's value, byte for byte;
//! (b) our RDB of the engine's dataset, started as dump.rdb by a fresh redis-server, holds every
//!     key, type, expiry and value, with the encodings our decoder predicts, and the same
//!     `DEBUG DIGEST` as the server the commands ran on;
//! (c) our RDB is within 10% of the size of redis-server's for the same data;
//! (d) a dataset of 100 000 keys round-trips both ways.

mod support;

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use replication_playground::engine::keyspace::{Keyspace, Value};
use replication_playground::engine::rdb::{self, AuxFields, SaveOptions};
use replication_playground::engine::resp::{encode_request, Frame, ReplyDecoder};
use replication_playground::engine::{Config, ConnId, Input, Instant, Node, Output, Peer};
use support::{escape, Client, ServerProcess};

/// An engine node driven in-process through its public API, with one client connection.
struct Engine {
    node: Node,
    now: Instant,
    replies: ReplyDecoder,
}

impl Engine {
    fn new() -> Engine {
        let now = Instant::from_millis(now_ms());
        let mut node = Node::new(Config::default(), now, 1);
        node.handle_input(
            now,
            Input::Connected {
                conn: ConnId(1),
                peer: Peer::default(),
            },
        );
        Engine {
            node,
            now,
            replies: ReplyDecoder::new(),
        }
    }

    /// Runs commands pipelined and returns their replies.
    fn run(&mut self, commands: &[Vec<Vec<u8>>]) -> Vec<Frame> {
        let mut bytes = Vec::new();
        for command in commands {
            encode_request(command, &mut bytes);
        }
        self.node.handle_input(
            self.now,
            Input::Received {
                conn: ConnId(1),
                bytes,
            },
        );
        while let Some(output) = self.node.poll_output() {
            if let Output::Transmit { bytes, .. } = output {
                self.replies.push(&bytes);
            }
        }
        let mut frames = Vec::new();
        while let Ok(Some(frame)) = self.replies.next_frame() {
            frames.push(frame);
        }
        assert_eq!(frames.len(), commands.len(), "one reply per command");
        frames
    }

    fn keyspace(&self) -> &Keyspace {
        &self.node.state().keyspace
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn args(parts: &[&str]) -> Vec<Vec<u8>> {
    parts.iter().map(|part| part.as_bytes().to_vec()).collect()
}

/// Runs commands pipelined on redis-server and returns the replies.
fn run_redis(client: &mut Client, commands: &[Vec<Vec<u8>>]) -> Vec<Frame> {
    let mut replies = Vec::with_capacity(commands.len());
    for batch in commands.chunks(1000) {
        let mut bytes = Vec::new();
        for command in batch {
            encode_request(command, &mut bytes);
        }
        client.send_raw(&bytes).expect("send to redis-server");
        for _ in batch {
            replies.push(client.read_frame().expect("reply from redis-server"));
        }
    }
    replies
}

/// Runs the commands on both and checks the replies agree (so both datasets are the same).
fn build_on_both(redis: &mut Client, engine: &mut Engine, commands: &[Vec<Vec<u8>>]) {
    let from_redis = run_redis(redis, commands);
    let from_engine = engine.run(commands);
    for ((command, ours), theirs) in commands.iter().zip(&from_engine).zip(&from_redis) {
        assert_eq!(
            ours,
            theirs,
            "replies differ for {:?}",
            command.iter().map(|a| escape(a)).collect::<Vec<_>>()
        );
    }
}

fn call(client: &mut Client, parts: &[&str]) -> Frame {
    client.call(&args(parts)).expect("reply from redis-server")
}

fn bulk(frame: Frame) -> Vec<u8> {
    match frame {
        Frame::Bulk(bytes) => bytes,
        Frame::Simple(text) => text.into_bytes(),
        other => panic!("expected a bulk reply, got {other:?}"),
    }
}

fn array(frame: Frame) -> Vec<Vec<u8>> {
    match frame {
        Frame::Array(items) => items.into_iter().map(bulk).collect(),
        other => panic!("expected an array reply, got {other:?}"),
    }
}

/// A key's prefix that marks a value whose in-memory layout depends on history Redis keeps and
/// we do not (LPUSH-filled quicklist nodes): compared by content, not by DUMP bytes.
const LAYOUT_PREFIX: &str = "layout:";

/// Commands covering every type and encoding, with expiries at a fixed absolute time so both
/// sides hold the very same ones.
fn dataset_commands(expire_at_ms: u64) -> Vec<Vec<Vec<u8>>> {
    let at = expire_at_ms.to_string();
    let mut commands: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut add = |parts: &[&str]| commands.push(args(parts));
    // Strings: int encodings (8, 16, 32 bits, wider), embstr, raw, compressible, binary.
    add(&["SET", "s:int8", "-100"]);
    add(&["SET", "s:int16", "30000"]);
    add(&["SET", "s:int32", "-2000000000"]);
    add(&["SET", "s:int64", "123456789012345"]);
    add(&["SET", "s:notint", "007"]);
    add(&["SET", "s:minus0", "-0"]);
    add(&["SET", "s:empty", ""]);
    add(&["SET", "s:embstr", "hello world"]);
    add(&["SET", "s:raw", &"abcdefghij".repeat(30)]);
    add(&["SET", "s:incompressible", "q8Zr!x0Pw#4Lm@2Ks%7Bt"]);
    add(&["SET", "s:ttl", "expiring", "PXAT", &at]);
    add(&["SET", "s:float", "1.5"]);
    add(&["INCRBYFLOAT", "s:float", "2"]);
    add(&["SET", "s:appended", "12"]);
    add(&["APPEND", "s:appended", "34"]);
    add(&["SET", "12345", "integer key"]);
    add(&["SET", &"k".repeat(60), "long key, compressed"]);
    // Lists: one node, several 8 KB nodes, big elements, integers.
    add(&["RPUSH", "l:small", "a", "1", "-7", "300", "70000", "x"]);
    let many: Vec<String> = (0..3000).map(|n| format!("element-{n}")).collect();
    let mut rpush = vec!["RPUSH", "l:nodes"];
    rpush.extend(many.iter().map(String::as_str));
    add(&rpush);
    let big = "B".repeat(5000);
    add(&["RPUSH", "l:big", &big, "small", &big, &big]);
    let mut lpush = vec!["LPUSH", "layout:l:lpush"];
    lpush.extend(many.iter().take(1500).map(String::as_str));
    add(&lpush);
    add(&["RPUSH", "l:ttl", "v"]);
    add(&["PEXPIREAT", "l:ttl", &at]);
    // Sets: intsets of each width, a hashtable, an intset grown into a hashtable.
    add(&["SADD", "set:int16", "3", "1", "2", "-5"]);
    add(&["SADD", "set:int32", "1", "100000", "-100000"]);
    add(&["SADD", "set:int64", "1", "10000000000"]);
    add(&["SADD", "set:strings", "apple", "banana", "cherry", "1"]);
    add(&["SADD", "set:shrunk", "1", "2", "3", "10000000000"]);
    add(&["SREM", "set:shrunk", "10000000000"]);
    let ints: Vec<String> = (0..600).map(|n| (n * 7).to_string()).collect();
    let mut sadd = vec!["SADD", "set:bigints"];
    sadd.extend(ints.iter().map(String::as_str));
    add(&sadd);
    // Hashes: listpack (insertion order, a deletion), hashtable by count and by length.
    add(&[
        "HSET", "h:small", "name", "redis", "version", "7", "neg", "-12", "f", "1.5",
    ]);
    add(&["HSET", "h:small", "later", "x"]);
    add(&["HDEL", "h:small", "version"]);
    let fields: Vec<String> = (0..600).map(|n| format!("field{n}")).collect();
    let mut hset = vec!["HSET", "h:many"];
    for field in &fields {
        hset.push(field);
        hset.push(field);
    }
    add(&hset);
    add(&["HSET", "h:long", "k", &"v".repeat(100)]);
    add(&["HSET", "h:ttl", "a", "b"]);
    add(&["PEXPIREAT", "h:ttl", &at]);
    // Sorted sets: listpack with every kind of score, skiplist by count and by length.
    add(&[
        "ZADD",
        "z:small",
        "-0",
        "zero",
        "1.5",
        "onehalf",
        "1e20",
        "big",
        "inf",
        "top",
        "-inf",
        "bottom",
        "9007199254740992",
        "two53",
        "0.1",
        "tenth",
        "-42",
        "neg",
    ]);
    let mut zadd = vec!["ZADD", "z:many"];
    let scores: Vec<String> = (0..200).map(|n| format!("{}.25", n * 3)).collect();
    for (score, member) in scores.iter().zip(&fields) {
        zadd.push(score);
        zadd.push(member);
    }
    add(&zadd);
    add(&["ZADD", "z:long", "1", &"m".repeat(100), "-0", "negzero"]);
    // Other databases.
    add(&["SELECT", "3"]);
    add(&["SET", "db3:key", "in database 3"]);
    add(&["HSET", "db3:hash", "a", "1"]);
    add(&["SELECT", "15"]);
    add(&["SADD", "db15:set", "x"]);
    add(&["SELECT", "0"]);
    commands
}

/// A value's content in a form that does not depend on encoding or hash order.
#[derive(Debug, PartialEq)]
enum Content {
    String(Vec<u8>),
    List(Vec<Vec<u8>>),
    Set(Vec<Vec<u8>>),
    Hash(Vec<(Vec<u8>, Vec<u8>)>),
    SortedSet(Vec<(Vec<u8>, f64)>),
}

fn content(value: &Value) -> Content {
    match value {
        Value::String(string) => Content::String(string.bytes().to_vec()),
        Value::List(list) => Content::List(list.iter().cloned().collect()),
        Value::Set(set) => {
            let mut members = set.members();
            members.sort();
            Content::Set(members)
        }
        Value::Hash(hash) => {
            let mut pairs: Vec<_> = hash.iter().map(|(f, v)| (f.to_vec(), v.clone())).collect();
            if hash.encoding() != "listpack" {
                pairs.sort();
            }
            Content::Hash(pairs)
        }
        Value::SortedSet(zset) => {
            Content::SortedSet(zset.iter().map(|(m, s)| (m.to_vec(), s)).collect())
        }
    }
}

/// Every key of a keyspace: (db, key) → (expiry, value).
fn entries(keyspace: &Keyspace) -> Vec<(usize, Vec<u8>, Option<u64>, &Value)> {
    let mut all = Vec::new();
    for (db, data) in keyspace.iter() {
        for (key, entry) in data.iter() {
            all.push((db, key.to_vec(), entry.expires_at_ms(), &entry.value));
        }
    }
    all.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    all
}

/// Same keys, expiries and contents (hashes in listpack order when both are listpacks).
fn assert_same_data(expected: &Keyspace, actual: &Keyspace) {
    let (expected, actual) = (entries(expected), entries(actual));
    assert_eq!(
        expected
            .iter()
            .map(|e| (e.0, e.1.clone()))
            .collect::<Vec<_>>(),
        actual
            .iter()
            .map(|e| (e.0, e.1.clone()))
            .collect::<Vec<_>>(),
        "key sets differ"
    );
    for (want, got) in expected.iter().zip(&actual) {
        let key = escape(&want.1);
        assert_eq!(want.2, got.2, "expiry of {key}");
        assert_eq!(content(want.3), content(got.3), "content of {key}");
    }
}

fn save_and_read(client: &mut Client, server: &ServerProcess) -> Vec<u8> {
    assert_eq!(call(client, &["SAVE"]), Frame::ok());
    std::fs::read(server.dir.join("dump.rdb")).expect("redis-server wrote dump.rdb")
}

/// Starts redis-server on our RDB file (in a directory of its own).
fn start_on_rdb(rdb: &[u8], name: &str) -> (ServerProcess, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("rdb-interop-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("dump.rdb"), rdb).expect("write dump.rdb");
    let dir_arg = dir.to_str().expect("utf-8 temp dir").to_string();
    let server = ServerProcess::redis(&[
        "--dir",
        &dir_arg,
        "--dbfilename",
        "dump.rdb",
        "--enable-debug-command",
        "yes",
    ]);
    // It accepts connections while still loading; wait for the data.
    let mut client = server.connect();
    let started = std::time::Instant::now();
    while call(&mut client, &["PING"]) != Frame::Simple("PONG".into()) {
        assert!(
            started.elapsed().as_secs() < 60,
            "redis-server did not finish loading"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    (server, dir)
}

fn remove_dir(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
}

fn aux() -> AuxFields {
    AuxFields {
        ctime_secs: (now_ms() / 1000) as i64,
        used_mem_bytes: 1_000_000,
        replication: None,
        aof_base: false,
    }
}

/// Compares every key of `expected` (the engine's) with what `client`'s server holds.
fn assert_server_holds(client: &mut Client, expected: &Keyspace, loaded_encodings: &Keyspace) {
    for (db, data) in expected.iter() {
        if data.is_empty() {
            continue;
        }
        call(client, &["SELECT", &db.to_string()]);
        assert_eq!(
            call(client, &["DBSIZE"]),
            Frame::Integer(data.len() as i64),
            "keys in db {db}"
        );
        for (key, entry) in data.iter() {
            let name = escape(key);
            let key = key.to_vec();
            let query = |client: &mut Client, command: &str, extra: &[&str]| {
                let mut parts = vec![command.as_bytes().to_vec(), key.clone()];
                parts.extend(extra.iter().map(|e| e.as_bytes().to_vec()));
                client.call(&parts).expect("reply")
            };
            let value = &entry.value;
            assert_eq!(
                bulk(query(client, "TYPE", &[])),
                value.type_name().as_bytes(),
                "type of {name}"
            );
            let expiry = match query(client, "PEXPIRETIME", &[]) {
                Frame::Integer(-1) => None,
                Frame::Integer(at) => Some(at as u64),
                other => panic!("PEXPIRETIME {name}: {other:?}"),
            };
            assert_eq!(expiry, entry.expires_at_ms(), "expiry of {name}");
            let predicted = loaded_encodings
                .db(db)
                .lookup(&key)
                .map(|e| e.value.encoding())
                .expect("key in our decoded copy");
            let encoding = bulk(
                client
                    .call(&[b"OBJECT".to_vec(), b"ENCODING".to_vec(), key.clone()])
                    .expect("reply"),
            );
            assert_eq!(
                encoding,
                predicted.as_bytes(),
                "encoding of {name} after loading"
            );
            let held = match value {
                Value::String(_) => Content::String(bulk(query(client, "GET", &[]))),
                Value::List(_) => Content::List(array(query(client, "LRANGE", &["0", "-1"]))),
                Value::Set(_) => {
                    let mut members = array(query(client, "SMEMBERS", &[]));
                    members.sort();
                    Content::Set(members)
                }
                Value::Hash(hash) => {
                    let flat = array(query(client, "HGETALL", &[]));
                    let mut pairs: Vec<_> = flat
                        .chunks(2)
                        .map(|pair| (pair[0].clone(), pair[1].clone()))
                        .collect();
                    if hash.encoding() != "listpack" {
                        pairs.sort();
                    }
                    Content::Hash(pairs)
                }
                Value::SortedSet(_) => {
                    let flat = array(query(client, "ZRANGE", &["0", "-1", "WITHSCORES"]));
                    Content::SortedSet(
                        flat.chunks(2)
                            .map(|pair| {
                                let score = String::from_utf8_lossy(&pair[1]).parse::<f64>();
                                (pair[0].clone(), score.expect("a score"))
                            })
                            .collect(),
                    )
                }
            };
            assert_eq!(held, content(value), "value of {name}");
        }
    }
    call(client, &["SELECT", "0"]);
}

fn assert_sizes_close(what: &str, ours: usize, redis: usize) {
    eprintln!("{what}: our RDB {ours} bytes, redis-server's {redis} bytes");
    let difference = ours.abs_diff(redis) as f64 / redis as f64;
    assert!(
        difference <= 0.10,
        "{what}: our RDB is {ours} bytes, redis-server's {redis} ({:.1}% apart)",
        difference * 100.0
    );
}

fn digest(client: &mut Client) -> Vec<u8> {
    bulk(call(client, &["DEBUG", "DIGEST"]))
}

#[test]
fn rdb_interop_every_type_and_encoding_both_ways() {
    let redis = ServerProcess::redis(&["--enable-debug-command", "yes"]);
    let mut client = redis.connect();
    let mut engine = Engine::new();
    let expire_at = now_ms() + 1_000_000_000;
    build_on_both(&mut client, &mut engine, &dataset_commands(expire_at));
    let config = Config::default();

    // (a) redis-server's file decodes to what the engine holds.
    let theirs = save_and_read(&mut client, &redis);
    let loaded = rdb::decode(&theirs, &config).unwrap_or_else(|e| panic!("decoding dump.rdb: {e}"));
    assert_same_data(engine.keyspace(), &loaded.keyspace);
    assert_eq!(loaded.aux.get("redis-ver"), Some(&b"7.0.15"[..]));

    // Every value, as DUMP serialises it, is byte-identical to ours, compressed or not.
    for compression in ["no", "yes"] {
        call(
            &mut client,
            &["CONFIG", "SET", "rdbcompression", compression],
        );
        for (db, data) in engine.keyspace().iter() {
            call(&mut client, &["SELECT", &db.to_string()]);
            for (key, entry) in data.iter() {
                if key.starts_with(LAYOUT_PREFIX.as_bytes()) {
                    continue;
                }
                let dumped = bulk(
                    client
                        .call(&[b"DUMP".to_vec(), key.to_vec()])
                        .expect("DUMP reply"),
                );
                let ours = rdb::dump_payload(&entry.value, compression == "yes");
                let what = format!("DUMP of {} (rdbcompression {compression})", escape(key));
                if matches!(entry.value.encoding(), "hashtable") {
                    // Members in hash order, which differs: same size, same content.
                    assert_eq!(ours.len(), dumped.len(), "{what}");
                    let restored = rdb::restore_payload(&dumped, &config).expect("RESTOREable");
                    assert_eq!(content(&restored), content(&entry.value), "{what}");
                } else {
                    assert_eq!(escape(&ours), escape(&dumped), "{what}");
                }
            }
        }
    }
    call(&mut client, &["SELECT", "0"]);

    // Our decoder's encodings are the ones redis-server gives the same file when it loads it.
    assert_eq!(call(&mut client, &["DEBUG", "RELOAD"]), Frame::ok());
    for (db, data) in loaded.keyspace.iter() {
        call(&mut client, &["SELECT", &db.to_string()]);
        for (key, entry) in data.iter() {
            let encoding = bulk(
                client
                    .call(&[b"OBJECT".to_vec(), b"ENCODING".to_vec(), key.to_vec()])
                    .expect("reply"),
            );
            assert_eq!(
                encoding,
                entry.value.encoding().as_bytes(),
                "encoding of {} after DEBUG RELOAD",
                escape(key)
            );
        }
    }
    call(&mut client, &["SELECT", "0"]);
    let original_digest = digest(&mut client);

    // (b) redis-server loads our file and holds the same data.
    let ours = rdb::encode(engine.keyspace(), &aux(), SaveOptions::default());
    let our_loaded = rdb::decode(&ours, &config).expect("we load our own file");
    let (reloaded, dir) = start_on_rdb(&ours, "types");
    let mut reloaded_client = reloaded.connect();
    assert_server_holds(
        &mut reloaded_client,
        engine.keyspace(),
        &our_loaded.keyspace,
    );
    assert_eq!(
        digest(&mut reloaded_client),
        original_digest,
        "DEBUG DIGEST"
    );
    drop(reloaded);
    remove_dir(&dir);

    // (c) sizes.
    assert_sizes_close("every type and encoding", ours.len(), theirs.len());
    let uncompressed = rdb::encode(
        engine.keyspace(),
        &aux(),
        SaveOptions {
            compression: false,
            checksum: true,
        },
    );
    call(&mut client, &["CONFIG", "SET", "rdbcompression", "no"]);
    let theirs_uncompressed = save_and_read(&mut client, &redis);
    assert_sizes_close(
        "every type and encoding, rdbcompression no",
        uncompressed.len(),
        theirs_uncompressed.len(),
    );
}

/// 100 000 keys of every type, as a pipeline of commands.
fn many_keys_commands(expire_at_ms: u64) -> Vec<Vec<Vec<u8>>> {
    let at = expire_at_ms.to_string();
    let mut commands = Vec::with_capacity(100_100);
    for n in 0..100_000u32 {
        let key = format!("key:{n:06}");
        let command = match n % 20 {
            0 => vec![
                "HSET".into(),
                key,
                "name".into(),
                format!("user{n}"),
                "visits".into(),
                (n * 3).to_string(),
            ],
            1 => vec!["RPUSH".into(), key, "a".into(), n.to_string(), "c".into()],
            2 => vec!["SADD".into(), key, n.to_string(), (n + 1).to_string()],
            3 => vec![
                "ZADD".into(),
                key,
                (f64::from(n) / 7.0).to_string(),
                "m".into(),
                "2".into(),
                "n".into(),
            ],
            4 => vec!["SET".into(), key, n.to_string()],
            5 => vec!["SET".into(), key, format!("{n}"), "PXAT".into(), at.clone()],
            6 => vec!["SET".into(), key, format!("session:{n}:").repeat(4)],
            _ => vec!["SET".into(), key, format!("value-{n}")],
        };
        commands.push(command.into_iter().map(String::into_bytes).collect());
    }
    commands
}

#[test]
fn rdb_interop_hundred_thousand_keys_round_trip() {
    let redis = ServerProcess::redis(&["--enable-debug-command", "yes"]);
    let mut client = redis.connect();
    let mut engine = Engine::new();
    let commands = many_keys_commands(now_ms() + 1_000_000_000);
    build_on_both(&mut client, &mut engine, &commands);
    assert_eq!(engine.keyspace().key_count(), 100_000);
    let config = Config::default();

    let theirs = save_and_read(&mut client, &redis);
    let loaded = rdb::decode(&theirs, &config).unwrap_or_else(|e| panic!("decoding dump.rdb: {e}"));
    assert_same_data(engine.keyspace(), &loaded.keyspace);
    let original_digest = digest(&mut client);

    let ours = rdb::encode(engine.keyspace(), &aux(), SaveOptions::default());
    let our_loaded = rdb::decode(&ours, &config).expect("we load our own file");
    assert_same_data(engine.keyspace(), &our_loaded.keyspace);
    let (reloaded, dir) = start_on_rdb(&ours, "many");
    let mut reloaded_client = reloaded.connect();
    assert_eq!(
        call(&mut reloaded_client, &["DBSIZE"]),
        Frame::Integer(100_000)
    );
    assert_eq!(
        digest(&mut reloaded_client),
        original_digest,
        "DEBUG DIGEST"
    );
    // Encodings after loading are the ones our decoder gives.
    for (key, entry) in our_loaded.keyspace.db(0).iter().step_by(997) {
        let encoding = bulk(
            reloaded_client
                .call(&[b"OBJECT".to_vec(), b"ENCODING".to_vec(), key.to_vec()])
                .expect("reply"),
        );
        assert_eq!(
            encoding,
            entry.value.encoding().as_bytes(),
            "{}",
            escape(key)
        );
    }
    drop(reloaded);
    remove_dir(&dir);

    assert_sizes_close("100 000 keys", ours.len(), theirs.len());
}

/// A ziplist as Redis 3.2 to 6.2 build them (a test-only writer: we only ever read ziplists).
fn ziplist(items: &[&[u8]]) -> Vec<u8> {
    let mut blob = vec![0u8; 10];
    let (mut previous_len, mut tail) = (0usize, 10usize);
    for item in items {
        tail = blob.len();
        let start = blob.len();
        if previous_len < 254 {
            blob.push(previous_len as u8);
        } else {
            blob.push(0xfe);
            blob.extend_from_slice(&(previous_len as u32).to_le_bytes());
        }
        let integer = std::str::from_utf8(item)
            .ok()
            .and_then(|text| text.parse::<i64>().ok())
            .filter(|value| value.to_string().as_bytes() == *item);
        match integer {
            Some(value @ 0..=12) => blob.push(0xf1 + value as u8),
            Some(value) if i8::try_from(value).is_ok() => {
                blob.extend_from_slice(&[0xfe, value as u8])
            }
            Some(value) if i16::try_from(value).is_ok() => {
                blob.push(0xc0);
                blob.extend_from_slice(&(value as i16).to_le_bytes());
            }
            Some(value) if (-(1 << 23)..(1 << 23)).contains(&value) => {
                blob.push(0xf0);
                blob.extend_from_slice(&(value as i32).to_le_bytes()[..3]);
            }
            Some(value) if i32::try_from(value).is_ok() => {
                blob.push(0xd0);
                blob.extend_from_slice(&(value as i32).to_le_bytes());
            }
            Some(value) => {
                blob.push(0xe0);
                blob.extend_from_slice(&value.to_le_bytes());
            }
            None if item.len() < 64 => {
                blob.push(item.len() as u8);
                blob.extend_from_slice(item);
            }
            None => {
                blob.extend_from_slice(&[0x40 | (item.len() >> 8) as u8, item.len() as u8]);
                blob.extend_from_slice(item);
            }
        }
        previous_len = blob.len() - start;
    }
    blob.push(0xff);
    let total = blob.len() as u32;
    blob[0..4].copy_from_slice(&total.to_le_bytes());
    blob[4..8].copy_from_slice(&(tail as u32).to_le_bytes());
    blob[8..10].copy_from_slice(&(items.len() as u16).to_le_bytes());
    blob
}

/// A zipmap as Redis 2.4 builds them (small lengths only), with a spare byte after each value.
fn zipmap(pairs: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut blob = vec![pairs.len() as u8];
    for (field, value) in pairs {
        blob.push(field.len() as u8);
        blob.extend_from_slice(field);
        blob.extend_from_slice(&[value.len() as u8, 1]);
        blob.extend_from_slice(value);
        blob.push(0);
    }
    blob.push(0xff);
    blob
}

/// A DUMP payload of RDB version 9 (Redis 5 and 6) around a type and a payload.
fn dump_v9(kind: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![kind];
    out.extend_from_slice(payload);
    out.extend_from_slice(&9u16.to_le_bytes());
    let checksum = rdb::crc64::crc64(0, &out);
    out.extend_from_slice(&checksum.to_le_bytes());
    out
}

/// An RDB string of up to 16383 bytes.
fn rdb_string(bytes: &[u8]) -> Vec<u8> {
    let mut out = if bytes.len() < 64 {
        vec![bytes.len() as u8]
    } else {
        vec![0x40 | (bytes.len() >> 8) as u8, bytes.len() as u8]
    };
    out.extend_from_slice(bytes);
    out
}

#[test]
fn rdb_interop_ziplist_encodings_load_like_redis() {
    let redis = ServerProcess::redis(&["--sanitize-dump-payload", "yes"]);
    let mut client = redis.connect();
    let config = Config::default();
    let long = "z".repeat(300);
    let elements: Vec<&[u8]> = vec![
        b"a",
        b"0",
        b"12",
        b"13",
        b"-1",
        b"300",
        b"-70000",
        b"8000000",
        b"2147483648",
        b"x",
        long.as_bytes(),
    ];
    let big_quicklist = [
        &[2][..],
        &rdb_string(&ziplist(&elements)),
        &rdb_string(&ziplist(&[b"tail", b"-9223372036854775808"])),
    ]
    .concat();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "list-ziplist",
            dump_v9(10, &rdb_string(&ziplist(&elements))),
        ),
        ("list-quicklist", dump_v9(14, &big_quicklist)),
        (
            "hash-ziplist",
            dump_v9(
                13,
                &rdb_string(&ziplist(&[
                    b"f1",
                    b"v1",
                    b"n",
                    b"-5",
                    b"long",
                    long.as_bytes(),
                ])),
            ),
        ),
        (
            "hash-zipmap",
            dump_v9(9, &rdb_string(&zipmap(&[(b"a", b"1"), (b"bb", b"two")]))),
        ),
        (
            "zset-ziplist",
            dump_v9(
                12,
                &rdb_string(&ziplist(&[
                    b"a", b"-2", b"b", b"1.5", b"c", b"1e+20", b"d", b"inf",
                ])),
            ),
        ),
    ];
    for (key, payload) in cases {
        let ours = rdb::restore_payload(&payload, &config).unwrap_or_else(|e| panic!("{key}: {e}"));
        let mut restore = args(&["RESTORE", key, "0"]);
        restore.push(payload);
        assert_eq!(
            client.call(&restore).expect("reply"),
            Frame::ok(),
            "RESTORE {key}"
        );
        let encoding = bulk(call(&mut client, &["OBJECT", "ENCODING", key]));
        assert_eq!(encoding, ours.encoding().as_bytes(), "encoding of {key}");
        let held = match &ours {
            Value::List(_) => Content::List(array(call(&mut client, &["LRANGE", key, "0", "-1"]))),
            Value::Hash(_) => {
                let flat = array(call(&mut client, &["HGETALL", key]));
                Content::Hash(
                    flat.chunks(2)
                        .map(|p| (p[0].clone(), p[1].clone()))
                        .collect(),
                )
            }
            Value::SortedSet(_) => {
                let flat = array(call(&mut client, &["ZRANGE", key, "0", "-1", "WITHSCORES"]));
                Content::SortedSet(
                    flat.chunks(2)
                        .map(|p| {
                            (
                                p[0].clone(),
                                String::from_utf8_lossy(&p[1])
                                    .parse::<f64>()
                                    .expect("score"),
                            )
                        })
                        .collect(),
                )
            }
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(held, content(&ours), "{key}");
    }
}
