//! `LINDEX`: one element of a list by position.

use super::element_index;
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::ListValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// LINDEX key index
/// ```
///
/// The element (negative indexes count from the tail), or nil if out of range. The key is looked
/// up before the index is parsed, so a missing key answers nil whatever the index.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, index] = args::exactly(args);
    let list = match ctx.read::<ListValue>(key) {
        Err(reply) => return reply,
        Ok(None) => return Frame::Null,
        Ok(Some(list)) => list,
    };
    let index = match args::integer(index) {
        Ok(index) => index,
        Err(reply) => return reply,
    };
    element_index(index, list.len())
        .and_then(|position| list.get(position))
        .map_or(Frame::Null, |element| Frame::Bulk(element.clone()))
}
