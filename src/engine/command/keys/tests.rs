//! Behaviour of the keyspace commands: replies, propagation and expiry, through the command
//! pipeline. Replies were checked against redis-server 7.0.15; the stream shapes against a fake
//! replica attached to it (`SYNC`, then reading what the master sends).

use crate::engine::command::test_support::TestNode;
use crate::engine::keyspace::{
    HashValue, ListValue, ListpackLimits, SetValue, SortedSetValue, StringValue, Value,
};
use crate::engine::resp::Frame;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const NOW_MS: u64 = 1_700_000_000_000;

fn string(text: &str) -> Value {
    Value::String(StringValue::new(text.as_bytes().to_vec()))
}

/// Stores `value` under `key` in database `db`, as a write command of another family would.
fn put(node: &mut TestNode, db: usize, key: &str, value: Value) {
    node.state.keyspace.db_mut(db).insert(key.as_bytes(), value);
}

/// Stores a string expiring `ttl_ms` from now.
fn put_expiring(node: &mut TestNode, db: usize, key: &str, ttl_ms: u64) {
    put(node, db, key, string("v"));
    let at = node.now.as_millis() + ttl_ms;
    node.state
        .keyspace
        .db_mut(db)
        .set_expire(key.as_bytes(), Some(at));
}

/// Moves the clock on.
fn advance(node: &mut TestNode, ms: u64) {
    node.now = node.now.add_millis(ms);
}

/// What was propagated, one inner vector per execution unit, each command as `"<db> words"`
/// (`"- words"` for commands without a database: MULTI/EXEC wrappers).
fn propagated(node: &mut TestNode) -> Vec<Vec<String>> {
    node.take_propagated()
        .into_iter()
        .map(|unit| {
            unit.into_iter()
                .map(|command| {
                    let words: Vec<String> = command
                        .argv
                        .iter()
                        .map(|arg| String::from_utf8_lossy(arg).into_owned())
                        .collect();
                    let db = command.db.map_or("-".to_string(), |db| db.to_string());
                    format!("{db} {}", words.join(" "))
                })
                .collect()
        })
        .collect()
}

fn unit(commands: &[&str]) -> Vec<String> {
    commands.iter().map(|c| c.to_string()).collect()
}

fn int(n: i64) -> Frame {
    Frame::Integer(n)
}

fn bulk(text: &str) -> Frame {
    Frame::bulk(text)
}

fn error(text: &str) -> Frame {
    Frame::error(text)
}

fn sorted_keys(reply: Frame) -> Vec<Vec<u8>> {
    let Frame::Array(items) = reply else {
        panic!("not an array: {reply:?}")
    };
    let mut keys: Vec<Vec<u8>> = items
        .into_iter()
        .map(|item| match item {
            Frame::Bulk(key) => key,
            other => panic!("not a bulk: {other:?}"),
        })
        .collect();
    keys.sort();
    keys
}

fn keys(words: &[&str]) -> Vec<Vec<u8>> {
    words.iter().map(|w| w.as_bytes().to_vec()).collect()
}

#[test]
fn del_counts_each_removed_key_once_and_propagates_as_sent() {
    let mut node = TestNode::new();
    put(&mut node, 0, "a", string("1"));
    put(&mut node, 0, "b", string("2"));
    assert_eq!(node.run("DEL a a b missing"), int(2));
    assert_eq!(propagated(&mut node), vec![unit(&["0 DEL a a b missing"])]);
    assert_eq!(node.run("DEL a"), int(0));
    assert_eq!(propagated(&mut node), Vec::<Vec<String>>::new());
    put(&mut node, 0, "c", string("3"));
    assert_eq!(node.run("unlink c"), int(1));
    assert_eq!(propagated(&mut node), vec![unit(&["0 unlink c"])]);
}

#[test]
fn del_of_an_expired_key_propagates_only_the_expiry() {
    let mut node = TestNode::new();
    put_expiring(&mut node, 0, "k", 10);
    advance(&mut node, 11); // just past the TTL: Redis expires when now > when
    assert_eq!(node.run("DEL k k"), int(0));
    assert_eq!(propagated(&mut node), vec![unit(&["0 DEL k"])]);
    assert_eq!(node.state.stats.expired_keys, 1);
}

