//! Glob-style pattern matching with the exact semantics of Redis's `stringmatchlen` (util.c):
//! what KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE and friends accept.
//!
//! - `*` matches any run of bytes, `?` exactly one byte;
//! - `[abc]`, `[a-z]` (reversed ranges are swapped), `[^...]` negates; `\x` inside a class is a
//!   literal `x`; an unterminated class ends at the end of the pattern;
//! - `\x` is a literal `x`; a lone trailing `\` matches a `\`;
//! - everything else matches itself, byte for byte (`nocase` folds ASCII letters only).
//!
//! Quirks kept on purpose, because Redis has them: bytes in class ranges compare as C's *signed*
//! `char` (so `[a-\xff]` means `[\xff-a]`, i.e. -1..=97), an empty subject only matches an empty
//! pattern (`*` does not match `""`: KEYS and SCAN special-case a bare `*` before calling us), and
//! an escaped byte inside a class is compared case-sensitively even with `nocase`.
//!
//! It never blows the stack nor takes exponential time: like Redis 7.0.15 (with the
//! CVE-2022-36021 and CVE-2024-31228 fixes Debian ships), a `*` that found no match for the rest of
//! the pattern anywhere in the rest of the subject stops every enclosing `*` from trying longer
//! matches (`skip_longer_matches`), and `*`s nested deeper than [`NESTING_MAX`] fail.

/// How many `*` deep the matcher follows a pattern before answering "no match" (Redis's guard
/// against stack exhaustion by long patterns).
pub const NESTING_MAX: u32 = 1000;

/// Whether `subject` matches the glob `pattern` (Redis's `stringmatchlen`); `nocase` folds ASCII
/// letters (CONFIG GET uses it, KEYS and SCAN do not).
pub fn string_match(pattern: &[u8], subject: &[u8], nocase: bool) -> bool {
    let mut skip_longer_matches = false;
    match_nested(pattern, subject, nocase, &mut skip_longer_matches, 0)
}

/// The matcher proper (Redis's `stringmatchlen_impl`). `skip_longer_matches` is shared by every
/// level: once a `*` has proved that the rest of the pattern matches no suffix of the subject, a
/// longer match of an earlier `*` would only have to match a shorter suffix, so nobody retries.
fn match_nested(
    pattern: &[u8],
    subject: &[u8],
    nocase: bool,
    skip_longer_matches: &mut bool,
    nesting: u32,
) -> bool {
    if nesting > NESTING_MAX {
        return false;
    }
    // `p` and `s` index the next unmatched byte; C walks pointers and reads its NUL terminator
    // at the end, which here is "index == len".
    let (mut p, mut s) = (0, 0);
    while p < pattern.len() && s < subject.len() {
        match pattern[p] {
            b'*' => {
                while pattern.get(p + 1) == Some(&b'*') {
                    p += 1;
                }
                if p + 1 == pattern.len() {
                    return true;
                }
                while s < subject.len() {
                    if match_nested(
                        &pattern[p + 1..],
                        &subject[s..],
                        nocase,
                        skip_longer_matches,
                        nesting + 1,
                    ) {
                        return true;
                    }
                    if *skip_longer_matches {
                        return false;
                    }
                    s += 1;
                }
                *skip_longer_matches = true;
                return false;
            }
            b'?' => s += 1,
            b'[' => {
                let (matched, class_end) = match_class(pattern, p + 1, subject[s], nocase);
                if !matched {
                    return false;
                }
                p = class_end;
                s += 1;
            }
            literal => {
                // A backslash escapes the next byte; a trailing one stands for itself.
                let expected = if literal == b'\\' && p + 1 < pattern.len() {
                    p += 1;
                    pattern[p]
                } else {
                    literal
                };
                if !bytes_equal(expected, subject[s], nocase) {
                    return false;
                }
                s += 1;
            }
        }
        p += 1;
        if s == subject.len() {
            // Trailing stars match the empty rest.
            while pattern.get(p) == Some(&b'*') {
                p += 1;
            }
            break;
        }
    }
    p == pattern.len() && s == subject.len()
}

