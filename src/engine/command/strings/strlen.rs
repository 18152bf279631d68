//! `STRLEN key`: the length of a string.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::StringValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// STRLEN key
/// ```
///
/// Replies with the length in bytes, 0 if the key does not exist.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    match ctx.read::<StringValue>(key) {
        Ok(string) => Frame::Integer(string.map_or(0, |string| string.bytes().len() as i64)),
        Err(reply) => reply,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{err, node_with, put_list, WRONG_TYPE};
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn strlen_counts_bytes() {
        let mut node = node_with(&["SET k \"\\xff\\x00ab\"", "SET n -12", "SET e \"\""]);
        put_list(&mut node, "l");
        assert_eq!(node.run("STRLEN k"), Frame::Integer(4));
        assert_eq!(node.run("STRLEN n"), Frame::Integer(3));
        assert_eq!(node.run("STRLEN e"), Frame::Integer(0));
        assert_eq!(node.run("STRLEN missing"), Frame::Integer(0));
        assert_eq!(node.run("STRLEN l"), err(WRONG_TYPE));
    }
}
