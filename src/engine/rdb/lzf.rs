//! LZF, the compression of RDB strings (Redis's `lzf_c.c` and `lzf_d.c`, liblzf 3.6).
//!
//! The format is a sequence of runs:
//!
//! - `000LLLLL` and `L + 1` literal bytes;
//! - `LLLooooo oooooooo`: copy `L + 2` bytes from `o + 1` bytes back (`L` in 1..=6);
//! - `111ooooo LLLLLLLL oooooooo`: the same with a length of `L + 9`.
//!
//! [`Compressor`] follows Redis's compressor (liblzf 3.6 with `HLOG` 16 and `VERY_FAST`) step by
//! step: the same hash, the same match rules and the same output-space checks, so it compresses
//! exactly as well and nearly always produces the very same bytes. The one difference is deliberate: Redis leaves its hash table
//! uninitialised between calls, ours forgets earlier inputs, so the output depends only on the
//! input. [`decompress`] checks every run against both buffers and never reads or writes outside
//! them, whatever the input.

/// log2 of the hash table's size (Redis's `HLOG`).
const HASH_LOG: u32 = 16;
/// Longest literal run.
const LITERAL_MAX: usize = 1 << 5;
/// Farthest back-reference.
const OFFSET_MAX: usize = 1 << 13;
/// Longest back-reference, in bytes minus 2 (Redis's `MAX_REF`).
const REFERENCE_MAX: usize = (1 << 8) + (1 << 3);
/// The most output one input byte of compressed data can produce: a three-byte back-reference of
/// the longest length copies 264 bytes. Bounds what a declared uncompressed length may claim.
pub const EXPANSION_MAX: usize = 88;

/// An LZF compressor with its hash table, reused across calls so that compressing many small
/// strings allocates nothing.
///
/// The table remembers where each 3-byte hash was last seen, as positions plus a base that moves
/// past every input: entries from earlier inputs fall below the base and count as empty, which
/// spares clearing 64 K entries per string.
pub struct Compressor {
    table: Vec<u32>,
    base: u32,
}

impl Default for Compressor {
    fn default() -> Self {
        Compressor {
            table: vec![0; 1 << HASH_LOG],
            base: 1,
        }
    }
}

/// Redis's `IDX` for `VERY_FAST`: a multiplicative-like hash of the last three bytes in `h`.
fn slot(h: u32) -> usize {
    ((h >> (3 * 8 - HASH_LOG)).wrapping_sub(h.wrapping_mul(5)) & ((1 << HASH_LOG) - 1)) as usize
}

impl Compressor {
    /// Compresses `input` into `out`, whose length is the most output allowed; returns the
    /// compressed length, or `None` when the result would not fit (Redis's `lzf_compress`
    /// returning 0: the caller then stores the string as it is).
    pub fn compress(&mut self, input: &[u8], out: &mut [u8]) -> Option<usize> {
        if input.is_empty() || out.is_empty() || input.len() >= (u32::MAX / 2) as usize {
            return None;
        }
        // Positions are stored as `base + position`; an entry below `base` belongs to an
        // earlier input. Restart the numbering before it could wrap.
        if u64::from(self.base) + input.len() as u64 + 1 >= u64::from(u32::MAX) {
            self.table.fill(0);
            self.base = 1;
        }
        let base = self.base;
        self.base += input.len() as u32 + 1;
        compress_with(&mut self.table, base, input, out)
    }
}

