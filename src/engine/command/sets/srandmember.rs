//! `SRANDMEMBER key [count]`: random members, drawn from the node's PRNG, left in place.
//!
//! As in Redis 7.0: a positive count gives distinct members (the whole set, in its order, when
//! the count covers it), a negative count may repeat members.

use super::bulk_array;
use super::random::{parse_signed_count, pick_with_count};
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SRANDMEMBER key [count]
/// ```
///
/// Without a count: a bulk string, nil for a missing key. With one: an array.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    match args {
        [_, key] => match ctx.read_with_prng::<SetValue>(key) {
            Ok(Some((set, prng))) => set.random_member(prng).map_or(Frame::Null, Frame::Bulk),
            Ok(None) => Frame::Null,
            Err(error) => error,
        },
        [_, key, count] => match parse_signed_count(count) {
            Ok(count) => with_count(ctx, key, count),
            Err(error) => error,
        },
        _ => args::syntax_error(),
    }
}

fn with_count(ctx: &mut Ctx, key: &[u8], count: i64) -> Frame {
    let (set, prng) = match ctx.read_with_prng::<SetValue>(key) {
        Ok(Some(found)) => found,
        Ok(None) => return Frame::Array(Vec::new()),
        Err(error) => return error,
    };
    pick_with_count(prng, count, || set.members()).map_or_else(|error| error, bulk_array)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bulks, sorted};
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn srandmember_positive_counts_are_distinct_negative_ones_repeat() {
        let mut node = TestNode::new();
        node.run("SADD s 1 2 3");
        assert_eq!(node.run("SRANDMEMBER s 3"), bulks(&["1", "2", "3"]));
        assert_eq!(node.run("SRANDMEMBER s 99"), bulks(&["1", "2", "3"]));
        let mut two = sorted(node.run("SRANDMEMBER s 2"));
        two.dedup();
        assert_eq!(two.len(), 2);
        assert_eq!(sorted(node.run("SRANDMEMBER s -10")).len(), 10);
        assert_eq!(node.run("SRANDMEMBER s 0"), bulks(&[]));
        assert!(matches!(node.run("SRANDMEMBER s"), Frame::Bulk(_)));
        assert_eq!(node.run("SCARD s"), Frame::Integer(3));
    }

    #[test]
    fn srandmember_missing_keys_and_bad_counts() {
        let mut node = TestNode::new();
        assert_eq!(node.run("SRANDMEMBER nokey"), Frame::Null);
        assert_eq!(node.run("SRANDMEMBER nokey -3"), bulks(&[]));
        assert_eq!(
            node.run("SRANDMEMBER nokey 1 2"),
            Frame::error("ERR syntax error")
        );
        assert_eq!(
            node.run("SRANDMEMBER nokey -9223372036854775808"),
            Frame::error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
        );
        node.run("SADD s a");
        assert!(node.run("SRANDMEMBER s -9999999999").is_error());
        assert_eq!(node.run("SRANDMEMBER s 9999999999"), bulks(&["a"]));
    }
}