#[test]
fn exists_and_touch_count_duplicates() {
    let mut node = TestNode::new();
    put(&mut node, 0, "k", string("v"));
    assert_eq!(node.run("EXISTS k k nope"), int(2));
    assert_eq!(node.run("TOUCH k nope k"), int(2));
    assert_eq!(node.state.stats.keyspace_hits, 4);
    assert_eq!(node.state.stats.keyspace_misses, 2);
}

#[test]
fn type_and_object_encoding_name_every_type() {
    let mut node = TestNode::new();
    let limits = ListpackLimits {
        entries_max: 128,
        value_bytes_max: 64,
    };
    let mut list = ListValue::default();
    list.push_back(b"x".to_vec());
    let mut hash = HashValue::default();
    hash.insert(b"f", b"v".to_vec(), limits);
    let mut set = SetValue::default();
    set.insert(b"1", 512);
    let mut text_set = SetValue::default();
    text_set.insert(b"a", 512);
    let mut zset = SortedSetValue::new();
    zset.insert(b"m", 1.0, limits);
    put(&mut node, 0, "int", string("12345"));
    put(&mut node, 0, "embstr", string(&"e".repeat(44)));
    put(&mut node, 0, "raw", string(&"r".repeat(45)));
    put(&mut node, 0, "list", Value::List(list));
    put(&mut node, 0, "hash", Value::Hash(hash));
    put(&mut node, 0, "set", Value::Set(set));
    put(&mut node, 0, "text_set", Value::Set(text_set));
    put(&mut node, 0, "zset", Value::SortedSet(zset));
    for (key, type_name, encoding) in [
        ("int", "string", "int"),
        ("embstr", "string", "embstr"),
        ("raw", "string", "raw"),
        ("list", "list", "quicklist"),
        ("hash", "hash", "listpack"),
        ("set", "set", "intset"),
        ("text_set", "set", "hashtable"),
        ("zset", "zset", "listpack"),
    ] {
        assert_eq!(
            node.run(&format!("TYPE {key}")),
            Frame::Simple(type_name.into())
        );
        assert_eq!(
            node.run(&format!("OBJECT ENCODING {key}")),
            bulk(encoding),
            "{key}"
        );
    }
    assert_eq!(node.run("TYPE nope"), Frame::Simple("none".into()));
    assert_eq!(node.run("OBJECT ENCODING nope"), Frame::Null);
}

#[test]
fn object_refcount_reports_shared_integers() {
    let mut node = TestNode::new();
    for (value, refcount) in [("0", i64::from(i32::MAX)), ("9999", i64::from(i32::MAX))]
        .into_iter()
        .chain([("10000", 1), ("-1", 1), ("abc", 1), ("01", 1)])
    {
        put(&mut node, 0, "k", string(value));
        assert_eq!(node.run("OBJECT REFCOUNT k"), int(refcount), "{value}");
    }
    assert_eq!(node.run("OBJECT REFCOUNT nope"), Frame::Null);
}

#[test]
fn object_freq_errors_without_an_lfu_policy_but_nil_comes_first() {
    let mut node = TestNode::new();
    put(&mut node, 0, "k", string("v"));
    assert_eq!(node.run("OBJECT FREQ nope"), Frame::Null);
    assert_eq!(
        node.run("OBJECT FREQ k"),
        error(
            "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please \
             note that when switching between policies at runtime LRU and LFU data will take \
             some time to adjust."
        )
    );
    assert_eq!(node.run("OBJECT IDLETIME k"), int(0));
    assert_eq!(node.run("OBJECT IDLETIME nope"), Frame::Null);
}

#[test]
fn object_help_and_subcommand_errors_match_redis() {
    let mut node = TestNode::new();
    let Frame::Array(lines) = node.run("object help") else {
        panic!("help is an array")
    };
    assert_eq!(lines.len(), 15);
    assert_eq!(
        lines[0],
        Frame::Simple("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:".into())
    );
    assert_eq!(lines[14], Frame::Simple("    Prints this help.".into()));
    assert_eq!(
        node.run("OBJECT ENCODING"),
        error("ERR wrong number of arguments for 'object|encoding' command")
    );
    assert_eq!(
        node.run("OBJECT foo"),
        error("ERR unknown subcommand 'foo'. Try OBJECT HELP.")
    );
}