/// Matches one subject byte against the class starting at `start` (just after `[`). Returns
/// whether it matched and the index of the class's closing `]`, or of the pattern's last byte
/// when the class is unterminated (the caller steps past it either way).
fn match_class(pattern: &[u8], start: usize, byte: u8, nocase: bool) -> (bool, usize) {
    let mut p = start;
    let negated = pattern.get(p) == Some(&b'^');
    if negated {
        p += 1;
    }
    let mut matched = false;
    loop {
        let remaining = pattern.len() - p;
        match pattern.get(p) {
            Some(b'\\') if remaining >= 2 => {
                p += 1;
                // Redis compares escaped class bytes exactly, even with nocase.
                if pattern[p] == byte {
                    matched = true;
                }
            }
            Some(b']') => break,
            None => {
                // Unterminated: back up so the caller's step lands on the end of the pattern.
                p -= 1;
                break;
            }
            Some(&first) if remaining >= 3 && pattern[p + 1] == b'-' => {
                let (mut low, mut high) = (signed(first), signed(pattern[p + 2]));
                if low > high {
                    std::mem::swap(&mut low, &mut high);
                }
                let mut value = signed(byte);
                if nocase {
                    low = to_lower(low);
                    high = to_lower(high);
                    value = to_lower(value);
                }
                p += 2;
                if (low..=high).contains(&value) {
                    matched = true;
                }
            }
            Some(&literal) => {
                if bytes_equal(literal, byte, nocase) {
                    matched = true;
                }
            }
        }
        p += 1;
    }
    (matched != negated, p)
}

/// A byte as C's signed `char` on the platforms Redis runs on (x86, arm64 Linux builds).
fn signed(byte: u8) -> i32 {
    i32::from(byte as i8)
}

/// C's `tolower` in the "C" locale, which Redis keeps for `LC_CTYPE`: only `A`-`Z` change.
fn to_lower(value: i32) -> i32 {
    if (i32::from(b'A')..=i32::from(b'Z')).contains(&value) {
        value + 32
    } else {
        value
    }
}

