//! `INCRBYFLOAT key increment`: a decimal counter in C's `long double`.

use crate::engine::command::long_double::LongDouble;
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::{StringValue, Value};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// INCRBYFLOAT key increment
/// ```
///
/// Replies with the new value as a bulk string, in Redis's human-friendly form (at most 17
/// decimals, no exponent, trailing zeros trimmed); a missing key counts as 0 and the TTL stays.
/// Always propagated as `SET key <result> KEEPTTL`, so replicas never redo float arithmetic.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, increment] = args::exactly(args);
    let not_a_float = || Frame::error(args::NOT_A_FLOAT);
    // The stored value is checked before the increment, as Redis does.
    let current = match ctx.read_for_write::<StringValue>(key) {
        Err(reply) => return reply,
        Ok(None) => None,
        Ok(Some(string)) => match LongDouble::parse(string.bytes()) {
            Some(current) => Some(current),
            None => return not_a_float(),
        },
    };
    let Some(increment) = LongDouble::parse(increment) else {
        return not_a_float();
    };
    let sum = current.unwrap_or(LongDouble::ZERO).add(increment);
    let Some(sum) = sum.filter(|sum| sum.is_finite()) else {
        return Frame::error("ERR increment would produce NaN or Infinity");
    };
    let text = sum.to_human_string();
    // createStringObject, not tryObjectEncoding: "11" stays embstr.
    let new_value = Value::String(StringValue::new_plain(text.clone()));
    super::store(ctx, key, new_value, true);
    ctx.signal_modified_key(key);
    ctx.add_dirty(1);
    ctx.rewrite_argv(vec![
        b"SET".to_vec(),
        key.clone(),
        text.clone(),
        b"KEEPTTL".to_vec(),
    ]);
    Frame::Bulk(text)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{
        bulk, encoding, err, expires_at, node_with, propagated, put_list, WRONG_TYPE,
    };
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn incrbyfloat_propagates_as_set_keepttl_and_keeps_the_ttl() {
        let mut node = node_with(&["SET f 10.5 EX 100"]);
        assert_eq!(node.run("INCRBYFLOAT f 0.1"), bulk("10.6"));
        assert_eq!(node.run("INCRBYFLOAT g 5.0e3"), bulk("5000"));
        assert_eq!(expires_at(&node, "f"), Some(1_700_000_100_000));
        assert_eq!(
            propagated(&mut node),
            ["SET f 10.6 KEEPTTL", "SET g 5000 KEEPTTL"]
        );
    }

    #[test]
    fn incrbyfloat_results_are_never_int_encoded() {
        let mut node = node_with(&["SET k 10"]);
        assert_eq!(node.run("INCRBYFLOAT k 1"), bulk("11"));
        assert_eq!(encoding(&node, "k"), "embstr");
        node.run("INCRBYFLOAT big 1e50");
        assert_eq!(encoding(&node, "big"), "raw");
    }

    #[test]
    fn incrbyfloat_refuses_bad_floats_and_infinite_results() {
        let mut node = node_with(&["SET s abc", "SET f 1"]);
        put_list(&mut node, "l");
        let not_a_float = err("ERR value is not a valid float");
        assert_eq!(node.run("INCRBYFLOAT s 1"), not_a_float);
        assert_eq!(node.run("INCRBYFLOAT f nan"), not_a_float);
        assert_eq!(node.run("INCRBYFLOAT f \" 1\""), not_a_float);
        assert_eq!(node.run("INCRBYFLOAT f 1e5000"), not_a_float);
        assert_eq!(
            node.run("INCRBYFLOAT f inf"),
            err("ERR increment would produce NaN or Infinity")
        );
        // WRONGTYPE wins over a bad increment.
        assert_eq!(node.run("INCRBYFLOAT l x"), err(WRONG_TYPE));
        assert_eq!(node.run("GET f"), bulk("1"));
        assert!(propagated(&mut node).is_empty());
    }
}
