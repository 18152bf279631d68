//! `PUBSUB NUMPAT`: how many distinct patterns are subscribed to.

use super::distinct_patterns;
use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// PUBSUB NUMPAT
/// ```
///
/// The number of distinct patterns with at least one subscriber (not of pattern subscriptions:
/// two clients on the same pattern count once, as in Redis 7.0).
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    let count = distinct_patterns(ctx.clients).len();
    Frame::Integer(i64::try_from(count).unwrap_or(i64::MAX))
}
