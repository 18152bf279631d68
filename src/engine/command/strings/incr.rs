//! `INCR key`, `DECR key`, `INCRBY key increment`, `DECRBY key decrement`: 64-bit counters.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::{StringValue, Value};
use crate::engine::resp::{parse_i64, Frame};

/// # Format
///
/// ```text
/// INCR key
/// ```
///
/// Replies with the new value; a missing key counts as 0.
pub(super) fn execute_incr(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    add(ctx, key, 1)
}

/// # Format
///
/// ```text
/// DECR key
/// ```
pub(super) fn execute_decr(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    add(ctx, key, -1)
}

/// # Format
///
/// ```text
/// INCRBY key increment
/// ```
pub(super) fn execute_incrby(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, increment] = args::exactly(args);
    match args::integer(increment) {
        Ok(increment) => add(ctx, key, increment),
        Err(reply) => reply,
    }
}

/// # Format
///
/// ```text
/// DECRBY key decrement
/// ```
///
/// A decrement of -2^63 cannot be negated: `-ERR decrement would overflow`.
pub(super) fn execute_decrby(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, decrement] = args::exactly(args);
    match args::integer(decrement).map(i64::checked_neg) {
        Ok(Some(increment)) => add(ctx, key, increment),
        Ok(None) => Frame::error("ERR decrement would overflow"),
        Err(reply) => reply,
    }
}

/// Adds `increment` to the integer under `key` (Redis's `incrDecrCommand`): the TTL stays,
/// the result is stored `int`-encoded.
fn add(ctx: &mut Ctx, key: &[u8], increment: i64) -> Frame {
    let current = match ctx.read_for_write::<StringValue>(key) {
        Err(reply) => return reply,
        Ok(None) => None,
        Ok(Some(string)) => match parse_i64(string.bytes()) {
            Some(current) => Some(current),
            None => return Frame::error(args::NOT_AN_INTEGER),
        },
    };
    let Some(value) = current.unwrap_or(0).checked_add(increment) else {
        return Frame::error("ERR increment or decrement would overflow");
    };
    let new_value = Value::String(StringValue::new(value.to_string().into_bytes()));
    super::store(ctx, key, new_value, true);
    ctx.signal_modified_key(key);
    ctx.add_dirty(1);
    Frame::Integer(value)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{
        encoding, err, expires_at, node_with, propagated, put_list, WRONG_TYPE,
    };
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const OVERFLOW: &str = "ERR increment or decrement would overflow";
    const NOT_INTEGER: &str = "ERR value is not an integer or out of range";

    #[test]
    fn incr_family_counts_from_zero_and_propagates_as_sent() {
        let mut node = node_with(&[]);
        assert_eq!(node.run("INCR n"), Frame::Integer(1));
        assert_eq!(node.run("incrby n 10"), Frame::Integer(11));
        assert_eq!(node.run("DECR n"), Frame::Integer(10));
        assert_eq!(node.run("DECRBY n -5"), Frame::Integer(15));
        assert_eq!(encoding(&node, "n"), "int");
        assert_eq!(
            propagated(&mut node),
            ["INCR n", "incrby n 10", "DECR n", "DECRBY n -5"]
        );
    }

    #[test]
    fn incr_keeps_the_ttl_and_makes_any_string_int_encoded() {
        let mut node = node_with(&["SET n 41 EX 100", "APPEND r 1", "APPEND r 0"]);
        assert_eq!(node.run("INCR n"), Frame::Integer(42));
        assert_eq!(expires_at(&node, "n"), Some(1_700_000_100_000));
        assert_eq!(encoding(&node, "r"), "raw");
        assert_eq!(node.run("INCR r"), Frame::Integer(11));
        assert_eq!(encoding(&node, "r"), "int");
    }

    #[test]
    fn incr_refuses_overflow_and_non_integers() {
        let mut node = node_with(&[
            "SET max 9223372036854775807",
            "SET min -9223372036854775808",
        ]);
        assert_eq!(node.run("INCR max"), err(OVERFLOW));
        assert_eq!(node.run("DECR min"), err(OVERFLOW));
        assert_eq!(node.run("INCRBY min -1"), err(OVERFLOW));
        assert_eq!(node.run("DECRBY max -1"), err(OVERFLOW));
        assert_eq!(
            node.run("DECRBY max -9223372036854775808"),
            err("ERR decrement would overflow")
        );
        assert_eq!(
            node.run("DECRBY min -9223372036854775807"),
            Frame::Integer(-1)
        );
        for value in ["abc", "1.5", " 1", "01", "-0", "99999999999999999999", ""] {
            node.run(&format!("SET s \"{value}\""));
            assert_eq!(node.run("INCR s"), err(NOT_INTEGER), "{value:?}");
        }
        assert_eq!(node.run("INCRBY n x"), err(NOT_INTEGER));
        put_list(&mut node, "l");
        assert_eq!(node.run("INCR l"), err(WRONG_TYPE));
        // The increment is parsed before the key is looked at.
        assert_eq!(node.run("INCRBY l x"), err(NOT_INTEGER));
        assert_eq!(node.state.keyspace.db(0).len(), 4);
    }
}
