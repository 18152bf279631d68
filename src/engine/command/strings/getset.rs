//! `GETSET key value`: set a string and reply with the old one.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::{StringValue, Value};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// GETSET key value
/// ```
///
/// Replies with the old value or nil; clears any TTL. Propagated as `SET key value`.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, value] = args::exactly(args);
    if let Err(reply) = ctx.read::<StringValue>(key) {
        return reply;
    }
    let new_value = Value::String(StringValue::new(value.clone()));
    let old = super::store(ctx, key, new_value, false);
    ctx.signal_modified_key(key);
    ctx.add_dirty(1);
    ctx.rewrite_argv(vec![b"SET".to_vec(), key.clone(), value.clone()]);
    super::old_value_reply(old)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bulk, err, expires_at, node_with, propagated, put_list, WRONG_TYPE};
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn getset_replies_the_old_value_clears_the_ttl_and_propagates_as_set() {
        let mut node = node_with(&["SET k old EX 100"]);
        assert_eq!(node.run("getset k new"), bulk("old"));
        assert_eq!(expires_at(&node, "k"), None);
        assert_eq!(node.run("GETSET fresh 1"), Frame::Null);
        assert_eq!(propagated(&mut node), ["SET k new", "SET fresh 1"]);
    }

    #[test]
    fn getset_on_another_type_changes_nothing() {
        let mut node = node_with(&[]);
        put_list(&mut node, "l");
        assert_eq!(node.run("GETSET l v"), err(WRONG_TYPE));
        assert!(propagated(&mut node).is_empty());
    }
}
