//! What SCAN, HSCAN and SSCAN share (Redis's `parseScanCursorOrReply` and
//! `scanGenericCommand`): the cursor, the COUNT and MATCH options, the MATCH filter and the reply
//! shape, plus [`scan_key`], the whole of a scan over one key's container. What only one command
//! has stays with it: SCAN's TYPE option, its per-key filtering and its order (options before
//! anything else) live in `keys/scan.rs`; how a hash or a set walks from a cursor in its own
//! file.

use super::args::{self, option_is};
use super::Ctx;
use crate::engine::glob::string_match;
use crate::engine::keyspace::ValueType;
use crate::engine::resp::Frame;

/// COUNT when not given.
const COUNT_DEFAULT: usize = 10;

/// COUNT and MATCH.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ScanOptions<'a> {
    /// COUNT: how many elements to aim for.
    pub count: usize,
    /// MATCH: the glob pattern elements must match; None for none, or for a lone `*`.
    pub pattern: Option<&'a [u8]>,
}

impl ScanOptions<'_> {
    /// Whether `element` passes the MATCH filter (Redis's `stringmatchlen`, case-sensitive).
    pub fn matches(&self, element: &[u8]) -> bool {
        self.pattern
            .is_none_or(|pattern| string_match(pattern, element, false))
    }
}

/// The cursor as Redis reads it with `strtoul(..., 10)`: the C string up to its first NUL, no
/// leading blank, an optional sign (a `-` negates modulo 2^64), decimal digits, nothing after
/// them, no overflow; the empty string is cursor 0. Else `-ERR invalid cursor`.
pub(super) fn parse_cursor(arg: &[u8]) -> Result<u64, Frame> {
    let invalid = || Frame::error("ERR invalid cursor");
    let text = args::c_string(arg);
    if text.is_empty() {
        return Ok(0);
    }
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(invalid());
    }
    let magnitude = digits.iter().try_fold(0u64, |value, &digit| {
        value.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
    });
    let magnitude = magnitude.ok_or_else(invalid)?;
    Ok(if negative {
        magnitude.wrapping_neg()
    } else {
        magnitude
    })
}

/// The options after the cursor: `COUNT n` (n ≥ 1) and `MATCH pattern` in any order, the last
/// one winning, option names compared as Redis's `strcasecmp` does. Any other name/value pair
/// goes to `other` (SCAN's TYPE), which says whether it took it; anything else, or a name
/// without a value, is a syntax error.
pub(super) fn parse_options<'a>(
    options: &'a [Vec<u8>],
    other: &mut dyn FnMut(&'a [u8], &'a [u8]) -> bool,
) -> Result<ScanOptions<'a>, Frame> {
    let mut parsed = ScanOptions {
        count: COUNT_DEFAULT,
        pattern: None,
    };
    let mut rest = options;
    while let [name, value, tail @ ..] = rest {
        if option_is(name, "count") {
            let count = args::integer(value)?;
            if count < 1 {
                return Err(args::syntax_error());
            }
            parsed.count = usize::try_from(count).unwrap_or(usize::MAX);
        } else if option_is(name, "match") {
            // Redis skips the filter for a lone `*`, which matters: the glob itself does not
            // match an empty string with `*`.
            parsed.pattern = (value.as_slice() != b"*").then_some(value.as_slice());
        } else if !other(name, value) {
            return Err(args::syntax_error());
        }
        rest = tail;
    }
    if rest.is_empty() {
        Ok(parsed)
    } else {
        Err(args::syntax_error())
    }
}

