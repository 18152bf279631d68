//! `SISMEMBER key member`: 1 if the member is in the set, else 0.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SISMEMBER key member
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, member] = args::exactly(args);
    match ctx.read::<SetValue>(key) {
        Ok(set) => Frame::Integer(i64::from(set.is_some_and(|set| set.contains(member)))),
        Err(error) => error,
    }
}
