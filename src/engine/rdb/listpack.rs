//! Listpacks (Redis's `listpack.c`), byte for byte: the in-memory form of small hashes, small
//! sorted sets and quicklist nodes, which RDB files hold as they are.
//!
//! Layout: total bytes (u32 LE), element count (u16 LE, 65535 when unknown), the entries, and a
//! 0xFF terminator. An entry is its encoding and data, then a "backlen" (the entry's own length,
//! 7 bits per byte, readable from the right). Integers take the smallest of seven encodings;
//! strings a 6-bit, 12-bit or 32-bit length.

use super::Element;
use crate::engine::resp::parse_i64;

/// Header bytes: total length and element count.
pub const HEADER_BYTES: usize = 6;
/// The terminator.
const END: u8 = 0xff;
/// The count of a listpack with this many elements or more is not kept in the header.
const COUNT_UNKNOWN: u16 = u16::MAX;

/// Starts a listpack in `buf` (cleared; its allocation is reused).
pub fn begin(buf: &mut Vec<u8>) {
    buf.clear();
    buf.extend_from_slice(&[0; HEADER_BYTES]);
}

/// Appends an element as `lpAppend` stores it: as an integer if the bytes are one in canonical
/// form (`lpStringToInt64`), else as a string.
pub fn push(buf: &mut Vec<u8>, bytes: &[u8]) {
    match parse_i64(bytes) {
        Some(value) => push_int(buf, value),
        None => push_str(buf, bytes),
    }
}

/// Appends an integer in the smallest encoding that holds it.
pub fn push_int(buf: &mut Vec<u8>, value: i64) {
    let start = buf.len();
    match value {
        0..=127 => buf.push(value as u8),
        -4096..=4095 => {
            let bits = (value as u16) & 0x1fff;
            buf.extend_from_slice(&[0xc0 | (bits >> 8) as u8, bits as u8]);
        }
        -32_768..=32_767 => {
            buf.push(0xf1);
            buf.extend_from_slice(&(value as i16).to_le_bytes());
        }
        -8_388_608..=8_388_607 => {
            buf.push(0xf2);
            buf.extend_from_slice(&(value as i32).to_le_bytes()[..3]);
        }
        -2_147_483_648..=2_147_483_647 => {
            buf.push(0xf3);
            buf.extend_from_slice(&(value as i32).to_le_bytes());
        }
        _ => {
            buf.push(0xf4);
            buf.extend_from_slice(&value.to_le_bytes());
        }
    }
    push_backlen(buf, buf.len() - start);
}

/// Appends a string entry.
pub fn push_str(buf: &mut Vec<u8>, bytes: &[u8]) {
    let len = bytes.len();
    let start = buf.len();
    if len < 64 {
        buf.push(0x80 | len as u8);
    } else if len < 4096 {
        buf.extend_from_slice(&[0xe0 | (len >> 8) as u8, len as u8]);
    } else {
        buf.push(0xf0);
        buf.extend_from_slice(&(len as u32).to_le_bytes());
    }
    buf.extend_from_slice(bytes);
    push_backlen(buf, buf.len() - start);
}

/// Terminates the listpack and fills in its header; `count` is the number of elements pushed.
pub fn finish(buf: &mut Vec<u8>, count: usize) {
    buf.push(END);
    let total = u32::try_from(buf.len()).unwrap_or(u32::MAX);
    let count = u16::try_from(count).unwrap_or(COUNT_UNKNOWN);
    write_header(buf, total, count);
}

/// Fills in the header at the start of `listpack`: its total bytes and its element count.
pub fn write_header(listpack: &mut [u8], total: u32, count: u16) {
    if let Some(header) = listpack.first_chunk_mut::<HEADER_BYTES>() {
        let [total_0, total_1, total_2, total_3] = total.to_le_bytes();
        let [count_0, count_1] = count.to_le_bytes();
        *header = [total_0, total_1, total_2, total_3, count_0, count_1];
    }
}

/// How many bytes the backlen of an entry of `len` bytes takes (`lpEncodeBacklen`'s cases).
fn backlen_bytes(len: usize) -> usize {
    match len {
        0..=127 => 1,
        128..=16_382 => 2,
        16_383..=2_097_150 => 3,
        2_097_151..=268_435_454 => 4,
        _ => 5,
    }
}

