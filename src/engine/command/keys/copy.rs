//! `COPY`: duplicate a key's value and TTL under another name, possibly in another database.

use super::{expire_if_needed_in, parse_db_index, same_object_error};
use crate::engine::command::args::option_is;
use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// COPY source destination [DB destination-db] [REPLACE]
/// ```
///
/// Replies 1 if copied, 0 if `source` does not exist or `destination` exists without REPLACE.
/// The copy keeps the source's encoding and TTL. Options are checked in order, each `DB` value
/// as it comes, before anything is looked up.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_, key, new_key], options) = args::at_least(args);
    let source_db = ctx.db_index();
    let mut target_db = source_db;
    let mut replace = false;
    let mut options = options.iter();
    while let Some(option) = options.next() {
        if option_is(option, "replace") {
            replace = true;
        } else if option_is(option, "db") && !options.as_slice().is_empty() {
            let Some(index) = options.next() else {
                return args::syntax_error();
            };
            target_db = match parse_db_index(ctx, index) {
                Ok(db) => db,
                Err(reply) => return reply,
            };
        } else {
            return args::syntax_error();
        }
    }
    if target_db == source_db && key == new_key {
        return same_object_error();
    }

    let Some(entry) = ctx.lookup_read(key) else {
        return Frame::Integer(0);
    };
    let (value, expires_at_ms) = (entry.value.clone(), entry.expires_at_ms());
    expire_if_needed_in(ctx, target_db, new_key);
    let target = ctx.state.keyspace.db_mut(target_db);
    if target.contains(new_key) && !replace {
        return Frame::Integer(0);
    }
    target.insert(new_key, value);
    if expires_at_ms.is_some() {
        target.set_expire(new_key, expires_at_ms);
    }
    ctx.state.signal_modified_key(target_db, new_key);
    ctx.add_dirty(1);
    Frame::Integer(1)
}
