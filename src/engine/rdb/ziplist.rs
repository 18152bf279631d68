//! Ziplists (Redis's `ziplist.c`), read only: RDB files from Redis 3.2 to 6.2 hold small hashes,
//! sorted sets and quicklist nodes this way, and Redis 7.0 still loads them (converting them to
//! listpacks).
//!
//! Layout: total bytes (u32 LE), offset of the last entry (u32 LE), entry count (u16 LE, 65535
//! when unknown), the entries, and a 0xFF terminator. An entry is the previous entry's length
//! (1 byte, or 0xFE and 4 bytes LE), an encoding, and the data.

use super::Element;

/// Header bytes.
const HEADER_BYTES: usize = 10;
/// The terminator.
const END: u8 = 0xff;
/// The count of a ziplist with this many entries or more is not kept in the header.
const COUNT_UNKNOWN: u16 = u16::MAX;

/// Reads every element of a ziplist blob, checking all of it as Redis's deep
/// `ziplistValidateIntegrity` does: header length and tail offset, each entry's encoding and
/// length, every entry's record of its predecessor's length, the terminator, and the count.
/// Returns the number of elements.
pub fn for_each<'a>(
    blob: &'a [u8],
    f: &mut dyn FnMut(Element<'a>) -> Result<(), String>,
) -> Result<usize, String> {
    let header = blob
        .get(..HEADER_BYTES)
        .ok_or("ziplist shorter than its header")?;
    let total = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
    let tail = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
    let declared = u16::from_le_bytes([header[8], header[9]]);
    if total != blob.len() || blob.len() < HEADER_BYTES + 1 {
        return Err(format!(
            "ziplist header says {total} bytes, blob has {}",
            blob.len()
        ));
    }
    if blob.last() != Some(&END) {
        return Err("ziplist without terminator".into());
    }
    let mut pos = HEADER_BYTES;
    let mut previous: Option<(usize, usize)> = None; // (offset, raw length)
    let mut count = 0usize;
    while blob
        .get(pos)
        .copied()
        .ok_or("ziplist entry runs past the end")?
        != END
    {
        let (prevlen, prevlen_bytes) = match blob[pos] {
            0xfe => {
                let bytes = blob
                    .get(pos + 1..pos + 5)
                    .ok_or("ziplist entry runs past the end")?;
                (
                    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize,
                    5,
                )
            }
            small => (usize::from(small), 1),
        };
        if prevlen != previous.map_or(0, |(_, len)| len) {
            return Err("ziplist entry with a wrong previous-entry length".into());
        }
        let (element, encoded) = entry_at(blob, pos + prevlen_bytes)?;
        f(element)?;
        count += 1;
        let raw = prevlen_bytes + encoded;
        previous = Some((pos, raw));
        pos += raw;
    }
    if pos + 1 != blob.len() {
        return Err("ziplist terminator before the end of the blob".into());
    }
    if let Some((last, _)) = previous {
        if last != tail {
            return Err("ziplist tail offset does not point at the last entry".into());
        }
    }
    if declared != COUNT_UNKNOWN && usize::from(declared) != count {
        return Err(format!(
            "ziplist header says {declared} entries, found {count}"
        ));
    }
    Ok(count)
}

