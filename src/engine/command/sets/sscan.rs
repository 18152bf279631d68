//! `SSCAN key cursor [MATCH pattern] [COUNT count]`: iterates a set's members.

use crate::engine::command::scan::{parse_cursor, parse_options, reply};
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
    let cursor = match parse_cursor(&args[2]) {
        Ok(cursor) => cursor,
        Err(error) => return error,
    };
    let set = match ctx.read::<SetValue>(&args[1]) {
        Ok(Some(set)) => set,
        Ok(None) => return reply(0, Vec::new()),
        Err(error) => return error,
    };
    // Redis parses the options only once it has an object to scan; TYPE is not one of them.
    let options = match parse_options(&args[3..], |_, _| false) {
        Ok(options) => options,
        Err(error) => return error,
    };
    let (next, members) = set.scan(cursor, options.count);
    let elements = members
        .into_iter()
        .filter(|member| options.matches(member))
        .map(Frame::Bulk)
        .collect();
    reply(next, elements)
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
