//! `HMGET key field [field ...]`: each field's value or nil, in argument order.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// HMGET key field [field ...]
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_, key], fields) = args::at_least(args);
    match ctx.read::<HashValue>(key) {
        Ok(hash) => Frame::Array(
            fields
                .iter()
                .map(|field| {
                    hash.and_then(|hash| hash.get(field))
                        .map_or(Frame::Null, |value| Frame::bulk(value.clone()))
                })
                .collect(),
        ),
        Err(error) => error,
    }
}
