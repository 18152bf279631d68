//! `sdscatrepr`: how Redis quotes bytes for people to read (redis-cli's `--replica` and
//! `MONITOR`-style output, hiredis's protocol errors), the inverse of [`super::split_args`].

/// Appends `bytes` double-quoted with C escapes; bytes outside printable ASCII as `\xHH`.
pub fn push_repr(bytes: &[u8], out: &mut String) {
    out.push('"');
    for &byte in bytes {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x20..=0x7e => out.push(char::from(byte)),
            other => {
                out.push_str("\\x");
                push_hex(other, out);
            }
        }
    }
    out.push('"');
}

/// Appends `byte` as two lower-case hex digits: the crate's one hex writer (`\xHH` escapes,
/// DEBUG DIGEST).
pub fn push_hex(byte: u8, out: &mut String) {
    const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
    out.push(char::from(HEX_DIGITS[usize::from(byte & 0xf)]));
}

/// `bytes` quoted as [`push_repr`] does.
pub fn repr(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    push_repr(bytes, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn quotes_as_sdscatrepr_does() {
        assert_eq!(repr(b"set"), "\"set\"");
        assert_eq!(
            repr(b"a\"b\\c\n\r\t\x07\x08"),
            "\"a\\\"b\\\\c\\n\\r\\t\\a\\b\""
        );
        assert_eq!(
            repr(b"\x00\x1f\x7f\xff \xc3\xa9"),
            "\"\\x00\\x1f\\x7f\\xff \\xc3\\xa9\""
        );
        assert_eq!(repr(b""), "\"\"");
    }
}
