//! Binary floating-point formats, and rounding an exact value to one of them once: to nearest,
//! ties to even, with subnormals and overflow to infinity, as IEEE arithmetic, the x87 FPU and
//! glibc's conversions do.

use super::big_uint::BigUint;

/// A binary floating-point format: its values are mantissa × 2^exponent with a mantissa of at
/// most `mantissa_bits` bits and an exponent in `exponent_min..=exponent_max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BinaryFormat {
    /// Significant bits.
    pub mantissa_bits: u32,
    /// The exponent of the lowest bit of the smallest values (subnormals).
    pub exponent_min: i64,
    /// The exponent of the lowest bit of the largest finite values.
    pub exponent_max: i64,
}

/// C's `double` (Rust's `f64`): 53 bits, from 2^-1074 to below 2^1024.
pub(crate) const DOUBLE: BinaryFormat = BinaryFormat {
    mantissa_bits: 53,
    exponent_min: -1074,
    exponent_max: 971,
};

/// C's `long double` on x86-64, the x87 80-bit extended format: 64 bits, from 2^-16445 to
/// below 2^16384.
pub(crate) const LONG_DOUBLE: BinaryFormat = BinaryFormat {
    mantissa_bits: 64,
    exponent_min: -16445,
    exponent_max: 16320,
};

/// A magnitude rounded to a [`BinaryFormat`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rounded {
    /// mantissa × 2^exponent: zero when the mantissa is 0; otherwise the mantissa has all of the
    /// format's bits, or fewer for subnormals (whose exponent is then `exponent_min`).
    Finite {
        /// The significant bits.
        mantissa: u64,
        /// The binary exponent of the mantissa's lowest bit.
        exponent: i64,
    },
    /// Too large for the format.
    Infinite,
}

impl Rounded {
    pub(crate) const ZERO: Rounded = Rounded::Finite {
        mantissa: 0,
        exponent: 0,
    };
}

impl BinaryFormat {
    /// Rounds value × 2^exponent, plus a nonzero tail below value's lowest bit if `sticky`, to
    /// this format. A sticky tail only breaks ties, so `value` must then have more bits than
    /// the mantissa.
    pub(crate) fn round(self, value: u128, exponent: i64, sticky: bool) -> Rounded {
        if value == 0 {
            return Rounded::ZERO;
        }
        let bits = i64::from(u128::BITS - value.leading_zeros());
        // Bits below the mantissa's lowest (fewer kept for subnormals); negative shifts widen.
        let shift = (bits - i64::from(self.mantissa_bits)).max(self.exponent_min - exponent);
        let mantissa = if shift <= 0 {
            debug_assert!(
                !sticky,
                "a sticky tail below a widened value cannot be rounded"
            );
            value << shift.unsigned_abs()
        } else {
            let shift = u32::try_from(shift).unwrap_or(u32::MAX);
            let kept = value.checked_shr(shift).unwrap_or(0);
            let half = value.checked_shr(shift - 1).unwrap_or(0) & 1 == 1;
            let below_half = sticky || value & low_bits_mask(shift - 1) != 0;
            kept + u128::from(half && (below_half || kept & 1 == 1))
        };
        let mut exponent = exponent + shift;
        let mut mantissa = mantissa;
        // Rounding up 11...1 carries into one more bit.
        if mantissa >> self.mantissa_bits != 0 {
            mantissa >>= 1;
            exponent += 1;
        }
        if mantissa == 0 {
            return Rounded::ZERO;
        }
        if exponent > self.exponent_max {
            return Rounded::Infinite;
        }
        Rounded::Finite {
            mantissa: mantissa as u64,
            exponent,
        }
    }

    /// [`round`](Self::round) for an exact value of any size.
    pub(crate) fn round_big(self, value: &BigUint, exponent: i64) -> Rounded {
        // The top 128 bits are plenty to round; the bits below can only break a tie.
        let excess = value.bit_len().saturating_sub(u64::from(u128::BITS));
        let top = value.shr(excess).low_u128();
        self.round(top, exponent + excess as i64, value.any_bit_below(excess))
    }
}

/// A `u128` whose `bits` lowest bits are set.
fn low_bits_mask(bits: u32) -> u128 {
    u128::MAX
        .checked_shr(u128::BITS - bits.min(u128::BITS))
        .unwrap_or(0)
}

