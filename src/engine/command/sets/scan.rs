//! What SSCAN and HSCAN share with SCAN: the cursor (`parseScanCursorOrReply`), the COUNT and
//! MATCH options (`scanGenericCommand`), glob matching (`stringmatchlen`) and the reply shape.

use crate::engine::command::args;
use crate::engine::resp::Frame;

/// Redis refuses glob patterns nested deeper than this (stack protection, `stringmatchlen`).
const GLOB_NESTING_MAX: u32 = 1000;

/// COUNT and MATCH after a key's cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::engine::command) struct ScanOptions {
    /// COUNT: how many elements to aim for (10 by default).
    pub count: usize,
    /// MATCH: the glob pattern elements must match.
    pub pattern: Option<Vec<u8>>,
}

impl ScanOptions {
    /// Whether `element` passes the MATCH filter.
    pub fn matches(&self, element: &[u8]) -> bool {
        self.pattern
            .as_deref()
            .is_none_or(|pattern| glob_match(pattern, element))
    }
}

/// The cursor as C's `strtoul` reads it (base 10, optional sign, negatives wrap; an empty string
/// is 0) over the whole C string, no leading blank: else `-ERR invalid cursor`.
pub(in crate::engine::command) fn parse_cursor(arg: &[u8]) -> Result<u64, Frame> {
    let invalid = || Frame::error("ERR invalid cursor");
    // Redis hands strtoul a C string: it ends at the first NUL.
    let text = arg.split(|&byte| byte == 0).next().unwrap_or_default();
    if text.is_empty() {
        return Ok(0);
    }
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(invalid());
    }
    let magnitude = digits.iter().try_fold(0u64, |value, &digit| {
        value.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
    });
    let magnitude = magnitude.ok_or_else(invalid)?;
    Ok(if negative {
        magnitude.wrapping_neg()
    } else {
        magnitude
    })
}

/// The options after the cursor: `COUNT n` (n ≥ 1) and `MATCH pattern`, any order, the last
/// one winning; anything else is a syntax error.
pub(in crate::engine::command) fn parse_options(options: &[Vec<u8>]) -> Result<ScanOptions, Frame> {
    let mut parsed = ScanOptions {
        count: 10,
        pattern: None,
    };
    let mut rest = options;
    while let [name, value, tail @ ..] = rest {
        if name.eq_ignore_ascii_case(b"count") {
            let count = args::integer(value)?;
            if count < 1 {
                return Err(args::syntax_error());
            }
            parsed.count = usize::try_from(count).unwrap_or(usize::MAX);
        } else if name.eq_ignore_ascii_case(b"match") {
            // Redis skips the filter for a lone `*`, which matters: the glob itself does not
            // match an empty string with `*`.
            parsed.pattern = (value.as_slice() != b"*").then(|| value.clone());
        } else {
            return Err(args::syntax_error());
        }
        rest = tail;
    }
    if rest.is_empty() {
        Ok(parsed)
    } else {
        Err(args::syntax_error())
    }
}

/// `[cursor, [elements...]]`, the cursor as a decimal bulk string.
pub(in crate::engine::command) fn reply(cursor: u64, elements: Vec<Frame>) -> Frame {
    Frame::Array(vec![
        Frame::bulk(cursor.to_string()),
        Frame::Array(elements),
    ])
}

/// Redis's glob (`stringmatchlen`, case-sensitive): `*`, `?`, `[...]` with `^` and ranges,
/// `\` escapes. Bytes compare as C's signed `char` in ranges, as on x86-64.
pub(in crate::engine::command) fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let mut skip_longer_matches = false;
    glob_match_from(pattern, text, &mut skip_longer_matches, 0)
}

/// One level of `stringmatchlen_impl`. `skip_longer_matches` is set once the rest of a pattern
/// after a `*` matched nowhere: trying longer matches for earlier stars cannot help, which
/// keeps patterns like `*a*a*a*b` from taking exponential time.
fn glob_match_from(
    pattern: &[u8],
    text: &[u8],
    skip_longer_matches: &mut bool,
    nesting: u32,
) -> bool {
    if nesting > GLOB_NESTING_MAX {
        return false;
    }
    let (mut p, mut t) = (0usize, 0usize);
    while p < pattern.len() && t < text.len() {
        match pattern[p] {
            b'*' => {
                while p + 1 < pattern.len() && pattern[p + 1] == b'*' {
                    p += 1;
                }
                if p + 1 == pattern.len() {
                    return true;
                }
                while t < text.len() {
                    if glob_match_from(
                        &pattern[p + 1..],
                        &text[t..],
                        skip_longer_matches,
                        nesting + 1,
                    ) {
                        return true;
                    }
                    if *skip_longer_matches {
                        return false;
                    }
                    t += 1;
                }
                *skip_longer_matches = true;
                return false;
            }
            b'?' => t += 1,
            b'[' => {
                let (matched, end) = match_class(pattern, p + 1, text[t]);
                if !matched {
                    return false;
                }
                p = end;
                t += 1;
            }
            b'\\' => {
                if pattern.len() - p >= 2 {
                    p += 1;
                }
                if pattern[p] != text[t] {
                    return false;
                }
                t += 1;
            }
            literal => {
                if literal != text[t] {
                    return false;
                }
                t += 1;
            }
        }
        p += 1;
        if t == text.len() {
            while p < pattern.len() && pattern[p] == b'*' {
                p += 1;
            }
            break;
        }
    }
    p == pattern.len() && t == text.len()
}

