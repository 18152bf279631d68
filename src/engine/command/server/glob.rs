//! Redis's glob matching (`stringmatchlen` in `util.c`), for CONFIG GET and COMMAND LIST
//! FILTERBY PATTERN.
//!
//! TEMPORARY: a private port until the shared `engine::glob` (written on another branch) is
//! merged; then this file goes and its callers switch over. It follows the C code step by step,
//! quirks included: an unterminated `[` matches as if closed, `\` escapes the next byte, ranges
//! may be reversed (`[z-a]`), and reads past the end of the pattern see a NUL byte, as C's do.

/// Whether `string` matches the glob `pattern`; `nocase` folds ASCII case.
pub(in crate::engine::command) fn string_match(
    pattern: &[u8],
    string: &[u8],
    nocase: bool,
) -> bool {
    let mut skip_longer_matches = false;
    match_from(pattern, string, nocase, &mut skip_longer_matches)
}

fn fold(byte: u8, nocase: bool) -> u8 {
    if nocase {
        byte.to_ascii_lowercase()
    } else {
        byte
    }
}

fn match_from(pattern: &[u8], string: &[u8], nocase: bool, skip_longer: &mut bool) -> bool {
    // `at(p)` is the pattern byte at p, or NUL past the end (the C string's terminator).
    let at = |index: usize| pattern.get(index).copied().unwrap_or(0);
    let (mut p, mut s) = (0usize, 0usize);
    while p < pattern.len() && s < string.len() {
        match pattern[p] {
            b'*' => {
                while p < pattern.len() && at(p + 1) == b'*' {
                    p += 1;
                }
                if pattern.len() - p == 1 {
                    return true;
                }
                while s < string.len() {
                    if match_from(&pattern[p + 1..], &string[s..], nocase, skip_longer) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    s += 1;
                }
                // Nothing after this star matches anywhere further on: a longer match for an
                // earlier star cannot help either.
                *skip_longer = true;
                return false;
            }
            b'?' => s += 1,
            b'[' => {
                p += 1;
                let negate = at(p) == b'^';
                if negate {
                    p += 1;
                }
                let current = string[s];
                let mut matched = false;
                loop {
                    let remaining = pattern.len().saturating_sub(p);
                    if at(p) == b'\\' && remaining >= 2 {
                        p += 1;
                        if at(p) == current {
                            matched = true;
                        }
                    } else if at(p) == b']' {
                        break;
                    } else if remaining == 0 {
                        // Unterminated class: step back so the `p += 1` below ends the pattern.
                        p -= 1;
                        break;
                    } else if remaining >= 3 && at(p + 1) == b'-' {
                        let (mut start, mut end) = (at(p), at(p + 2));
                        if start > end {
                            std::mem::swap(&mut start, &mut end);
                        }
                        let (start, end, byte) = (
                            fold(start, nocase),
                            fold(end, nocase),
                            fold(current, nocase),
                        );
                        p += 2;
                        if (start..=end).contains(&byte) {
                            matched = true;
                        }
                    } else if fold(at(p), nocase) == fold(current, nocase) {
                        matched = true;
                    }
                    p += 1;
                }
                if matched == negate {
                    return false;
                }
                s += 1;
            }
            byte => {
                let literal = if byte == b'\\' && pattern.len() - p >= 2 {
                    p += 1;
                    pattern[p]
                } else {
                    byte
                };
                if fold(literal, nocase) != fold(string[s], nocase) {
                    return false;
                }
                s += 1;
            }
        }
        p += 1;
        if s == string.len() {
            while at(p) == b'*' {
                p += 1;
            }
            break;
        }
    }
    p >= pattern.len() && s == string.len()
}

#[cfg(test)]
mod tests {
    use super::string_match;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn glob_matches_like_stringmatchlen() {
        let cases: &[(&str, &str, bool)] = &[
            // As in C: the loop never runs for an empty string, so even "*" fails (KEYS has
            // its own shortcut for a lone "*").
            ("*", "", false),
            ("*", "anything", true),
            ("", "", true),
            ("", "a", false),
            ("a*", "abc", true),
            ("*max*entries*", "hash-max-listpack-entries", true),
            ("h?llo", "hello", true),
            ("h?llo", "hllo", false),
            ("h[ae]llo", "hallo", true),
            ("h[^e]llo", "hello", false),
            ("h[a-c]llo", "hbllo", true),
            ("h[c-a]llo", "hbllo", true),
            ("h\\*llo", "h*llo", true),
            ("h\\*llo", "hello", false),
            ("a[", "a", false),
            ("a[b", "ab", true),
            ("a**b", "axxb", true),
            ("a*b*c", "abxbc", true),
            ("a*", "", false),
        ];
        for (pattern, string, expected) in cases {
            assert_eq!(
                string_match(pattern.as_bytes(), string.as_bytes(), false),
                *expected,
                "{pattern} ~ {string}"
            );
        }
        assert!(string_match(b"CONF*", b"config|get", true));
        assert!(!string_match(b"CONF*", b"config|get", false));
        assert!(string_match(b"[A-C]x", b"bx", true));
    }
}