fn bytes_equal(a: u8, b: u8, nocase: bool) -> bool {
    if nocase {
        a.eq_ignore_ascii_case(&b)
    } else {
        a == b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// (pattern, subject, whether Redis 7.0.15 matches), each checked with `KEYS` on the real
    /// server (a database holding only the subject).
    const CHECKED_AGAINST_REDIS: &[(&[u8], &[u8], bool)] = &[
        (b"*", b"hello", true),
        (b"h*o", b"hello", true),
        (b"h*x", b"hello", false),
        (b"h?llo", b"hello", true),
        (b"h?llo", b"hllo", false),
        (b"h[ae]llo", b"hello", true),
        (b"h[ae]llo", b"hillo", false),
        (b"h[^e]llo", b"hello", false),
        (b"h[^e]llo", b"hallo", true),
        (b"h[a-b]llo", b"hbllo", true),
        (b"h[b-a]llo", b"hallo", true),
        (b"h[a-]llo", b"h-llo", false),
        (b"h[-a]llo", b"h-llo", true),
        (b"h\\*llo", b"h*llo", true),
        (b"h\\*llo", b"hello", false),
        (b"\\", b"\\", true),
        (b"a\\", b"a\\", true),
        (b"a\\", b"a", false),
        (b"[\\]]", b"]", true),
        (b"[\\-]", b"-", true),
        (b"[a\\-z]", b"b", false),
        (b"[]", b"a", false),
        (b"[]]", b"]", false),
        (b"[^]", b"x", true),
        (b"[^]]", b"]", false),
        (b"[", b"[", false),
        (b"[^", b"x", true),
        (b"[a", b"a", true),
        (b"[a", b"b", false),
        (b"[a-", b"a", true),
        (b"[a-", b"-", true),
        (b"[a-z", b"q", true),
        (b"a*", b"a", true),
        (b"a**", b"a", true),
        (b"*a", b"a", true),
        (b"**", b"ab", true),
        (b"a*b*c", b"abc", true),
        (b"a*b*c", b"aXbYc", true),
        (b"a*b*c", b"aXbY", false),
        (b"*?", b"a", true),
        (b"?*", b"a", true),
        (b"??", b"a", false),
        (b"*??*", b"ab", true),
        (b"a?*c", b"abc", true),
        (b"a?*c", b"ac", false),
        (b"HELLO", b"hello", false),
        (b"[A-Z]", b"a", false),
        (b"x*", b"x", true),
        (b"x*y", b"x", false),
        (b"x*", b"xyz", true),
        (b"a[bc]*", b"ab", true),
        (b"*[", b"a[", false),
        (b"a[\\", b"a\\", true),
        (b"a[\\", b"a[", false),
        (
            b"*a*a*a*a*a*b",
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            false,
        ),
        (
            b"a*a*a*a*a*a*a*a*a*a*a*a*b",
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
            true,
        ),
        (b"[\x80-\xff]", b"\xc0", true),
        (b"[a-\xff]", b"0", true),
        (b"[a-\xff]", b"b", false),
        (b"\xff?", b"\xff\x00", true),
        (b"a\x00b", b"a\x00b", true),
        (b"a?b", b"a\x00b", true),
        (b"[\x00-a]", b"\x00", true),
        (b"*\x00", b"x\x00", true),
        (b"[^a-c]", b"d", true),
        (b"[^a-c]", b"b", false),
        (b"[!a]", b"!", true),
        (b"[!a]", b"b", false),
        (b"\\?", b"?", true),
        (b"\\?", b"a", false),
        (b"[?]", b"?", true),
        (b"[*]", b"x", false),
        (b"?", b"\xe9", true),
        (b"*ll*", b"hello", true),
        (b"*llx*", b"hello", false),
        (b"h*l*o", b"hello", true),
        (b"**o", b"o", true),
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
        (b"[ab", b"a", true),
        (b"[ab", b"c", false),
        (b"h*llo*", b"hello", true),
        (b"*a*a*a*b", b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        // Signed chars: `[a-\xff]` is -1..=97, so \xff is in and \xfe out.
        (b"[a-\xff]", b"\xff", true),
        (b"[a-\xff]", b"\xfe", false),
    ];

    #[test]
    fn glob_cases_checked_against_redis_agree() {
        for &(pattern, subject, expected) in CHECKED_AGAINST_REDIS {
            assert_eq!(
                string_match(pattern, subject, false),
                expected,
                "pattern {:?} subject {:?}",
                String::from_utf8_lossy(pattern),
                String::from_utf8_lossy(subject)
            );
        }
    }

    #[test]
    fn glob_empty_subject_matches_only_the_empty_pattern() {
        assert!(string_match(b"", b"", false));
        assert!(!string_match(b"*", b"", false));
        assert!(!string_match(b"**", b"", false));
        assert!(!string_match(b"", b"a", false));
        assert!(!string_match(b"a", b"", false));
    }

    #[test]
    fn glob_nocase_folds_ascii_letters_only() {
        assert!(string_match(b"HELLO", b"hello", true));
        assert!(string_match(b"h[A-Z]llo", b"hello", true));
        assert!(string_match(b"MAX*", b"maxmemory", true));
        assert!(!string_match(b"\xc9", b"\xe9", true));
        // Ranges are swapped first and lowered afterwards, as in C: Z-a becomes z..a, empty.
        assert!(!string_match(b"[Z-a]", b"z", true));
        assert!(string_match(b"[Z-a]", b"_", false));
        // An escaped byte in a class is compared exactly even with nocase.
        assert!(!string_match(b"[\\A]", b"a", true));
        assert!(string_match(b"[A]", b"a", true));
    }

    #[test]
    fn glob_alternating_stars_on_a_long_subject_finish_quickly() {
        // Exponential without skip_longer_matches: 40 stars over 10k bytes.
        let pattern = [&b"a*".repeat(40)[..], b"b"].concat();
        let subject = b"a".repeat(10_000);
        assert!(!string_match(&pattern, &subject, false));
        let subject = [&subject[..], b"b"].concat();
        assert!(string_match(&pattern, &subject, false));
        let pattern = [&b"*?".repeat(30)[..], b"x"].concat();
        assert!(!string_match(&pattern, &b"y".repeat(5_000), true));
    }

    #[test]
    fn glob_stars_nested_deeper_than_the_limit_never_match() {
        // Checked against Redis: `*a` x 1000 matches 1100 `a`s, x 1001 does not.
        let subject = b"a".repeat(1_100);
        let depth = NESTING_MAX as usize;
        assert!(string_match(&b"*a".repeat(depth), &subject, false));
        assert!(!string_match(&b"*a".repeat(depth + 1), &subject, false));
        // A huge pattern neither overflows the stack nor hangs.
        assert!(!string_match(&b"*a".repeat(100_000), &subject, false));
    }

    #[test]
    fn glob_long_patterns_without_stars_are_iterative() {
        let subject = b"x".repeat(100_000);
        assert!(string_match(&b"?".repeat(100_000), &subject, false));
        assert!(string_match(&b"[x]".repeat(100_000), &subject, false));
        assert!(!string_match(&b"?".repeat(99_999), &subject, false));
    }
}

/// Cases gathered by the CONFIG GET and pub/sub work when they carried their own matchers, kept
/// as a second, independent set of expectations for the one shared implementation.
#[cfg(test)]
mod cases_from_other_callers {
    use super::string_match;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn matches_case(pattern: &[u8], subject: &[u8]) -> bool {
        string_match(pattern, subject, false)
    }

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

    #[test]
    fn glob_wildcards_match_like_stringmatchlen() {
        assert!(matches_case(b"h?llo", b"hello"));
        assert!(matches_case(b"h*llo", b"heeeello"));
        assert!(matches_case(b"h*llo", b"hllo"));
        assert!(matches_case(b"*", b"x"));
        assert!(matches_case(b"a*", b"a"));
        assert!(matches_case(b"*a*b*c", b"xxaxxbxxc"));
        assert!(!matches_case(b"*a*b*c", b"xxaxxbxxcx"));
        assert!(!matches_case(b"h?llo", b"hllo"));
        assert!(matches_case(b"", b""));
        assert!(!matches_case(b"a", b""));
    }

    #[test]
    fn glob_star_never_matches_an_empty_string() {
        assert!(!matches_case(b"*", b""));
        assert!(!matches_case(b"**", b""));
    }

    #[test]
    fn glob_classes_handle_negation_ranges_escapes_and_open_ends() {
        assert!(matches_case(b"h[ae]llo", b"hallo"));
        assert!(!matches_case(b"h[ae]llo", b"hillo"));
        assert!(matches_case(b"h[^e]llo", b"hallo"));
        assert!(!matches_case(b"h[^e]llo", b"hello"));
        assert!(matches_case(b"h[a-b]llo", b"hbllo"));
        assert!(matches_case(b"h[b-a]llo", b"hallo"));
        assert!(matches_case(b"[\\]]", b"]"));
        assert!(!matches_case(b"[]a]", b"a"));
        assert!(matches_case(b"[abc", b"b"));
        assert!(!matches_case(b"[abc", b"bx"));
        assert!(!matches_case(b"[", b"["));
        assert!(matches_case(b"[^", b"x"));
        // Signed chars: 'a'..-1 swaps to -1..'a', so 0xff and NUL..'a' match, 0x80 does not.
        assert!(matches_case(b"[a-\xff]", b"\xff"));
        assert!(matches_case(b"[a-\xff]", b"A"));
        assert!(!matches_case(b"[a-\xff]", b"\x80"));
    }

    #[test]
    fn glob_backslash_escapes_and_a_trailing_one_is_literal() {
        assert!(matches_case(b"a\\*", b"a*"));
        assert!(!matches_case(b"a\\*", b"ab"));
        assert!(matches_case(b"a\\", b"a\\"));
    }

    #[test]
    fn glob_many_stars_stay_fast() {
        let pattern = b"*a".repeat(10_000);
        let string = vec![b'a'; 9_999];
        assert!(!matches_case(&pattern, &string));
    }
}
