//! Decimal numbers to binary floating point, correctly rounded as glibc's `strtod` and `strtold`
//! do. Short inputs, which are nearly all of them, take exact shortcuts through one `f64` or
//! `u128` operation; the rest is done on big integers.

use super::big_uint::BigUint;
use super::binary::{double, BinaryFormat, Rounded, DOUBLE};

/// Significant digits kept from a longer decimal. No halfway point between two doubles has
/// more than 767, so the digits after these can only break a tie: a 1 stands in for them.
const DOUBLE_DIGITS_MAX: usize = 800;
/// The powers of ten that are exact doubles (up to 10^22; 5^22 < 2^53).
const EXACT_POWERS_OF_TEN: [f64; 23] = {
    let mut powers = [1.0; 23];
    let mut index = 1;
    while index < powers.len() {
        powers[index] = powers[index - 1] * 10.0;
        index += 1;
    }
    powers
};

/// The non-negative `f64` nearest to the decimal `integer.fraction × 10^exponent` (ASCII
/// digits; either part may be empty), ties to even.
pub(crate) fn decimal_to_double(integer: &[u8], fraction: &[u8], exponent: i64) -> f64 {
    let digits = || integer.iter().chain(fraction);
    let total = integer.len() + fraction.len();
    let leading_zeros = digits().take_while(|&&digit| digit == b'0').count();
    if leading_zeros == total {
        return 0.0;
    }
    let trailing_zeros = digits().rev().take_while(|&&digit| digit == b'0').count();
    let significant = total - leading_zeros - trailing_zeros;
    // value = (the significant digits as an integer) × 10^scale
    let scale = exponent + integer.len() as i64 - (total - trailing_zeros) as i64;
    let significant_digits = digits().skip(leading_zeros).take(significant);
    if significant <= 19 {
        let small =
            significant_digits.fold(0, |value, &digit| value * 10 + u64::from(digit - b'0'));
        return small_decimal_to_double(small, scale).unwrap_or_else(|| {
            double(
                false,
                decimal_to_binary(DOUBLE, &BigUint::from_u64(small), scale),
            )
        });
    }
    let kept = significant.min(DOUBLE_DIGITS_MAX);
    let kept_digits: Vec<u8> = significant_digits.take(kept).copied().collect();
    let mut big = BigUint::default();
    for chunk in kept_digits.chunks(9) {
        big.mul_pow10(chunk.len() as u32);
        big.add_small(
            chunk
                .iter()
                .fold(0, |value, &digit| value * 10 + u32::from(digit - b'0')),
        );
    }
    let mut scale = scale + (significant - kept) as i64;
    // The last significant digit is not zero, so dropped digits are a nonzero tail.
    if kept < significant {
        big.mul_small(10);
        big.add_small(1);
        scale -= 1;
    }
    double(false, decimal_to_binary(DOUBLE, &big, scale))
}

/// `significand × 10^scale` through one exact operation, when there is one: Clinger's fast path
/// (a significand and a power of ten that are both exact doubles, so one IEEE multiplication or
/// division rounds correctly), else an exact product or a 64-bit-plus quotient in `u128`.
fn small_decimal_to_double(significand: u64, scale: i64) -> Option<f64> {
    const EXACT_INTEGER_MAX: u64 = 1 << 53;
    let powers = EXACT_POWERS_OF_TEN.len() as i64;
    if significand <= EXACT_INTEGER_MAX && scale.abs() < powers {
        let power = EXACT_POWERS_OF_TEN[scale.unsigned_abs() as usize];
        let value = significand as f64;
        return Some(if scale < 0 {
            value / power
        } else {
            value * power
        });
    }
    if (0..=19).contains(&scale) {
        let exact = u128::from(significand) * 10u128.pow(scale as u32);
        return Some(double(false, DOUBLE.round(exact, 0, false)));
    }
    if (-27..0).contains(&scale) {
        // significand / 10^n = (significand × 2^shift / 5^n) × 2^(-n-shift), with 5^n < 2^63 and
        // the dividend in [2^126, 2^127): the quotient has 64 bits or more.
        let places = scale.unsigned_abs() as u32;
        let divisor = u128::from(5u64.pow(places));
        let shift = significand.leading_zeros() + 63;
        let dividend = u128::from(significand) << shift;
        let rounded = DOUBLE.round(
            dividend / divisor,
            -i64::from(places + shift),
            !dividend.is_multiple_of(divisor),
        );
        return Some(double(false, rounded));
    }
    None
}

