//! `SETRANGE key offset value`: overwrite part of a string, zero-padding as needed.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::{StringValue, Value};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SETRANGE key offset value
/// ```
///
/// Replies with the new length. An empty `value` changes nothing (a missing key stays missing:
/// `:0`). The result may not exceed `proto-max-bulk-len`, checked before anything is allocated;
/// it is stored `raw`.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, offset, patch] = args::exactly(args);
    let offset = match args::integer(offset) {
        Ok(offset) => offset,
        Err(reply) => return reply,
    };
    let Ok(offset) = u64::try_from(offset) else {
        return Frame::error("ERR offset is out of range");
    };
    // The end of the write, if it is addressable at all (usize is 32 bits on wasm32); a larger
    // one is refused like any string beyond proto-max-bulk-len.
    let end = offset
        .checked_add(patch.len() as u64)
        .filter(|&end| usize::try_from(end).is_ok());
    if patch.is_empty() {
        // Nothing to write: the current length (0 for a missing key), and nothing changes.
        return match ctx.read_for_write::<StringValue>(key) {
            Ok(string) => Frame::Integer(string.map_or(0, |string| string.bytes().len() as i64)),
            Err(reply) => reply,
        };
    }
    let limit = ctx.state.config.proto_max_bulk_len;
    let written = ctx.modify(key, |string: &mut StringValue| {
        super::check_string_length(limit, end)?;
        Ok(write_at(string.bytes_mut(), offset as usize, patch))
    });
    let length = match written {
        Err(reply) | Ok(Some(Err(reply))) => return reply,
        Ok(Some(Ok(length))) => length,
        Ok(None) => {
            if let Err(reply) = super::check_string_length(limit, end) {
                return reply;
            }
            let mut bytes = Vec::new();
            let length = write_at(&mut bytes, offset as usize, patch);
            ctx.db()
                .insert(key, Value::String(StringValue::new_raw(bytes)));
            length
        }
    };
    ctx.signal_modified_key(key);
    ctx.add_dirty(1);
    Frame::Integer(length as i64)
}

/// Writes `patch` at `offset`, growing `bytes` with zeros first if needed; returns the length.
/// The caller checked `offset + patch.len()` against `proto-max-bulk-len`.
fn write_at(bytes: &mut Vec<u8>, offset: usize, patch: &[u8]) -> usize {
    let end = offset + patch.len();
    if bytes.len() < end {
        bytes.resize(end, 0);
    }
    bytes[offset..end].copy_from_slice(patch);
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{
        bulk, encoding, err, expires_at, node_with, propagated, put_list, WRONG_TYPE,
    };
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const TOO_BIG: &str = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

    #[test]
    fn setrange_overwrites_and_pads_with_zeros_as_raw() {
        let mut node = node_with(&["SET k \"Hello World\" EX 100", "SET n 123"]);
        assert_eq!(node.run("SETRANGE k 6 Redis"), Frame::Integer(11));
        assert_eq!(node.run("GET k"), bulk("Hello Redis"));
        assert_eq!(node.run("SETRANGE k 13 x"), Frame::Integer(14));
        assert_eq!(node.run("GET k"), Frame::bulk(b"Hello Redis\0\0x".to_vec()));
        assert_eq!(expires_at(&node, "k"), Some(1_700_000_100_000));
        assert_eq!(node.run("SETRANGE new 2 ab"), Frame::Integer(4));
        assert_eq!(node.run("GET new"), Frame::bulk(b"\0\0ab".to_vec()));
        assert_eq!(node.run("SETRANGE n 0 4"), Frame::Integer(3));
        assert_eq!(
            (encoding(&node, "new"), encoding(&node, "n")),
            ("raw", "raw")
        );
        assert_eq!(propagated(&mut node).len(), 4);
    }

    #[test]
    fn setrange_with_an_empty_value_changes_nothing() {
        let mut node = node_with(&["SET n 123"]);
        assert_eq!(node.run("SETRANGE n 100 \"\""), Frame::Integer(3));
        assert_eq!(encoding(&node, "n"), "int");
        assert_eq!(node.run("SETRANGE missing 5 \"\""), Frame::Integer(0));
        assert_eq!(node.state.keyspace.db(0).len(), 1);
        // Even beyond the size limit.
        assert_eq!(
            node.run("SETRANGE n 9223372036854775807 \"\""),
            Frame::Integer(3)
        );
        assert!(propagated(&mut node).is_empty());
    }

    #[test]
    fn setrange_checks_the_offset_and_size_before_allocating() {
        let mut node = node_with(&["SET k abc"]);
        put_list(&mut node, "l");
        assert_eq!(
            node.run("SETRANGE k -1 x"),
            err("ERR offset is out of range")
        );
        assert_eq!(
            node.run("SETRANGE k 9223372036854775808 x"),
            err("ERR value is not an integer or out of range")
        );
        assert_eq!(node.run("SETRANGE k 9223372036854775807 x"), err(TOO_BIG));
        assert_eq!(node.run("SETRANGE new 536870912 x"), err(TOO_BIG));
        assert_eq!(node.run("SETRANGE l 0 x"), err(WRONG_TYPE));
        assert_eq!(
            node.run("SETRANGE l -1 x"),
            err("ERR offset is out of range")
        );
        node.state.config.proto_max_bulk_len = 4;
        assert_eq!(node.run("SETRANGE k 3 x"), Frame::Integer(4));
        assert_eq!(node.run("SETRANGE k 3 xy"), err(TOO_BIG));
        assert_eq!(node.state.keyspace.db(0).len(), 2);
    }
}
