//! `SCAN`: iterate over the keys a few at a time.

use crate::engine::command::args::{c_string, option_is};
use crate::engine::command::scan::{parse_cursor, parse_options, reply};
use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
/// ```
///
/// Replies `[next-cursor, [key ...]]`; a next cursor of 0 ends the iteration. Our cursor is a
/// position in the stable hash order, so cursors differ from Redis's, but the guarantees are
/// Redis's (and stronger: a key present for the whole iteration is returned exactly once).
///
/// Keys are selected first, then filtered: by MATCH, by TYPE (compared case-insensitively; an
/// unknown type name simply matches nothing), and expired ones are deleted and left out. The
/// deletions propagate as separate `DEL`s, never wrapped in MULTI/EXEC.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_, cursor], options) = args::at_least(args);
    let cursor = match parse_cursor(cursor) {
        Ok(cursor) => cursor,
        Err(reply) => return reply,
    };
    // TYPE is SCAN's own option (Redis accepts it only when scanning the keyspace).
    let mut type_name: Option<&[u8]> = None;
    let options = parse_options(options, &mut |name, value| {
        let is_type = option_is(name, "type");
        if is_type {
            type_name = Some(c_string(value));
        }
        is_type
    });
    let options = match options {
        Ok(options) => options,
        Err(reply) => return reply,
    };

    let (next_cursor, keys) = ctx.db().scan(cursor, options.count);
    let mut found = Vec::new();
    for key in keys {
        if !options.matches(&key) {
            continue;
        }
        if let Some(wanted) = type_name {
            // Redis looks the key up here, which deletes it if expired and reports `none`: so
            // `TYPE none` returns expired keys, deleted by now. Kept.
            let actual = ctx
                .lookup_read(&key)
                .map_or("none", |entry| entry.value.type_name());
            if !wanted.eq_ignore_ascii_case(actual.as_bytes()) {
                continue;
            }
        }
        if ctx.expire_if_needed(&key) {
            continue;
        }
        found.push(Frame::Bulk(key));
    }
    reply(next_cursor, found)
}
