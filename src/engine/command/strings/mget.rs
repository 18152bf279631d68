//! `MGET key [key ...]`: several strings at once.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::{StringValue, ValueType};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// MGET key [key ...]
/// ```
///
/// Replies with one entry per key: its value, or nil if it is missing *or not a string* (MGET
/// never answers `-WRONGTYPE`).
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_], keys) = args::at_least(args);
    let replies = keys
        .iter()
        .map(|key| {
            ctx.lookup_read(key)
                .and_then(|entry| StringValue::from_value(&entry.value))
                .map_or(Frame::Null, |string| Frame::Bulk(string.bytes().to_vec()))
        })
        .collect();
    Frame::Array(replies)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bulk, node_with, put_list};
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn mget_answers_nil_for_missing_keys_and_other_types() {
        let mut node = node_with(&["SET a 1", "SET b \"\""]);
        put_list(&mut node, "l");
        assert_eq!(
            node.run("MGET a l missing b a"),
            Frame::Array(vec![
                bulk("1"),
                Frame::Null,
                Frame::Null,
                bulk(""),
                bulk("1")
            ])
        );
    }
}
