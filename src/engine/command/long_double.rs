//! C's `long double` as Redis 7.0 uses it on x86-64 (the x87 80-bit extended format), for
//! INCRBYFLOAT and HINCRBYFLOAT: parsing (`string2ld`, i.e. glibc's `strtold` over the whole
//! argument), addition, and the `%.17Lf` output with trailing zeros removed
//! (`ld2string(..., LD_STR_HUMAN)`).
//!
//! Rust has no 80-bit float, and an `f64` would print `0.1` as `0.10000000000000001`, so the
//! format is emulated exactly: every operation is done on exact big integers and rounded once,
//! to nearest with ties to even, as the FPU and glibc do (with the conversions of
//! `engine::float`). Nothing here panics or allocates more than a few kilobytes: inputs are at
//! most [`TEXT_BYTES_MAX`] bytes and exponents are bounded.

use std::cmp::Ordering;

use crate::engine::float::{self, BigUint, Finite, Rounded, LONG_DOUBLE};

/// `MAX_LONG_DOUBLE_CHARS`: `string2ld` refuses arguments this long or longer.
const TEXT_BYTES_MAX: usize = 5 * 1024;
/// Decimal or binary exponents beyond this only ever overflow or underflow; clamping them keeps
/// the arithmetic in range.
const EXPONENT_CLAMP: i64 = 1_000_000;
/// HUMAN output keeps this many digits after the point before trimming zeros (`%.17Lf`).
const FRACTION_DIGITS: usize = 17;

/// One `long double` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LongDouble {
    /// ±mantissa × 2^exponent (zero when the mantissa is 0).
    Finite {
        /// The sign.
        negative: bool,
        /// The 64 significant bits.
        mantissa: u64,
        /// The binary exponent of the mantissa's lowest bit.
        exponent: i32,
    },
    /// ±infinity (`strtold` accepts `inf` and `infinity`).
    Infinite {
        /// The sign.
        negative: bool,
    },
}

impl LongDouble {
    /// +0, what a missing key (INCRBYFLOAT) or field (HINCRBYFLOAT) counts as.
    pub(super) const ZERO: LongDouble = LongDouble::Finite {
        negative: false,
        mantissa: 0,
        exponent: 0,
    };

    /// The value of a 64-bit integer, exactly (the mantissa holds 64 bits).
    #[cfg(test)]
    fn from_i64(value: i64) -> LongDouble {
        LongDouble::Finite {
            negative: value < 0,
            mantissa: value.unsigned_abs(),
            exponent: 0,
        }
    }

    /// Whether the value is neither infinite nor NaN.
    pub(super) fn is_finite(self) -> bool {
        matches!(self, LongDouble::Finite { .. })
    }

