//! `APPEND key value`: extend a string in place.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::{StringValue, Value};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// APPEND key value
/// ```
///
/// Replies with the new length. A missing key is created with the value as SET would store it;
/// an existing string becomes `raw` (even when `value` is empty) and may not grow beyond
/// `proto-max-bulk-len`.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, suffix] = args::exactly(args);
    let limit = ctx.state.config.proto_max_bulk_len;
    let appended = ctx.modify(key, |string: &mut StringValue| {
        let total = (string.bytes().len() as u64).checked_add(suffix.len() as u64);
        super::check_string_length(limit, total)?;
        let bytes = string.bytes_mut();
        bytes.extend_from_slice(suffix);
        Ok(bytes.len())
    });
    let length = match appended {
        Err(reply) | Ok(Some(Err(reply))) => return reply,
        Ok(Some(Ok(length))) => length,
        // A new key gets the value as SET would store it (Redis's `tryObjectEncoding`).
        Ok(None) => {
            ctx.db()
                .insert(key, Value::String(StringValue::new(suffix.clone())));
            suffix.len()
        }
    };
    ctx.signal_modified_key(key);
    ctx.add_dirty(1);
    Frame::Integer(length as i64)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{
        bulk, encoding, err, expires_at, node_with, propagated, put_list, WRONG_TYPE,
    };
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn append_creates_like_set_then_grows_in_place_as_raw() {
        let mut node = node_with(&[]);
        assert_eq!(node.run("APPEND k 123"), Frame::Integer(3));
        assert_eq!(encoding(&node, "k"), "int");
        assert_eq!(node.run("APPEND k \"\\x00x\""), Frame::Integer(5));
        assert_eq!(node.run("GET k"), Frame::bulk(b"123\0x".to_vec()));
        assert_eq!(encoding(&node, "k"), "raw");
        assert_eq!(propagated(&mut node), ["APPEND k 123", "APPEND k \u{0}x"]);
    }

    #[test]
    fn append_of_nothing_still_counts_as_a_write_and_makes_the_string_raw() {
        let mut node = node_with(&["SET k 12 EX 100"]);
        assert_eq!(node.run("APPEND k \"\""), Frame::Integer(2));
        assert_eq!(encoding(&node, "k"), "raw");
        assert_eq!(expires_at(&node, "k"), Some(1_700_000_100_000));
        assert_eq!(propagated(&mut node), ["APPEND k "]);
    }

    #[test]
    fn append_beyond_proto_max_bulk_len_is_refused() {
        let mut node = node_with(&["SET k abc"]);
        put_list(&mut node, "l");
        node.state.config.proto_max_bulk_len = 5;
        assert_eq!(node.run("APPEND k de"), Frame::Integer(5));
        assert_eq!(
            node.run("APPEND k f"),
            err("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
        );
        // A new key is not checked, as in Redis.
        assert_eq!(node.run("APPEND n 123456"), Frame::Integer(6));
        assert_eq!(node.run("APPEND l x"), err(WRONG_TYPE));
        assert_eq!(node.run("GET k"), bulk("abcde"));
    }
}
