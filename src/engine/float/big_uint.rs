//! A non-negative big integer with just the arithmetic exact float conversions need: building
//! one from digits, multiplying by small numbers and powers of 2, 5 and 10, adding and
//! subtracting, comparing, a short quotient, and decimal digits.

use std::cmp::Ordering;

/// A non-negative big integer: 32-bit limbs, least significant first, no high zero limbs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct BigUint {
    limbs: Vec<u32>,
}

impl BigUint {
    pub(crate) fn from_u64(value: u64) -> BigUint {
        let mut number = BigUint {
            limbs: vec![value as u32, (value >> 32) as u32],
        };
        number.trim();
        number
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    pub(crate) fn bit_len(&self) -> u64 {
        self.limbs.last().map_or(0, |&top| {
            (self.limbs.len() as u64 - 1) * 32 + u64::from(32 - top.leading_zeros())
        })
    }

    /// A generous bound on the number of decimal digits (bits × log10(2), rounded up).
    pub(crate) fn decimal_digits_upper_bound(&self) -> u64 {
        self.bit_len() * 30103 / 100_000 + 1
    }

    /// Whether any of the bits below `index` is set.
    pub(crate) fn any_bit_below(&self, index: u64) -> bool {
        let whole = ((index / 32) as usize).min(self.limbs.len());
        if self.limbs[..whole].iter().any(|&word| word != 0) {
            return true;
        }
        let partial = index % 32;
        partial > 0
            && self
                .limbs
                .get(whole)
                .is_some_and(|&word| word & ((1u32 << partial) - 1) != 0)
    }

    /// The lowest 128 bits.
    pub(crate) fn low_u128(&self) -> u128 {
        self.limbs
            .iter()
            .take(4)
            .enumerate()
            .fold(0, |value, (index, &word)| {
                value | u128::from(word) << (32 * index)
            })
    }

    pub(crate) fn shl(&self, bits: u64) -> BigUint {
        if self.is_zero() {
            return BigUint::default();
        }
        let (words, offset) = ((bits / 32) as usize, bits % 32);
        let mut limbs = vec![0u32; words];
        limbs.reserve(self.limbs.len() + 1);
        let mut carry = 0u32;
        for &word in &self.limbs {
            let wide = u64::from(word) << offset;
            limbs.push(wide as u32 | carry);
            carry = (wide >> 32) as u32;
        }
        limbs.push(carry);
        let mut number = BigUint { limbs };
        number.trim();
        number
    }

    pub(crate) fn shr(&self, bits: u64) -> BigUint {
        let words = bits / 32;
        if words >= self.limbs.len() as u64 {
            return BigUint::default();
        }
        let (words, offset) = (words as usize, bits % 32);
        let source = &self.limbs[words..];
        let limbs = (0..source.len())
            .map(|i| {
                let low = u64::from(source[i]);
                let high = u64::from(source.get(i + 1).copied().unwrap_or(0));
                ((low | high << 32) >> offset) as u32
            })
            .collect();
        let mut number = BigUint { limbs };
        number.trim();
        number
    }

    pub(crate) fn mul_small(&mut self, factor: u32) {
        let mut carry = 0u64;
        for word in &mut self.limbs {
            let wide = u64::from(*word) * u64::from(factor) + carry;
            *word = wide as u32;
            carry = wide >> 32;
        }
        if carry > 0 {
            self.limbs.push(carry as u32);
        }
        self.trim();
    }

    pub(crate) fn add_small(&mut self, addend: u32) {
        let mut carry = u64::from(addend);
        for word in &mut self.limbs {
            if carry == 0 {
                return;
            }
            let wide = u64::from(*word) + carry;
            *word = wide as u32;
            carry = wide >> 32;
        }
        if carry > 0 {
            self.limbs.push(carry as u32);
        }
    }

    pub(crate) fn mul_pow10(&mut self, mut power: u32) {
        while power >= 9 {
            self.mul_small(1_000_000_000);
            power -= 9;
        }
        self.mul_small(10u32.pow(power));
    }

    pub(crate) fn mul_pow5(&mut self, mut power: u32) {
        while power >= 13 {
            self.mul_small(1_220_703_125); // 5^13
            power -= 13;
        }
        self.mul_small(5u32.pow(power));
    }

    pub(crate) fn add(&self, other: &BigUint) -> BigUint {
        let (long, short) = if self.limbs.len() >= other.limbs.len() {
            (self, other)
        } else {
            (other, self)
        };
        let mut limbs = Vec::with_capacity(long.limbs.len() + 1);
        let mut carry = 0u64;
        for (i, &word) in long.limbs.iter().enumerate() {
            let wide =
                u64::from(word) + u64::from(short.limbs.get(i).copied().unwrap_or(0)) + carry;
            limbs.push(wide as u32);
            carry = wide >> 32;
        }
        limbs.push(carry as u32);
        let mut number = BigUint { limbs };
        number.trim();
        number
    }

    /// `self - other`, for `self >= other`.
    pub(crate) fn sub(&self, other: &BigUint) -> BigUint {
        let mut limbs = Vec::with_capacity(self.limbs.len());
        let mut borrow = 0i64;
        for (i, &word) in self.limbs.iter().enumerate() {
            let mut wide =
                i64::from(word) - i64::from(other.limbs.get(i).copied().unwrap_or(0)) - borrow;
            borrow = 0;
            if wide < 0 {
                wide += 1 << 32;
                borrow = 1;
            }
            limbs.push(wide as u32);
        }
        let mut number = BigUint { limbs };
        number.trim();
        number
    }

    /// `self / divisor` for a quotient of at most 127 bits, and whether the remainder is zero
    /// (restoring binary long division).
    pub(crate) fn div_small_quotient(&self, divisor: &BigUint) -> (u128, bool) {
        let mut remainder = self.clone();
        let mut quotient = 0u128;
        let span = self.bit_len().saturating_sub(divisor.bit_len()).min(126);
        for position in (0..=span).rev() {
            let shifted = divisor.shl(position);
            if remainder.cmp(&shifted) != Ordering::Less {
                remainder = remainder.sub(&shifted);
                quotient |= 1 << position;
            }
        }
        (quotient, remainder.is_zero())
    }

    /// Divides in place by `divisor` (> 0) and returns the remainder.
    fn div_rem_small(&mut self, divisor: u32) -> u32 {
        let mut remainder = 0u64;
        for word in self.limbs.iter_mut().rev() {
            let wide = remainder << 32 | u64::from(*word);
            *word = (wide / u64::from(divisor)) as u32;
            remainder = wide % u64::from(divisor);
        }
        self.trim();
        remainder as u32
    }

    /// Decimal digits (ASCII), most significant first; empty for zero.
    pub(crate) fn to_decimal(&self) -> Vec<u8> {
        const CHUNK_DIGITS: usize = 9;
        let mut rest = self.clone();
        let mut text = Vec::with_capacity(self.decimal_digits_upper_bound() as usize);
        // Nine digits at a time, least significant first, then reversed.
        while !rest.is_zero() {
            let mut chunk = rest.div_rem_small(1_000_000_000);
            for _ in 0..CHUNK_DIGITS {
                text.push(b'0' + (chunk % 10) as u8);
                chunk /= 10;
            }
        }
        while text.last() == Some(&b'0') {
            text.pop();
        }
        text.reverse();
        text
    }
}

impl PartialOrd for BigUint {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BigUint {
    fn cmp(&self, other: &Self) -> Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn decimal(number: &BigUint) -> String {
        String::from_utf8(number.to_decimal()).expect("ASCII")
    }