    /// Redis's `string2ld`: the whole argument must be what `strtold` reads (decimal or hex
    /// float, `inf`/`infinity`), without leading blanks; NaN, overflow and underflow to zero are
    /// refused (None).
    pub(super) fn parse(text: &[u8]) -> Option<LongDouble> {
        if text.is_empty() || text.len() >= TEXT_BYTES_MAX || is_c_space(text[0]) {
            return None;
        }
        let (negative, body) = match text {
            [b'-', rest @ ..] => (true, rest),
            [b'+', rest @ ..] => (false, rest),
            _ => (false, text),
        };
        if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
            return Some(LongDouble::Infinite { negative });
        }
        let parsed = match body {
            [b'0', b'x' | b'X', hex @ ..] => parse_hex(hex)?,
            _ => parse_decimal(body)?,
        };
        let ParsedNumber {
            significand,
            exponent,
            base_ten,
        } = parsed;
        if significand.is_zero() {
            return Some(zero(negative));
        }
        let value = if base_ten {
            from_rounded(
                negative,
                float::decimal_to_binary(LONG_DOUBLE, &significand, exponent),
            )
        } else {
            round(negative, &significand, exponent)
        };
        // strtold flags ERANGE for overflow to infinity and underflow to zero; Redis refuses both.
        match value {
            LongDouble::Finite { mantissa: 0, .. } | LongDouble::Infinite { .. } => None,
            finite => Some(finite),
        }
    }

    /// `self + other`, rounded as the x87 FPU does; None for NaN (infinities of both signs).
    pub(super) fn add(self, other: LongDouble) -> Option<LongDouble> {
        let (
            LongDouble::Finite {
                negative: a_negative,
                mantissa: a_mantissa,
                exponent: a_exponent,
            },
            LongDouble::Finite {
                negative: b_negative,
                mantissa: b_mantissa,
                exponent: b_exponent,
            },
        ) = (self, other)
        else {
            return match (self, other) {
                (LongDouble::Infinite { negative: a }, LongDouble::Infinite { negative: b })
                    if a != b =>
                {
                    None
                }
                (infinite @ LongDouble::Infinite { .. }, _)
                | (_, infinite @ LongDouble::Infinite { .. }) => Some(infinite),
                _ => None,
            };
        };
        let base = a_exponent.min(b_exponent);
        let a = BigUint::from_u64(a_mantissa).shl((a_exponent - base) as u64);
        let b = BigUint::from_u64(b_mantissa).shl((b_exponent - base) as u64);
        let (negative, sum) = if a_negative == b_negative {
            (a_negative, a.add(&b))
        } else {
            match a.cmp(&b) {
                Ordering::Less => (b_negative, b.sub(&a)),
                // x + (-x) is +0 when rounding to nearest.
                Ordering::Equal => return Some(zero(a_negative && b_negative)),
                Ordering::Greater => (a_negative, a.sub(&b)),
            }
        };
        Some(round(negative, &sum, i64::from(base)))
    }

    /// `ld2string(..., LD_STR_HUMAN)`: `%.17Lf`, then trailing zeros (and a bare point) removed;
    /// `-0` becomes `0`.
    pub(super) fn to_human_string(self) -> Vec<u8> {
        let value = match self {
            LongDouble::Infinite { negative: true } => return b"-inf".to_vec(),
            LongDouble::Infinite { negative: false } => return b"inf".to_vec(),
            LongDouble::Finite {
                negative,
                mantissa,
                exponent,
            } => Finite {
                negative,
                mantissa,
                exponent: i64::from(exponent),
            },
        };
        let mut text = Vec::new();
        float::write_fixed(&mut text, value, FRACTION_DIGITS);
        // %.17Lf always has a point: only fraction zeros go, then a bare point.
        while text.last() == Some(&b'0') {
            text.pop();
        }
        if text.last() == Some(&b'.') {
            text.pop();
        }
        if text == b"-0" {
            text.remove(0);
        }
        text
    }
}

/// C's `isspace` in the "C" locale.
fn is_c_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn zero(negative: bool) -> LongDouble {
    LongDouble::Finite {
        negative,
        mantissa: 0,
        exponent: 0,
    }
}

/// A number as written: significand × base^exponent (base 10, or 2 for hex floats).
struct ParsedNumber {
    significand: BigUint,
    exponent: i64,
    base_ten: bool,
}

/// `digits[.digits][(e|E)[sign]digits]` with at least one digit, nothing after.
fn parse_decimal(text: &[u8]) -> Option<ParsedNumber> {
    let (significand, fraction_digits, rest) = parse_significand(text, 10)?;
    let exponent = parse_exponent(rest, b'e')?;
    Some(ParsedNumber {
        significand,
        exponent: exponent - fraction_digits,
        base_ten: true,
    })
}

/// After `0x`: `hexdigits[.hexdigits][(p|P)[sign]digits]` with at least one hex digit.
fn parse_hex(text: &[u8]) -> Option<ParsedNumber> {
    let (significand, fraction_digits, rest) = parse_significand(text, 16)?;
    let exponent = parse_exponent(rest, b'p')?;
    Some(ParsedNumber {
        significand,
        exponent: exponent - 4 * fraction_digits,
        base_ten: false,
    })
}

