//! Intsets (Redis's `intset.c`): a set of integers as one sorted array of 2, 4 or 8-byte
//! little-endian values after an 8-byte header (width, count).

use crate::engine::keyspace::intset_width;

/// Appends the intset blob of `values` (ascending, distinct) with members `width` bytes wide (2, 4
/// or 8), or wider if a member needs it. Redis only ever widens an intset, so the set keeps the
/// width of the widest member it ever held (see [`SetValue::Intset`]).
///
/// [`SetValue::Intset`]: crate::engine::keyspace::SetValue::Intset
pub fn encode(values: &[i64], width: u8, out: &mut Vec<u8>) {
    let width = values
        .iter()
        .map(|&value| intset_width(value))
        .fold(width, u8::max);
    let width: usize = match width {
        0..=2 => 2,
        3..=4 => 4,
        _ => 8,
    };
    out.reserve(8 + width * values.len());
    out.extend_from_slice(&(width as u32).to_le_bytes());
    out.extend_from_slice(&(values.len() as u32).to_le_bytes());
    for &value in values {
        out.extend_from_slice(&value.to_le_bytes()[..width]);
    }
}

/// Reads an intset blob, checking it as Redis's deep `intsetValidateIntegrity` does: a known
/// width, a size that matches the count, at least one member, strictly ascending values.
pub fn decode(blob: &[u8]) -> Result<(Vec<i64>, u8), String> {
    let ([width, count], body) = blob
        .split_first_chunk::<8>()
        .map(|(&[w0, w1, w2, w3, c0, c1, c2, c3], body)| {
            let width = u32::from_le_bytes([w0, w1, w2, w3]) as usize;
            let count = u32::from_le_bytes([c0, c1, c2, c3]) as usize;
            ([width, count], body)
        })
        .ok_or("intset shorter than its header")?;
    if !matches!(width, 2 | 4 | 8) {
        return Err(format!("intset with unknown encoding {width}"));
    }
    if count.checked_mul(width) != Some(body.len()) {
        return Err(format!(
            "intset of {count} members of {width} bytes in {} bytes",
            body.len()
        ));
    }
    if count == 0 {
        return Err("empty intset".into());
    }
    let mut values = Vec::with_capacity(count);
    for chunk in body.chunks_exact(width) {
        // Little-endian, sign-extended from `width` bytes.
        let shift = 64 - 8 * width as u32;
        let unsigned = chunk
            .iter()
            .rev()
            .fold(0, |value, &byte| (value << 8) | u64::from(byte));
        let value = ((unsigned << shift) as i64) >> shift;
        if values.last().is_some_and(|&last| last >= value) {
            return Err("intset values not in strictly ascending order".into());
        }
        values.push(value);
    }
    Ok((values, width as u8))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn intset_bytes_match_redis() {
        // DUMP of `SADD s 3 1 2` on redis-server 7.0.15 (rdbcompression no).
        let mut blob = Vec::new();
        encode(&[1, 2, 3], 2, &mut blob);
        assert_eq!(
            blob,
            b"\x02\x00\x00\x00\x03\x00\x00\x00\x01\x00\x02\x00\x03\x00"
        );
        assert_eq!(decode(&blob).unwrap(), (vec![1, 2, 3], 2));
        // A set that once held a wide member keeps its width.
        let mut wide = Vec::new();
        encode(&[1, 2, 3], 8, &mut wide);
        assert_eq!(wide.len(), 8 + 3 * 8);
        assert_eq!(decode(&wide).unwrap(), (vec![1, 2, 3], 8));
    }

    #[test]
    fn intset_width_follows_the_widest_member() {
        for (values, width) in [
            (vec![-32_768, 32_767], 2),
            (vec![-32_769, 0], 4),
            (vec![0, 2_147_483_648], 8),
            (vec![i64::MIN, i64::MAX], 8),
        ] {
            let mut blob = Vec::new();
            encode(&values, 2, &mut blob);
            assert_eq!(blob[0] as usize, width);
            assert_eq!(decode(&blob).unwrap(), (values, width as u8));
        }
    }

    #[test]
    fn intset_validation_rejects_corruption() {
        let mut blob = Vec::new();
        encode(&[1, 5, 9], 2, &mut blob);
        let mut unsorted = blob.clone();
        unsorted[8] = 7;
        assert!(decode(&unsorted).is_err());
        let mut duplicate = blob.clone();
        duplicate[10] = 1;
        assert!(decode(&duplicate).is_err());
        let mut bad_width = blob.clone();
        bad_width[0] = 3;
        assert!(decode(&bad_width).is_err());
        let mut huge_count = blob.clone();
        huge_count[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(&huge_count).is_err());
        assert!(decode(&blob[..blob.len() - 1]).is_err());
        assert!(
            decode(b"\x02\x00\x00\x00\x00\x00\x00\x00").is_err(),
            "empty"
        );
        assert!(decode(b"\x02\x00").is_err());
    }
}
