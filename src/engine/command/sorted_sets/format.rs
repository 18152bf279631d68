//! Scores as Redis 7.0 replies with them: `%.17g` (`addReplyDouble`), `inf` and `-inf` spelled
//! out. Rust's `{}` prints the shortest round-trip form instead, so this formats the exact
//! binary value itself, rounding to 17 significant digits half-to-even as glibc does.

/// Significant digits of `%.17g`.
const PRECISION: usize = 17;

/// A score as the bytes of Redis's bulk reply.
pub(super) fn format_score(value: f64) -> Vec<u8> {
    if value.is_nan() {
        return b"nan".to_vec();
    }
    if value.is_infinite() {
        return if value > 0.0 {
            b"inf".to_vec()
        } else {
            b"-inf".to_vec()
        };
    }
    let mut out = Vec::new();
    if value.is_sign_negative() {
        out.push(b'-');
    }
    let magnitude = value.abs();
    if magnitude == 0.0 {
        out.push(b'0');
        return out;
    }
    // Integers below 2^53 print in full (fewer than 17 digits, fixed notation).
    if magnitude < 9_007_199_254_740_992.0 && magnitude.fract() == 0.0 {
        out.extend_from_slice((magnitude as u64).to_string().as_bytes());
        return out;
    }
    let (digits, exponent) = significant_digits(magnitude);
    write_g(&mut out, &digits, exponent);
    out
}

/// The 17 significant decimal digits of a positive finite `magnitude`, correctly rounded, and
/// the decimal exponent of the first one (`d.ddd × 10^exponent`).
fn significant_digits(magnitude: f64) -> (Vec<u8>, i64) {
    let bits = magnitude.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    let (mut mantissa, mut exponent2) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    };
    while mantissa & 1 == 0 && exponent2 < 0 {
        mantissa >>= 1;
        exponent2 += 1;
    }
    // magnitude = mantissa * 2^exponent2 = exact * 10^scale with an integer `exact`.
    let mut exact = BigDecimal::from(mantissa);
    let scale = if exponent2 >= 0 {
        exact.multiply_by_power(2, exponent2 as u32);
        0
    } else {
        exact.multiply_by_power(5, (-exponent2) as u32);
        exponent2
    };
    let all = exact.to_digits();
    let exponent = all.len() as i64 - 1 + scale;
    round_half_even(all, exponent)
}

/// Keeps the first [`PRECISION`] digits of `all`, rounding half to even on the rest.
fn round_half_even(mut all: Vec<u8>, mut exponent: i64) -> (Vec<u8>, i64) {
    if all.len() <= PRECISION {
        all.resize(PRECISION, 0);
        return (all, exponent);
    }
    let rest = all.split_off(PRECISION);
    let first_dropped = rest[0];
    let beyond_half = rest[1..].iter().any(|&d| d != 0);
    let last_odd = all[PRECISION - 1] % 2 == 1;
    if first_dropped > 5 || (first_dropped == 5 && (beyond_half || last_odd)) {
        let mut index = PRECISION;
        loop {
            if index == 0 {
                // 99...9 rounded up to 100...0: one more digit before the point.
                all.insert(0, 1);
                all.truncate(PRECISION);
                exponent += 1;
                break;
            }
            index -= 1;
            if all[index] == 9 {
                all[index] = 0;
            } else {
                all[index] += 1;
                break;
            }
        }
    }
    (all, exponent)
}

/// `%g` layout of 17 digits: fixed when -4 <= exponent < 17, else `d.ddde±XX`; trailing zeros
/// and a bare point removed.
fn write_g(out: &mut Vec<u8>, digits: &[u8], exponent: i64) {
    let significant = digits.len() - digits.iter().rev().take_while(|&&d| d == 0).count();
    let digits = &digits[..significant.max(1)];
    let ascii = |d: &u8| b'0' + d;
    if (-4..PRECISION as i64).contains(&exponent) {
        if exponent < 0 {
            out.extend_from_slice(b"0.");
            out.extend(std::iter::repeat_n(b'0', (-exponent - 1) as usize));
            out.extend(digits.iter().map(ascii));
        } else {
            let integer_digits = exponent as usize + 1;
            out.extend((0..integer_digits).map(|i| digits.get(i).map_or(b'0', ascii)));
            if digits.len() > integer_digits {
                out.push(b'.');
                out.extend(digits[integer_digits..].iter().map(ascii));
            }
        }
    } else {
        out.push(ascii(&digits[0]));
        if digits.len() > 1 {
            out.push(b'.');
            out.extend(digits[1..].iter().map(ascii));
        }
        out.push(b'e');
        out.push(if exponent < 0 { b'-' } else { b'+' });
        out.extend_from_slice(format!("{:02}", exponent.unsigned_abs()).as_bytes());
    }
}