/// The `f64` ±`rounded`, which was rounded to [`DOUBLE`].
pub(crate) fn double(negative: bool, rounded: Rounded) -> f64 {
    const HIDDEN_BIT: u64 = 1 << 52;
    let magnitude = match rounded {
        Rounded::Infinite => f64::INFINITY,
        // Zero and subnormals: the bits are the mantissa.
        Rounded::Finite { mantissa, .. } if mantissa < HIDDEN_BIT => f64::from_bits(mantissa),
        Rounded::Finite { mantissa, exponent } => {
            let biased = (exponent - DOUBLE.exponent_min + 1) as u64;
            f64::from_bits(biased << 52 | (mantissa - HIDDEN_BIT))
        }
    };
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// A finite binary floating-point value: ±mantissa × 2^exponent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Finite {
    /// The sign (set for -0 too).
    pub negative: bool,
    /// The significant bits.
    pub mantissa: u64,
    /// The binary exponent of the mantissa's lowest bit.
    pub exponent: i64,
}

impl Finite {
    /// A finite `f64`'s sign, mantissa and exponent; None for infinities and NaN.
    pub(crate) fn from_double(value: f64) -> Option<Finite> {
        const FRACTION_BITS: u32 = 52;
        let bits = value.to_bits();
        let biased = (bits >> FRACTION_BITS) as i64 & 0x7ff;
        let fraction = bits & ((1 << FRACTION_BITS) - 1);
        let (mantissa, exponent) = match biased {
            0x7ff => return None,
            0 => (fraction, DOUBLE.exponent_min),
            _ => (
                fraction | 1 << FRACTION_BITS,
                biased - 1 + DOUBLE.exponent_min,
            ),
        };
        Some(Finite {
            negative: value.is_sign_negative(),
            mantissa,
            exponent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn rounded_double(value: u128, exponent: i64, sticky: bool) -> f64 {
        double(false, DOUBLE.round(value, exponent, sticky))
    }

    #[test]
    fn rounding_to_double_is_to_nearest_ties_to_even() {
        let tie_below_even = (1u128 << 53 | 1) << 1; // 2^54 + 2: halfway, the lower one is even
        assert_eq!(rounded_double(tie_below_even, 0, false), 2f64.powi(54));
        assert_eq!(rounded_double(tie_below_even, 0, true), 2f64.powi(54) + 4.0);
        let tie_above_even = (1u128 << 53 | 3) << 1;
        assert_eq!(
            rounded_double(tie_above_even, 0, false),
            2f64.powi(54) + 8.0
        );
        assert_eq!(rounded_double(u128::MAX, 0, false), 2f64.powi(128));
        assert_eq!(rounded_double(3, -2, false), 0.75);
    }

    #[test]
    fn rounding_to_double_has_subnormals_and_overflow() {
        assert_eq!(rounded_double(1, -1074, false).to_bits(), 1);
        assert_eq!(rounded_double(1, -1075, false), 0.0);
        assert_eq!(rounded_double(3, -1076, false).to_bits(), 1);
        assert_eq!(rounded_double(1 << 80, -1155, false), 0.0);
        assert_eq!(rounded_double(1 << 80 | 1, -1155, false).to_bits(), 1);
        assert_eq!(rounded_double(1, -5000, true), 0.0);
        assert_eq!(rounded_double((1 << 53) - 1, 971, false), f64::MAX);
        assert_eq!(rounded_double(1, 1024, false), f64::INFINITY);
        // Halfway between the largest double and 2^1024 rounds to the even side: infinity.
        let halfway = ((1u128 << 54) - 1) << 10;
        assert_eq!(rounded_double(halfway - 1, 960, false), f64::MAX);
        assert_eq!(rounded_double(halfway, 960, false), f64::INFINITY);
    }

    #[test]
    fn doubles_split_into_mantissa_and_exponent_and_back() {
        for value in [
            1.0,
            -0.0,
            0.1,
            5e-324,
            2.2250738585072014e-308,
            f64::MAX,
            -3.5,
        ] {
            let Finite {
                negative,
                mantissa,
                exponent,
            } = Finite::from_double(value).expect("finite");
            let rounded = DOUBLE.round(u128::from(mantissa), exponent, false);
            assert_eq!(
                double(negative, rounded).to_bits(),
                value.to_bits(),
                "{value}"
            );
        }
        assert_eq!(Finite::from_double(f64::NAN), None);
        assert_eq!(Finite::from_double(f64::NEG_INFINITY), None);
    }
}
