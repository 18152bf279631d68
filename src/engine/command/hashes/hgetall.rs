//! `HGETALL key`, `HKEYS key`, `HVALS key`: the whole hash, its fields, or its values, in the
//! encoding's order (insertion order for a listpack).

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// What a whole-hash reply carries (Redis's `genericHgetallCommand` flags).
#[derive(Clone, Copy)]
enum Parts {
    FieldsAndValues,
    Fields,
    Values,
}

/// # Format
///
/// ```text
/// HGETALL key
/// ```
pub(super) fn execute_all(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    reply(ctx, key, Parts::FieldsAndValues)
}

/// # Format
///
/// ```text
/// HKEYS key
/// ```
pub(super) fn execute_keys(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    reply(ctx, key, Parts::Fields)
}

/// # Format
///
/// ```text
/// HVALS key
/// ```
pub(super) fn execute_values(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    reply(ctx, key, Parts::Values)
}

fn reply(ctx: &mut Ctx, key: &[u8], parts: Parts) -> Frame {
    let hash = match ctx.read::<HashValue>(key) {
        Ok(Some(hash)) => hash,
        Ok(None) => return Frame::Array(Vec::new()),
        Err(error) => return error,
    };
    let mut reply = Vec::new();
    for (field, value) in hash.iter() {
        if matches!(parts, Parts::FieldsAndValues | Parts::Fields) {
            reply.push(Frame::bulk(field));
        }
        if matches!(parts, Parts::FieldsAndValues | Parts::Values) {
            reply.push(Frame::Bulk(value.clone()));
        }
    }
    Frame::Array(reply)
}

#[cfg(test)]
mod tests {
    use super::super::tests::bulks;
    use crate::engine::command::test_support::TestNode;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn hgetall_of_a_listpack_keeps_insertion_order() {
        let mut node = TestNode::new();
        node.run("HSET h z 1 a 2 m 3");
        node.run("HSET h a 9");
        assert_eq!(
            node.run("HGETALL h"),
            bulks(&["z", "1", "a", "9", "m", "3"])
        );
        assert_eq!(node.run("HKEYS h"), bulks(&["z", "a", "m"]));
        assert_eq!(node.run("HVALS h"), bulks(&["1", "9", "3"]));
        assert_eq!(node.run("HGETALL nothing"), bulks(&[]));
    }
}
