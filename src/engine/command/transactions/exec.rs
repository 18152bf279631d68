//! `EXEC`: run the queued commands as one execution unit.

use crate::engine::command::{call, resolve, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// EXEC
/// ```
///
/// Replies with one reply per queued command (a command that fails replies with its error and the
/// others still run); `*-1` if a WATCHed key changed or expired; `-EXECABORT` if a command was
/// refused while queueing. Everything the commands propagate leaves as one unit, wrapped in
/// MULTI/EXEC when there is more than one command; EXEC itself is never propagated.
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    let Some(transaction) = ctx.client_ref().transaction.as_ref() else {
        return Frame::error("ERR EXEC without MULTI");
    };
    let aborted = transaction.aborted;
    // The client stays in MULTI while its commands run, as in Redis (CLIENT LIST shows `x`,
    // blocking commands know not to block); the queue is copied out for the loop.
    let queued = transaction.queued.clone();
    let now_ms = ctx.now_ms();
    let conn = ctx.conn;
    if ctx.state.watched_key_expired(conn, now_ms) {
        ctx.state.dirty_watchers.insert(conn);
    }
    let watched_key_changed = ctx.state.dirty_watchers.contains(&conn);
    if aborted || watched_key_changed {
        super::discard_transaction(ctx);
        return if aborted {
            Frame::error("EXECABORT Transaction discarded because of previous errors.")
        } else {
            Frame::NullArray
        };
    }
    ctx.state.unwatch_all(conn);

    let mut replies = Vec::with_capacity(queued.len());
    for args in &queued {
        let reply = match resolve(args) {
            Ok((spec, full_name)) => call(ctx, spec, full_name, args),
            Err((_, reply)) => reply,
        };
        replies.append(&mut ctx.client().preceding_replies);
        replies.push(reply);
    }
    super::discard_transaction(ctx);
    // EXEC counts its commands' changes as its own, but only they are propagated.
    ctx.prevent_propagation();
    exec_reply(ctx, queued.len(), replies)
}

/// EXEC's reply: an array with one element per queued command. Redis writes the array length and
/// then whatever the commands write, so a command that answered more than once (SUBSCRIBE to
/// several channels) pushes the surplus past the array's end; the bytes are reproduced exactly by
/// returning the last of them and writing the rest ahead of it.
fn exec_reply(ctx: &mut Ctx, queued_count: usize, mut replies: Vec<Frame>) -> Frame {
    if replies.len() == queued_count {
        return Frame::Array(replies);
    }
    let surplus = replies.split_off(queued_count);
    let mut written = vec![Frame::Array(replies)];
    written.extend(surplus);
    let last = written.pop().unwrap_or(Frame::NullArray);
    ctx.client().preceding_replies.extend(written);
    last
}
