//! `KEYS`: every key matching a glob pattern.

use crate::engine::command::{args, Ctx};
use crate::engine::glob::string_match;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// KEYS pattern
/// ```
///
/// Replies with the matching keys in hash order (Redis's is its dict order, which clients must not
/// rely on). Keys whose TTL has passed are left out but, unlike with SCAN, not deleted. A bare `*`
/// selects every key without asking the matcher, so it also returns the empty key, which `*` does
/// not match as a pattern.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, pattern] = args::exactly(args);
    let every_key = pattern.as_slice() == b"*";
    let now_ms = ctx.now_ms();
    let mut keys = Vec::new();
    for (key, entry) in ctx.db().iter() {
        if (every_key || string_match(pattern, key, false)) && !entry.is_expired(now_ms) {
            keys.push(Frame::bulk(key));
        }
    }
    Frame::Array(keys)
}
