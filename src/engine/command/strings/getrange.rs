//! `GETRANGE key start end` (and its old name `SUBSTR`): part of a string.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::StringValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// GETRANGE key start end
/// SUBSTR key start end
/// ```
///
/// Replies with the bytes from `start` to `end` inclusive; negative indexes count from the end.
/// Indexes are clamped exactly as Redis 7.0 clamps them, quirks included: `GETRANGE k -100 -50`
/// on a short string returns its first byte. A missing key gives an empty string.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, start, end] = args::exactly(args);
    let (start, end) = match (args::integer(start), args::integer(end)) {
        (Ok(start), Ok(end)) => (start, end),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    let bytes = match ctx.read::<StringValue>(key) {
        Err(reply) => return reply,
        Ok(None) => return Frame::Bulk(Vec::new()),
        Ok(Some(string)) => string.bytes(),
    };
    let range =
        clamp_range(start, end, bytes.len()).and_then(|(start, end)| bytes.get(start..=end));
    Frame::Bulk(range.unwrap_or_default().to_vec())
}

/// Redis's `getrangeCommand` index arithmetic: the inclusive byte range to return, if any.
fn clamp_range(mut start: i64, mut end: i64, length: usize) -> Option<(usize, usize)> {
    let length = length as i64;
    if start < 0 && end < 0 && start > end {
        return None;
    }
    if start < 0 {
        start += length;
    }
    if end < 0 {
        end += length;
    }
    let start = start.max(0);
    let end = end.max(0).min(length - 1);
    if start > end || length == 0 {
        return None;
    }
    Some((start as usize, end as usize))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bulk, err, node_with, put_list, WRONG_TYPE};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn getrange_clamps_indexes_as_redis_7_0_does() {
        let mut node = node_with(&["SET s \"Hello World\"", "SET n 12345", "SET e \"\""]);
        // Expected replies read from redis-server 7.0.15.
        for (range, expected) in [
            ("0 -1", "Hello World"),
            ("-3 -1", "rld"),
            ("-1 -3", ""),
            ("5 3", ""),
            ("0 100", "Hello World"),
            ("100 200", ""),
            ("-100 -50", "H"),
            ("-100 2", "Hel"),
            ("10 10", "d"),
            ("11 11", ""),
            ("3 -100", ""),
            ("-9223372036854775808 9223372036854775807", "Hello World"),
            ("9223372036854775807 -9223372036854775808", ""),
        ] {
            assert_eq!(
                node.run(&format!("GETRANGE s {range}")),
                bulk(expected),
                "{range}"
            );
        }
        assert_eq!(node.run("GETRANGE n -2 -1"), bulk("45"));
        assert_eq!(node.run("SUBSTR s 0 4"), bulk("Hello"));
        assert_eq!(node.run("GETRANGE e 0 -1"), bulk(""));
        assert_eq!(node.run("GETRANGE e -1 0"), bulk(""));
        assert_eq!(node.run("GETRANGE missing 0 -1"), bulk(""));
    }

    #[test]
    fn getrange_parses_indexes_before_looking_at_the_key() {
        let mut node = node_with(&[]);
        put_list(&mut node, "l");
        let not_integer = err("ERR value is not an integer or out of range");
        assert_eq!(node.run("GETRANGE missing a 1"), not_integer);
        assert_eq!(node.run("GETRANGE l 0 b"), not_integer);
        assert_eq!(node.run("GETRANGE l 0 1"), err(WRONG_TYPE));
    }
}
