//! `HSCAN key cursor [MATCH pattern] [COUNT count]`: iterates a hash's fields and values.

use super::flat_pairs;
use crate::engine::command::scan::scan_key;
use crate::engine::command::Ctx;
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// HSCAN key cursor [MATCH pattern] [COUNT count]
/// ```
///
/// Replies `[next-cursor, [field, value, ...]]`. A listpack comes whole with cursor 0; a
/// hashtable's cursor is a position in its stable hash order.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    scan_key(ctx, args, |hash: &HashValue, cursor, options| {
        let (next, pairs) = hash.scan(cursor, options.count);
        let matching = pairs
            .into_iter()
            .filter(|(field, _)| options.matches(field));
        (next, flat_pairs(matching))
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
    fn hscan_of_a_listpack_returns_everything_at_once() {
        let mut node = TestNode::new();
        node.run("HSET h a 1 b 2 ab 3");
        assert_eq!(
            node.run("HSCAN h 0 MATCH a* COUNT 1"),
            Frame::Array(vec![Frame::bulk("0"), bulks(&["a", "1", "ab", "3"])])
        );
        assert_eq!(
            node.run("HSCAN nokey 0 COUNT 0"),
            Frame::Array(vec![Frame::bulk("0"), bulks(&[])])
        );
        assert_eq!(
            node.run("HSCAN h 0 COUNT 0"),
            Frame::error("ERR syntax error")
        );
        assert_eq!(node.run("HSCAN h x"), Frame::error("ERR invalid cursor"));
    }

    #[test]
    fn hscan_of_a_hashtable_visits_every_field_once() {
        let mut node = TestNode::new();
        let fields: Vec<String> = (0..300).map(|i| format!("f{i} v{i}")).collect();
        node.run(&format!("HSET h {}", fields.join(" ")));
        let (mut cursor, mut seen) = ("0".to_string(), Vec::new());
        loop {
            let Frame::Array(parts) = node.run(&format!("HSCAN h {cursor} COUNT 7")) else {
                panic!("an array")
            };
            let [Frame::Bulk(next), Frame::Array(items)] = parts.as_slice() else {
                panic!("cursor and items")
            };
            seen.extend(items.iter().step_by(2).cloned());
            cursor = String::from_utf8(next.clone()).expect("digits");
            if cursor == "0" {
                break;
            }
        }
        assert_eq!(seen.len(), 300);
    }
}