    #[test]
    fn big_uint_decimal_digits_are_exact() {
        assert_eq!(decimal(&BigUint::default()), "");
        assert_eq!(decimal(&BigUint::from_u64(7)), "7");
        assert_eq!(decimal(&BigUint::from_u64(1_000_000_000)), "1000000000");
        assert_eq!(decimal(&BigUint::from_u64(u64::MAX)), u64::MAX.to_string());
        let mut power = BigUint::from_u64(1);
        power.mul_pow10(40);
        assert_eq!(decimal(&power), format!("1{}", "0".repeat(40)));
        let mut five = BigUint::from_u64(1);
        five.mul_pow5(30);
        assert_eq!(decimal(&five), "931322574615478515625");
        assert_eq!(
            decimal(&BigUint::from_u64(3).shl(100)),
            "3802951800684688204490109616128"
        );
    }

    #[test]
    fn big_uint_arithmetic_agrees_with_u128() {
        let a = BigUint::from_u64(u64::MAX).shl(40);
        let b = BigUint::from_u64(0x1234_5678_9abc);
        let (a_wide, b_wide) = (u128::from(u64::MAX) << 40, 0x1234_5678_9abc_u128);
        assert_eq!(a.add(&b).low_u128(), a_wide + b_wide);
        assert_eq!(a.sub(&b).low_u128(), a_wide - b_wide);
        assert_eq!(a.shr(13).low_u128(), a_wide >> 13);
        assert_eq!(
            a.div_small_quotient(&b),
            (a_wide / b_wide, a_wide % b_wide == 0)
        );
        assert_eq!(a.cmp(&b), Ordering::Greater);
        assert_eq!(b.cmp(&a), Ordering::Less);
        assert!(a.any_bit_below(41) && !a.any_bit_below(40));
        assert_eq!(a.bit_len(), 104);
    }
}
