//! `EXISTS`: count the keys that exist.

use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// EXISTS key [key ...]
/// ```
///
/// Replies with how many of the named keys exist; a key named twice counts twice.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_], keys) = args::at_least(args);
    count_live(ctx, keys)
}

/// How many of `keys` exist, each looked up as a read (lazy expiry, hit/miss counting); a key
/// named twice counts twice. EXISTS and TOUCH differ in Redis only in whether the lookup
/// refreshes the key's access time, which is not tracked here.
pub(super) fn count_live(ctx: &mut Ctx, keys: &[Vec<u8>]) -> Frame {
    let mut found = 0;
    for key in keys {
        if ctx.lookup_read(key).is_some() {
            found += 1;
        }
    }
    Frame::Integer(found)
}