/// The body of [`Compressor::compress`], a transcription of `lzf_compress` with indexes for
/// pointers. `op` is the output position; a literal run reserves its control byte at
/// `op - lit - 1` and fills it when the run ends.
fn compress_with(table: &mut [u32], base: u32, input: &[u8], out: &mut [u8]) -> Option<usize> {
    let in_len = input.len();
    let out_len = out.len();
    let byte = |at: usize| input.get(at).copied().map_or(0, u32::from);
    let mut lit: usize = 0;
    let mut op: usize = 1;
    let mut ip: usize = 0;
    let mut hval: u32 = (byte(0) << 8) | byte(1);
    while ip + 2 < in_len {
        hval = (hval << 8) | byte(ip + 2);
        let entry = table.get_mut(slot(hval))?;
        let previous = *entry;
        *entry = base + ip as u32;
        let reference = previous.checked_sub(base).map(|r| r as usize);
        let matched = reference.filter(|&r| {
            r > 0
                && r < ip
                && ip - r - 1 < OFFSET_MAX
                && input.get(r..r + 3) == input.get(ip..ip + 3)
        });
        if let Some(r) = matched {
            let off = ip - r - 1;
            let maxlen = (in_len - ip - 2).min(REFERENCE_MAX);
            // Room for the reference and the next run's control byte.
            if op + 3 + 1 >= out_len && op - usize::from(lit == 0) + 3 + 1 >= out_len {
                return None;
            }
            // Close the literal run, or take back its unused control byte.
            if lit > 0 {
                *out.get_mut(op - lit - 1)? = (lit - 1) as u8;
            } else {
                op -= 1;
            }
            let len = match_length(input, r, ip, maxlen) - 2;
            ip += 1;
            if len < 7 {
                *out.get_mut(op)? = ((off >> 8) + (len << 5)) as u8;
                op += 1;
            } else {
                *out.get_mut(op)? = ((off >> 8) + (7 << 5)) as u8;
                *out.get_mut(op + 1)? = (len - 7) as u8;
                op += 2;
            }
            *out.get_mut(op)? = off as u8;
            op += 1;
            lit = 0;
            op += 1;
            ip += len + 1;
            if ip + 2 >= in_len {
                break;
            }
            // VERY_FAST: hash the two positions before the new one only.
            ip -= 2;
            hval = (byte(ip) << 8) | byte(ip + 1);
            for _ in 0..2 {
                hval = (hval << 8) | byte(ip + 2);
                *table.get_mut(slot(hval))? = base + ip as u32;
                ip += 1;
            }
        } else {
            if op >= out_len {
                return None;
            }
            *out.get_mut(op)? = *input.get(ip)?;
            lit += 1;
            op += 1;
            ip += 1;
            if lit == LITERAL_MAX {
                *out.get_mut(op - lit - 1)? = (lit - 1) as u8;
                lit = 0;
                op += 1;
            }
        }
    }
    // At most three bytes can be missing here.
    if op + 3 > out_len {
        return None;
    }
    while ip < in_len {
        *out.get_mut(op)? = *input.get(ip)?;
        lit += 1;
        op += 1;
        ip += 1;
        if lit == LITERAL_MAX {
            *out.get_mut(op - lit - 1)? = (lit - 1) as u8;
            lit = 0;
            op += 1;
        }
    }
    if lit > 0 {
        *out.get_mut(op - lit - 1)? = (lit - 1) as u8;
    } else {
        op -= 1;
    }
    Some(op)
}

/// How many bytes at `ip` repeat those at `r` (the first three are known equal), counted as
/// Redis does: at least three, even past `maxlen` near the end of the input; then sixteen
/// unchecked steps when `maxlen > 16`, which may run one or two bytes past `maxlen` but never
/// past the input (`maxlen > 16` leaves at least 19 bytes from `ip`).
fn match_length(input: &[u8], r: usize, ip: usize, maxlen: usize) -> usize {
    let same = |len: usize| match (input.get(r + len), input.get(ip + len)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    };
    let mut len = 2;
    if maxlen > 16 {
        for _ in 0..16 {
            len += 1;
            if !same(len) {
                return len;
            }
        }
    }
    loop {
        len += 1;
        if len >= maxlen || !same(len) {
            return len;
        }
    }
}

/// Why compressed data was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecompressError {
    /// A run would produce more than the declared length.
    TooLong,
    /// A run is cut short by the end of the input.
    Truncated,
    /// A back-reference points before the start of the output.
    BadReference,
    /// The runs produce fewer bytes than declared.
    TooShort,
}

