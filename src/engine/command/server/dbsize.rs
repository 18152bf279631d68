//! `DBSIZE`: the number of keys in the selected database.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// DBSIZE
/// ```
///
/// Keys whose TTL passed but that no access or expiry cycle deleted yet still count, as in Redis.
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    Frame::Integer(i64::try_from(ctx.db().len()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::keyspace::{StringValue, Value};
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn dbsize_counts_the_selected_database_only() {
        let mut node = TestNode::new();
        let value = || Value::String(StringValue::new(b"v".to_vec()));
        node.state.keyspace.db_mut(0).insert(b"a", value());
        node.state.keyspace.db_mut(0).insert(b"b", value());
        node.state.keyspace.db_mut(1).insert(b"c", value());
        assert_eq!(node.run("DBSIZE"), Frame::Integer(2));
        node.run("SELECT 1");
        assert_eq!(node.run("DBSIZE"), Frame::Integer(1));
    }
}