#[test]
fn keys_hides_expired_keys_without_deleting_them() {
    let mut node = TestNode::new();
    put(&mut node, 0, "user:1", string("a"));
    put(&mut node, 0, "user:2", string("b"));
    put(&mut node, 0, "other", string("c"));
    put(&mut node, 0, "", string("empty"));
    put_expiring(&mut node, 0, "user:3", 5);
    advance(&mut node, 6); // just past the TTL: Redis expires when now > when
    assert_eq!(
        sorted_keys(node.run("KEYS user:*")),
        keys(&["user:1", "user:2"])
    );
    assert_eq!(
        sorted_keys(node.run("KEYS *")),
        keys(&["", "other", "user:1", "user:2"])
    );
    assert_eq!(
        sorted_keys(node.run("KEYS **")),
        keys(&["other", "user:1", "user:2"]),
        "only a bare * selects the empty key"
    );
    assert_eq!(node.state.keyspace.db(0).len(), 5);
    assert!(propagated(&mut node).is_empty());
}

#[test]
fn scan_filters_by_match_and_type_after_selection() {
    let mut node = TestNode::new();
    for i in 0..30 {
        put(&mut node, 0, &format!("s{i}"), string("v"));
    }
    put(&mut node, 0, "list", Value::List(ListValue::default()));
    let reply = node.run("SCAN 0 COUNT 1000");
    let Frame::Array(parts) = reply else {
        panic!("array")
    };
    assert_eq!(parts[0], bulk("0"));
    assert_eq!(sorted_keys(parts[1].clone()).len(), 31);

    let Frame::Array(parts) = node.run("scan 0 match s1* count 1000 type STRING") else {
        panic!("array")
    };
    assert_eq!(
        sorted_keys(parts[1].clone()),
        keys(&["s1", "s10", "s11", "s12", "s13", "s14", "s15", "s16", "s17", "s18", "s19"])
    );
    let Frame::Array(parts) = node.run("SCAN 0 TYPE list COUNT 1000") else {
        panic!("array")
    };
    assert_eq!(sorted_keys(parts[1].clone()), keys(&["list"]));
    let Frame::Array(parts) = node.run("SCAN 0 TYPE nonsense COUNT 1000") else {
        panic!("array")
    };
    assert_eq!(parts[1], Frame::Array(vec![]));
}

