//! `HRANDFIELD key [count [WITHVALUES]]`: random fields, drawn from the node's PRNG.
//!
//! As in Redis 7.0: a positive count gives distinct fields (the whole hash, in its order, when
//! the count covers it), a negative count may repeat fields.

use super::flat_pairs;
use crate::engine::command::sets::random::{parse_signed_count, pick_with_count};
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// `LONG_MAX / 2`: with WITHVALUES, Redis refuses counts whose doubled reply length overflows.
const WITH_VALUES_COUNT_MAX: i64 = i64::MAX / 2;

/// # Format
///
/// ```text
/// HRANDFIELD key [count [WITHVALUES]]
/// ```
///
/// Without a count: one field as a bulk string (nil for a missing key). With one: an array of
/// fields, or of field/value pairs flattened with WITHVALUES.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_, key], rest) = args::at_least(args);
    let Some((count_arg, options)) = rest.split_first() else {
        return single(ctx, key);
    };
    let count = match parse_signed_count(count_arg) {
        Ok(count) => count,
        Err(error) => return error,
    };
    let with_values = match options {
        [] => false,
        [option] if option.eq_ignore_ascii_case(b"withvalues") => true,
        _ => return args::syntax_error(),
    };
    if with_values && !(-WITH_VALUES_COUNT_MAX..=WITH_VALUES_COUNT_MAX).contains(&count) {
        return Frame::error("ERR value is out of range");
    }
    with_count(ctx, key, count, with_values)
}

fn single(ctx: &mut Ctx, key: &[u8]) -> Frame {
    match ctx.read_with_prng::<HashValue>(key) {
        Ok(Some((hash, prng))) => hash
            .random_pair(prng)
            .map_or(Frame::Null, |(field, _)| Frame::bulk(field)),
        Ok(None) => Frame::Null,
        Err(error) => error,
    }
}

fn with_count(ctx: &mut Ctx, key: &[u8], count: i64, with_values: bool) -> Frame {
    let (hash, prng) = match ctx.read_with_prng::<HashValue>(key) {
        Ok(Some(found)) => found,
        Ok(None) => return Frame::Array(Vec::new()),
        Err(error) => return error,
    };
    let picks = match pick_with_count(prng, count, || hash.iter().collect()) {
        Ok(picks) => picks,
        Err(error) => return error,
    };
    Frame::Array(if with_values {
        flat_pairs(picks.into_iter())
    } else {
        picks
            .into_iter()
            .map(|(field, _)| Frame::bulk(field))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::bulks;
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn len(frame: &Frame) -> usize {
        match frame {
            Frame::Array(items) => items.len(),
            _ => usize::MAX,
        }
    }

    #[test]
    fn hrandfield_counts_give_distinct_or_repeated_fields() {
        let mut node = TestNode::new();
        node.run("HSET h a 1 b 2 c 3");
        assert_eq!(node.run("HRANDFIELD h 3"), bulks(&["a", "b", "c"]));
        assert_eq!(
            node.run("HRANDFIELD h 10 WITHVALUES"),
            bulks(&["a", "1", "b", "2", "c", "3"])
        );
        assert_eq!(len(&node.run("HRANDFIELD h 2")), 2);
        assert_eq!(len(&node.run("HRANDFIELD h -7")), 7);
        assert_eq!(len(&node.run("HRANDFIELD h -7 withvalues")), 14);
        assert_eq!(node.run("HRANDFIELD h 0"), bulks(&[]));
        assert!(matches!(node.run("HRANDFIELD h"), Frame::Bulk(_)));
        let Frame::Array(distinct) = node.run("HRANDFIELD h 2") else {
            panic!("an array")
        };
        assert_ne!(distinct[0], distinct[1]);
    }

    #[test]
    fn hrandfield_argument_errors_come_before_the_key_lookup() {
        let mut node = TestNode::new();
        assert_eq!(node.run("HRANDFIELD nokey"), Frame::Null);
        assert_eq!(node.run("HRANDFIELD nokey -5"), bulks(&[]));
        assert_eq!(
            node.run("HRANDFIELD nokey 1 values"),
            Frame::error("ERR syntax error")
        );
        assert_eq!(
            node.run("HRANDFIELD nokey -9223372036854775808"),
            Frame::error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
        );
        assert_eq!(
            node.run("HRANDFIELD nokey 4611686018427387904 WITHVALUES"),
            Frame::error("ERR value is out of range")
        );
    }

    #[test]
    fn hrandfield_huge_negative_counts_do_not_allocate() {
        let mut node = TestNode::new();
        node.run("HSET h a 1");
        assert!(node.run("HRANDFIELD h -9999999999").is_error());
        assert_eq!(len(&node.run("HRANDFIELD h 9999999999")), 1);
    }
}
