//! Binary floating point to decimal text as glibc's `printf` prints it: the value's exact decimal
//! expansion, rounded half to even at the last digit printed, laid out as `%.Nf` or `%.17g`.

use super::big_uint::BigUint;
use super::binary::Finite;

/// Significant digits of `%.17g`: enough to tell any two doubles apart.
const G17_PRECISION: usize = 17;

/// C's `printf("%.17g", value)`, which Redis 7.0 uses for scores (replies, RDB, DEBUG DIGEST):
/// 17 significant digits, trailing zeros removed, exponent form below 1e-4 and from 1e17 on;
/// `inf`, `-inf` and `nan` for the others.
pub(crate) fn g17(value: f64) -> Vec<u8> {
    let mut out = Vec::new();
    let Some(finite) = finite_or_spelled(&mut out, value) else {
        return out;
    };
    if finite.negative {
        out.push(b'-');
    }
    if finite.mantissa == 0 {
        out.push(b'0');
        return out;
    }
    let (digits, exponent) = significant_digits(finite, G17_PRECISION);
    if (-4..G17_PRECISION as i64).contains(&exponent) {
        let (integer, fraction) = if exponent >= 0 {
            digits.split_at(exponent as usize + 1)
        } else {
            (&b"0"[..], &digits[..])
        };
        out.extend_from_slice(integer);
        let fraction = without_trailing_zeros(fraction);
        if !fraction.is_empty() {
            out.push(b'.');
            out.extend(std::iter::repeat_n(b'0', (-exponent - 1).max(0) as usize));
            out.extend_from_slice(fraction);
        }
    } else {
        let (&first, rest) = digits.split_first().unwrap_or((&b'0', &[]));
        out.push(first);
        let rest = without_trailing_zeros(rest);
        if !rest.is_empty() {
            out.push(b'.');
            out.extend_from_slice(rest);
        }
        out.push(b'e');
        out.push(if exponent < 0 { b'-' } else { b'+' });
        // At least two exponent digits.
        if exponent.abs() < 10 {
            out.push(b'0');
        }
        out.extend_from_slice(exponent.unsigned_abs().to_string().as_bytes());
    }
    out
}

/// C's `printf("%.*f", decimals, value)`; `inf`, `-inf` and `nan` for the values that are not
/// finite.
pub(crate) fn fixed(value: f64, decimals: usize) -> String {
    let mut out = Vec::new();
    if let Some(finite) = finite_or_spelled(&mut out, value) {
        write_fixed(&mut out, finite, decimals);
    }
    String::from_utf8(out).unwrap_or_default()
}

/// C's `printf("%.*f", decimals, value)` for a finite value of any binary format, appended to
/// `out`.
pub(crate) fn write_fixed(out: &mut Vec<u8>, value: Finite, decimals: usize) {
    if value.negative {
        out.push(b'-');
    }
    let (digits, fraction_digits) = expand(value.mantissa, value.exponent);
    let mut rounded = scaled_rounded(&digits, decimals as i64 - fraction_digits);
    if rounded.len() <= decimals {
        let padding = decimals + 1 - rounded.len();
        rounded.splice(0..0, std::iter::repeat_n(b'0', padding));
    }
    let point = rounded.len() - decimals;
    out.extend_from_slice(&rounded[..point]);
    if decimals > 0 {
        out.push(b'.');
        out.extend_from_slice(&rounded[point..]);
    }
}

/// The finite value, or None after writing `inf`, `-inf` or `nan` as glibc (and Redis) spell
/// them.
fn finite_or_spelled(out: &mut Vec<u8>, value: f64) -> Option<Finite> {
    let finite = Finite::from_double(value);
    if finite.is_none() {
        out.extend_from_slice(match value {
            value if value.is_nan() => b"nan",
            value if value < 0.0 => b"-inf",
            _ => b"inf",
        });
    }
    finite
}

/// The first `precision` significant digits (ASCII) of a nonzero value's magnitude, rounded half
/// to even, and the decimal exponent of the first: what `%.{precision - 1}e` prints.
fn significant_digits(value: Finite, precision: usize) -> (Vec<u8>, i64) {
    let (digits, fraction_digits) = expand(value.mantissa, value.exponent);
    let mut exponent = digits.len() as i64 - 1 - fraction_digits;
    let mut rounded = scaled_rounded(&digits, precision as i64 - digits.len() as i64);
    if rounded.len() > precision {
        // 99...9 carried into 100...0: the extra digit is a zero.
        rounded.pop();
        exponent += 1;
    }
    (rounded, exponent)
}

/// The exact decimal expansion of mantissa × 2^exponent: its digits (ASCII, no leading zero,
/// none for zero) and how many of them come after the point.
fn expand(mantissa: u64, exponent: i64) -> (Vec<u8>, i64) {
    if mantissa == 0 {
        return (Vec::new(), 0);
    }
    if exponent >= 0 {
        let exact = BigUint::from_u64(mantissa).shl(exponent as u64);
        return (exact.to_decimal(), 0);
    }
    // m × 2^-n = m × 5^n × 10^-n, after dropping trailing zero bits that would only lengthen
    // the power of five.
    let zero_bits = i64::from(mantissa.trailing_zeros()).min(-exponent);
    let places = -exponent - zero_bits;
    let mut exact = BigUint::from_u64(mantissa >> zero_bits);
    exact.mul_pow5(places as u32);
    (exact.to_decimal(), places)
}

