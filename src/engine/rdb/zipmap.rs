//! Zipmaps (Redis's `zipmap.c`), read only: the small-hash encoding of RDB files from Redis 2.4
//! and older, which Redis 7.0 still loads (converting them to listpacks).
//!
//! Layout: a count byte (254 when unknown), then field/value entries, then 0xFF. A length is one
//! byte below 254, or 254 and 4 bytes little-endian; a value's length is followed by a byte
//! counting unused bytes after the value.

/// The terminator.
const END: u8 = 0xff;
/// A length that does not fit one byte, or a count that is not kept.
const BIG: u8 = 254;

/// Reads every field and value of a zipmap blob, checking it as Redis's deep
/// `zipmapValidateIntegrity` does: every length within the blob, the terminator, at least one
/// entry, and the count byte unless it says "unknown". Returns the number of pairs.
pub fn for_each<'a>(
    blob: &'a [u8],
    mut f: impl FnMut(&'a [u8], &'a [u8]) -> Result<(), String>,
) -> Result<usize, String> {
    if blob.len() < 2 || blob.last() != Some(&END) {
        return Err("zipmap without terminator".into());
    }
    let out_of_range = || "zipmap entry runs past the end".to_string();
    let mut pos = 1;
    let mut count = 0usize;
    // Reads a length at `pos`, returning it and where what it measures starts.
    let length = |pos: usize| -> Result<(usize, usize), String> {
        match *blob.get(pos).ok_or_else(out_of_range)? {
            BIG => {
                let raw = blob
                    .get(pos + 1..)
                    .and_then(<[u8]>::first_chunk::<4>)
                    .ok_or_else(out_of_range)?;
                Ok((u32::from_le_bytes(*raw) as usize, pos + 5))
            }
            small => Ok((usize::from(small), pos + 1)),
        }
    };
    while *blob.get(pos).ok_or_else(out_of_range)? != END {
        let (field_len, field_at) = length(pos)?;
        let field = blob
            .get(field_at..field_at.saturating_add(field_len))
            .ok_or_else(out_of_range)?;
        let (value_len, free_at) = length(field_at + field_len)?;
        let free = usize::from(*blob.get(free_at).ok_or_else(out_of_range)?);
        let value_at = free_at + 1;
        let value = blob
            .get(value_at..value_at.saturating_add(value_len))
            .ok_or_else(out_of_range)?;
        pos = value_at + value_len + free;
        if pos >= blob.len() {
            return Err(out_of_range());
        }
        f(field, value)?;
        count += 1;
    }
    if pos + 1 != blob.len() {
        return Err("zipmap terminator before the end of the blob".into());
    }
    if count == 0 {
        return Err("empty zipmap".into());
    }
    if blob[0] != BIG && usize::from(blob[0]) != count {
        return Err(format!(
            "zipmap header says {} entries, found {count}",
            blob[0]
        ));
    }
    Ok(count)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Builds a zipmap as Redis 2.4 would, with `free` unused bytes after each value.
    pub(crate) fn build(pairs: &[(&[u8], &[u8])], free: u8) -> Vec<u8> {
        let mut blob = vec![if pairs.len() < 254 {
            pairs.len() as u8
        } else {
            BIG
        }];
        let push_len = |blob: &mut Vec<u8>, len: usize| {
            if len < 254 {
                blob.push(len as u8);
            } else {
                blob.push(BIG);
                blob.extend_from_slice(&(len as u32).to_le_bytes());
            }
        };
        for (field, value) in pairs {
            push_len(&mut blob, field.len());
            blob.extend_from_slice(field);
            push_len(&mut blob, value.len());
            blob.push(free);
            blob.extend_from_slice(value);
            blob.extend(std::iter::repeat_n(0, usize::from(free)));
        }
        blob.push(END);
        blob
    }

    type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

    fn read(blob: &[u8]) -> Result<Pairs, String> {
        let mut pairs = Vec::new();
        for_each(blob, |field, value| {
            pairs.push((field.to_vec(), value.to_vec()));
            Ok(())
        })?;
        Ok(pairs)
    }

    #[test]
    fn zipmap_pairs_read_back_with_free_space_and_long_values() {
        let long = vec![b'v'; 300];
        let blob = build(&[(b"name", b"redis"), (b"long", &long), (b"", b"")], 3);
        assert_eq!(
            read(&blob).unwrap(),
            [
                (b"name".to_vec(), b"redis".to_vec()),
                (b"long".to_vec(), long.clone()),
                (Vec::new(), Vec::new())
            ]
        );
    }

    #[test]
    fn zipmap_validation_rejects_corruption() {
        let good = build(&[(b"a", b"1"), (b"b", b"2")], 0);
        assert!(read(&good).is_ok());
        let mut wrong_count = good.clone();
        wrong_count[0] = 3;
        assert!(read(&wrong_count).is_err());
        let mut unknown_count = good.clone();
        unknown_count[0] = BIG;
        assert!(read(&unknown_count).is_ok());
        let mut long_field = good.clone();
        long_field[1] = 200;
        assert!(read(&long_field).is_err());
        assert!(read(&good[..good.len() - 1]).is_err());
        assert!(read(&[0, END]).is_err(), "empty");
        assert!(read(&[END]).is_err());
    }
}
