//! `HLEN key`: the number of fields (0 for a missing key).

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// HLEN key
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    match ctx.read::<HashValue>(key) {
        Ok(hash) => Frame::Integer(hash.map_or(0, |hash| hash.len() as i64)),
        Err(error) => error,
    }
}
