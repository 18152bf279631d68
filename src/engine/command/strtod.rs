//! C's `strtod` as glibc implements it, which Redis uses for every float argument (through
//! `string2d`) and every score range: where it stops matters (`zslParseRange` accepts what
//! `string2d` refuses), so this reports it.

use crate::engine::float::{self, DOUBLE};

/// What `strtod` returned for a string.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Strtod {
    /// The converted value (0 when nothing was converted).
    pub value: f64,
    /// Bytes consumed (`endptr - nptr`); 0 when no conversion was performed.
    pub consumed: usize,
    /// `errno == ERANGE` with a result of ±HUGE_VAL or zero: the only range errors Redis checks.
    pub out_of_range: bool,
}

/// `isspace` in the C locale.
pub(crate) fn is_c_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Parses the longest prefix of `text` that `strtod` accepts: leading blanks, a sign, then a
/// decimal number, a `0x` hexadecimal one, `inf`/`infinity` or `nan` (any case).
pub(crate) fn strtod(text: &[u8]) -> Strtod {
    let nothing = Strtod {
        value: 0.0,
        consumed: 0,
        out_of_range: false,
    };
    let mut at = 0;
    while text.get(at).copied().is_some_and(is_c_space) {
        at += 1;
    }
    let negative = text.get(at) == Some(&b'-');
    if matches!(text.get(at), Some(b'-' | b'+')) {
        at += 1;
    }
    let rest = text.get(at..).unwrap_or_default();
    let sign = if negative { -1.0 } else { 1.0 };
    if starts_with_ignore_case(rest, b"inf") {
        let length = if starts_with_ignore_case(rest, b"infinity") {
            8
        } else {
            3
        };
        return Strtod {
            value: sign * f64::INFINITY,
            consumed: at + length,
            out_of_range: false,
        };
    }
    if starts_with_ignore_case(rest, b"nan") {
        // Every caller refuses NaN, so the optional "(chars)" suffix needs no parsing.
        return Strtod {
            value: f64::NAN,
            consumed: at + 3,
            out_of_range: false,
        };
    }
    let parsed = match rest {
        [b'0', x, digits @ ..] if (x | 0x20) == b'x' => hexadecimal(digits)
            .map(|(value, length, out_of_range)| (value, length + 2, out_of_range)),
        _ => None,
    };
    let Some((magnitude, length, out_of_range)) = parsed.or_else(|| decimal(rest)) else {
        return nothing;
    };
    Strtod {
        value: sign * magnitude,
        consumed: at + length,
        out_of_range,
    }
}

fn starts_with_ignore_case(text: &[u8], prefix: &[u8]) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// Where a number's parts end in the text: what decimal and hexadecimal forms share.
struct Scanned {
    /// Digits before the point.
    integer_digits: usize,
    /// Digits after the point.
    fraction_digits: usize,
    /// The end of the digits and the point (where an exponent may start).
    mantissa_end: usize,
    /// The exponent's value (0 if there is none).
    exponent: i64,
    /// Bytes used.
    end: usize,
}

/// Digits (those `is_digit` accepts) with an optional fraction, then an optional exponent:
/// `marker` (either case), an optional sign and decimal digits. None if there is no digit.
fn scan(text: &[u8], is_digit: fn(&u8) -> bool, marker: u8) -> Option<Scanned> {
    let run = |from: usize, is_digit: fn(&u8) -> bool| {
        text.get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| is_digit(b))
            .count()
    };
    let integer_digits = run(0, is_digit);
    let mut end = integer_digits;
    let mut fraction_digits = 0;
    if text.get(end) == Some(&b'.') {
        fraction_digits = run(end + 1, is_digit);
        end += 1 + fraction_digits;
    }
    if integer_digits + fraction_digits == 0 {
        return None;
    }
    let mantissa_end = end;
    let mut exponent = 0;
    if text.get(end).is_some_and(|&b| (b | 0x20) == marker) {
        let negative = text.get(end + 1) == Some(&b'-');
        let sign = usize::from(matches!(text.get(end + 1), Some(b'+' | b'-')));
        let start = end + 1 + sign;
        let exponent_digits = run(start, u8::is_ascii_digit);
        // "1e" or "1e+" stops before the 'e'.
        if exponent_digits > 0 {
            let magnitude = saturated_decimal(&text[start..start + exponent_digits]);
            exponent = if negative { -magnitude } else { magnitude };
            end = start + exponent_digits;
        }
    }
    Some(Scanned {
        integer_digits,
        fraction_digits,
        mantissa_end,
        exponent,
        end,
    })
}

/// Digits, an optional fraction and an optional exponent: the value, bytes used, and whether it
/// overflowed or underflowed to zero. None if there is no digit.
fn decimal(text: &[u8]) -> Option<(f64, usize, bool)> {
    let scanned = scan(text, u8::is_ascii_digit, b'e')?;
    let mantissa_end = scanned.mantissa_end;
    let integer = &text[..scanned.integer_digits];
    let fraction = &text[mantissa_end - scanned.fraction_digits..mantissa_end];
    let value = float::decimal_to_double(integer, fraction, scanned.exponent);
    let nonzero_digit = text[..mantissa_end]
        .iter()
        .any(|&b| (b'1'..=b'9').contains(&b));
    let out_of_range = value.is_infinite() || (value == 0.0 && nonzero_digit);
    Some((value, scanned.end, out_of_range))
}

