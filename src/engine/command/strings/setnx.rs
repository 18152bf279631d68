//! `SETNX key value`: set only if the key does not exist.

use super::option;
use super::set::{set_generic, SetCall};
use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SETNX key value
/// ```
///
/// Replies `:1` if the key was set, `:0` if it already existed (then nothing is propagated).
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, value] = args::exactly(args);
    set_generic(
        ctx,
        args,
        SetCall {
            key,
            value,
            flags: option::NX,
            expire: None,
            command: "setnx",
            ok_reply: Frame::Integer(1),
            abort_reply: Frame::Integer(0),
        },
    )
}
