//! A small portable PRNG (xoshiro256**, seeded through SplitMix64).
//!
//! Identical sequences on wasm32 and x86_64: only `u64` arithmetic, no `usize` draws, no OS
//! entropy. Everything random in a node (RANDOMKEY, SPOP, replication ids, ...) draws from one of
//! these, seeded from the entropy the driver gives the node.

/// The generator's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prng {
    state: [u64; 4],
}

impl Prng {
    /// A generator whose whole sequence is determined by `seed`.
    pub fn from_seed(seed: u64) -> Prng {
        let mut splitmix = seed;
        let mut next = || {
            splitmix = splitmix.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = splitmix;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        Prng {
            state: [next(), next(), next(), next()],
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = &mut self.state;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = *s1 << 17;
        *s2 ^= *s0;
        *s3 ^= *s1;
        *s1 ^= *s2;
        *s0 ^= *s3;
        *s2 ^= t;
        *s3 = s3.rotate_left(45);
        result
    }

    /// A uniform value in `0..bound` (`bound` > 0), without modulo bias.
    pub fn below(&mut self, bound: u64) -> u64 {
        assert!(bound > 0, "below(0) has no possible value");
        // Lemire's multiply-shift with rejection of the biased low zone.
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let product = u128::from(self.next_u64()) * u128::from(bound);
            if (product as u64) >= threshold {
                return (product >> 64) as u64;
            }
        }
    }

    /// A uniform float in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::Prng;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Pinned values: the same on every platform, forever (traces and tests depend on them).
    #[test]
    fn sequence_is_pinned() {
        let mut prng = Prng::from_seed(42);
        let first: Vec<u64> = (0..3).map(|_| prng.next_u64()).collect();
        let mut again = Prng::from_seed(42);
        assert_eq!(first, (0..3).map(|_| again.next_u64()).collect::<Vec<_>>());
        assert_eq!(first[0], PINNED_FIRST_DRAW_SEED_42);
    }

    /// Checked against an independent Python implementation of SplitMix64 + xoshiro256**.
    const PINNED_FIRST_DRAW_SEED_42: u64 = 1_546_998_764_402_558_742;

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut prng = Prng::from_seed(7);
        let mut seen = [false; 5];
        for _ in 0..1000 {
            let value = prng.below(5);
            assert!(value < 5);
            seen[value as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
