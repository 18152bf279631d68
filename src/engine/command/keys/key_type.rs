//! `TYPE`: the type of the value stored at a key.

use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// TYPE key
/// ```
///
/// Replies with a status: `string`, `list`, `set`, `zset`, `hash`, or `none` for a missing key.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    let name = ctx
        .lookup_read(key)
        .map_or("none", |entry| entry.value.type_name());
    Frame::Simple(name.to_string())
}
