//! `EXISTS`: count the keys that exist.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// EXISTS key [key ...]
/// ```
///
/// Replies with how many of the named keys exist; a key named twice counts twice.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let mut found = 0;
    for key in &args[1..] {
        if ctx.lookup_read(key).is_some() {
            found += 1;
        }
    }
    Frame::Integer(found)
}
