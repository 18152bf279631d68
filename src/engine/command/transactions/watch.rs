//! `WATCH key [key ...]`: make the next EXEC fail if one of these keys changes first.

use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// WATCH key [key ...]
/// ```
///
/// Any modification of a watched key by any client (the watcher included), its expiry (lazy or
/// active), or a FLUSHDB/FLUSHALL while it exists makes the next EXEC answer `*-1`. A key that is
/// already logically expired when watched counts as absent: its deletion changes nothing.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    if ctx.client_ref().in_transaction() {
        return Frame::error("ERR WATCH inside MULTI is not allowed");
    }
    let conn = ctx.conn;
    // Already doomed: nothing to watch for (Redis skips the work too).
    if ctx.state.dirty_watchers.contains(&conn) {
        return Frame::ok();
    }
    let db = ctx.db_index();
    let now_ms = ctx.now_ms();
    let ([_], keys) = args::at_least(args);
    for key in keys {
        ctx.state.watch_key(conn, db, key, now_ms);
    }
    Frame::ok()
}
