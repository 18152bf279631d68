//! `LRANGE`: a range of a list's elements.

use super::bulk_array;
use crate::engine::command::args::{self, index_range};
use crate::engine::command::Ctx;
use crate::engine::keyspace::ListValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// LRANGE key start stop
/// ```
///
/// Elements `start..=stop` (negative indexes count from the tail; both ends are clamped to the
/// list); `*0` for a missing key or an empty range. The indexes are parsed before the key is
/// looked up.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, start, stop] = args::exactly(args);
    let (start, stop) = match (args::integer(start), args::integer(stop)) {
        (Ok(start), Ok(stop)) => (start, stop),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    match ctx.read::<ListValue>(key) {
        Err(reply) => reply,
        Ok(None) => Frame::Array(Vec::new()),
        Ok(Some(list)) => match index_range(start, stop, list.len()) {
            None => Frame::Array(Vec::new()),
            Some(range) => bulk_array(list.range(range.start, range.end)),
        },
    }
}
