//! `SADD key member [member ...]`: adds members, creating the set if needed.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SADD key member [member ...]
/// ```
///
/// Replies with the number of members that were new.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_, key], members) = args::at_least(args);
    let intset_max = ctx.state.config.set_max_intset_entries;
    let add_all = |set: &mut SetValue| {
        members
            .iter()
            .filter(|member| set.insert(member, intset_max))
            .count()
    };
    let added = match ctx.modify_or_create(key, add_all) {
        Ok(added) => added,
        Err(reply) => return reply,
    };
    if added > 0 {
        ctx.signal_modified_key(key);
        ctx.add_dirty(added as u64);
    }
    Frame::Integer(added as i64)
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn sadd_counts_new_members_and_propagates_only_changes() {
        let mut node = TestNode::new();
        assert_eq!(node.run("SADD s a b a"), Frame::Integer(2));
        assert_eq!(node.take_propagated().len(), 1);
        assert_eq!(node.run("SADD s a"), Frame::Integer(0));
        assert!(node.take_propagated().is_empty());
    }
}
