//! `EXPIRE`, `PEXPIRE`, `EXPIREAT`, `PEXPIREAT`: set a key's TTL (Redis's `expireGenericCommand`).

use super::ttl::expire_of;
use crate::engine::command::args::{c_string, option_is};
use crate::engine::command::{args, error_with_user_text, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// EXPIRE key seconds [NX | XX | GT | LT]
/// ```
pub(super) fn execute_expire(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    expire(ctx, args, Base::Now, Unit::Seconds, "expire")
}

/// # Format
///
/// ```text
/// PEXPIRE key milliseconds [NX | XX | GT | LT]
/// ```
pub(super) fn execute_pexpire(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    expire(ctx, args, Base::Now, Unit::Milliseconds, "pexpire")
}

/// # Format
///
/// ```text
/// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
/// ```
pub(super) fn execute_expireat(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    expire(ctx, args, Base::Epoch, Unit::Seconds, "expireat")
}

/// # Format
///
/// ```text
/// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
/// ```
pub(super) fn execute_pexpireat(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    expire(ctx, args, Base::Epoch, Unit::Milliseconds, "pexpireat")
}

/// What the time argument counts from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Base {
    /// A TTL (EXPIRE, PEXPIRE).
    Now,
    /// A Unix time (EXPIREAT, PEXPIREAT).
    Epoch,
}

/// The unit of the time argument.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Seconds,
    Milliseconds,
}

/// The NX/XX/GT/LT options given.
#[derive(Clone, Copy, Default)]
struct Conditions {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

impl Conditions {
    /// Redis's `parseExtendedExpireArgumentsOrReply`: every option is checked before the
    /// combinations, and all of it before the time argument.
    fn parse(options: &[Vec<u8>]) -> Result<Conditions, Frame> {
        let mut conditions = Conditions::default();
        for option in options {
            if option_is(option, "nx") {
                conditions.nx = true;
            } else if option_is(option, "xx") {
                conditions.xx = true;
            } else if option_is(option, "gt") {
                conditions.gt = true;
            } else if option_is(option, "lt") {
                conditions.lt = true;
            } else {
                let mut message = b"ERR Unsupported option ".to_vec();
                message.extend_from_slice(c_string(option));
                return Err(error_with_user_text(message));
            }
        }
        if conditions.nx && (conditions.xx || conditions.gt || conditions.lt) {
            return Err(Frame::error(
                "ERR NX and XX, GT or LT options at the same time are not compatible",
            ));
        }
        if conditions.gt && conditions.lt {
            return Err(Frame::error(
                "ERR GT and LT options at the same time are not compatible",
            ));
        }
        Ok(conditions)
    }

    /// Whether a key whose current expiry is `current` (-1: none) takes `when`. No TTL counts as
    /// an infinite one for GT and LT.
    fn allow(self, current: i64, when: i64) -> bool {
        let has_ttl = current != -1;
        !(self.nx && has_ttl
            || self.xx && !has_ttl
            || self.gt && (!has_ttl || when <= current)
            || self.lt && has_ttl && when >= current)
    }
}

/// Sets the TTL. Replies 1 if it was set (or the key deleted because the time is already past),
/// 0 if the key does not exist or a condition failed.
///
/// Propagates as `PEXPIREAT key <unix-ms> [options as given]`, or as `DEL key` (`UNLINK` with
/// `lazyfree-lazy-expire`) when the time is already past and the key was deleted.
fn expire(ctx: &mut Ctx, args: &[Vec<u8>], base: Base, unit: Unit, name: &str) -> Frame {
    let ([_, key, when], condition_args) = args::at_least(args);
    let conditions = match Conditions::parse(condition_args) {
        Ok(conditions) => conditions,
        Err(reply) => return reply,
    };
    let when = match args::integer(when) {
        Ok(when) => when,
        Err(reply) => return reply,
    };
    let now_ms = i64::try_from(ctx.now_ms()).unwrap_or(i64::MAX);
    let when_ms = match unit {
        Unit::Seconds => when.checked_mul(1000),
        Unit::Milliseconds => Some(when),
    };
    let base_ms = match base {
        Base::Now => now_ms,
        Base::Epoch => 0,
    };
    // Negative times are allowed (they delete the key); only overflow is an error.
    let Some(when_ms) = when_ms.and_then(|ms| ms.checked_add(base_ms)) else {
        return Frame::error(format!("ERR invalid expire time in '{name}' command"));
    };

    let Some(entry) = ctx.lookup_write(key) else {
        return Frame::Integer(0);
    };
    let current = expire_of(&entry);
    drop(entry);
    if !conditions.allow(current, when_ms) {
        return Frame::Integer(0);
    }

    // Redis's checkAlreadyExpired: a time already past deletes the key, except on a replica,
    // which keeps it with that time and waits for its master's DEL (a PEXPIREAT its master sent
    // while the time was still ahead may arrive late; the master may have moved it since).
    if when_ms <= now_ms && !ctx.state.repl.is_replica() {
        ctx.delete_already_expired(key);
        return Frame::Integer(1);
    }
    // A negative time is as past as 0.
    let expires_at_ms = u64::try_from(when_ms).unwrap_or(0);
    ctx.db().set_expire(key, Some(expires_at_ms));
    if base == Base::Now || unit == Unit::Seconds {
        let mut argv = vec![
            b"PEXPIREAT".to_vec(),
            key.clone(),
            when_ms.to_string().into_bytes(),
        ];
        argv.extend_from_slice(condition_args);
        ctx.rewrite_argv(argv);
    }
    ctx.signal_modified_key(key);
    ctx.add_dirty(1);
    Frame::Integer(1)
}
