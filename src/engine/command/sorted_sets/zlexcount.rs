//! `ZLEXCOUNT key min max`: how many members fall in a lexicographic interval.

use super::ranges::{Interval, LexRange};
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SortedSetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// ZLEXCOUNT key min max
/// ```
///
/// `min` and `max` are `[member`, `(member`, `-` or `+`; meaningful when all scores are equal.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, min, max] = args::exactly(args);
    let interval = match LexRange::parse(min, max) {
        Ok(range) => Interval::Lex(range),
        Err(reply) => return reply,
    };
    let count = match ctx.read::<SortedSetValue>(key) {
        Err(reply) => return reply,
        Ok(None) => 0,
        Ok(Some(zset)) => interval.walk(zset, false, 0, usize::MAX).count(),
    };
    Frame::Integer(count as i64)
}
