//! `SINTER key [key ...]`, `SINTERSTORE destination key [key ...]` and
//! `SINTERCARD numkeys key [key ...] [LIMIT limit]`: set intersection (Redis's
//! `sinterGenericCommand`).

use super::{bulk_array, read_sets, store_result};
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SetValue;
use crate::engine::resp::{parse_i64, Frame};

/// # Format
///
/// ```text
/// SINTER key [key ...]
/// ```
///
/// Replies with the members of the smallest set that are in all the others, in that set's
/// order. A missing key is an empty set.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_], keys) = args::at_least(args);
    match read_sets(ctx, keys) {
        Ok(sets) => bulk_array(intersection(&sets, 0)),
        Err(error) => error,
    }
}

/// # Format
///
/// ```text
/// SINTERSTORE destination key [key ...]
/// ```
///
/// Stores the intersection (deleting the destination if it is empty) and replies with its size.
pub(super) fn execute_sinterstore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_, destination], keys) = args::at_least(args);
    let members = match read_sets(ctx, keys) {
        Ok(sets) => intersection(&sets, 0),
        Err(error) => return error,
    };
    let intset_max = ctx.state.config.set_max_intset_entries;
    let mut result = SetValue::default();
    for member in &members {
        result.insert(member, intset_max);
    }
    store_result(ctx, destination, result)
}

/// # Format
///
/// ```text
/// SINTERCARD numkeys key [key ...] [LIMIT limit]
/// ```
///
/// Replies with the size of the intersection, counting no further than a nonzero LIMIT.
pub(super) fn execute_sintercard(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_, key_count], rest) = args::at_least(args);
    let key_count = match parse_i64(key_count) {
        Some(count) if count >= 1 => count.unsigned_abs(),
        _ => return Frame::error("ERR numkeys should be greater than 0"),
    };
    let Some((keys, mut options)) = usize::try_from(key_count)
        .ok()
        .and_then(|count| rest.split_at_checked(count))
    else {
        return Frame::error("ERR Number of keys can't be greater than number of args");
    };
    let mut limit = 0;
    while let [name, rest @ ..] = options {
        match rest {
            [value, tail @ ..] if name.eq_ignore_ascii_case(b"limit") => {
                limit = match parse_i64(value) {
                    Some(value) if value >= 0 => usize::try_from(value).unwrap_or(usize::MAX),
                    _ => return Frame::error("ERR LIMIT can't be negative"),
                };
                options = tail;
            }
            _ => return args::syntax_error(),
        }
    }
    match read_sets(ctx, keys) {
        Ok(sets) => Frame::Integer(intersection(&sets, limit).len() as i64),
        Err(error) => error,
    }
}

/// The members of every set, in the order of the smallest (the first of equal sizes); empty if
/// a set is missing. Stops after `limit` members unless it is 0.
fn intersection(sets: &[Option<&SetValue>], limit: usize) -> Vec<Vec<u8>> {
    let Some(mut sets) = sets.iter().copied().collect::<Option<Vec<&SetValue>>>() else {
        return Vec::new();
    };
    // A stable sort, like glibc's qsort (a merge sort) in practice.
    crate::engine::sort::sort_by_key(&mut sets, |set| set.len());
    let Some((smallest, others)) = sets.split_first() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for member in smallest.members() {
        if others.iter().all(|set| set.contains(&member)) {
            found.push(member);
            if found.len() == limit {
                break;
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bulks, encoding};
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn sinter_follows_the_smallest_set() {
        let mut node = TestNode::new();
        node.run("SADD a 5 4 3 2 1");
        node.run("SADD b 4 2 9");
        assert_eq!(node.run("SINTER a b"), bulks(&["2", "4"]));
        assert_eq!(node.run("SINTER a b nokey"), bulks(&[]));
        assert_eq!(node.run("SINTERCARD 2 a b"), Frame::Integer(2));
        assert_eq!(node.run("SINTERCARD 2 a b LIMIT 1"), Frame::Integer(1));
        assert_eq!(node.run("SINTERCARD 1 a limit 0"), Frame::Integer(5));
    }

    #[test]
    fn sinterstore_stores_or_deletes_the_destination() {
        let mut node = TestNode::new();
        node.run("SADD a 1 2 x");
        node.run("SADD b 1 2 y");
        assert_eq!(node.run("SINTERSTORE d a b"), Frame::Integer(2));
        assert_eq!(encoding(&node, "d"), "intset");
        node.take_propagated();
        assert_eq!(node.run("SINTERSTORE d a nokey"), Frame::Integer(0));
        assert_eq!(encoding(&node, "d"), "none");
        assert_eq!(node.take_propagated().len(), 1);
        assert_eq!(node.run("SINTERSTORE d a nokey"), Frame::Integer(0));
        assert!(node.take_propagated().is_empty());
    }

    #[test]
    fn sintercard_argument_errors() {
        let mut node = TestNode::new();
        for (line, error) in [
            ("SINTERCARD 0 a", "ERR numkeys should be greater than 0"),
            ("SINTERCARD x a", "ERR numkeys should be greater than 0"),
            (
                "SINTERCARD 2 a",
                "ERR Number of keys can't be greater than number of args",
            ),
            (
                "SINTERCARD 9223372036854775807 a",
                "ERR Number of keys can't be greater than number of args",
            ),
            ("SINTERCARD 1 a LIMIT -1", "ERR LIMIT can't be negative"),
            ("SINTERCARD 1 a LIMIT", "ERR syntax error"),
            ("SINTERCARD 1 a foo 1", "ERR syntax error"),
        ] {
            assert_eq!(node.run(line), Frame::error(error), "{line}");
        }
    }
}
