//! `HSETNX key field value`: sets the field only if it does not exist.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// HSETNX key field value
/// ```
///
/// Replies 1 if the field was set, 0 if it already existed (then nothing changes, not even the
/// encoding).
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, field, value] = args::exactly(args);
    let limits = ctx.state.config.hash_listpack;
    let set = ctx.modify_or_create(key, |hash: &mut HashValue| {
        hash.get(field).is_none() && hash.insert(field, value.clone(), limits)
    });
    match set {
        Ok(true) => {
            ctx.signal_modified_key(key);
            ctx.add_dirty(1);
            Frame::Integer(1)
        }
        Ok(false) => Frame::Integer(0),
        Err(error) => error,
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn hsetnx_keeps_an_existing_field_and_propagates_nothing() {
        let mut node = TestNode::new();
        assert_eq!(node.run("HSETNX h f v"), Frame::Integer(1));
        node.take_propagated();
        assert_eq!(node.run("HSETNX h f w"), Frame::Integer(0));
        assert_eq!(node.run("HGET h f"), Frame::bulk("v"));
        assert!(node.take_propagated().is_empty());
    }
}
