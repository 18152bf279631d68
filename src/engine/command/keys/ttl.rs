//! `TTL`, `PTTL`, `EXPIRETIME`, `PEXPIRETIME`: when a key expires.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::Entry;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// TTL key
/// ```
///
/// Seconds left, rounded to the nearest second.
pub(super) fn execute_ttl(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    reply(ctx, key, Unit::Seconds, Clock::Remaining)
}

/// # Format
///
/// ```text
/// PTTL key
/// ```
///
/// Milliseconds left.
pub(super) fn execute_pttl(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    reply(ctx, key, Unit::Milliseconds, Clock::Remaining)
}

/// # Format
///
/// ```text
/// EXPIRETIME key
/// ```
///
/// The expiry as a Unix time in seconds, rounded to the nearest second.
pub(super) fn execute_expiretime(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    reply(ctx, key, Unit::Seconds, Clock::Absolute)
}

/// # Format
///
/// ```text
/// PEXPIRETIME key
/// ```
///
/// The expiry as a Unix time in milliseconds.
pub(super) fn execute_pexpiretime(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    reply(ctx, key, Unit::Milliseconds, Clock::Absolute)
}

/// The unit of the reply.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Seconds,
    Milliseconds,
}

/// Whether the reply is a duration from now or a point in time.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Clock {
    Remaining,
    Absolute,
}

/// Redis's `ttlGenericCommand`: -2 for a missing key, -1 for a key without TTL, else the time,
/// never below 0.
fn reply(ctx: &mut Ctx, key: &[u8], unit: Unit, clock: Clock) -> Frame {
    let now_ms = i64::try_from(ctx.now_ms()).unwrap_or(i64::MAX);
    let Some(entry) = ctx.lookup_read(key) else {
        return Frame::Integer(-2);
    };
    let Some(expires_at_ms) = entry.expires_at_ms().map(ms_as_i64) else {
        return Frame::Integer(-1);
    };
    let ms = match clock {
        Clock::Remaining => expires_at_ms.saturating_sub(now_ms),
        Clock::Absolute => expires_at_ms,
    }
    .max(0);
    Frame::Integer(match unit {
        Unit::Milliseconds => ms,
        Unit::Seconds => rounded_seconds(ms),
    })
}

/// `(ms + 500) / 1000`. Redis's C expression overflows for times near `i64::MAX`; the compiler,
/// knowing the value is not negative, divides as unsigned, so that is the answer it gives
/// (`EXPIRETIME` after `PEXPIREAT k 9223372036854775807` is 9223372036854776).
fn rounded_seconds(ms: i64) -> i64 {
    let ms = u64::try_from(ms).unwrap_or(0);
    i64::try_from((ms + 500) / 1000).unwrap_or(i64::MAX)
}

/// An expiry time as Redis holds it (a `long long`); ours are never beyond `i64::MAX`.
fn ms_as_i64(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}

/// The TTL of an entry in Redis's signed milliseconds, -1 for none (what GT/LT compare with).
pub(super) fn expire_of(entry: &Entry) -> i64 {
    entry.expires_at_ms().map_or(-1, ms_as_i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn ttl_rounding_near_the_limit_divides_as_unsigned() {
        assert_eq!(rounded_seconds(i64::MAX), 9_223_372_036_854_776);
        assert_eq!(rounded_seconds(1_499), 1);
        assert_eq!(rounded_seconds(1_500), 2);
        assert_eq!(rounded_seconds(0), 0);
    }
}
