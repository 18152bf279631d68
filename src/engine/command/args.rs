//! Argument parsing shared by commands, with Redis's exact error replies.

use crate::engine::resp::{parse_i64, Frame};

/// `-ERR syntax error`.
pub const SYNTAX_ERROR: &str = "ERR syntax error";
/// `-ERR value is not an integer or out of range`.
pub const NOT_AN_INTEGER: &str = "ERR value is not an integer or out of range";
/// `-ERR value is not a valid float`.
pub const NOT_A_FLOAT: &str = "ERR value is not a valid float";
/// `-WRONGTYPE ...`.
pub const WRONG_TYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

/// The `-ERR syntax error` reply.
pub fn syntax_error() -> Frame {
    Frame::error(SYNTAX_ERROR)
}

/// The `-WRONGTYPE` reply.
pub fn wrong_type() -> Frame {
    Frame::error(WRONG_TYPE)
}

/// A 64-bit integer argument (`getLongLongFromObjectOrReply`): strict, no spaces, no `+`.
pub fn integer(arg: &[u8]) -> Result<i64, Frame> {
    parse_i64(arg).ok_or_else(|| Frame::error(NOT_AN_INTEGER))
}

/// A float argument (`getDoubleFromObjectOrReply`): what C's `strtod` accepts over the whole
/// argument, `inf` included, NaN and leading blanks refused.
pub fn float(arg: &[u8]) -> Result<f64, Frame> {
    parse_float(arg).ok_or_else(|| Frame::error(NOT_A_FLOAT))
}

/// `strtod` over the whole string: decimal and `inf`/`infinity` forms with an optional sign.
/// Returns None for NaN, empty input, leading blanks, trailing garbage, or overflow to infinity
/// from a finite-looking number.
pub fn parse_float(arg: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(arg).ok()?;
    if text.is_empty() || text.starts_with(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    let unsigned = text.trim_start_matches(['+', '-']);
    if text.len() - unsigned.len() > 1 {
        return None;
    }
    let lower = unsigned.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(if text.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if !unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') || lower.contains("nan") {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    // strtod reports ERANGE for overflow; Redis refuses it.
    value.is_finite().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

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
