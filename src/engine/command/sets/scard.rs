//! `SCARD key`: the number of members (0 for a missing key).

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SCARD key
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    match ctx.read::<SetValue>(key) {
        Ok(set) => Frame::Integer(set.map_or(0, |set| set.len() as i64)),
        Err(error) => error,
    }
}
