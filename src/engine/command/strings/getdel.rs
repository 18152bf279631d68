//! `GETDEL key`: reply with a string and delete it.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::StringValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// GETDEL key
/// ```
///
/// Replies with the value (nil if missing, `-WRONGTYPE` if not a string) and deletes the key.
/// Propagated as `DEL key`.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    match ctx.read::<StringValue>(key) {
        Err(reply) => return reply,
        Ok(None) => return Frame::Null,
        Ok(Some(_)) => {}
    }
    let removed = ctx.db().remove(key);
    ctx.rewrite_argv(vec![b"DEL".to_vec(), key.clone()]);
    ctx.signal_modified_key(key);
    ctx.add_dirty(1);
    super::old_value_reply(removed.map(|entry| entry.value))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bulk, err, node_with, propagated, put_list, WRONG_TYPE};
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn getdel_replies_and_deletes_propagating_del() {
        let mut node = node_with(&["SET k v"]);
        assert_eq!(node.run("GETDEL k"), bulk("v"));
        assert_eq!(node.run("GETDEL k"), Frame::Null);
        assert_eq!(propagated(&mut node), ["DEL k"]);
        put_list(&mut node, "l");
        assert_eq!(node.run("GETDEL l"), err(WRONG_TYPE));
        assert_eq!(node.state.keyspace.db(0).len(), 1);
    }
}