#[test]
fn scan_walks_everything_with_small_counts() {
    let mut node = TestNode::new();
    for i in 0..100 {
        put(&mut node, 0, &format!("k{i}"), string("v"));
    }
    let (mut cursor, mut seen) = ("0".to_string(), Vec::new());
    for _ in 0..200 {
        let Frame::Array(parts) = node.run(&format!("SCAN {cursor} COUNT 7")) else {
            panic!("array")
        };
        let Frame::Bulk(next) = &parts[0] else {
            panic!("bulk cursor")
        };
        cursor = String::from_utf8(next.clone()).unwrap();
        seen.extend(sorted_keys(parts[1].clone()));
        if cursor == "0" {
            break;
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!((cursor.as_str(), seen.len()), ("0", 100));
}

#[test]
fn scan_rejects_bad_cursors_counts_and_options() {
    let mut node = TestNode::new();
    for (line, reply) in [
        ("SCAN x", "ERR invalid cursor"),
        ("SCAN x COUNT 0", "ERR invalid cursor"),
        ("SCAN 18446744073709551616", "ERR invalid cursor"),
        ("SCAN 0 COUNT 0", "ERR syntax error"),
        ("SCAN 0 COUNT -1", "ERR syntax error"),
        (
            "SCAN 0 COUNT x",
            "ERR value is not an integer or out of range",
        ),
        ("SCAN 0 COUNT", "ERR syntax error"),
        ("SCAN 0 MATCH", "ERR syntax error"),
        ("SCAN 0 TYPE", "ERR syntax error"),
        ("SCAN 0 FOO bar", "ERR syntax error"),
    ] {
        assert_eq!(node.run(line), error(reply), "{line}");
    }
    let empty = Frame::Array(vec![bulk("0"), Frame::Array(vec![])]);
    assert_eq!(node.run("SCAN \"\""), empty);
    assert_eq!(node.run("SCAN -1"), empty);
    assert_eq!(node.run("SCAN 0 COUNT 9223372036854775807"), empty);
}

#[test]
fn scan_deletes_expired_keys_with_unwrapped_dels() {
    let mut node = TestNode::new();
    put(&mut node, 0, "live", string("v"));
    for key in ["a", "b", "c"] {
        put_expiring(&mut node, 0, key, 10);
    }
    advance(&mut node, 20);
    let Frame::Array(parts) = node.run("SCAN 0 COUNT 100") else {
        panic!("array")
    };
    assert_eq!(sorted_keys(parts[1].clone()), keys(&["live"]));
    let mut units = propagated(&mut node);
    assert_eq!(units.len(), 3, "one unit per DEL: {units:?}");
    units.sort();
    assert_eq!(
        units,
        vec![unit(&["0 DEL a"]), unit(&["0 DEL b"]), unit(&["0 DEL c"])]
    );
}

#[test]
fn scan_type_none_returns_keys_it_just_expired_like_redis() {
    let mut node = TestNode::new();
    put_expiring(&mut node, 0, "gone", 10);
    put(&mut node, 0, "live", string("v"));
    advance(&mut node, 20);
    let Frame::Array(parts) = node.run("SCAN 0 COUNT 100 TYPE none") else {
        panic!("array")
    };
    assert_eq!(sorted_keys(parts[1].clone()), keys(&["gone"]));
    assert_eq!(propagated(&mut node), vec![unit(&["0 DEL gone"])]);
}

#[test]
fn randomkey_skips_expired_keys_with_unwrapped_dels() {
    let mut node = TestNode::new();
    assert_eq!(node.run("RANDOMKEY"), Frame::Null);
    for key in ["a", "b", "c"] {
        put_expiring(&mut node, 0, key, 10);
    }
    advance(&mut node, 11); // just past the TTL: Redis expires when now > when
    assert_eq!(node.run("RANDOMKEY"), Frame::Null);
    let units = propagated(&mut node);
    assert_eq!(units.len(), 3, "{units:?}");
    assert!(units.iter().all(|unit| unit.len() == 1));
    put(&mut node, 0, "live", string("v"));
    assert_eq!(node.run("RANDOMKEY"), bulk("live"));
}

#[test]
fn rename_carries_the_value_and_ttl_and_overwrites() {
    let mut node = TestNode::new();
    put_expiring(&mut node, 0, "a", 100_000);
    put(&mut node, 0, "b", string("old"));
    assert_eq!(node.run("RENAME a b"), Frame::ok());
    assert_eq!(node.run("EXISTS a"), int(0));
    assert_eq!(node.run("PTTL b"), int(100_000));
    assert_eq!(propagated(&mut node), vec![unit(&["0 RENAME a b"])]);
    assert_eq!(node.run("RENAME b b"), Frame::ok());
    assert_eq!(node.run("RENAMENX b b"), int(0));
    assert!(propagated(&mut node).is_empty());
    for line in ["RENAME nope x", "RENAME nope nope", "RENAMENX nope x"] {
        assert_eq!(node.run(line), error("ERR no such key"), "{line}");
    }
    put(&mut node, 0, "c", string("v"));
    assert_eq!(node.run("RENAMENX b c"), int(0));
    assert_eq!(node.run("RENAMENX b d"), int(1));
    assert_eq!(node.run("TTL d"), int(100));
}

#[test]
fn rename_onto_an_expired_key_wraps_its_del_with_the_rename() {
    let mut node = TestNode::new();
    put(&mut node, 0, "a", string("v"));
    put_expiring(&mut node, 0, "b", 10);
    advance(&mut node, 11); // just past the TTL: Redis expires when now > when
    assert_eq!(node.run("RENAME a b"), Frame::ok());
    assert_eq!(
        propagated(&mut node),
        vec![unit(&["0 MULTI", "0 DEL b", "0 RENAME a b", "- EXEC"])]
    );
    put_expiring(&mut node, 0, "x", 10);
    advance(&mut node, 11); // just past the TTL: Redis expires when now > when
    assert_eq!(node.run("RENAME x y"), error("ERR no such key"));
    assert_eq!(propagated(&mut node), vec![unit(&["0 DEL x"])]);
}

#[test]
fn copy_duplicates_value_and_ttl_across_databases() {
    let mut node = TestNode::new();
    put(&mut node, 0, "src", string(&"r".repeat(50)));
    node.state
        .keyspace
        .db_mut(0)
        .set_expire(b"src", Some(NOW_MS + 5_000));
    assert_eq!(node.run("COPY src dst"), int(1));
    assert_eq!(node.run("PTTL dst"), int(5_000));
    assert_eq!(node.run("COPY src dst"), int(0));
    assert_eq!(node.run("COPY src dst REPLACE"), int(1));
    assert_eq!(node.run("COPY src src DB 3"), int(1));
    assert_eq!(node.run("COPY nope x"), int(0));
    assert_eq!(node.run("SELECT 3"), Frame::ok());
    assert_eq!(node.run("OBJECT ENCODING src"), bulk("raw"));
    assert_eq!(node.run("PTTL src"), int(5_000));
    assert_eq!(
        propagated(&mut node),
        vec![
            unit(&["0 COPY src dst"]),
            unit(&["0 COPY src dst REPLACE"]),
            unit(&["0 COPY src src DB 3"]),
        ]
    );
}

#[test]
fn copy_checks_options_in_order_before_looking_keys_up() {
    let mut node = TestNode::new();
    for (line, reply) in [
        (
            "COPY k k",
            "ERR source and destination objects are the same",
        ),
        (
            "COPY k k DB 0",
            "ERR source and destination objects are the same",
        ),
        ("COPY k k DB 16", "ERR DB index is out of range"),
        ("COPY k k DB -1", "ERR DB index is out of range"),
        (
            "COPY k k DB x",
            "ERR value is not an integer or out of range",
        ),
        (
            "COPY k k DB 4294967296",
            "ERR value is out of range, value must between -2147483648 and 2147483647",
        ),
        ("COPY k k DB", "ERR syntax error"),
        ("COPY k k foo DB x", "ERR syntax error"),
        (
            "COPY k k DB x foo",
            "ERR value is not an integer or out of range",
        ),
        ("COPY k k DB 99 foo", "ERR DB index is out of range"),
    ] {
        assert_eq!(node.run(line), error(reply), "{line}");
    }
    assert_eq!(
        node.run_args(&keys(&["COPY", "k", "k2", "replace\0x"])),
        int(0)
    );
}

#[test]
fn copy_onto_an_expired_key_in_another_db_deletes_it_there() {
    let mut node = TestNode::new();
    put(&mut node, 0, "a", string("v"));
    put_expiring(&mut node, 3, "b", 10);
    advance(&mut node, 11); // just past the TTL: Redis expires when now > when
    assert_eq!(node.run("COPY a b DB 3"), int(1));
    assert_eq!(
        propagated(&mut node),
        vec![unit(&["3 MULTI", "3 DEL b", "0 COPY a b DB 3", "- EXEC"])]
    );
    assert_eq!(node.state.keyspace.db(3).expires_len(), 0);
}

#[test]
fn move_onto_an_expired_key_in_the_target_db_deletes_it_there() {
    let mut node = TestNode::new();
    put(&mut node, 0, "a", string("v"));
    put_expiring(&mut node, 3, "a", 10);
    advance(&mut node, 11); // just past the TTL: Redis expires when now > when
    assert_eq!(node.run("MOVE a 3"), int(1));
    assert_eq!(
        propagated(&mut node),
        vec![unit(&["3 MULTI", "3 DEL a", "0 MOVE a 3", "- EXEC"])]
    );
    assert_eq!(node.state.stats.expired_keys, 1);
}

#[test]
fn move_keeps_the_ttl_and_refuses_existing_targets() {
    let mut node = TestNode::new();
    put_expiring(&mut node, 0, "k", 9_000);
    assert_eq!(node.run("MOVE k 1"), int(1));
    assert_eq!(node.run("MOVE k 1"), int(0));
    assert_eq!(node.run("SELECT 1"), Frame::ok());
    assert_eq!(node.run("PTTL k"), int(9_000));
    put(&mut node, 0, "k", string("other"));
    assert_eq!(node.run("MOVE k 0"), int(0));
    assert_eq!(
        node.run("MOVE k 1"),
        error("ERR source and destination objects are the same")
    );
    assert_eq!(
        node.run("MOVE nope 1"),
        error("ERR source and destination objects are the same")
    );
    assert_eq!(node.run("MOVE k 16"), error("ERR DB index is out of range"));
    assert_eq!(
        node.run("MOVE k x"),
        error("ERR value is not an integer or out of range")
    );
    assert_eq!(propagated(&mut node), vec![unit(&["0 MOVE k 1"])]);
}

#[test]
fn expire_family_propagates_absolute_milliseconds_keeping_options() {
    let mut node = TestNode::new();
    put(&mut node, 0, "k", string("v"));
    assert_eq!(node.run("EXPIRE k 100"), int(1));
    assert_eq!(node.run("expire k 200 gt"), int(1));
    assert_eq!(node.run("PEXPIRE k 300000 XX"), int(1));
    assert_eq!(node.run("EXPIREAT k 9999999999"), int(1));
    assert_eq!(node.run("pexpireat k 99999999999998 xx"), int(1));
    assert_eq!(node.run("pexpireat k 99999999999999 lt"), int(0));
    let at = |ms: u64| (NOW_MS + ms).to_string();
    assert_eq!(
        propagated(&mut node),
        vec![
            unit(&[&format!("0 PEXPIREAT k {}", at(100_000))]),
            unit(&[&format!("0 PEXPIREAT k {} gt", at(200_000))]),
            unit(&[&format!("0 PEXPIREAT k {} XX", at(300_000))]),
            unit(&["0 PEXPIREAT k 9999999999000"]),
            unit(&["0 pexpireat k 99999999999998 xx"]),
        ]
    );
    assert_eq!(node.run("PEXPIRETIME k"), int(99_999_999_999_998));
    assert_eq!(node.run("EXPIRETIME k"), int(100_000_000_000));
}

#[test]
fn expire_in_the_past_deletes_the_key_and_propagates_del() {
    let mut node = TestNode::new();
    put(&mut node, 0, "k", string("v"));
    assert_eq!(node.run("EXPIRE k -1"), int(1));
    assert_eq!(node.run("EXISTS k"), int(0));
    put(&mut node, 0, "k", string("v"));
    assert_eq!(node.run("PEXPIREAT k 1"), int(1));
    put(&mut node, 0, "k", string("v"));
    assert_eq!(node.run("PEXPIRE k 0"), int(1));
    assert_eq!(
        propagated(&mut node),
        vec![unit(&["0 DEL k"]), unit(&["0 DEL k"]), unit(&["0 DEL k"])]
    );
    node.state.config.lazyfree_lazy_expire = true;
    put(&mut node, 0, "k", string("v"));
    assert_eq!(node.run("EXPIREAT k 0"), int(1));
    assert_eq!(propagated(&mut node), vec![unit(&["0 UNLINK k"])]);
    assert_eq!(
        node.state.stats.expired_keys, 0,
        "not an expiry, a deletion"
    );
}

#[test]
fn expire_conditions_treat_no_ttl_as_infinite() {
    let mut node = TestNode::new();
    put(&mut node, 0, "k", string("v"));
    assert_eq!(node.run("EXPIRE k 10 XX"), int(0));
    assert_eq!(node.run("EXPIRE k 10 GT"), int(0));
    assert_eq!(node.run("EXPIRE k 10 LT"), int(1));
    assert_eq!(node.run("EXPIRE k 20 NX"), int(0));
    assert_eq!(node.run("EXPIRE k 20 LT"), int(0));
    assert_eq!(node.run("EXPIRE k 10 GT"), int(0));
    assert_eq!(node.run("EXPIRE k 11 GT"), int(1));
    assert_eq!(node.run("EXPIRE k 5 XX"), int(1));
    assert_eq!(node.run("EXPIRE k 5 nx nx"), int(0));
    assert_eq!(node.run("PERSIST k"), int(1));
    assert_eq!(node.run("EXPIRE k 5 nx nx"), int(1));
    assert_eq!(node.run("EXPIRE nope 5"), int(0));
}

#[test]
fn expire_rejects_options_then_times_in_redis_order() {
    let mut node = TestNode::new();
    put(&mut node, 0, "k", string("v"));
    let incompatible = "ERR NX and XX, GT or LT options at the same time are not compatible";
    for (line, reply) in [
        ("EXPIRE k abc foo", "ERR Unsupported option foo"),
        ("EXPIRE k abc nx xx", incompatible),
        ("EXPIRE k 1 lt nx", incompatible),
        (
            "EXPIRE k 1 xx gt lt",
            "ERR GT and LT options at the same time are not compatible",
        ),
        (
            "EXPIRE k abc nx",
            "ERR value is not an integer or out of range",
        ),
        (
            "EXPIRE k 9223372036854776",
            "ERR invalid expire time in 'expire' command",
        ),
        (
            "EXPIRE k 9223372036854775",
            "ERR invalid expire time in 'expire' command",
        ),
        (
            "EXPIRE k -9223372036854776",
            "ERR invalid expire time in 'expire' command",
        ),
        (
            "PEXPIRE k 9223372036854775807",
            "ERR invalid expire time in 'pexpire' command",
        ),
        (
            "PEXPIRE nope 9223372036854775807",
            "ERR invalid expire time in 'pexpire' command",
        ),
        (
            "EXPIREAT k 9223372036854776",
            "ERR invalid expire time in 'expireat' command",
        ),
    ] {
        assert_eq!(node.run(line), error(reply), "{line}");
    }
    let mut odd_option = keys(&["EXPIRE", "k", "1"]);
    odd_option.push(b"a\r\nb\0c".to_vec());
    assert_eq!(
        node.run_args(&odd_option),
        error("ERR Unsupported option a  b")
    );
    assert!(propagated(&mut node).is_empty());
    assert_eq!(node.run("EXPIREAT k 9223372036854775"), int(1));
    assert_eq!(node.run("PEXPIREAT k 9223372036854775807"), int(1));
    assert_eq!(node.run("EXPIRETIME k"), int(9_223_372_036_854_776));
    assert_eq!(node.run("PEXPIRE k -9223372036854775808"), int(1));
    assert_eq!(node.run("EXISTS k"), int(0));
}

#[test]
fn ttl_family_answers_minus_two_minus_one_or_rounded_time() {
    let mut node = TestNode::new();
    put(&mut node, 0, "k", string("v"));
    for line in ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"] {
        assert_eq!(node.run(&format!("{line} nope")), int(-2));
        assert_eq!(node.run(&format!("{line} k")), int(-1));
    }
    assert_eq!(node.run("PEXPIRE k 1500"), int(1));
    assert_eq!(node.run("TTL k"), int(2), "rounded to the nearest second");
    advance(&mut node, 1);
    assert_eq!(node.run("TTL k"), int(1));
    assert_eq!(node.run("PTTL k"), int(1_499));
    assert_eq!(node.run("PEXPIRETIME k"), int((NOW_MS + 1_500) as i64));
    assert_eq!(
        node.run("EXPIRETIME k"),
        int(((NOW_MS + 1_500 + 500) / 1000) as i64)
    );
    advance(&mut node, 1500); // just past the TTL: Redis expires when now > when
    assert_eq!(node.run("PTTL k"), int(-2));
}

#[test]
fn persist_propagates_only_when_it_removed_a_ttl() {
    let mut node = TestNode::new();
    put(&mut node, 0, "k", string("v"));
    assert_eq!(node.run("PERSIST k"), int(0));
    assert_eq!(node.run("PERSIST nope"), int(0));
    assert!(propagated(&mut node).is_empty());
    node.state
        .keyspace
        .db_mut(0)
        .set_expire(b"k", Some(NOW_MS + 10));
    assert_eq!(node.run("PERSIST k"), int(1));
    assert_eq!(node.run("TTL k"), int(-1));
    assert_eq!(propagated(&mut node), vec![unit(&["0 PERSIST k"])]);
}

#[test]
fn lazy_expiry_on_reads_propagates_a_lone_del() {
    for line in [
        "EXISTS k",
        "TYPE k",
        "TTL k",
        "PTTL k",
        "EXPIRETIME k",
        "TOUCH k k",
        "OBJECT ENCODING k",
    ] {
        let mut node = TestNode::new();
        put_expiring(&mut node, 0, "k", 10);
        advance(&mut node, 11); // just past the TTL: Redis expires when now > when
        let reply = node.run(line);
        assert!(
            matches!(reply, Frame::Integer(0 | -2) | Frame::Null)
                || reply == Frame::Simple("none".into()),
            "{line}: {reply:?}"
        );
        assert_eq!(propagated(&mut node), vec![unit(&["0 DEL k"])], "{line}");
        assert_eq!(node.state.keyspace.db(0).len(), 0);
    }
}

#[test]
fn lazy_expiry_on_writes_propagates_a_lone_del_when_the_write_does_nothing() {
    for line in [
        "EXPIRE k 100",
        "PERSIST k",
        "MOVE k 1",
        "COPY k k2",
        "DEL k",
    ] {
        let mut node = TestNode::new();
        put_expiring(&mut node, 0, "k", 10);
        advance(&mut node, 11); // just past the TTL: Redis expires when now > when
        assert_eq!(node.run(line), int(0), "{line}");
        assert_eq!(propagated(&mut node), vec![unit(&["0 DEL k"])], "{line}");
    }
}

/// Checked on redis-server: `MULTI, DEL b, PEXPIREAT a .., EXEC`, with one EXEC.
#[test]
fn lazy_expiry_inside_multi_joins_the_transaction_unit() {
    let mut node = TestNode::new();
    put(&mut node, 0, "a", string("v"));
    put_expiring(&mut node, 0, "b", 10);
    advance(&mut node, 11); // just past the TTL: Redis expires when now > when
    for line in ["MULTI", "DEL b", "EXPIRE a 100"] {
        node.run(line);
    }
    assert_eq!(node.run("EXEC"), Frame::Array(vec![int(0), int(1)]));
    let at = NOW_MS + 11 + 100_000;
    assert_eq!(
        propagated(&mut node),
        vec![unit(&[
            "0 MULTI",
            "0 DEL b",
            &format!("0 PEXPIREAT a {at}"),
            "- EXEC"
        ])]
    );
}

#[test]
fn watch_sees_rename_copy_move_and_expire() {
    // Every modification signals the key; the framework's WATCH table is what EXEC checks.
    let mut node = TestNode::new();
    put(&mut node, 0, "a", string("v"));
    node.state
        .watch_key(crate::engine::ConnId(9), 1, b"a", NOW_MS);
    assert_eq!(node.run("MOVE a 1"), int(1));
    assert!(node
        .state
        .dirty_watchers
        .contains(&crate::engine::ConnId(9)));
}

/// Active expiry runs in the node's cron: one `DEL` per key, each its own unit. Needs SET (the
/// strings family) to create keys through the node's input; the lead enables it after merging.
#[test]
fn active_expiry_propagates_one_del_unit_per_key() {
    use crate::engine::{Config, ConnId, Input, Instant, Node, Output, Peer};
    let start = Instant::from_millis(NOW_MS);
    let mut node = Node::new(Config::default(), start, 7);
    let conn = ConnId(1);
    node.handle_input(
        start,
        Input::Connected {
            conn,
            peer: Peer::default(),
        },
    );
    node.handle_input(
        start,
        Input::Received {
            conn,
            bytes: b"SET a 1 PX 50\r\nSET b 2 PX 50\r\nSET c 3\r\n".to_vec(),
        },
    );
    while node.poll_output().is_some() {}
    let later = start.add_millis(1_000);
    node.handle_timeout(later);
    let units: Vec<Vec<Vec<Vec<u8>>>> = std::iter::from_fn(|| node.poll_output())
        .filter_map(|output| match output {
            Output::Propagated { commands } => {
                Some(commands.into_iter().map(|command| command.argv).collect())
            }
            _ => None,
        })
        .collect();
    let mut expected = vec![vec![keys(&["DEL", "a"])], vec![keys(&["DEL", "b"])]];
    let mut units_sorted = units.clone();
    units_sorted.sort();
    expected.sort();
    assert_eq!(units_sorted, expected, "{units:?}");
    assert_eq!(node.state().keyspace.key_count(), 1);
}
