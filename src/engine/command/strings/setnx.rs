//! `SETNX key value`: set only if the key does not exist.

use super::option;
use super::set::{set_generic, SetCall};
use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SETNX key value
/// ```
///
/// Replies `:1` if the key was set, `:0` if it already existed (then nothing is propagated).
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    set_generic(
        ctx,
        args,
        SetCall {
            key: &args[1],
            value: &args[2],
            flags: option::NX,
            expire: None,
            command: "setnx",
            ok_reply: Frame::Integer(1),
            abort_reply: Frame::Integer(0),
        },
    )
}
