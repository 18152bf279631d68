//! `SREM key member [member ...]`: removes members; the set goes when its last member does.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SREM key member [member ...]
/// ```
///
/// Replies with the number of members removed.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_, key], members) = args::at_least(args);
    ctx.remove_members(key, members, |set: &mut SetValue, member| {
        set.remove(member)
    })
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn srem_of_the_last_member_deletes_the_key() {
        let mut node = TestNode::new();
        node.run("SADD s 1 x");
        assert_eq!(node.run("SREM s 1 2"), Frame::Integer(1));
        assert_eq!(node.run("SREM s x x"), Frame::Integer(1));
        assert!(node.state.keyspace.db(0).is_empty());
        assert_eq!(node.state.keyspace.used_bytes(), 0);
        assert_eq!(node.run("SREM s x"), Frame::Integer(0));
    }
}
