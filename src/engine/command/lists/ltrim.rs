//! `LTRIM`: keep only a range of a list.

use super::record_change;
use crate::engine::command::args::{self, index_range};
use crate::engine::command::Ctx;
use crate::engine::keyspace::ListValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// LTRIM key start stop
/// ```
///
/// Keeps elements `start..=stop` (LRANGE's index rules) and deletes the key if nothing is left;
/// always `+OK`, also for a missing key. The indexes are parsed first.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, start, stop] = args::exactly(args);
    let (start, stop) = match (args::integer(start), args::integer(stop)) {
        (Ok(start), Ok(stop)) => (start, stop),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    let removed = ctx.modify(key, |list: &mut ListValue| {
        let before = list.len();
        let kept = index_range(start, stop, before).unwrap_or(0..0);
        list.retain_range(kept.start, kept.end);
        before - list.len()
    });
    match removed {
        Err(reply) => reply,
        Ok(None) => Frame::ok(),
        Ok(Some(removed)) => {
            // Redis signals the key even when nothing was trimmed, but counts (and so
            // propagates) only removals.
            record_change(ctx, key, removed);
            Frame::ok()
        }
    }
}
