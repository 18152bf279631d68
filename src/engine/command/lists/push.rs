//! `LPUSH`, `RPUSH`, `LPUSHX`, `RPUSHX`: add elements at one end of a list.

use super::{push_elements, record_change, End};
use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// LPUSH key element [element ...]
/// ```
///
/// Pushes each element at the head in turn, creating the list if missing; replies with the new
/// length.
pub(super) fn lpush(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    push(ctx, args, End::Head, true)
}

/// # Format
///
/// ```text
/// RPUSH key element [element ...]
/// ```
///
/// Pushes each element at the tail in turn, creating the list if missing; replies with the new
/// length.
pub(super) fn rpush(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    push(ctx, args, End::Tail, true)
}

/// # Format
///
/// ```text
/// LPUSHX key element [element ...]
/// ```
///
/// LPUSH only if the list exists; `:0` otherwise.
pub(super) fn lpushx(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    push(ctx, args, End::Head, false)
}

/// # Format
///
/// ```text
/// RPUSHX key element [element ...]
/// ```
///
/// RPUSH only if the list exists; `:0` otherwise.
pub(super) fn rpushx(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    push(ctx, args, End::Tail, false)
}

/// Redis's `pushGenericCommand` (`create`) and `pushxGenericCommand`.
fn push(ctx: &mut Ctx, args: &[Vec<u8>], end: End, create: bool) -> Frame {
    let ([_, key], elements) = args::at_least(args);
    match push_elements(ctx, key, end, elements, create) {
        Err(reply) => reply,
        Ok(None) => Frame::Integer(0),
        Ok(Some(len)) => {
            record_change(ctx, key, elements.len());
            Frame::Integer(len as i64)
        }
    }
}