/// HSCAN and SSCAN (`<command> key cursor [MATCH pattern] [COUNT count]`) over the `T` at
/// `args[1]`, in Redis's order: the cursor, then the key (missing: an empty reply; another type:
/// `-WRONGTYPE`), then the options. `step` walks from the cursor and returns the next cursor and
/// the elements to reply with (those [`ScanOptions::matches`] lets through).
pub(super) fn scan_key<T: ValueType>(
    ctx: &mut Ctx,
    args: &[Vec<u8>],
    step: impl FnOnce(&T, u64, &ScanOptions) -> (u64, Vec<Frame>),
) -> Frame {
    let ([_, key, cursor], options) = args::at_least(args);
    let cursor = match parse_cursor(cursor) {
        Ok(cursor) => cursor,
        Err(error) => return error,
    };
    let value = match ctx.read::<T>(key) {
        Ok(Some(value)) => value,
        Ok(None) => return reply(0, Vec::new()),
        Err(error) => return error,
    };
    // Redis parses the options only once it has an object to scan; TYPE is not one of them.
    let options = match parse_options(options, &mut |_, _| false) {
        Ok(options) => options,
        Err(error) => return error,
    };
    let (next, elements) = step(value, cursor, &options);
    reply(next, elements)
}

/// `[cursor, [elements...]]`, the cursor as a decimal bulk string.
pub(super) fn reply(cursor: u64, elements: Vec<Frame>) -> Frame {
    Frame::Array(vec![
        Frame::bulk(cursor.to_string()),
        Frame::Array(elements),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn scan_cursor_parses_like_strtoul() {
        assert_eq!(parse_cursor(b""), Ok(0));
        assert_eq!(parse_cursor(b"0"), Ok(0));
        assert_eq!(parse_cursor(b"+7"), Ok(7));
        assert_eq!(parse_cursor(b"007"), Ok(7));
        assert_eq!(parse_cursor(b"-1"), Ok(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551615"), Ok(u64::MAX));
        assert_eq!(parse_cursor(b"0\x00junk"), Ok(0));
        assert_eq!(parse_cursor(b"5\x00junk"), Ok(5));
        for bad in [
            &b" 1"[..],
            b" 0",
            b"1 ",
            b"x",
            b"+",
            b"-",
            b"0x1",
            b"0x10",
            b"18446744073709551616",
            b"\t1",
        ] {
            assert_eq!(
                parse_cursor(bad),
                Err(Frame::error("ERR invalid cursor")),
                "{bad:?}"
            );
        }
    }

    fn owned(items: &[&str]) -> Vec<Vec<u8>> {
        items.iter().map(|item| item.as_bytes().to_vec()).collect()
    }

    #[test]
    fn scan_options_check_count_and_pairs() {
        let mut no_other = |_: &[u8], _: &[u8]| false;
        let options = owned(&["MATCH", "a*", "count", "5", "match", "b*"]);
        assert_eq!(
            parse_options(&options, &mut no_other),
            Ok(ScanOptions {
                count: 5,
                pattern: Some(&b"b*"[..])
            })
        );
        let options = owned(&["MATCH", "*"]);
        assert_eq!(
            parse_options(&options, &mut no_other),
            Ok(ScanOptions {
                count: 10,
                pattern: None
            })
        );
        let syntax_error = Err(args::syntax_error());
        assert_eq!(
            parse_options(&owned(&["COUNT", "0"]), &mut no_other),
            syntax_error
        );
        assert_eq!(
            parse_options(&owned(&["COUNT", "x"]), &mut no_other),
            Err(Frame::error(args::NOT_AN_INTEGER))
        );
        assert_eq!(
            parse_options(&owned(&["MATCH"]), &mut no_other),
            syntax_error
        );
        assert_eq!(
            parse_options(&owned(&["TYPE", "string"]), &mut no_other),
            syntax_error
        );
    }

    #[test]
    fn scan_option_names_are_c_strings_and_others_go_to_the_caller() {
        let options = vec![b"count\0x".to_vec(), b"3".to_vec()];
        assert_eq!(
            parse_options(&options, &mut |_, _| false).map(|parsed| parsed.count),
            Ok(3)
        );
        let mut type_name = None;
        let options = owned(&["type", "hash", "COUNT", "2"]);
        let parsed = parse_options(&options, &mut |name, value| {
            let taken = option_is(name, "type");
            if taken {
                type_name = Some(value);
            }
            taken
        });
        assert_eq!(parsed.map(|parsed| parsed.count), Ok(2));
        assert_eq!(type_name, Some(&b"hash"[..]));
    }
}
