//! `ZLEXCOUNT key min max`: how many members fall in a lexicographic interval.

use super::ranges::{Interval, LexRange};
use crate::engine::command::Ctx;
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
    let interval = match LexRange::parse(&args[2], &args[3]) {
        Ok(range) => Interval::Lex(range),
        Err(reply) => return reply,
    };
    let count = match ctx.read::<SortedSetValue>(&args[1]) {
        Err(reply) => return reply,
        Ok(None) => 0,
        Ok(Some(zset)) => interval.walk(zset, false, 0, usize::MAX).count(),
    };
    Frame::Integer(count as i64)
}
