//! `ZCOUNT key min max`: how many scores fall in a score interval.

use super::ranges::ScoreRange;
use crate::engine::command::Ctx;
use crate::engine::keyspace::SortedSetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// ZCOUNT key min max
/// ```
///
/// `min` and `max` are scores, `(`-prefixed for exclusive, or `-inf`/`+inf`. The range is parsed
/// before the key is looked up, so a bad range wins over WRONGTYPE.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let range = match ScoreRange::parse(&args[2], &args[3]) {
        Ok(range) => range,
        Err(reply) => return reply,
    };
    match ctx.read::<SortedSetValue>(&args[1]) {
        Err(reply) => reply,
        Ok(zset) => Frame::Integer(zset.map_or(0, |zset| range.members(zset).count()) as i64),
    }
}
