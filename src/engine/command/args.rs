//! Argument parsing shared by commands, with Redis's exact error replies.

use std::ops::Range;

use super::strtod::{is_c_space, strtod};
use crate::engine::resp::{parse_i64, Frame};

/// `-ERR syntax error`.
pub const SYNTAX_ERROR: &str = "ERR syntax error";
/// `-ERR value is not an integer or out of range`.
pub const NOT_AN_INTEGER: &str = "ERR value is not an integer or out of range";
/// `-ERR value is not a valid float`.
pub const NOT_A_FLOAT: &str = "ERR value is not a valid float";
/// `-WRONGTYPE ...`.
pub const WRONG_TYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

/// The arguments of a command with a fixed argument count `N` (its name included), as an array
/// to destructure (`let [_, key, value] = args::exactly(args)`): one length check, which the
/// arity check has already passed, instead of a bounds check at every index.
pub fn exactly<const N: usize>(args: &[Vec<u8>]) -> &[Vec<u8>; N] {
    args.try_into().unwrap_or_else(|_| arity_violated())
}

/// The first `N` arguments of a command taking at least `N` (its name included) as an array to
/// destructure, and the rest (`let ([_, key], members) = args::at_least(args)`); see
/// [`exactly`].
pub fn at_least<const N: usize>(args: &[Vec<u8>]) -> (&[Vec<u8>; N], &[Vec<u8>]) {
    args.split_first_chunk().unwrap_or_else(|| arity_violated())
}

/// The one failure path of [`exactly`] and [`at_least`], kept out of line: the commands that
/// inline them then carry a bare call instead of a panic's arguments.
#[cold]
#[inline(never)]
fn arity_violated() -> ! {
    panic!("the arity check guarantees the argument count")
}

/// The `-ERR syntax error` reply.
pub fn syntax_error() -> Frame {
    Frame::error(SYNTAX_ERROR)
}

/// The `-WRONGTYPE` reply.
pub fn wrong_type() -> Frame {
    Frame::error(WRONG_TYPE)
}

/// A subcommand unknown or given the wrong number of arguments (Redis's
/// `addReplySubcommandSyntaxError`): names the subcommand as typed (DEBUG, PUBSUB).
pub fn subcommand_syntax_error(args: &[Vec<u8>]) -> Frame {
    let ([command, subcommand], _) = at_least(args);
    let mut message = b"ERR unknown subcommand or wrong number of arguments for '".to_vec();
    message.extend_from_slice(subcommand.get(..128).unwrap_or(subcommand));
    message.extend_from_slice(b"'. Try ");
    message.extend_from_slice(&command.to_ascii_uppercase());
    message.extend_from_slice(b" HELP.");
    super::error_with_user_text(message)
}

/// The bytes C code sees when it treats an argument as a NUL-terminated string: everything
/// before the first NUL byte.
pub fn c_string(arg: &[u8]) -> &[u8] {
    arg.split(|&byte| byte == 0).next().unwrap_or(arg)
}

/// Whether an option argument is `name` as Redis's `strcasecmp` sees it: the argument as a C
/// string, ASCII case ignored (so `"nx\0junk"` is NX).
pub fn option_is(arg: &[u8], name: &str) -> bool {
    c_string(arg).eq_ignore_ascii_case(name.as_bytes())
}

/// C's `strtoll(text, NULL, 10)`, and `atoi` within `int`'s range: optional blanks and sign,
/// then digits up to the first other byte; 0 if none; clamped on overflow.
pub(crate) fn c_integer(text: &[u8]) -> i64 {
    let text = text.trim_ascii_start();
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, text),
    };
    let mut value: i64 = 0;
    for &digit in digits {
        if !digit.is_ascii_digit() {
            break;
        }
        let digit = i64::from(digit - b'0');
        value = if negative {
            value.saturating_mul(10).saturating_sub(digit)
        } else {
            value.saturating_mul(10).saturating_add(digit)
        };
    }
    value
}

/// A 64-bit integer argument (`getLongLongFromObjectOrReply`): strict, no spaces, no `+`.
pub fn integer(arg: &[u8]) -> Result<i64, Frame> {
    parse_i64(arg).ok_or_else(|| Frame::error(NOT_AN_INTEGER))
}

/// A float argument (`getDoubleFromObjectOrReply` → `string2d`): the whole argument must be a
/// number C's `strtod` reads (hexadecimal and `inf` included), with no leading blank, not NaN,
/// and neither overflowing to infinity nor underflowing to zero.
pub fn float(arg: &[u8]) -> Result<f64, Frame> {
    parse_float(arg).ok_or_else(|| Frame::error(NOT_A_FLOAT))
}

/// [`float`] without the error reply.
pub fn parse_float(arg: &[u8]) -> Option<f64> {
    let parsed = strtod(arg);
    let valid = arg.first().is_some_and(|&first| !is_c_space(first))
        && parsed.consumed == arg.len()
        && !parsed.out_of_range
        && !parsed.value.is_nan();
    valid.then_some(parsed.value)
}

/// The positions `start..=stop` select in a sequence of `len` elements, as Redis sanitises them
/// for LRANGE, LTRIM, ZRANGE and ZREMRANGEBYRANK: negative indexes count from the end, then
/// start is clamped to 0 and stop to the last position. None when the selection is empty.
pub fn index_range(start: i64, stop: i64, len: usize) -> Option<Range<usize>> {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    // len >= 0, so adding a negative index to it cannot overflow.
    let start = if start < 0 { len + start } else { start }.max(0);
    let stop = if stop < 0 { len + stop } else { stop };
    if start > stop || start >= len {
        return None;
    }
    let stop = stop.min(len - 1);
    // 0 <= start <= stop < len, and len came from a usize.
    Some(start as usize..stop as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn options_compare_as_c_strings_ignoring_case() {
        assert_eq!(c_string(b"nx\0junk"), b"nx");
        assert_eq!(c_string(b"\0"), b"");
        assert_eq!(c_string(b"plain"), b"plain");
        assert!(option_is(b"NX\0junk", "nx"));
        assert!(!option_is(b"nxx", "nx"));
    }

    #[test]
    fn index_ranges_clamp_like_lrange() {
        assert_eq!(index_range(0, -1, 3), Some(0..3));
        assert_eq!(index_range(-100, 100, 3), Some(0..3));
        assert_eq!(index_range(i64::MIN, i64::MAX, 3), Some(0..3));
        assert_eq!(index_range(1, 1, 3), Some(1..2));
        assert_eq!(index_range(-2, -1, 3), Some(1..3));
        assert_eq!(index_range(2, 1, 3), None);
        assert_eq!(index_range(3, 10, 3), None);
        assert_eq!(index_range(0, -4, 3), None);
        assert_eq!(index_range(0, 0, 0), None);
    }

    #[test]
    fn floats_parse_like_strtod_over_the_whole_argument() {
        assert_eq!(parse_float(b"1.5"), Some(1.5));
        assert_eq!(parse_float(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float(b"+Infinity"), Some(f64::INFINITY));
        assert_eq!(parse_float(b".5"), Some(0.5));
        assert_eq!(parse_float(b"1e3"), Some(1000.0));
        for bad in [
            &b""[..],
            b" 1",
            b"1 ",
            b"nan",
            b"abc",
            b"1e999",
            b"--1",
            b"0x",
        ] {
            assert_eq!(parse_float(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
