//! `HGET key field`: the field's value, or nil.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// HGET key field
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, field] = args::exactly(args);
    match ctx.read::<HashValue>(key) {
        Ok(hash) => hash
            .and_then(|hash| hash.get(field))
            .map_or(Frame::Null, |value| Frame::bulk(value.clone())),
        Err(error) => error,
    }
}
