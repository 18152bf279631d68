//! `SSCAN key cursor [MATCH pattern] [COUNT count]`: iterates a set's members.

use crate::engine::command::scan::scan_key;
use crate::engine::command::Ctx;
use crate::engine::keyspace::SetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SSCAN key cursor [MATCH pattern] [COUNT count]
/// ```
///
/// Replies `[next-cursor, [member, ...]]`. An intset comes whole with cursor 0; a hashtable's
/// cursor is a position in its stable hash order.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    scan_key(ctx, args, |set: &SetValue, cursor, options| {
        let (next, members) = set.scan(cursor, options.count);
        let mut elements = Vec::new();
        for member in members {
            if options.matches(&member) {
                elements.push(Frame::Bulk(member));
            }
        }
        (next, elements)
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::bulks;
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn sscan_filters_with_match() {
        let mut node = TestNode::new();
        node.run("SADD s 3 1 12 2");
        assert_eq!(
            node.run("SSCAN s 0 MATCH 1*"),
            Frame::Array(vec![Frame::bulk("0"), bulks(&["1", "12"])])
        );
        node.run("SADD t a b c");
        let Frame::Array(parts) = node.run("SSCAN t 0 COUNT 100") else {
            panic!("an array")
        };
        assert_eq!(parts[0], Frame::bulk("0"));
        assert_eq!(super::super::tests::sorted(parts[1].clone()).len(), 3);
    }
}