/// A `[...]` class starting just after `[` at `start`: whether `byte` matches it, and the index
/// of its closing `]` (or of the pattern's last byte when unterminated, as Redis reads it).
fn match_class(pattern: &[u8], start: usize, byte: u8) -> (bool, usize) {
    let mut p = start;
    let negate = pattern.get(p) == Some(&b'^');
    if negate {
        p += 1;
    }
    let mut matched = false;
    loop {
        let left = pattern.len().saturating_sub(p);
        if left == 0 {
            // Unterminated: the class runs to the end of the pattern.
            return (matched != negate, pattern.len() - 1);
        }
        if pattern[p] == b'\\' && left >= 2 {
            p += 1;
            matched |= pattern[p] == byte;
        } else if pattern[p] == b']' {
            return (matched != negate, p);
        } else if left >= 3 && pattern[p + 1] == b'-' {
            // C compares `char`s, signed on x86-64: bytes ≥ 0x80 sort below ASCII.
            let (mut low, mut high) = (pattern[p] as i8, pattern[p + 2] as i8);
            if low > high {
                std::mem::swap(&mut low, &mut high);
            }
            matched |= (low..=high).contains(&(byte as i8));
            p += 2;
        } else {
            matched |= pattern[p] == byte;
        }
        p += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn glob_supports_stars_classes_and_escapes() {
        let cases: &[(&[u8], &[u8], bool)] = &[
            (b"*", b"", false),
            (b"**", b"", false),
            (b"a*", b"a", true),
            (b"a*", b"abc", true),
            (b"a*", b"bac", false),
            (b"*c", b"abc", true),
            (b"a?c", b"abc", true),
            (b"a?c", b"ac", false),
            (b"[ab]x", b"bx", true),
            (b"[^ab]x", b"bx", false),
            (b"[a-c]", b"b", true),
            (b"[c-a]", b"b", true),
            (b"[a-c]", b"d", false),
            (b"\\*", b"*", true),
            (b"\\*", b"a", false),
            (b"[\\]]", b"]", true),
            (b"[ab", b"a", true),
            (b"[ab", b"c", false),
            (b"h*llo*", b"hello", true),
            (b"*a*a*a*b", b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
            // Signed chars: the range is -1..=97, so \xff and '0' are in, \xfe and 'b' out.
            (b"[a-\xff]", b"\xff", true),
            (b"[a-\xff]", b"0", true),
            (b"[a-\xff]", b"\xfe", false),
            (b"[a-\xff]", b"b", false),
            (b"", b"", true),
            (b"a", b"", false),
        ];
        for &(pattern, text, expected) in cases {
            assert_eq!(
                glob_match(pattern, text),
                expected,
                "{:?} ~ {:?}",
                String::from_utf8_lossy(pattern),
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn cursors_parse_like_strtoul() {
        assert_eq!(parse_cursor(b"0"), Ok(0));
        assert_eq!(parse_cursor(b""), Ok(0));
        assert_eq!(parse_cursor(b"+7"), Ok(7));
        assert_eq!(parse_cursor(b"-1"), Ok(u64::MAX));
        assert_eq!(parse_cursor(b"0\0junk"), Ok(0));
        assert_eq!(parse_cursor(b"18446744073709551615"), Ok(u64::MAX));
        for bad in [&b"18446744073709551616"[..], b" 0", b"+", b"0x1", b"1 "] {
            assert!(parse_cursor(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn scan_options_check_count_and_pairs() {
        let args = |items: &[&str]| -> Vec<Vec<u8>> {
            items.iter().map(|item| item.as_bytes().to_vec()).collect()
        };
        assert_eq!(
            parse_options(&args(&["MATCH", "a*", "count", "5", "match", "b*"])),
            Ok(ScanOptions {
                count: 5,
                pattern: Some(b"b*".to_vec())
            })
        );
        assert_eq!(
            parse_options(&args(&["COUNT", "0"])),
            Err(args::syntax_error())
        );
        assert_eq!(
            parse_options(&args(&["COUNT", "x"])),
            Err(Frame::error(args::NOT_AN_INTEGER))
        );
        assert_eq!(parse_options(&args(&["MATCH"])), Err(args::syntax_error()));
        assert_eq!(
            parse_options(&args(&["TYPE", "string"])),
            Err(args::syntax_error())
        );
    }
}