/// Decodes the encoding and data at `pos`: the element and how many bytes they take.
fn entry_at(blob: &[u8], pos: usize) -> Result<(Element<'_>, usize), String> {
    let byte = |offset: usize| -> Result<u8, String> {
        blob.get(pos + offset)
            .copied()
            .ok_or_else(|| "ziplist entry runs past the end".to_string())
    };
    let first = byte(0)?;
    let string = |header: usize, len: usize| -> Result<(Element<'_>, usize), String> {
        let data = blob
            .get(pos + header..pos.saturating_add(header).saturating_add(len))
            .ok_or("ziplist string runs past the end")?;
        Ok((Element::Str(data), header + len))
    };
    let int = |width: usize| -> Result<(Element<'_>, usize), String> {
        let mut bytes = [0u8; 8];
        for (index, slot) in bytes.iter_mut().enumerate().take(width) {
            *slot = byte(1 + index)?;
        }
        let shift = 64 - 8 * width as u32;
        Ok((
            Element::Int((i64::from_le_bytes(bytes) << shift) >> shift),
            1 + width,
        ))
    };
    match first {
        0x00..=0x3f => string(1, usize::from(first)),
        0x40..=0x7f => string(2, (usize::from(first & 0x3f) << 8) | usize::from(byte(1)?)),
        // Redis masks the low bits of a 32-bit string length's encoding byte.
        0x80..=0xbf => {
            let len = u32::from_be_bytes([byte(1)?, byte(2)?, byte(3)?, byte(4)?]);
            string(5, len as usize)
        }
        0xc0 => int(2),
        0xd0 => int(4),
        0xe0 => int(8),
        0xf0 => int(3),
        0xfe => int(1),
        0xf1..=0xfd => Ok((Element::Int(i64::from(first & 0x0f) - 1), 1)),
        _ => Err(format!("ziplist entry with unknown encoding 0x{first:02x}")),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Builds a ziplist as Redis 6.2 would (tests only: we never write ziplists).
    pub(crate) fn build(items: &[&[u8]]) -> Vec<u8> {
        let mut blob = vec![0u8; HEADER_BYTES];
        let mut previous_len = 0usize;
        let mut tail = HEADER_BYTES;
        for item in items {
            tail = blob.len();
            let start = blob.len();
            if previous_len < 254 {
                blob.push(previous_len as u8);
            } else {
                blob.push(0xfe);
                blob.extend_from_slice(&(previous_len as u32).to_le_bytes());
            }
            match crate::engine::resp::parse_i64(item) {
                Some(v @ 0..=12) => blob.push(0xf1 + v as u8),
                Some(v) if i8::try_from(v).is_ok() => blob.extend_from_slice(&[0xfe, v as u8]),
                Some(v) if i16::try_from(v).is_ok() => {
                    blob.push(0xc0);
                    blob.extend_from_slice(&(v as i16).to_le_bytes());
                }
                Some(v) if (-(1 << 23)..(1 << 23)).contains(&v) => {
                    blob.push(0xf0);
                    blob.extend_from_slice(&(v as i32).to_le_bytes()[..3]);
                }
                Some(v) if i32::try_from(v).is_ok() => {
                    blob.push(0xd0);
                    blob.extend_from_slice(&(v as i32).to_le_bytes());
                }
                Some(v) => {
                    blob.push(0xe0);
                    blob.extend_from_slice(&v.to_le_bytes());
                }
                None if item.len() < 64 => {
                    blob.push(item.len() as u8);
                    blob.extend_from_slice(item);
                }
                None if item.len() < 16384 => {
                    blob.extend_from_slice(&[0x40 | (item.len() >> 8) as u8, item.len() as u8]);
                    blob.extend_from_slice(item);
                }
                None => {
                    blob.push(0x80);
                    blob.extend_from_slice(&(item.len() as u32).to_be_bytes());
                    blob.extend_from_slice(item);
                }
            }
            previous_len = blob.len() - start;
        }
        blob.push(END);
        let total = blob.len() as u32;
        blob[0..4].copy_from_slice(&total.to_le_bytes());
        blob[4..8].copy_from_slice(&(tail as u32).to_le_bytes());
        blob[8..10].copy_from_slice(&(items.len() as u16).to_le_bytes());
        blob
    }

    fn read(blob: &[u8]) -> Result<Vec<Vec<u8>>, String> {
        let mut items = Vec::new();
        for_each(blob, &mut |element| {
            items.push(element.to_vec());
            Ok(())
        })?;
        Ok(items)
    }

    #[test]
    fn ziplist_elements_of_every_encoding_read_back() {
        let texts: Vec<Vec<u8>> = [
            "0",
            "12",
            "13",
            "-1",
            "300",
            "-70000",
            "8000000",
            "2147483647",
            "-9223372036854775808",
            "abc",
            "",
            "007",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .chain([vec![b'y'; 300], vec![b'z'; 20_000]])
        .collect();
        let refs: Vec<&[u8]> = texts.iter().map(Vec::as_slice).collect();
        assert_eq!(read(&build(&refs)).unwrap(), texts);
        assert_eq!(read(&build(&[])).unwrap(), Vec::<Vec<u8>>::new());
    }

    #[test]
    fn ziplist_validation_rejects_corruption() {
        let good = build(&[b"hello", b"42", b"world"]);
        assert!(read(&good).is_ok());
        let mut wrong_tail = good.clone();
        wrong_tail[4] += 1;
        assert!(read(&wrong_tail).is_err());
        let mut wrong_prevlen = good.clone();
        wrong_prevlen[HEADER_BYTES + 7] = 3;
        assert!(read(&wrong_prevlen).is_err());
        let mut wrong_count = good.clone();
        wrong_count[8] = 9;
        assert!(read(&wrong_count).is_err());
        let mut bad_encoding = good.clone();
        bad_encoding[HEADER_BYTES + 1] = 0xc1;
        assert!(read(&bad_encoding).is_err());
        let mut long_string = good.clone();
        long_string[HEADER_BYTES + 1] = 0x3f;
        assert!(read(&long_string).is_err());
        assert!(read(&good[..good.len() - 1]).is_err());
    }
}
