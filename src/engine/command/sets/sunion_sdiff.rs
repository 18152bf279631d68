//! `SUNION`, `SUNIONSTORE`, `SDIFF`, `SDIFFSTORE`: set union and difference (Redis's
//! `sunionDiffGenericCommand`).
//!
//! The result is built as Redis builds it (an intset that converts when it must, and the same
//! choice of difference algorithm), so its order and stored encoding match.

use super::{bulk_array, read_sets, store_result};
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SetValue;
use crate::engine::resp::Frame;

/// Which operation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Operation {
    Union,
    Difference,
}

/// # Format
///
/// ```text
/// SUNION key [key ...]
/// ```
pub(super) fn execute_sunion(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_], keys) = args::at_least(args);
    reply(ctx, keys, Operation::Union)
}

/// # Format
///
/// ```text
/// SDIFF key [key ...]
/// ```
///
/// The members of the first set that are in none of the others.
pub(super) fn execute_sdiff(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_], keys) = args::at_least(args);
    reply(ctx, keys, Operation::Difference)
}

/// # Format
///
/// ```text
/// SUNIONSTORE destination key [key ...]
/// ```
pub(super) fn execute_sunionstore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    store(ctx, args, Operation::Union)
}

/// # Format
///
/// ```text
/// SDIFFSTORE destination key [key ...]
/// ```
pub(super) fn execute_sdiffstore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    store(ctx, args, Operation::Difference)
}

fn reply(ctx: &mut Ctx, keys: &[Vec<u8>], operation: Operation) -> Frame {
    match compute(ctx, keys, operation) {
        Ok(result) => bulk_array(result.members()),
        Err(error) => error,
    }
}

fn store(ctx: &mut Ctx, args: &[Vec<u8>], operation: Operation) -> Frame {
    let ([_, destination], keys) = args::at_least(args);
    match compute(ctx, keys, operation) {
        Ok(result) => store_result(ctx, destination, result),
        Err(error) => error,
    }
}

fn compute(ctx: &mut Ctx, keys: &[Vec<u8>], operation: Operation) -> Result<SetValue, Frame> {
    let intset_max = ctx.state.config.set_max_intset_entries;
    let sets = read_sets(ctx, keys)?;
    Ok(match operation {
        Operation::Union => union(&sets, intset_max),
        Operation::Difference => difference(keys, &sets, intset_max),
    })
}

fn union(sets: &[Option<&SetValue>], intset_max: usize) -> SetValue {
    let mut result = SetValue::default();
    for set in sets.iter().flatten() {
        for member in set.members() {
            result.insert(&member, intset_max);
        }
    }
    result
}

fn difference(keys: &[Vec<u8>], sets: &[Option<&SetValue>], intset_max: usize) -> SetValue {
    let mut result = SetValue::default();
    let Some((Some(first), others)) = sets.split_first() else {
        return result;
    };
    // The first key named again: the difference is empty.
    let same_set = keys
        .iter()
        .skip(1)
        .zip(others)
        .any(|(key, set)| set.is_some() && *key == keys[0]);
    if same_set {
        return result;
    }
    let others: Vec<&SetValue> = others.iter().flatten().copied().collect();
    // Redis's cost estimate: algorithm 1 checks each member of the first set against the others
    // (halved, as it tends to stop early), algorithm 2 adds the first set and removes the rest.
    let check_each_work = first.len() * (others.len() + 1) / 2;
    let remove_all_work = first.len() + others.iter().map(|set| set.len()).sum::<usize>();
    if check_each_work <= remove_all_work {
        for member in first.members() {
            if !others.iter().any(|set| set.contains(&member)) {
                result.insert(&member, intset_max);
            }
        }
    } else {
        for member in first.members() {
            result.insert(&member, intset_max);
        }
        for set in others {
            if result.is_empty() {
                break;
            }
            for member in set.members() {
                result.remove(&member);
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bulks, encoding, sorted};
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn sunion_of_intsets_is_sorted() {
        let mut node = TestNode::new();
        node.run("SADD a 3 1");
        node.run("SADD b 2 3");
        assert_eq!(node.run("SUNION a nokey b"), bulks(&["1", "2", "3"]));
        node.run("SADD c x");
        assert_eq!(sorted(node.run("SUNION a c")).len(), 3);
        assert_eq!(node.run("SUNION nokey"), bulks(&[]));
    }

    #[test]
    fn sdiff_keeps_members_found_nowhere_else() {
        let mut node = TestNode::new();
        node.run("SADD a 1 2 3 4");
        node.run("SADD b 2");
        node.run("SADD c 4 5");
        assert_eq!(node.run("SDIFF a b nokey c"), bulks(&["1", "3"]));
        assert_eq!(node.run("SDIFF a a"), bulks(&[]));
        assert_eq!(node.run("SDIFF nokey a"), bulks(&[]));
    }

    #[test]
    fn sdiffstore_encoding_follows_the_algorithm_redis_picks() {
        let mut node = TestNode::new();
        // Big first set, small others: members are checked one by one, the result is an intset.
        node.run("SADD a x 1 2 3 4 5 6");
        node.run("SADD b x");
        assert_eq!(node.run("SDIFFSTORE d1 a b"), Frame::Integer(6));
        assert_eq!(encoding(&node, "d1"), "intset");
        // Many other sets: the first is copied and the rest removed, it stays a hashtable.
        node.run("SADD e x 1 2 3");
        assert_eq!(node.run("SDIFFSTORE d2 e b b b"), Frame::Integer(3));
        assert_eq!(encoding(&node, "d2"), "hashtable");
    }
}
