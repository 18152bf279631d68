//! `TYPE`: the type of the value stored at a key.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// TYPE key
/// ```
///
/// Replies with a status: `string`, `list`, `set`, `zset`, `hash`, or `none` for a missing key.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let name = ctx
        .lookup_read(&args[1])
        .map_or("none", |entry| entry.value.type_name());
    Frame::Simple(name.to_string())
}
