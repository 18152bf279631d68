//! `LREM`: remove the elements equal to a value.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::ListValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// LREM key count element
/// ```
///
/// Removes the first `count` matches from the head (`count > 0`), the first `-count` from the
/// tail (`count < 0`), or all of them (`count = 0`); replies with how many went.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, count, element] = args::exactly(args);
    let count = match args::integer(count) {
        Ok(count) => count,
        Err(reply) => return reply,
    };
    let from_tail = count < 0;
    // Redis negates a negative count in a C long, so the minimum stays negative and never equals
    // the number removed: it removes every match. `checked_neg` gives that as "no limit".
    let limit = if from_tail {
        count.checked_neg()
    } else {
        Some(count).filter(|&count| count > 0)
    };
    // A limit beyond usize (wasm32) exceeds any list: the same as none.
    let limit = limit.and_then(|limit| usize::try_from(limit).ok());
    let removed = ctx.modify(key, |list: &mut ListValue| {
        list.remove_matching(element, limit, from_tail) as u64
    });
    ctx.removal_reply(key, removed)
}
