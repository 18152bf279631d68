//! `MOVE`: move a key, with its TTL, to another database.

use super::{expire_if_needed_in, parse_db_index, same_object_error};
use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// MOVE key db
/// ```
///
/// Replies 1 if moved, 0 if the key does not exist or already exists in the target database.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, target_db] = args::exactly(args);
    let target_db = match parse_db_index(ctx, target_db) {
        Ok(db) => db,
        Err(reply) => return reply,
    };
    let source_db = ctx.db_index();
    if target_db == source_db {
        return same_object_error();
    }
    if !ctx.key_exists(key) {
        return Frame::Integer(0);
    }
    expire_if_needed_in(ctx, target_db, key);
    if ctx.state.keyspace.db(target_db).contains(key) {
        return Frame::Integer(0);
    }
    let Some(entry) = ctx.db().remove(key) else {
        return Frame::Integer(0);
    };
    let expires_at_ms = entry.expires_at_ms();
    let target = ctx.state.keyspace.db_mut(target_db);
    target.insert(key, entry.value);
    if expires_at_ms.is_some() {
        target.set_expire(key, expires_at_ms);
    }
    ctx.signal_modified_key(key);
    ctx.state.signal_modified_key(target_db, key);
    ctx.add_dirty(1);
    Frame::Integer(1)
}
