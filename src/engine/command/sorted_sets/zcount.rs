//! `ZCOUNT key min max`: how many scores fall in a score interval.

use super::ranges::ScoreRange;
use crate::engine::command::{args, Ctx};
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
    let [_, key, min, max] = args::exactly(args);
    let range = match ScoreRange::parse(min, max) {
        Ok(range) => range,
        Err(reply) => return reply,
    };
    match ctx.read::<SortedSetValue>(key) {
        Err(reply) => reply,
        Ok(zset) => Frame::Integer(zset.map_or(0, |zset| range.members(zset).count()) as i64),
    }
}