/// Appends the backlen of an entry of `len` bytes: 7 bits per byte, most significant first, every
/// byte but the first with its top bit set (so it reads from the right).
fn push_backlen(buf: &mut Vec<u8>, len: usize) {
    let mut encoded = [0u8; 5];
    push_backlen_into(&mut encoded, len);
    buf.extend_from_slice(&encoded[..backlen_bytes(len)]);
}

/// Reads every element of a listpack blob, checking all of it as Redis's deep
/// `lpValidateIntegrity` does: header length, each entry's encoding, length and backlen, the
/// terminator, and the element count. Returns the number of elements.
pub fn for_each<'a>(
    blob: &'a [u8],
    f: &mut dyn FnMut(Element<'a>) -> Result<(), String>,
) -> Result<usize, String> {
    let header = blob
        .get(..HEADER_BYTES)
        .ok_or("listpack shorter than its header")?;
    let total = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
    let declared = u16::from_le_bytes([header[4], header[5]]);
    if total != blob.len() {
        return Err(format!(
            "listpack header says {total} bytes, blob has {}",
            blob.len()
        ));
    }
    let mut pos = HEADER_BYTES;
    let mut count = 0usize;
    loop {
        let &first = blob.get(pos).ok_or("listpack without terminator")?;
        if first == END {
            break;
        }
        let (element, encoded) = entry_at(blob, pos)?;
        let backlen_at = pos + encoded;
        let backlen = backlen_bytes(encoded);
        let mut expected = [0u8; 5];
        let stored = blob
            .get(backlen_at..backlen_at + backlen)
            .ok_or("listpack entry runs past the end")?;
        push_backlen_into(&mut expected, encoded);
        if stored != &expected[..backlen] {
            return Err("listpack entry with a wrong backlen".into());
        }
        f(element)?;
        count += 1;
        pos = backlen_at + backlen;
    }
    if pos + 1 != blob.len() {
        return Err("listpack terminator before the end of the blob".into());
    }
    if declared != COUNT_UNKNOWN && usize::from(declared) != count {
        return Err(format!(
            "listpack header says {declared} elements, found {count}"
        ));
    }
    Ok(count)
}

/// The backlen of an entry of `len` bytes, written into `out` (at most 5 bytes).
fn push_backlen_into(out: &mut [u8; 5], len: usize) {
    let count = backlen_bytes(len);
    let len = len as u64;
    for (slot, index) in out.iter_mut().zip((0..count).rev()) {
        let group = ((len >> (7 * index)) & 127) as u8;
        *slot = if index + 1 == count {
            group
        } else {
            group | 128
        };
    }
}

