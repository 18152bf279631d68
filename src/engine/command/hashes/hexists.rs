//! `HEXISTS key field`: 1 if the field exists, else 0.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// HEXISTS key field
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, field] = args::exactly(args);
    match ctx.read::<HashValue>(key) {
        Ok(hash) => Frame::Integer(i64::from(
            hash.is_some_and(|hash| hash.get(field).is_some()),
        )),
        Err(error) => error,
    }
}