/// The value of ASCII decimal digits, saturated far beyond any exponent that can matter (the
/// digits before it are fewer than 10^12, Redis's arguments being at most 512 MB).
fn saturated_decimal(digits: &[u8]) -> i64 {
    const SATURATION: i64 = 1_000_000_000_000_000;
    digits.iter().fold(0, |value, &digit| {
        (value * 10 + i64::from(digit - b'0')).min(SATURATION)
    })
}

/// The part after `0x`: hex digits with an optional fraction and an optional binary exponent
/// (`p`). None if no hex digit follows (strtod then reads just the "0").
fn hexadecimal(text: &[u8]) -> Option<(f64, usize, bool)> {
    let scanned = scan(text, u8::is_ascii_hexdigit, b'p')?;
    // The first 16 significant hex digits fill a u64; later ones only matter for rounding.
    let (mut mantissa, mut kept, mut dropped, mut sticky) = (0u64, 0u32, 0i64, false);
    for &byte in text[..scanned.mantissa_end].iter().filter(|b| **b != b'.') {
        let digit = u64::from(char::from(byte).to_digit(16).unwrap_or(0));
        if mantissa == 0 && digit == 0 {
            // Leading zeros are not significant (they still count as fraction positions below).
        } else if kept < 16 {
            mantissa = mantissa << 4 | digit;
            kept += 1;
        } else {
            dropped += 1;
            sticky |= digit != 0;
        }
    }
    let exponent = 4 * (dropped - scanned.fraction_digits as i64) + scanned.exponent;
    let (value, out_of_range) = compose(mantissa, sticky, exponent);
    Some((value, scanned.end, out_of_range))
}

/// `(mantissa + a bit more if sticky) * 2^exponent`, rounded once to the nearest double (ties
/// to even), with glibc's range errors: overflow to infinity and underflow to zero.
fn compose(mantissa: u64, sticky: bool, exponent: i64) -> (f64, bool) {
    if mantissa == 0 {
        return (0.0, false);
    }
    let value = float::double(false, DOUBLE.round(u128::from(mantissa), exponent, sticky));
    (value, value.is_infinite() || value == 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn parsed(text: &str) -> (f64, usize, bool) {
        let result = strtod(text.as_bytes());
        (result.value, result.consumed, result.out_of_range)
    }

    #[test]
    fn strtod_decimal_forms_stop_where_glibc_stops() {
        assert_eq!(parsed("1.5"), (1.5, 3, false));
        assert_eq!(parsed("  -2e3x"), (-2000.0, 6, false));
        assert_eq!(parsed(".5"), (0.5, 2, false));
        assert_eq!(parsed("5."), (5.0, 2, false));
        assert_eq!(parsed("1e"), (1.0, 1, false));
        assert_eq!(parsed("1e+"), (1.0, 1, false));
        assert_eq!(parsed("+.e1"), (0.0, 0, false));
        assert_eq!(parsed(""), (0.0, 0, false));
        assert_eq!(parsed("  "), (0.0, 0, false));
        assert_eq!(parsed("1\u{0}2"), (1.0, 1, false));
    }

    #[test]
    fn strtod_reports_overflow_and_underflow_to_zero_only() {
        assert_eq!(parsed("1e400"), (f64::INFINITY, 5, true));
        assert_eq!(parsed("-1e400"), (f64::NEG_INFINITY, 6, true));
        assert_eq!(parsed("1e-400"), (0.0, 6, true));
        assert_eq!(parsed("0e-400"), (0.0, 6, false));
        let tiny = parsed("4.9e-324");
        assert_eq!((tiny.0.to_bits(), tiny.2), (1, false));
        assert_eq!(parsed("1e99999999999999999999").0, f64::INFINITY);
        assert_eq!(parsed("1e-99999999999999999999"), (0.0, 23, true));
        let long_zeros = format!("0.{}1e400", "0".repeat(300));
        assert_eq!(parsed(&long_zeros), (1e99, long_zeros.len(), false));
        let long_digits = format!("1{}", "0".repeat(400));
        assert_eq!(parsed(&long_digits), (f64::INFINITY, 401, true));
    }

    #[test]
    fn strtod_words_are_case_insensitive() {
        assert_eq!(parsed("-INF"), (f64::NEG_INFINITY, 4, false));
        assert_eq!(parsed("Infinity"), (f64::INFINITY, 8, false));
        assert_eq!(parsed("infinit"), (f64::INFINITY, 3, false));
        let nan = strtod(b"nan");
        assert!(nan.value.is_nan() && nan.consumed == 3);
    }

    #[test]
    fn strtod_hexadecimal_forms_round_once() {
        assert_eq!(parsed("0x10"), (16.0, 4, false));
        assert_eq!(parsed("0X1p4"), (16.0, 5, false));
        assert_eq!(parsed("0x.8"), (0.5, 4, false));
        assert_eq!(parsed("0x1P-2"), (0.25, 6, false));
        assert_eq!(parsed("0x1p"), (1.0, 3, false));
        assert_eq!(parsed("0x"), (0.0, 1, false));
        assert_eq!(parsed("0xg"), (0.0, 1, false));
        assert_eq!(parsed("0x1p99999"), (f64::INFINITY, 9, true));
        assert_eq!(parsed("0x1p-1074").0.to_bits(), 1);
        assert_eq!(parsed("0x1p-1076"), (0.0, 9, true));
        // 2^53 + 1 is a tie between 2^53 and 2^53 + 2: even wins; any later bit rounds up.
        assert_eq!(parsed("0x20000000000001").0, 9007199254740992.0);
        assert_eq!(
            parsed("0x200000000000010001").0,
            2f64.powi(69) + 2f64.powi(17)
        );
        assert_eq!(parsed("0x1fffffffffffff").0, 9007199254740991.0);
    }
}