/// The digits of `digits × 10^places` rounded to an integer, half to even (`digits` as
/// [`expand`] gives them; none for zero).
fn scaled_rounded(digits: &[u8], places: i64) -> Vec<u8> {
    if places >= 0 || digits.is_empty() {
        let mut scaled = digits.to_vec();
        if !digits.is_empty() {
            scaled.resize(digits.len() + places.max(0) as usize, b'0');
        }
        return scaled;
    }
    let dropped_count = places.unsigned_abs() as usize;
    if dropped_count > digits.len() {
        // Below a tenth of the unit: rounds to zero.
        return Vec::new();
    }
    let (kept, dropped) = digits.split_at(digits.len() - dropped_count);
    let mut kept = kept.to_vec();
    // ASCII digits have the parity of their values.
    let kept_odd = kept.last().is_some_and(|&digit| digit % 2 == 1);
    let round_up = match dropped {
        [b'6'..=b'9', ..] => true,
        [b'5', rest @ ..] => kept_odd || rest.iter().any(|&digit| digit != b'0'),
        _ => false,
    };
    if round_up {
        increment(&mut kept);
    }
    kept
}

/// Adds one to a decimal digit string (none for zero).
fn increment(digits: &mut Vec<u8>) {
    for digit in digits.iter_mut().rev() {
        if *digit == b'9' {
            *digit = b'0';
        } else {
            *digit += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

fn without_trailing_zeros(mut digits: &[u8]) -> &[u8] {
    while let [rest @ .., b'0'] = digits {
        digits = rest;
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn g17_text(value: f64) -> String {
        String::from_utf8(g17(value)).expect("ASCII")
    }

    #[test]
    fn g17_prints_like_redis_7_0() {
        // Every expectation was read from redis-server 7.0.15 (ZSCORE / ZRANGE WITHSCORES) or
        // glibc's printf("%.17g").
        let cases: &[(f64, &str)] = &[
            (1.1, "1.1000000000000001"),
            (0.1, "0.10000000000000001"),
            (-0.1, "-0.10000000000000001"),
            (1.5, "1.5"),
            (1e-5, "1.0000000000000001e-05"),
            (5e-5, "5.0000000000000002e-05"),
            (2.5e-5, "2.5000000000000001e-05"),
            (1e-4, "0.0001"),
            (1e-300, "1e-300"),
            (4.9e-324, "4.9406564584124654e-324"),
            (2.2250738585072014e-308, "2.2250738585072014e-308"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (1e20, "1e+20"),
            (3.5e20, "3.5e+20"),
            (1e17, "1e+17"),
            (1e16, "10000000000000000"),
            (1e15, "1000000000000000"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (12345678901234567890.0, "1.2345678901234567e+19"),
            (-2.0f64.powi(60), "-1.152921504606847e+18"),
            (-0.0001234, "-0.00012339999999999999"),
            (33.333333333333333, "33.333333333333336"),
            (1.0 / 3.0, "0.33333333333333331"),
            (123.456, "123.456"),
            (123456789.125, "123456789.125"),
            (-2.5, "-2.5"),
            (3.0, "3"),
            (-0.0, "-0"),
            (0.0, "0"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ];
        for &(value, expected) in cases {
            assert_eq!(g17_text(value), expected, "{value:e}");
        }
    }

    #[test]
    fn g17_ties_round_half_to_even_and_may_carry() {
        // Exact doubles whose 18th digit is a bare 5.
        assert_eq!(g17_text(1e14 + 0.125), "100000000000000.12");
        assert_eq!(g17_text(1e14 + 0.375), "100000000000000.38");
        assert_eq!(
            g17_text(1_234_567_890_123_456.0 + 0.25),
            "1234567890123456.2"
        );
        assert_eq!(g17_text(99999999999999999.0), "1e+17");
        assert_eq!(g17_text(0.99999999999999999), "1");
    }

    #[test]
    fn fixed_prints_like_printf() {
        assert_eq!(fixed(0.125, 2), "0.12");
        assert_eq!(fixed(0.375, 2), "0.38");
        assert_eq!(fixed(2.5, 0), "2");
        assert_eq!(fixed(0.5, 0), "0");
        assert_eq!(fixed(0.51, 0), "1");
        assert_eq!(fixed(9.995, 2), "9.99");
        assert_eq!(fixed(9.9951, 2), "10.00");
        assert_eq!(fixed(-0.0, 2), "-0.00");
        assert_eq!(fixed(-0.001, 2), "-0.00");
        assert_eq!(fixed(0.004, 2), "0.00");
        assert_eq!(fixed(0.005, 2), "0.01");
        assert_eq!(fixed(100.0, 2), "100.00");
        assert_eq!(fixed(1e22, 1), "10000000000000000000000.0");
        assert_eq!(fixed(5e-324, 3), "0.000");
        assert_eq!(fixed(f64::NEG_INFINITY, 2), "-inf");
        assert_eq!(fixed(f64::NAN, 2), "nan");
    }
}
