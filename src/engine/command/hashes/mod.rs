//! Hash commands: HSET, HMSET, HSETNX, HGET, HMGET, HGETALL, HKEYS, HVALS, HDEL, HEXISTS, HLEN,
//! HSTRLEN, HINCRBY, HINCRBYFLOAT, HRANDFIELD, HSCAN (Redis 7.0's `t_hash.c`).
//!
//! Encodings follow [`HashValue`]: a listpack in insertion order until `hash-max-listpack-*`,
//! then a hashtable. A hash whose last field goes is deleted.

mod hdel;
mod hexists;
mod hget;
mod hgetall;
mod hincrby;
mod hincrbyfloat;
mod hlen;
mod hmget;
mod hrandfield;
mod hscan;
mod hset;
mod hsetnx;
mod hstrlen;

use super::flags::{DENYOOM, FAST, READONLY, WRITE};
use super::CommandSpec;
use crate::engine::resp::Frame;

/// This family's rows of the command table (arity and flags as `COMMAND INFO` shows in 7.0).
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("hdel", -3, WRITE | FAST, hdel::execute),
    CommandSpec::new("hexists", 3, READONLY | FAST, hexists::execute),
    CommandSpec::new("hget", 3, READONLY | FAST, hget::execute),
    CommandSpec::new("hgetall", 2, READONLY, hgetall::execute_all),
    CommandSpec::new("hincrby", 4, WRITE | DENYOOM | FAST, hincrby::execute),
    CommandSpec::new(
        "hincrbyfloat",
        4,
        WRITE | DENYOOM | FAST,
        hincrbyfloat::execute,
    ),
    CommandSpec::new("hkeys", 2, READONLY, hgetall::execute_keys),
    CommandSpec::new("hlen", 2, READONLY | FAST, hlen::execute),
    CommandSpec::new("hmget", -3, READONLY | FAST, hmget::execute),
    CommandSpec::new("hmset", -4, WRITE | DENYOOM | FAST, hset::execute_hmset),
    CommandSpec::new("hrandfield", -2, READONLY, hrandfield::execute),
    CommandSpec::new("hscan", -3, READONLY, hscan::execute),
    CommandSpec::new("hset", -4, WRITE | DENYOOM | FAST, hset::execute),
    CommandSpec::new("hsetnx", 4, WRITE | DENYOOM | FAST, hsetnx::execute),
    CommandSpec::new("hstrlen", 3, READONLY | FAST, hstrlen::execute),
    CommandSpec::new("hvals", 2, READONLY, hgetall::execute_values),
];

/// Field/value pairs flattened the way RESP2 replies carry them.
fn flat_pairs<'a>(pairs: impl Iterator<Item = (&'a [u8], &'a Vec<u8>)>) -> Vec<Frame> {
    let mut flat = Vec::new();
    for (field, value) in pairs {
        flat.push(Frame::bulk(field));
        flat.push(Frame::Bulk(value.clone()));
    }
    flat
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    pub(super) fn bulks(items: &[&str]) -> Frame {
        Frame::Array(items.iter().map(|item| Frame::bulk(*item)).collect())
    }

    pub(super) fn encoding(node: &mut TestNode, key: &str) -> String {
        let db = node.state.keyspace.db(0);
        db.lookup(key.as_bytes())
            .map_or("none", |entry| entry.value.encoding())
            .to_string()
    }

    #[test]
    fn hash_commands_on_a_string_answer_wrongtype() {
        let mut node = TestNode::new();
        node.state.keyspace.db_mut(0).insert(
            b"s",
            crate::engine::keyspace::Value::String(crate::engine::keyspace::StringValue::new(
                b"v".to_vec(),
            )),
        );
        for line in [
            "HSET s a b",
            "HMSET s a b",
            "HSETNX s a b",
            "HGET s a",
            "HMGET s a",
            "HGETALL s",
            "HKEYS s",
            "HVALS s",
            "HDEL s a",
            "HEXISTS s a",
            "HLEN s",
            "HSTRLEN s a",
            "HINCRBY s a 1",
            "HINCRBYFLOAT s a 1",
            "HRANDFIELD s",
            "HRANDFIELD s 2 WITHVALUES",
            "HSCAN s 0",
        ] {
            assert_eq!(
                node.run(line),
                Frame::error(crate::engine::command::args::WRONG_TYPE),
                "{line}"
            );
        }
    }

    #[test]
    fn hash_listpack_becomes_hashtable_past_the_limits() {
        let mut node = TestNode::new();
        node.run("HSET small f v");
        assert_eq!(encoding(&mut node, "small"), "listpack");
        node.run(&format!("HSET long f {}", "x".repeat(65)));
        assert_eq!(encoding(&mut node, "long"), "hashtable");
        node.run(&format!("HINCRBY longfield {} 1", "f".repeat(65)));
        assert_eq!(encoding(&mut node, "longfield"), "hashtable");
        let entries_max = node.state.config.hash_listpack.entries_max;
        let fields: Vec<String> = (0..=entries_max).map(|i| format!("f{i} v")).collect();
        node.run(&format!("HSET many {}", fields[..entries_max].join(" ")));
        assert_eq!(encoding(&mut node, "many"), "listpack");
        node.run(&format!("HSET many {}", fields[entries_max]));
        assert_eq!(encoding(&mut node, "many"), "hashtable");
    }
}
