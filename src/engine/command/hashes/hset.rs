//! `HSET key field value [field value ...]` and its deprecated twin `HMSET`.

use crate::engine::command::{args, wrong_arity, Ctx};
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// HSET key field value [field value ...]
/// ```
///
/// Replies with the number of fields that were new.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    set_pairs(ctx, args, "hset").map_or_else(|error| error, Frame::Integer)
}

/// # Format
///
/// ```text
/// HMSET key field value [field value ...]
/// ```
///
/// Replies `+OK`.
pub(super) fn execute_hmset(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    set_pairs(ctx, args, "hmset").map_or_else(|error| error, |_| Frame::ok())
}

/// Sets every pair; the number of new fields. Pairs must be complete (`addReplyErrorArity`).
fn set_pairs(ctx: &mut Ctx, args: &[Vec<u8>], name: &str) -> Result<i64, Frame> {
    let ([_, key], words) = args::at_least(args);
    let (pairs, []) = words.as_chunks::<2>() else {
        return Err(wrong_arity(name));
    };
    let limits = ctx.state.config.hash_listpack;
    let created = ctx.modify_or_create(key, |hash: &mut HashValue| {
        pairs
            .iter()
            .filter(|[field, value]| hash.insert(field, value.clone(), limits))
            .count()
    })?;
    ctx.signal_modified_key(key);
    ctx.add_dirty(pairs.len() as u64);
    Ok(created as i64)
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn hset_counts_new_fields_and_hmset_answers_ok() {
        let mut node = TestNode::new();
        assert_eq!(node.run("HSET h a 1 b 2"), Frame::Integer(2));
        assert_eq!(node.run("HSET h a 3 c 4"), Frame::Integer(1));
        assert_eq!(node.run("HMSET h d 5"), Frame::ok());
        assert_eq!(node.run("HGET h a"), Frame::bulk("3"));
        assert_eq!(node.take_propagated().len(), 3);
    }

    #[test]
    fn hset_with_an_odd_pair_names_the_command() {
        let mut node = TestNode::new();
        assert_eq!(
            node.run("HSET h a 1 b"),
            Frame::error("ERR wrong number of arguments for 'hset' command")
        );
        assert_eq!(
            node.run("hmset h a 1 b"),
            Frame::error("ERR wrong number of arguments for 'hmset' command")
        );
        assert!(node.state.keyspace.db(0).is_empty());
    }
}
