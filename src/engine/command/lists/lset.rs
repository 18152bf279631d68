//! `LSET`: replace one element of a list by position.

use super::{element_index, record_change};
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::ListValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// LSET key index element
/// ```
///
/// `+OK`; `-ERR no such key` for a missing key and `-ERR index out of range` outside the list.
/// The key is looked up before the index is parsed.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, index, element] = args::exactly(args);
    let index = args::integer(index);
    let replaced = ctx.modify(key, |list: &mut ListValue| {
        let position = element_index(index?, list.len());
        match position {
            Some(position) if list.set(position, element.clone()) => Ok(()),
            _ => Err(Frame::error("ERR index out of range")),
        }
    });
    match replaced {
        Err(reply) | Ok(Some(Err(reply))) => reply,
        Ok(None) => Frame::error("ERR no such key"),
        Ok(Some(Ok(()))) => {
            record_change(ctx, key, 1);
            Frame::ok()
        }
    }
}