/// Decompresses `input` into exactly `out_len` bytes appended to `out` (Redis's
/// `lzf_decompress`, which must return the declared length). On error `out` holds whatever was
/// produced so far; the caller discards it.
pub fn decompress(input: &[u8], out_len: usize, out: &mut Vec<u8>) -> Result<(), DecompressError> {
    let start = out.len();
    let end = start.checked_add(out_len).ok_or(DecompressError::TooLong)?;
    out.reserve(out_len);
    let mut ip = 0;
    while ip < input.len() {
        let ctrl = usize::from(input[ip]);
        ip += 1;
        if ctrl < LITERAL_MAX {
            let run = ctrl + 1;
            if out.len() + run > end {
                return Err(DecompressError::TooLong);
            }
            let literal = input.get(ip..ip + run).ok_or(DecompressError::Truncated)?;
            out.extend_from_slice(literal);
            ip += run;
        } else {
            let mut len = ctrl >> 5;
            if len == 7 {
                len += usize::from(*input.get(ip).ok_or(DecompressError::Truncated)?);
                ip += 1;
            }
            let low = usize::from(*input.get(ip).ok_or(DecompressError::Truncated)?);
            ip += 1;
            let back = ((ctrl & 0x1f) << 8) + low + 1;
            let copy = len + 2;
            if out.len() + copy > end {
                return Err(DecompressError::TooLong);
            }
            let from = out
                .len()
                .checked_sub(back)
                .filter(|&from| from >= start)
                .ok_or(DecompressError::BadReference)?;
            if from + copy <= out.len() {
                out.extend_from_within(from..from + copy);
            } else {
                // Overlapping copy: each byte may be one just written (run-length style).
                for at in from..from + copy {
                    let byte = *out.get(at).ok_or(DecompressError::BadReference)?;
                    out.push(byte);
                }
            }
        }
    }
    if out.len() == end {
        Ok(())
    } else {
        Err(DecompressError::TooShort)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::prng::Prng;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Compresses as Redis's `rdbSaveLzfStringObject` does: at most `len - 4` bytes of output.
    fn compress_for_rdb(input: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0; input.len().checked_sub(4)?];
        let len = Compressor::default().compress(input, &mut out)?;
        out.truncate(len);
        Some(out)
    }

    fn round_trip(input: &[u8]) -> Option<Vec<u8>> {
        let compressed = compress_for_rdb(input)?;
        let mut back = Vec::new();
        decompress(&compressed, input.len(), &mut back).expect("our own output decompresses");
        assert_eq!(back, input);
        Some(compressed)
    }

    #[test]
    fn lzf_repetitive_text_compresses_and_round_trips() {
        let text = b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        let compressed = round_trip(text).expect("compressible");
        assert!(compressed.len() < 10, "{compressed:?}");
        let mixed = b"hello world, hello world, hello world, hello redis, hello world".repeat(20);
        assert!(round_trip(&mixed).expect("compressible").len() < mixed.len() / 4);
    }

    #[test]
    fn lzf_matches_redis_output_for_known_inputs() {
        // `DEBUG`-free check: these bytes are what redis-server 7.0.15 stores (DUMP of the
        // string values, rdbcompression yes).
        assert_eq!(
            compress_for_rdb(&[b'a'; 30]),
            Some(vec![1, b'a', b'a', 0xe0, 0x11, 0x00, 1, b'a', b'a'])
        );
        let input = b"bbabaaaabbabaaaabbabaaabaaaaaaaabbaaaabbabbaababbababbbbbabb";
        let redis: [u8; 35] = [
            4, 98, 98, 97, 98, 97, 32, 0, 0, 98, 224, 5, 7, 96, 19, 64, 0, 32, 23, 32, 0, 32, 5,
            32, 2, 32, 21, 32, 5, 32, 1, 64, 0, 32, 5,
        ];
        assert_eq!(compress_for_rdb(input), Some(redis.to_vec()));
    }

    #[test]
    fn lzf_random_data_round_trips_or_is_refused() {
        let mut prng = Prng::from_seed(7);
        for round in 0..300 {
            let len = prng.below(3000) as usize;
            let alphabet = 1 + prng.below(if round % 2 == 0 { 4 } else { 256 });
            let input: Vec<u8> = (0..len).map(|_| prng.below(alphabet) as u8).collect();
            if let Some(compressed) = round_trip(&input) {
                assert!(compressed.len() <= input.len() - 4);
            }
        }
    }

    #[test]
    fn lzf_compressor_reuse_gives_the_same_output_as_a_fresh_one() {
        let mut shared = Compressor::default();
        let mut prng = Prng::from_seed(9);
        for _ in 0..50 {
            let input: Vec<u8> = (0..200).map(|_| b'a' + prng.below(3) as u8).collect();
            let mut a = vec![0; 196];
            let mut b = vec![0; 196];
            let first = shared.compress(&input, &mut a);
            let second = Compressor::default().compress(&input, &mut b);
            assert_eq!(first, second);
            assert_eq!(a, b);
        }
    }

    #[test]
    fn lzf_decompress_rejects_malformed_input() {
        let mut out = Vec::new();
        // A literal run longer than the data.
        assert_eq!(
            decompress(&[5, b'a'], 6, &mut out),
            Err(DecompressError::Truncated)
        );
        // A back-reference before the start.
        out.clear();
        assert_eq!(
            decompress(&[0x20, 0x00], 3, &mut out),
            Err(DecompressError::BadReference)
        );
        // More output than declared.
        out.clear();
        assert_eq!(
            decompress(&[1, b'a', b'b'], 1, &mut out),
            Err(DecompressError::TooLong)
        );
        // Less output than declared.
        out.clear();
        assert_eq!(
            decompress(&[0, b'a'], 2, &mut out),
            Err(DecompressError::TooShort)
        );
        // A long back-reference without its length byte.
        out.clear();
        assert_eq!(
            decompress(&[0, b'a', 0xe0], 20, &mut out),
            Err(DecompressError::Truncated)
        );
        // A reference into what was there before this call is still before the start.
        let mut prefilled = b"xyz".to_vec();
        assert_eq!(
            decompress(&[0x20, 0x00], 3, &mut prefilled),
            Err(DecompressError::BadReference)
        );
    }

    #[test]
    fn lzf_decompress_of_random_bytes_never_panics() {
        let mut prng = Prng::from_seed(11);
        let mut out = Vec::new();
        for _ in 0..2000 {
            let len = prng.below(64) as usize;
            let input: Vec<u8> = (0..len).map(|_| prng.next_u64() as u8).collect();
            out.clear();
            let _ = decompress(&input, prng.below(512) as usize, &mut out);
        }
    }
}
