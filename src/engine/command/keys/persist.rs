//! `PERSIST`: remove a key's TTL.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::Entry;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// PERSIST key
/// ```
///
/// Replies 1 if the key had a TTL and now has none, 0 if it does not exist or had no TTL. Only
/// the first case changes the dataset and propagates.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    if !ctx.key_exists(key) {
        return Frame::Integer(0);
    }
    let had_ttl = ctx
        .db()
        .lookup(key)
        .and_then(Entry::expires_at_ms)
        .is_some();
    if !had_ttl {
        return Frame::Integer(0);
    }
    ctx.db().set_expire(key, None);
    ctx.signal_modified_key(key);
    ctx.add_dirty(1);
    Frame::Integer(1)
}