/// `significand × 10^exponent` (significand > 0) rounded to `format`, with exact big-integer
/// arithmetic.
pub(crate) fn decimal_to_binary(
    format: BinaryFormat,
    significand: &BigUint,
    exponent: i64,
) -> Rounded {
    // Decimal orders of magnitude past which the value surely overflows or rounds to zero.
    let bits_max = format.exponent_max + i64::from(format.mantissa_bits);
    let magnitude = significand.decimal_digits_upper_bound() as i64 + exponent;
    if magnitude > bits_max * 30103 / 100_000 + 8 {
        return Rounded::Infinite;
    }
    if magnitude < (format.exponent_min - 1) * 30103 / 100_000 - 10 {
        return Rounded::ZERO;
    }
    if exponent >= 0 {
        let mut exact = significand.clone();
        exact.mul_pow10(exponent as u32);
        return format.round_big(&exact, 0);
    }
    // significand / 10^n = significand / 5^n × 2^-n; divide with enough quotient bits (two or
    // three more than the mantissa) that the remainder only matters as a sticky bit.
    let places = exponent.unsigned_abs() as u32;
    let mut divisor = BigUint::from_u64(1);
    divisor.mul_pow5(places);
    let shift = divisor.bit_len() as i64 - significand.bit_len() as i64
        + i64::from(format.mantissa_bits)
        + 2;
    let (dividend, divisor) = if shift >= 0 {
        (significand.shl(shift as u64), divisor)
    } else {
        (significand.clone(), divisor.shl(shift.unsigned_abs()))
    };
    let (quotient, remainder_is_zero) = dividend.div_small_quotient(&divisor);
    format.round(quotient, -i64::from(places) - shift, !remainder_is_zero)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn parsed(integer: &str, fraction: &str, exponent: i64) -> f64 {
        decimal_to_double(integer.as_bytes(), fraction.as_bytes(), exponent)
    }

    #[test]
    fn decimals_take_every_path_to_the_same_double() {
        // Clinger's fast path, the u128 product and quotient, and the big-integer division.
        assert_eq!(parsed("1", "5", 0), 1.5);
        assert_eq!(parsed("", "1", 0), 0.1);
        assert_eq!(parsed("0", "10000000000000001", 0), 0.1);
        assert_eq!(parsed("1234567890123456789", "", 0), 1234567890123456789.0);
        assert_eq!(
            parsed("1234567890123456789", "", 10),
            1.234_567_890_123_456_8e28
        );
        assert_eq!(parsed("1", "", -30), 1e-30);
        assert_eq!(parsed("1", "", 30), 1e30);
        assert_eq!(parsed("00012300", "000", 0), 12300.0);
        assert_eq!(parsed("000", "000", 7), 0.0);
        assert_eq!(parsed("", "", 0), 0.0);
    }

    #[test]
    fn decimals_past_the_range_overflow_or_vanish() {
        assert_eq!(parsed("1", "", 309), f64::INFINITY);
        assert_eq!(parsed("1", "", 1_000_000_000), f64::INFINITY);
        assert_eq!(parsed("1", "", -400), 0.0);
        assert_eq!(parsed("1", "", -1_000_000_000), 0.0);
        assert_eq!(parsed("2", "4703282292062328", -324).to_bits(), 1);
        assert_eq!(parsed("2", "4703282292062327", -324), 0.0);
    }

    #[test]
    fn long_decimals_keep_their_tail_as_a_tie_breaker() {
        // 2^-1075 = 5^1075 × 10^-1075, halfway between 0 and the smallest subnormal, has 752
        // significant digits.
        let mut power = BigUint::from_u64(1);
        power.mul_pow5(1075);
        let halfway = String::from_utf8(power.to_decimal()).expect("ASCII");
        assert_eq!(halfway.len(), 752);
        assert_eq!(parsed("", &halfway, -1075 + 752), 0.0);
        let above = format!("{halfway}{}1", "0".repeat(900));
        assert_eq!(parsed(&above, "", -1075 - 901).to_bits(), 1);
        let below = format!("{}{}", &halfway[..751], "4".repeat(900));
        assert_eq!(parsed("", &below, -1075 + 752), 0.0);
    }
}
