//! `SCAN`: iterate over the keys a few at a time.

use super::{c_string, option_is};
use crate::engine::command::{args, Ctx};
use crate::engine::glob::string_match;
use crate::engine::resp::Frame;

/// COUNT when not given.
const COUNT_DEFAULT: i64 = 10;

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
    let Some(cursor) = parse_cursor(&args[1]) else {
        return Frame::error("ERR invalid cursor");
    };
    let mut count = COUNT_DEFAULT;
    let mut pattern: Option<&[u8]> = None;
    let mut type_name: Option<&[u8]> = None;
    let mut options = args[2..].iter();
    while let Some(option) = options.next() {
        let value = options.as_slice().first();
        match value {
            Some(value) if option_is(option, "count") => match args::integer(value) {
                Ok(n) if n >= 1 => count = n,
                Ok(_) => return args::syntax_error(),
                Err(reply) => return reply,
            },
            // A bare `*` needs no matching (and would not match the empty key).
            Some(value) if option_is(option, "match") => {
                pattern = (value.as_slice() != b"*").then_some(value.as_slice());
            }
            Some(value) if option_is(option, "type") => type_name = Some(c_string(value)),
            _ => return args::syntax_error(),
        }
        options.next();
    }

    let count = usize::try_from(count).unwrap_or(usize::MAX);
    let (next_cursor, keys) = ctx.db().scan(cursor, count);
    let mut found = Vec::new();
    for key in keys {
        if pattern.is_some_and(|pattern| !string_match(pattern, &key, false)) {
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
    Frame::Array(vec![
        Frame::bulk(next_cursor.to_string()),
        Frame::Array(found),
    ])
}

/// The cursor as Redis's `parseScanCursorOrReply` reads it with `strtoul(..., 10)`: the C string
/// up to its first NUL, no leading blank, an optional sign (a `-` negates modulo 2^64), decimal
/// digits, nothing after them, no overflow. The empty string is cursor 0.
fn parse_cursor(arg: &[u8]) -> Option<u64> {
    let text = c_string(arg);
    if text.is_empty() {
        return Some(0);
    }
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for &digit in digits {
        if !digit.is_ascii_digit() {
            return None;
        }
        value = value
            .checked_mul(10)?
            .checked_add(u64::from(digit - b'0'))?;
    }
    Some(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn scan_cursor_parses_like_strtoul() {
        assert_eq!(parse_cursor(b""), Some(0));
        assert_eq!(parse_cursor(b"0"), Some(0));
        assert_eq!(parse_cursor(b"+7"), Some(7));
        assert_eq!(parse_cursor(b"007"), Some(7));
        assert_eq!(parse_cursor(b"-1"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"5\x00junk"), Some(5));
        for bad in [
            &b" 1"[..],
            b"1 ",
            b"x",
            b"+",
            b"-",
            b"0x10",
            b"18446744073709551616",
            b"\t1",
        ] {
            assert_eq!(parse_cursor(bad), None, "{bad:?}");
        }
    }
}
