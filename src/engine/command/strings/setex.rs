//! `SETEX key seconds value` and `PSETEX key milliseconds value`: set with a TTL.

use super::option;
use super::set::{set_generic, SetCall};
use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SETEX key seconds value
/// ```
///
/// Replies `+OK`; propagated as `SET key value PXAT <abs-ms>`.
pub(super) fn execute_setex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, option::EX, "setex")
}

/// # Format
///
/// ```text
/// PSETEX key milliseconds value
/// ```
///
/// Replies `+OK`; propagated as `SET key value PXAT <abs-ms>`.
pub(super) fn execute_psetex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, option::PX, "psetex")
}

/// Both commands: `unit` is EX or PX.
fn execute(ctx: &mut Ctx, args: &[Vec<u8>], unit: u32, command: &'static str) -> Frame {
    let [_, key, expire, value] = args::exactly(args);
    set_generic(
        ctx,
        args,
        SetCall {
            key,
            value,
            flags: unit,
            expire: Some(expire),
            command,
            ok_reply: Frame::ok(),
            abort_reply: Frame::Null,
        },
    )
}
