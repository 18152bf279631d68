//! Lists: LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP, LLEN, LRANGE, LINDEX, LSET, LREM, LTRIM,
//! LINSERT, LPOS, LMOVE, RPOPLPUSH and LMPOP (Redis 7.0's `t_list.c` without the blocking
//! commands).
//!
//! Every list is a [`ListValue`]. A list that becomes empty is deleted at once, so an existing
//! list always has an element. Nothing here allocates from a count the user sent: every count is
//! first clamped to the list's length.

mod lindex;
mod linsert;
mod llen;
mod lmove;
mod lmpop;
mod lpos;
mod lrange;
mod lrem;
mod lset;
mod ltrim;
mod pop;
mod push;

use super::flags::{DENYOOM, FAST, READONLY, WRITE};
use super::{args, CommandSpec, Ctx};
use crate::engine::keyspace::ListValue;
use crate::engine::resp::Frame;

/// This family's rows of the command table (arity and flags as `COMMAND INFO` shows them in 7.0).
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("lindex", 3, READONLY, lindex::execute),
    CommandSpec::new("linsert", 5, WRITE | DENYOOM, linsert::execute),
    CommandSpec::new("llen", 2, READONLY | FAST, llen::execute),
    CommandSpec::new("lmove", 5, WRITE | DENYOOM, lmove::lmove),
    CommandSpec::new("lmpop", -4, WRITE, lmpop::execute),
    CommandSpec::new("lpop", -2, WRITE | FAST, pop::lpop),
    CommandSpec::new("lpos", -3, READONLY, lpos::execute),
    CommandSpec::new("lpush", -3, WRITE | DENYOOM | FAST, push::lpush),
    CommandSpec::new("lpushx", -3, WRITE | DENYOOM | FAST, push::lpushx),
    CommandSpec::new("lrange", 4, READONLY, lrange::execute),
    CommandSpec::new("lrem", 4, WRITE, lrem::execute),
    CommandSpec::new("lset", 4, WRITE | DENYOOM, lset::execute),
    CommandSpec::new("ltrim", 4, WRITE, ltrim::execute),
    CommandSpec::new("rpop", -2, WRITE | FAST, pop::rpop),
    CommandSpec::new("rpoplpush", 3, WRITE | DENYOOM, lmove::rpoplpush),
    CommandSpec::new("rpush", -3, WRITE | DENYOOM | FAST, push::rpush),
    CommandSpec::new("rpushx", -3, WRITE | DENYOOM | FAST, push::rpushx),
];

/// `getPositiveLongFromObjectOrReply`'s own message, used when the caller gives none.
const NOT_POSITIVE: &str = "ERR value is out of range, must be positive";

/// One end of a list (Redis's `LIST_HEAD` and `LIST_TAIL`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    /// The left end, index 0.
    Head,
    /// The right end, index -1.
    Tail,
}

impl End {
    /// `LEFT` or `RIGHT`, in any case (`getListPositionFromObjectOrReply`).
    fn parse(arg: &[u8]) -> Result<End, Frame> {
        if arg.eq_ignore_ascii_case(b"left") {
            Ok(End::Head)
        } else if arg.eq_ignore_ascii_case(b"right") {
            Ok(End::Tail)
        } else {
            Err(args::syntax_error())
        }
    }

    /// Adds `item` at this end.
    fn push(self, list: &mut ListValue, item: Vec<u8>) {
        match self {
            End::Head => list.push_front(item),
            End::Tail => list.push_back(item),
        }
    }

    /// Removes the element at this end.
    fn pop(self, list: &mut ListValue) -> Option<Vec<u8>> {
        match self {
            End::Head => list.pop_front(),
            End::Tail => list.pop_back(),
        }
    }

    /// Removes up to `count` elements from this end, nearest first; never more than the list
    /// holds, whatever `count` says.
    fn pop_many(self, list: &mut ListValue, count: u64) -> Vec<Vec<u8>> {
        let count = usize::try_from(count).map_or(list.len(), |count| count.min(list.len()));
        let mut popped = Vec::with_capacity(count);
        for _ in 0..count {
            popped.extend(self.pop(list));
        }
        popped
    }
}

/// A count that must not be negative (`getPositiveLongFromObjectOrReply`): a non-integer or a
/// negative value is answered with `message`.
fn non_negative(arg: &[u8], message: &str) -> Result<u64, Frame> {
    args::integer(arg)
        .ok()
        .and_then(|value| u64::try_from(value).ok())
        .ok_or_else(|| Frame::error(message))
}

/// Pushes `elements` one by one at `end` of the list at `key` (so LPUSH reverses them), creating
/// the list first if `create`. Returns the new length, or None if the key was missing and not
/// created. The caller signals the change.
fn push_elements(
    ctx: &mut Ctx,
    key: &[u8],
    end: End,
    elements: &[Vec<u8>],
    create: bool,
) -> Result<Option<usize>, Frame> {
    let push = |list: &mut ListValue| {
        elements
            .iter()
            .for_each(|element| end.push(list, element.clone()));
        list.len()
    };
    if create {
        ctx.modify_or_create(key, push).map(Some)
    } else {
        ctx.modify(key, push)
    }
}

/// The position `index` names in a list of `len` (negative counts from the tail), if inside.
fn element_index(index: i64, len: usize) -> Option<usize> {
    let position = if index < 0 {
        let from_tail = usize::try_from(index.unsigned_abs()).ok()?;
        len.checked_sub(from_tail)?
    } else {
        usize::try_from(index).ok()?
    };
    (position < len).then_some(position)
}

/// Tells WATCHers that `key` changed and counts `changes` modifications (Redis's
/// `signalModifiedKey` + `server.dirty += changes`).
fn record_change(ctx: &mut Ctx, key: &[u8], changes: usize) {
    ctx.signal_modified_key(key);
    ctx.add_dirty(changes as u64);
}

/// Replies with elements as an array of bulk strings.
fn bulk_array<'a>(elements: impl IntoIterator<Item = &'a Vec<u8>>) -> Frame {
    Frame::Array(elements.into_iter().cloned().map(Frame::Bulk).collect())
}

#[cfg(test)]
mod tests;
