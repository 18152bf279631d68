//! `HSTRLEN key field`: the length of the field's value (0 if there is none).

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// HSTRLEN key field
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, field] = args::exactly(args);
    match ctx.read::<HashValue>(key) {
        Ok(hash) => Frame::Integer(
            hash.and_then(|hash| hash.get(field))
                .map_or(0, |value| value.len() as i64),
        ),
        Err(error) => error,
    }
}
