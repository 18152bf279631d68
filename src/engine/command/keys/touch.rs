//! `TOUCH`: access keys (Redis updates their LRU/LFU data) and count those that exist.

use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// TOUCH key [key ...]
/// ```
///
/// Replies with how many of the named keys exist; a key named twice counts twice. Expired keys
/// are deleted on the way, as any read does.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_], keys) = args::at_least(args);
    super::exists::count_live(ctx, keys)
}
