//! `HDEL key field [field ...]`: removes fields; the hash goes when its last field does.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// HDEL key field [field ...]
/// ```
///
/// Replies with the number of fields removed.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_, key], fields) = args::at_least(args);
    ctx.remove_members(key, fields, |hash: &mut HashValue, field| {
        hash.remove(field).is_some()
    })
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn hdel_of_the_last_field_deletes_the_key() {
        let mut node = TestNode::new();
        node.run("HSET h a 1 b 2");
        assert_eq!(node.run("HDEL h a a x"), Frame::Integer(1));
        assert_eq!(node.run("HDEL h b a"), Frame::Integer(1));
        assert!(node.state.keyspace.db(0).is_empty());
        assert_eq!(node.state.keyspace.used_bytes(), 0);
        node.take_propagated();
        assert_eq!(node.run("HDEL h b"), Frame::Integer(0));
        assert!(node.take_propagated().is_empty());
    }
}
