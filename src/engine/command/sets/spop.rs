//! `SPOP key [count]`: removes and returns random members, drawn from the node's PRNG.
//!
//! Propagation is Redis 7.0's: one pop goes out as `SREM key member`; a count as one
//! `SREM key member` per member (wrapped in MULTI/EXEC when several); a count that empties the
//! set as `DEL key`.

use super::bulk_array;
use super::random::{at_indexes, distinct_indexes};
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SetValue;
use crate::engine::resp::Frame;

/// Redis builds a new set from the survivors instead of popping when fewer than one member in
/// this many would survive (`SPOP_MOVE_STRATEGY_MUL`); the reply order and the resulting
/// encoding show it, so we follow.
const MOVE_STRATEGY_MUL: usize = 5;

/// # Format
///
/// ```text
/// SPOP key [count]
/// ```
///
/// Without a count: a bulk string, nil for a missing key. With one: an array of distinct
/// members.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    match args {
        [_, key] => pop_one(ctx, key),
        [_, key, count] => match args::integer(count) {
            Ok(count) if count >= 0 => pop_many(ctx, key, count.unsigned_abs()),
            _ => Frame::error("ERR value is out of range, must be positive"),
        },
        _ => args::syntax_error(),
    }
}

fn pop_one(ctx: &mut Ctx, key: &[u8]) -> Frame {
    // The key goes with its last member.
    let popped = ctx.modify_with_prng(key, |set: &mut SetValue, prng| {
        let member = set.random_member(prng)?;
        set.remove(&member);
        Some(member)
    });
    let member = match popped {
        Err(reply) => return reply,
        Ok(None | Some(None)) => return Frame::Null,
        Ok(Some(Some(member))) => member,
    };
    ctx.rewrite_argv(vec![b"SREM".to_vec(), key.to_vec(), member.clone()]);
    ctx.signal_modified_key(key);
    ctx.add_dirty(1);
    Frame::Bulk(member)
}

/// What SPOP with a count took.
enum Popped {
    /// Some members (none for a count of 0); the set keeps the others.
    Some(Vec<Vec<u8>>),
    /// Every member: the set, emptied, is gone with its key.
    All(Vec<Vec<u8>>),
}

fn pop_many(ctx: &mut Ctx, key: &[u8], count: u64) -> Frame {
    let intset_max = ctx.state.config.set_max_intset_entries;
    let popped = ctx.modify_with_prng(key, |set: &mut SetValue, prng| {
        if count == 0 {
            return Popped::Some(Vec::new());
        }
        let members = set.members();
        let size = members.len();
        if count >= size as u64 {
            *set = SetValue::default();
            return Popped::All(members);
        }
        let count = count as usize;
        let survivors = size - count;
        if survivors.saturating_mul(MOVE_STRATEGY_MUL) > count {
            let popped = at_indexes(&members, distinct_indexes(prng, size, count));
            for member in &popped {
                set.remove(member);
            }
            return Popped::Some(popped);
        }
        // Pick the survivors into a new set; the rest, in the set's order, is popped.
        let mut kept = vec![false; size];
        let mut new_set = SetValue::default();
        for index in distinct_indexes(prng, size, survivors) {
            if let Some(member) = members.get(index) {
                kept[index] = true;
                new_set.insert(member, intset_max);
            }
        }
        *set = new_set;
        Popped::Some(
            members
                .into_iter()
                .zip(kept)
                .filter_map(|(member, kept)| (!kept).then_some(member))
                .collect(),
        )
    });
    let popped = match popped {
        Err(reply) => return reply,
        Ok(None) => return Frame::Array(Vec::new()),
        Ok(Some(popped)) => popped,
    };
    let popped = match popped {
        Popped::All(members) => {
            ctx.rewrite_argv(vec![b"DEL".to_vec(), key.to_vec()]);
            ctx.signal_modified_key(key);
            ctx.add_dirty(members.len() as u64);
            return bulk_array(members);
        }
        Popped::Some(popped) if popped.is_empty() => return Frame::Array(Vec::new()),
        Popped::Some(popped) => popped,
    };
    for member in &popped {
        ctx.also_propagate(vec![b"SREM".to_vec(), key.to_vec(), member.clone()]);
    }
    ctx.prevent_propagation();
    ctx.signal_modified_key(key);
    ctx.add_dirty(popped.len() as u64);
    bulk_array(popped)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{encoding, sorted};
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn argvs(node: &mut TestNode) -> Vec<Vec<String>> {
        node.take_propagated()
            .into_iter()
            .flatten()
            .map(|command| {
                command
                    .argv
                    .iter()
                    .map(|arg| String::from_utf8_lossy(arg).into_owned())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn spop_one_propagates_srem_and_deletes_the_empty_set() {
        let mut node = TestNode::new();
        node.run("SADD s x");
        node.take_propagated();
        assert_eq!(node.run("SPOP s"), Frame::bulk("x"));
        assert_eq!(argvs(&mut node), vec![vec!["SREM", "s", "x"]]);
        assert!(node.state.keyspace.db(0).is_empty());
        assert_eq!(node.run("SPOP s"), Frame::Null);
    }

    #[test]
    fn spop_count_propagates_one_srem_per_member_in_a_transaction() {
        let mut node = TestNode::new();
        node.run("SADD s 1 2 3 4 5 6 7 8 9 10");
        node.take_propagated();
        let popped = sorted(node.run("SPOP s 3"));
        assert_eq!(popped.len(), 3);
        let stream = argvs(&mut node);
        assert_eq!(stream.len(), 5);
        assert_eq!(stream[0], vec!["MULTI"]);
        assert_eq!(stream[4], vec!["EXEC"]);
        let mut removed: Vec<Vec<u8>> = stream[1..4]
            .iter()
            .map(|argv| argv[2].clone().into_bytes())
            .collect();
        removed.sort();
        assert_eq!(removed, popped);
        assert_eq!(node.run("SCARD s"), Frame::Integer(7));
    }

    #[test]
    fn spop_count_covering_the_set_propagates_del() {
        let mut node = TestNode::new();
        node.run("SADD s 3 1 2");
        node.take_propagated();
        assert_eq!(
            node.run("SPOP s 5"),
            super::super::tests::bulks(&["1", "2", "3"])
        );
        assert_eq!(argvs(&mut node), vec![vec!["DEL", "s"]]);
        assert_eq!(node.run("SPOP s 0"), Frame::Array(vec![]));
        assert!(argvs(&mut node).is_empty());
    }

    #[test]
    fn spop_count_keeping_few_rebuilds_the_set() {
        let mut node = TestNode::new();
        node.run("SADD s a 1 2 3 4 5 6");
        node.run("SREM s a");
        assert_eq!(encoding(&node, "s"), "hashtable");
        assert_eq!(sorted(node.run("SPOP s 5")).len(), 5);
        // The survivor went into a fresh set, an intset since it is an integer.
        assert_eq!(encoding(&node, "s"), "intset");
    }

    #[test]
    fn spop_count_errors() {
        let mut node = TestNode::new();
        let error = Frame::error("ERR value is out of range, must be positive");
        assert_eq!(node.run("SPOP s -1"), error);
        assert_eq!(node.run("SPOP s x"), error);
        assert_eq!(node.run("SPOP s 1 2"), Frame::error("ERR syntax error"));
        assert_eq!(node.run("SPOP s 9999999999"), Frame::Array(vec![]));
    }
}
