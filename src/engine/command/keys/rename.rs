//! `RENAME` and `RENAMENX`: give a key another name, with its value and TTL.

use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// RENAME key newkey
/// ```
///
/// Replies `OK`, overwriting `newkey` if it exists; `-ERR no such key` if `key` does not exist.
pub(super) fn execute_rename(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, new_key] = args::exactly(args);
    rename(ctx, key, new_key, false)
}

/// # Format
///
/// ```text
/// RENAMENX key newkey
/// ```
///
/// Replies 1 if renamed, 0 if `newkey` exists; `-ERR no such key` if `key` does not exist.
pub(super) fn execute_renamenx(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, new_key] = args::exactly(args);
    rename(ctx, key, new_key, true)
}

/// Redis's `renameGenericCommand`. The source is looked up first, so renaming a missing key to
/// itself is still an error; renaming an existing key to itself changes nothing.
fn rename(ctx: &mut Ctx, key: &[u8], new_key: &[u8], nx: bool) -> Frame {
    let done = |renamed: bool| match (nx, renamed) {
        (true, renamed) => Frame::Integer(i64::from(renamed)),
        (false, _) => Frame::ok(),
    };
    if !ctx.key_exists(key) {
        return Frame::error("ERR no such key");
    }
    if key == new_key {
        return done(false);
    }
    if ctx.key_exists(new_key) {
        if nx {
            return done(false);
        }
        ctx.db().remove(new_key);
    }
    let Some(entry) = ctx.db().remove(key) else {
        return Frame::error("ERR no such key");
    };
    let expires_at_ms = entry.expires_at_ms();
    ctx.db().insert(new_key, entry.value);
    if expires_at_ms.is_some() {
        ctx.db().set_expire(new_key, expires_at_ms);
    }
    ctx.signal_modified_key(key);
    ctx.signal_modified_key(new_key);
    ctx.add_dirty(1);
    done(true)
}