/// Digits with an optional point: the integer they spell, how many came after the point, and
/// the unread rest. None without any digit.
fn parse_significand(text: &[u8], radix: u32) -> Option<(BigUint, i64, &[u8])> {
    let mut significand = BigUint::default();
    let (mut digits, mut fraction_digits, mut seen_point) = (0usize, 0i64, false);
    let mut index = 0;
    while let Some(&byte) = text.get(index) {
        if byte == b'.' && !seen_point {
            seen_point = true;
        } else if let Some(digit) = char::from(byte).to_digit(radix) {
            significand.mul_small(radix);
            significand.add_small(digit);
            digits += 1;
            if seen_point {
                fraction_digits += 1;
            }
        } else {
            break;
        }
        index += 1;
    }
    (digits > 0).then(|| {
        (
            significand,
            fraction_digits,
            text.get(index..).unwrap_or_default(),
        )
    })
}

/// Nothing, or `marker[sign]digits` and nothing after; the value is clamped (only its order of
/// magnitude matters past [`EXPONENT_CLAMP`]).
fn parse_exponent(text: &[u8], marker: u8) -> Option<i64> {
    let Some((&first, rest)) = text.split_first() else {
        return Some(0);
    };
    if !first.eq_ignore_ascii_case(&marker) {
        return None;
    }
    let (negative, digits) = match rest {
        [b'-', digits @ ..] => (true, digits),
        [b'+', digits @ ..] => (false, digits),
        _ => (false, rest),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let magnitude = digits.iter().fold(0i64, |value, &digit| {
        (value * 10 + i64::from(digit - b'0')).min(EXPONENT_CLAMP)
    });
    Some(if negative { -magnitude } else { magnitude })
}

/// ±(value × 2^exponent) rounded to the nearest long double.
fn round(negative: bool, value: &BigUint, exponent: i64) -> LongDouble {
    from_rounded(negative, LONG_DOUBLE.round_big(value, exponent))
}

/// The long double ±`rounded`.
fn from_rounded(negative: bool, rounded: Rounded) -> LongDouble {
    let Rounded::Finite {
        mut mantissa,
        mut exponent,
    } = rounded
    else {
        return LongDouble::Infinite { negative };
    };
    if mantissa == 0 {
        return zero(negative);
    }
    // Keep exponents small for cheap alignment in `add`: drop trailing zero bits.
    let drop = i64::from(mantissa.trailing_zeros()).min(LONG_DOUBLE.exponent_max - exponent);
    mantissa >>= drop;
    exponent += drop;
    LongDouble::Finite {
        negative,
        mantissa,
        exponent: exponent as i32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// `a + b` printed as Redis prints INCRBYFLOAT's and HINCRBYFLOAT's results.
    fn sum(a: &str, b: &str) -> String {
        let a = LongDouble::parse(a.as_bytes()).expect("a parses");
        let b = LongDouble::parse(b.as_bytes()).expect("b parses");
        let total = a.add(b).expect("not NaN");
        String::from_utf8(total.to_human_string()).expect("ASCII")
    }

    fn human(text: &str) -> String {
        sum(text, "0")
    }

    // Every expected value below was read from redis-server 7.0.15 on x86-64 (INCRBYFLOAT or
    // HINCRBYFLOAT).

    #[test]
    fn long_double_sums_keep_extended_precision() {
        assert_eq!(human("0.1"), "0.1");
        assert_eq!(sum("0.1", "0.2"), "0.3");
        assert_eq!(sum("10.5", "0.1"), "10.6");
        assert_eq!(sum("1.1", "2.2"), "3.3");
        assert_eq!(sum("2.5", "0.1"), "2.6");
        assert_eq!(human("-0"), "0");
        assert_eq!(human("5."), "5");
        assert_eq!(human(".5"), "0.5");
        assert_eq!(human("5.0e3"), "5000");
        assert_eq!(human("3.0e-3"), "0.003");
        assert_eq!(human("-123.456"), "-123.456");
        assert_eq!(human("99999999999999999.5"), "99999999999999999.5");
        assert_eq!(human("0.99999999999999999999"), "1");
        assert_eq!(human("0.1e-15"), "0.0000000000000001");
    }

    #[test]
    fn long_double_outputs_match_redis_7_0() {
        assert_eq!(human("1e20"), "100000000000000000000");
        assert_eq!(sum("1e20", "1.5e3"), "100000000000000001504");
        assert_eq!(human("0.000003814697265625"), "0.00000381469726562");
        assert_eq!(
            human("3.14159265358979323846264338327950288"),
            "3.14159265358979324"
        );
        assert_eq!(
            human("123456789012345678901234567890"),
            "123456789012345678899921813504"
        );
        assert_eq!(human("1e30"), "1000000000000000000024696061952");
        assert_eq!(human("-1e-20"), "0");
        assert_eq!(human("1.5e-17"), "0.00000000000000002");
        assert_eq!(human("5e-18"), "0");
        assert_eq!(
            sum("1", "1e60"),
            "999999999999999999999373423426722168652130621984886772203520"
        );
        assert_eq!(
            human("1e70"),
            "10000000000000000000222479489586148259025995410601157579323600873193472"
        );
        let big = human("1e400");
        assert_eq!(big.len(), 401);
        assert!(big.starts_with("10000000000000000000281880683947586514586453433629"));
        assert!(big.ends_with("734806343732497430221946880"));
        let max = human("0x1.fffffffffffffffep16383");
        assert_eq!(max.len(), 4933);
        assert!(max.starts_with("118973149535723176502126385303097020516906332229462"));
        assert!(max.ends_with("24710885385808688837777258648564145934262121086647588489260031762345960769508849149662444156604419552086811989770240"));
    }

    #[test]
    fn long_double_large_values_print_every_integer_digit() {
        let big = human("1e300");
        assert_eq!(big.len(), 301);
        assert!(big.starts_with("1000000000000000000008997324079559193870523944273290747938"));
        assert!(big.ends_with("9424915104006144"));
        assert_eq!(human("1e4932").len(), 4933);
        assert_eq!(
            sum("1.7976931348623157e308", "1.7976931348623157e308")[..30],
            *"359538626972463139991842093548"
        );
    }

    #[test]
    fn long_double_rounding_to_17_decimals_is_half_to_even() {
        assert_eq!(human("0.00000381469726563"), "0.00000381469726563");
        assert_eq!(human("2.5e-17"), "0.00000000000000002");
        assert_eq!(human("0.000000000000000005"), "0");
        assert_eq!(human("-0.000000000000000005"), "0");
        assert_eq!(human("1e-4940"), "0");
    }

    #[test]
    fn long_double_integers_are_exact() {
        let max = LongDouble::from_i64(i64::MAX);
        let one = LongDouble::from_i64(1);
        let total = max.add(one).expect("finite");
        assert_eq!(total.to_human_string(), b"9223372036854775808");
        assert_eq!(
            LongDouble::from_i64(i64::MIN).to_human_string(),
            b"-9223372036854775808"
        );
    }

    #[test]
    fn long_double_parse_accepts_what_strtold_accepts() {
        assert_eq!(human("0x10"), "16");
        assert_eq!(human("0x1p-3"), "0.125");
        assert_eq!(human("0X.8P1"), "1");
        assert_eq!(human("+5"), "5");
        assert_eq!(human("1e+2"), "100");
        assert_eq!(human("1E2"), "100");
        assert_eq!(
            LongDouble::parse(b"INFINITY"),
            Some(LongDouble::Infinite { negative: false })
        );
        assert_eq!(
            LongDouble::parse(b"-inf"),
            Some(LongDouble::Infinite { negative: true })
        );
        for good in [
            "0x1p-2",
            "0x.8",
            "+1.5",
            "0X1P3",
            "1E3",
            "inf",
            "-Infinity",
            "0e99999999999999999999",
            "0e999999999999999999999",
            "2e-4951",
            "1e4932",
            "0x1p-16445",
        ] {
            assert!(LongDouble::parse(good.as_bytes()).is_some(), "{good}");
        }
        assert!(LongDouble::parse(&[b'0'; TEXT_BYTES_MAX - 1]).is_some());
    }

    #[test]
    fn long_double_parse_refuses_what_redis_refuses() {
        for bad in [
            "",
            " 1",
            "1 ",
            "-",
            ".",
            "e1",
            "1e",
            "1e+",
            "0x",
            "0x1p",
            "--1",
            "1_000",
            "abc",
            "infinit",
            "nan",
            "-nan",
            "nan(123)",
            "1\0",
            "1\0abc",
            "\0",
            "1e5000",
            "1e-5000",
            "1e-99999999999999999999",
            "1e-4951",
            "1.8e-4951",
            "0x1p-16446",
            "0x1p16384",
            "0x1p99999",
            "0x1p-99999",
        ] {
            assert_eq!(LongDouble::parse(bad.as_bytes()), None, "{bad:?}");
        }
        // 5120 bytes or more are refused whatever they say; 5119 nines overflow.
        assert_eq!(LongDouble::parse(&[b'1'; TEXT_BYTES_MAX - 1]), None);
        assert_eq!(LongDouble::parse(&[b'0'; TEXT_BYTES_MAX]), None);
        assert!(LongDouble::parse("1".repeat(5120).as_bytes()).is_none());
    }

    #[test]
    fn long_double_overflow_nan_and_cancellation() {
        let max = LongDouble::parse(b"0x1.fffffffffffffffep16383").expect("max");
        let more = LongDouble::parse(b"0x1p16383").expect("2^16383");
        assert!(!max.add(more).expect("not NaN").is_finite());
        let near_max = LongDouble::parse(b"1.18e4932").expect("finite");
        assert!(!near_max.add(near_max).expect("not NaN").is_finite());
        let inf = LongDouble::parse(b"inf").expect("inf");
        let minus_inf = LongDouble::parse(b"-inf").expect("-inf");
        assert_eq!(inf.add(minus_inf), None);
        assert!(!inf.add(max).expect("inf").is_finite());
        assert_eq!(sum("1.5", "-1.5"), "0");
        assert_eq!(sum("1e30", "-1e30"), "0");
    }

    #[test]
    fn long_double_odd_inputs_neither_panic_nor_blow_up() {
        let long_fraction = format!("0.{}1", "0".repeat(4940));
        let long_integer = "9".repeat(5000);
        let long_hex = format!("0x{}p-20000", "f".repeat(5000));
        for text in [
            long_fraction.as_str(),
            long_integer.as_str(),
            long_hex.as_str(),
            "0x1p-1000000000000",
            "0x1p1000000000000",
            "1e-1000000000000",
            "0.0000e-5",
            "-0x0p0",
            "1e4932",
            "-1e4932",
        ] {
            if let Some(value) = LongDouble::parse(text.as_bytes()) {
                let doubled = value.add(value).expect("not NaN");
                let _ = doubled.to_human_string();
                let _ = value.to_human_string();
            }
        }
    }

    /// Every double is a long double: its exact decimal expansion parses to it, and it prints
    /// as Rust's `{:.17}` does, trimmed as `LD_STR_HUMAN` trims.
    #[test]
    fn long_double_agrees_with_std_on_doubles() {
        let mut prng = crate::engine::prng::Prng::from_seed(8);
        for _ in 0..400 {
            let value = f64::from_bits(prng.next_u64());
            let Some(finite) = Finite::from_double(value).filter(|f| f.mantissa != 0) else {
                continue;
            };
            let sign = if finite.negative { "-" } else { "" };
            let hex = format!("{sign}0x{:x}p{}", finite.mantissa, finite.exponent);
            let exact = LongDouble::parse(hex.as_bytes()).expect("a double fits");
            let decimal = format!("{value:.800e}");
            assert_eq!(
                LongDouble::parse(decimal.as_bytes()),
                Some(exact),
                "{decimal}"
            );
            let fixed = format!("{value:.17}");
            let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
            let expected = if trimmed == "-0" { "0" } else { trimmed };
            assert_eq!(exact.to_human_string(), expected.as_bytes(), "{value:e}");
        }
    }

    #[test]
    fn long_double_ties_round_to_even() {
        // 1 + 2^-64 is halfway between 1 and the next long double: it stays 1.
        assert_eq!(sum("1", "0x1p-64"), "1");
        // 1 + 3 × 2^-64 is halfway between two odd/even neighbours: rounds up to even.
        let up = LongDouble::parse(b"1")
            .and_then(|one| one.add(LongDouble::parse(b"0x3p-64")?))
            .expect("finite");
        assert_eq!(
            up,
            LongDouble::parse(b"0x1.0000000000000004p0").expect("parses")
        );
    }
}