/// An unsigned integer in base 10^9 limbs (least significant first): just enough arithmetic to
/// expand a double exactly (at most ~770 digits).
struct BigDecimal {
    limbs: Vec<u32>,
}

const LIMB_BASE: u64 = 1_000_000_000;

impl BigDecimal {
    fn from(value: u64) -> BigDecimal {
        let mut limbs = Vec::new();
        let mut rest = value;
        while rest > 0 {
            limbs.push((rest % LIMB_BASE) as u32);
            rest /= LIMB_BASE;
        }
        BigDecimal { limbs }
    }

    /// Multiplies by `base^power` (`base` 2 or 5), a few bits at a time.
    fn multiply_by_power(&mut self, base: u64, mut power: u32) {
        // The largest powers below 2^32 keep each limb product within u64.
        let (chunk, chunk_power) = if base == 2 {
            (1 << 31, 31)
        } else {
            (5u64.pow(13), 13)
        };
        while power > 0 {
            let step = power.min(chunk_power);
            let factor = if step == chunk_power {
                chunk
            } else {
                base.pow(step)
            };
            self.multiply_small(factor);
            power -= step;
        }
    }

    fn multiply_small(&mut self, factor: u64) {
        let mut carry = 0u64;
        for limb in &mut self.limbs {
            let product = u64::from(*limb) * factor + carry;
            *limb = (product % LIMB_BASE) as u32;
            carry = product / LIMB_BASE;
        }
        while carry > 0 {
            self.limbs.push((carry % LIMB_BASE) as u32);
            carry /= LIMB_BASE;
        }
    }

    /// Decimal digits (0..=9), most significant first, no leading zeros.
    fn to_digits(&self) -> Vec<u8> {
        let mut digits = Vec::with_capacity(self.limbs.len() * 9);
        for (index, limb) in self.limbs.iter().rev().enumerate() {
            let text = if index == 0 {
                limb.to_string()
            } else {
                format!("{limb:09}")
            };
            digits.extend(text.bytes().map(|b| b - b'0'));
        }
        digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn formatted(value: f64) -> String {
        String::from_utf8(format_score(value)).unwrap_or_default()
    }

    #[test]
    fn scores_print_like_percent_17g() {
        // Every expectation was read from redis-server 7.0.15 (ZSCORE / ZRANGE WITHSCORES).
        let cases: &[(f64, &str)] = &[
            (1.1, "1.1000000000000001"),
            (0.1, "0.10000000000000001"),
            (1e-5, "1.0000000000000001e-05"),
            (5e-5, "5.0000000000000002e-05"),
            (1e-4, "0.0001"),
            (1e-300, "1e-300"),
            (4.9e-324, "4.9406564584124654e-324"),
            (2.2250738585072014e-308, "2.2250738585072014e-308"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (1e20, "1e+20"),
            (1e17, "1e+17"),
            (1e16, "10000000000000000"),
            (1e15, "1000000000000000"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (12345678901234567890.0, "1.2345678901234567e+19"),
            (-0.0001234, "-0.00012339999999999999"),
            (33.333333333333333, "33.333333333333336"),
            (123.456, "123.456"),
            (-2.5, "-2.5"),
            (3.0, "3"),
            (-0.0, "-0"),
            (0.0, "0"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
        ];
        for &(value, expected) in cases {
            assert_eq!(formatted(value), expected, "{value:e}");
        }
    }

    #[test]
    fn exact_ties_round_half_to_even() {
        // 100000000000000.125 and .375 are exact doubles: the 18th digit is a bare 5.
        assert_eq!(formatted(1e14 + 0.125), "100000000000000.12");
        assert_eq!(formatted(1e14 + 0.375), "100000000000000.38");
    }

    #[test]
    fn rounding_up_can_add_a_digit() {
        assert_eq!(formatted(99999999999999999.0), "1e+17");
        assert_eq!(formatted(0.99999999999999999), "1");
    }
}
