//! Set commands: SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SPOP, SRANDMEMBER, SMOVE,
//! SINTER, SINTERSTORE, SINTERCARD, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE, SSCAN (Redis 7.0's
//! `t_set.c`).
//!
//! Encodings follow [`SetValue`]: an intset while every member is an integer and there are at
//! most `set-max-intset-entries`, else a hashtable. A set whose last member goes is deleted.
//! [`random`] is shared with the hash family (HRANDFIELD).

pub(super) mod random;
mod sadd;
mod scard;
mod sinter;
mod sismember;
mod smembers;
mod smismember;
mod smove;
mod spop;
mod srandmember;
mod srem;
mod sscan;
mod sunion_sdiff;

use super::flags::{DENYOOM, FAST, READONLY, WRITE};
use super::{CommandSpec, Ctx};
use crate::engine::keyspace::{SetValue, ValueType};
use crate::engine::resp::Frame;

/// This family's rows of the command table (arity and flags as `COMMAND INFO` shows in 7.0).
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("sadd", -3, WRITE | DENYOOM | FAST, sadd::execute),
    CommandSpec::new("scard", 2, READONLY | FAST, scard::execute),
    CommandSpec::new("sdiff", -2, READONLY, sunion_sdiff::execute_sdiff),
    CommandSpec::new(
        "sdiffstore",
        -3,
        WRITE | DENYOOM,
        sunion_sdiff::execute_sdiffstore,
    ),
    CommandSpec::new("sinter", -2, READONLY, sinter::execute),
    CommandSpec::new("sintercard", -3, READONLY, sinter::execute_sintercard),
    CommandSpec::new(
        "sinterstore",
        -3,
        WRITE | DENYOOM,
        sinter::execute_sinterstore,
    ),
    CommandSpec::new("sismember", 3, READONLY | FAST, sismember::execute),
    CommandSpec::new("smembers", 2, READONLY, smembers::execute),
    CommandSpec::new("smismember", -3, READONLY | FAST, smismember::execute),
    CommandSpec::new("smove", 4, WRITE | FAST, smove::execute),
    CommandSpec::new("spop", -2, WRITE | FAST, spop::execute),
    CommandSpec::new("srandmember", -2, READONLY, srandmember::execute),
    CommandSpec::new("srem", -3, WRITE | FAST, srem::execute),
    CommandSpec::new("sscan", -3, READONLY, sscan::execute),
    CommandSpec::new("sunion", -2, READONLY, sunion_sdiff::execute_sunion),
    CommandSpec::new(
        "sunionstore",
        -3,
        WRITE | DENYOOM,
        sunion_sdiff::execute_sunionstore,
    ),
];

/// The sets at `keys` (read lookups, in order), None for missing keys; WRONGTYPE as soon as a
/// key holds another type.
fn read_sets<'c>(ctx: &'c mut Ctx, keys: &[Vec<u8>]) -> Result<Vec<Option<&'c SetValue>>, Frame> {
    for key in keys {
        ctx.read::<SetValue>(key)?;
    }
    let index = ctx.db_index();
    let db = ctx.state.keyspace.db(index);
    Ok(keys
        .iter()
        .map(|key| {
            db.lookup(key)
                .and_then(|entry| SetValue::from_value(&entry.value))
        })
        .collect())
}

/// Members as an array of bulk strings.
fn bulk_array(members: impl IntoIterator<Item = Vec<u8>>) -> Frame {
    Frame::Array(members.into_iter().map(Frame::Bulk).collect())
}

/// Stores the result of a *STORE command at `destination` (an empty one deletes it: see
/// [`Ctx::store_result`]) and replies with its size.
fn store_result(ctx: &mut Ctx, destination: &[u8], result: SetValue) -> Frame {
    let size = result.len() as i64;
    ctx.store_result(destination, result);
    Frame::Integer(size)
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::keyspace::{StringValue, Value};
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    pub(super) fn bulks(items: &[&str]) -> Frame {
        Frame::Array(items.iter().map(|item| Frame::bulk(*item)).collect())
    }

    pub(super) fn encoding(node: &TestNode, key: &str) -> String {
        node.state
            .keyspace
            .db(0)
            .lookup(key.as_bytes())
            .map_or("none", |entry| entry.value.encoding())
            .to_string()
    }

    /// The members a reply holds, sorted (for hashtable-encoded results).
    pub(super) fn sorted(frame: Frame) -> Vec<Vec<u8>> {
        let Frame::Array(items) = frame else {
            panic!("an array: {frame:?}")
        };
        let mut members: Vec<Vec<u8>> = items
            .into_iter()
            .map(|item| match item {
                Frame::Bulk(bytes) => bytes,
                other => panic!("a bulk string: {other:?}"),
            })
            .collect();
        members.sort();
        members
    }

    pub(super) fn string_key(node: &mut TestNode, key: &str) {
        node.state.keyspace.db_mut(0).insert(
            key.as_bytes(),
            Value::String(StringValue::new(b"v".to_vec())),
        );
    }

    #[test]
    fn set_commands_on_a_string_answer_wrongtype() {
        let mut node = TestNode::new();
        string_key(&mut node, "s");
        for line in [
            "SADD s a",
            "SREM s a",
            "SMEMBERS s",
            "SISMEMBER s a",
            "SMISMEMBER s a",
            "SCARD s",
            "SPOP s",
            "SPOP s 2",
            "SRANDMEMBER s",
            "SRANDMEMBER s -2",
            "SMOVE s d a",
            "SINTER nokey s",
            "SINTERSTORE d nokey s",
            "SINTERCARD 2 nokey s",
            "SUNION nokey s",
            "SUNIONSTORE d s",
            "SDIFF nokey s",
            "SDIFFSTORE d nokey s",
            "SSCAN s 0",
        ] {
            assert_eq!(
                node.run(line),
                Frame::error(crate::engine::command::args::WRONG_TYPE),
                "{line}"
            );
        }
    }

    #[test]
    fn set_intset_becomes_hashtable_on_strings_or_size() {
        let mut node = TestNode::new();
        node.run("SADD ints 3 1 2 -9223372036854775808");
        assert_eq!(encoding(&node, "ints"), "intset");
        assert_eq!(
            node.run("SMEMBERS ints"),
            bulks(&["-9223372036854775808", "1", "2", "3"])
        );
        for (key, member) in [
            ("a", "-0"),
            ("b", "01"),
            ("c", "+1"),
            ("d", " 1"),
            ("e", "x"),
        ] {
            node.run(&format!("SADD {key} 1 \"{member}\""));
            assert_eq!(encoding(&node, key), "hashtable", "{member}");
        }
        let many: Vec<String> = (0..513).map(|i| i.to_string()).collect();
        node.run(&format!("SADD big {}", many[..512].join(" ")));
        assert_eq!(encoding(&node, "big"), "intset");
        node.run("SADD big 512");
        assert_eq!(encoding(&node, "big"), "hashtable");
    }
}
