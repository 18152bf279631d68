//! `LLEN`: the length of a list.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::ListValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// LLEN key
/// ```
///
/// `:0` for a missing key.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    match ctx.read::<ListValue>(key) {
        Err(reply) => reply,
        Ok(list) => Frame::Integer(list.map_or(0, |list| list.len() as i64)),
    }
}