/// Decodes the entry at `pos`: the element and how many bytes its encoding and data take.
fn entry_at(blob: &[u8], pos: usize) -> Result<(Element<'_>, usize), String> {
    let byte = |offset: usize| -> Result<u8, String> {
        blob.get(pos + offset)
            .copied()
            .ok_or_else(|| "listpack entry runs past the end".to_string())
    };
    let first = byte(0)?;
    let string = |header: usize, len: usize| -> Result<(Element<'_>, usize), String> {
        let data = blob
            .get(pos + header..pos + header + len)
            .ok_or("listpack string runs past the end")?;
        Ok((Element::Str(data), header + len))
    };
    let int = |width: usize| -> Result<(Element<'_>, usize), String> {
        let mut bytes = [0u8; 8];
        for (index, slot) in bytes.iter_mut().enumerate().take(width) {
            *slot = byte(1 + index)?;
        }
        // Sign-extend from `width` bytes.
        let shift = 64 - 8 * width as u32;
        let value = (i64::from_le_bytes(bytes) << shift) >> shift;
        Ok((Element::Int(value), 1 + width))
    };
    match first {
        0x00..=0x7f => Ok((Element::Int(i64::from(first)), 1)),
        0x80..=0xbf => string(1, usize::from(first & 0x3f)),
        0xc0..=0xdf => {
            let raw = (i64::from(first & 0x1f) << 8) | i64::from(byte(1)?);
            let value = if raw >= 1 << 12 { raw - (1 << 13) } else { raw };
            Ok((Element::Int(value), 2))
        }
        0xe0..=0xef => string(2, (usize::from(first & 0x0f) << 8) | usize::from(byte(1)?)),
        0xf0 => {
            let len = u32::from_le_bytes([byte(1)?, byte(2)?, byte(3)?, byte(4)?]);
            string(5, len as usize)
        }
        0xf1 => int(2),
        0xf2 => int(3),
        0xf3 => int(4),
        0xf4 => int(8),
        _ => Err(format!(
            "listpack entry with unknown encoding 0x{first:02x}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The bytes a string entry of `len` bytes takes, backlen included.
    fn str_entry_bytes(len: usize) -> usize {
        let header = match len {
            0..=63 => 1,
            64..=4095 => 2,
            _ => 5,
        };
        header + len + backlen_bytes(header + len)
    }

    fn build(items: &[&[u8]]) -> Vec<u8> {
        let mut buf = Vec::new();
        begin(&mut buf);
        items.iter().for_each(|item| push(&mut buf, item));
        finish(&mut buf, items.len());
        buf
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
    fn listpack_bytes_match_redis_for_a_small_zset() {
        // DUMP of `ZADD z -0 a 1.5 b` on redis-server 7.0.15 (rdbcompression no), minus the
        // type byte, the length byte and the trailer.
        let expected = b"\x14\x00\x00\x00\x04\x00\x81a\x02\x00\x01\x81b\x02\x831.5\x04\xff";
        assert_eq!(build(&[b"a", b"0", b"b", b"1.5"]), expected);
    }

    #[test]
    fn listpack_integers_take_every_encoding_and_read_back() {
        let values: [i64; 16] = [
            0,
            127,
            128,
            -1,
            -4096,
            4095,
            4096,
            -4097,
            32_767,
            -32_768,
            8_388_607,
            -8_388_608,
            2_147_483_647,
            -2_147_483_648,
            i64::MAX,
            i64::MIN,
        ];
        let texts: Vec<Vec<u8>> = values.iter().map(|v| v.to_string().into_bytes()).collect();
        let refs: Vec<&[u8]> = texts.iter().map(Vec::as_slice).collect();
        let blob = build(&refs);
        assert_eq!(read(&blob).unwrap(), texts);
        let mut decoded = Vec::new();
        for_each(&blob, &mut |element| {
            decoded.push(element);
            Ok(())
        })
        .unwrap();
        assert!(decoded.iter().all(|e| matches!(e, Element::Int(_))));
    }

    #[test]
    fn listpack_strings_of_every_length_class_round_trip() {
        let items: Vec<Vec<u8>> = [0usize, 1, 63, 64, 127, 128, 4095, 4096, 20_000]
            .iter()
            .map(|&len| vec![b'x'; len])
            .collect();
        let refs: Vec<&[u8]> = items.iter().map(Vec::as_slice).collect();
        let blob = build(&refs);
        assert_eq!(read(&blob).unwrap(), items);
        let entries: usize = items.iter().map(|item| str_entry_bytes(item.len())).sum();
        assert_eq!(blob.len(), HEADER_BYTES + entries + 1);
        // Non-canonical integers stay strings.
        let blob = build(&[b"007", b"-0", b"+1", b"1 "]);
        let mut strings = 0;
        for_each(&blob, &mut |element| {
            strings += usize::from(matches!(element, Element::Str(_)));
            Ok(())
        })
        .unwrap();
        assert_eq!(strings, 4);
    }

    #[test]
    fn listpack_validation_rejects_corruption() {
        let good = build(&[b"hello", b"42", b"world"]);
        assert!(read(&good).is_ok());
        let mut wrong_total = good.clone();
        wrong_total[0] += 1;
        assert!(read(&wrong_total).is_err());
        let mut wrong_count = good.clone();
        wrong_count[4] = 2;
        assert!(read(&wrong_count).is_err());
        let mut unknown_count = good.clone();
        unknown_count[4] = 0xff;
        unknown_count[5] = 0xff;
        assert!(read(&unknown_count).is_ok(), "65535 means: count them");
        let mut wrong_backlen = good.clone();
        wrong_backlen[HEADER_BYTES + 6] = 9;
        assert!(read(&wrong_backlen).is_err());
        let mut no_end = good.clone();
        *no_end.last_mut().unwrap() = 0x01;
        assert!(read(&no_end).is_err());
        let mut bad_encoding = good.clone();
        bad_encoding[HEADER_BYTES] = 0xf7;
        assert!(read(&bad_encoding).is_err());
        let mut long_string = good.clone();
        long_string[HEADER_BYTES] = 0xbf;
        assert!(read(&long_string).is_err());
        assert!(read(&good[..3]).is_err());
        assert!(read(&good[..good.len() - 1]).is_err());
    }
}
