//! `EXEC`: run the queued commands as one execution unit.

use crate::engine::command::{call, resolve, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// EXEC
/// ```
///
/// Replies with one reply per queued command; `*-1` if a WATCHed key changed; `-EXECABORT` if a
/// command was refused while queueing. Everything the commands propagate leaves as one unit,
/// wrapped in MULTI/EXEC when there is more than one write.
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    let Some(transaction) = ctx.client().transaction.take() else {
        return Frame::error("ERR EXEC without MULTI");
    };
    let watched_key_changed = ctx.state.dirty_watchers.contains(&ctx.conn);
    super::unwatch_all(ctx);
    if transaction.aborted {
        return Frame::error("EXECABORT Transaction discarded because of previous errors.");
    }
    if watched_key_changed {
        return Frame::NullArray;
    }
    let replies = transaction
        .queued
        .iter()
        .map(|args| match resolve(args) {
            Ok((spec, full_name)) => call(ctx, spec, &full_name, args),
            Err(rejection) => rejection.reply,
        })
        .collect();
    Frame::Array(replies)
}
