//! TEMPORARY glob matcher for PSUBSCRIBE and PUBSUB CHANNELS, until `src/engine/glob.rs` (the
//! shared port of Redis's `stringmatchlen`, written on another branch) lands: then delete this
//! file and call that one instead.
//!
//! It follows `stringmatchlen` (case-sensitive) including its corners: `*` never matches an empty
//! *whole* string (so pattern `*` does not match channel `""`), `[` classes may be negated with
//! `^`, hold `\`-escapes and `a-z` ranges compared as C's signed `char` (a range is swapped when
//! written backwards), an unterminated class runs to the end of the pattern, and a trailing `\`
//! matches itself. Iterative, so no pattern can exhaust the stack or take exponential time.

/// Whether `string` matches the glob `pattern`.
pub(super) fn matches(pattern: &[u8], string: &[u8]) -> bool {
    if string.is_empty() {
        // stringmatchlen's loop never runs on an empty string: only an empty pattern matches.
        return pattern.is_empty();
    }
    let (mut p, mut s) = (0, 0);
    // The last `*` seen: where the pattern resumes after it, and where in the string its match
    // currently ends. Only the last one ever needs to grow (Redis's `skipLongerMatches`).
    let mut star: Option<(usize, usize)> = None;
    loop {
        let step = if s == string.len() {
            // Out of string: only trailing stars may remain.
            while pattern.get(p) == Some(&b'*') {
                p += 1;
            }
            if p == pattern.len() {
                return true;
            }
            None
        } else if p == pattern.len() {
            None
        } else if pattern[p] == b'*' {
            while pattern.get(p + 1) == Some(&b'*') {
                p += 1;
            }
            if p + 1 == pattern.len() {
                return true;
            }
            star = Some((p + 1, s));
            p += 1;
            continue;
        } else {
            match_one(pattern, p, string[s])
        };
        match step {
            Some(next) => {
                p = next;
                s += 1;
            }
            None => {
                // Let the last star swallow one more byte; the rest must still match a
                // non-empty remainder of the string, as in the recursive original.
                let Some((resume, end)) = star else {
                    return false;
                };
                if end + 1 >= string.len() {
                    return false;
                }
                star = Some((resume, end + 1));
                p = resume;
                s = end + 1;
            }
        }
    }
}

/// Matches the single-byte token at `pattern[p]` (not `*`) against `byte`: the index of the next
/// token if it matches.
fn match_one(pattern: &[u8], p: usize, byte: u8) -> Option<usize> {
    match pattern[p] {
        b'?' => Some(p + 1),
        b'[' => match_class(pattern, p + 1, byte),
        b'\\' if pattern.len() - p >= 2 => (pattern[p + 1] == byte).then_some(p + 2),
        literal => (literal == byte).then_some(p + 1),
    }
}

/// Matches a `[...]` class whose body starts at `pattern[p]` against `byte`; the index after the
/// class if it matches.
fn match_class(pattern: &[u8], mut p: usize, byte: u8) -> Option<usize> {
    // Bytes past the end read as C's terminating NUL.
    let at = |i: usize| pattern.get(i).copied().unwrap_or(0);
    let negated = at(p) == b'^';
    if negated {
        p += 1;
    }
    let mut matched = false;
    loop {
        let remaining = pattern.len().saturating_sub(p);
        if at(p) == b'\\' && remaining >= 2 {
            p += 1;
            matched |= at(p) == byte;
        } else if at(p) == b']' {
            break;
        } else if remaining == 0 {
            // Unterminated: the class ends with the pattern.
            p -= 1;
            break;
        } else if remaining >= 3 && at(p + 1) == b'-' {
            // C compares `char`s, signed on the platforms Redis runs on.
            let (mut start, mut end) = (signed(at(p)), signed(at(p + 2)));
            if start > end {
                std::mem::swap(&mut start, &mut end);
            }
            matched |= (start..=end).contains(&signed(byte));
            p += 2;
        } else {
            matched |= at(p) == byte;
        }
        p += 1;
    }
    (matched != negated).then_some(p + 1)
}

fn signed(byte: u8) -> i8 {
    byte as i8
}

#[cfg(test)]
mod tests {
    use super::matches;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn glob_wildcards_match_like_stringmatchlen() {
        assert!(matches(b"h?llo", b"hello"));
        assert!(matches(b"h*llo", b"heeeello"));
        assert!(matches(b"h*llo", b"hllo"));
        assert!(matches(b"*", b"x"));
        assert!(matches(b"a*", b"a"));
        assert!(matches(b"*a*b*c", b"xxaxxbxxc"));
        assert!(!matches(b"*a*b*c", b"xxaxxbxxcx"));
        assert!(!matches(b"h?llo", b"hllo"));
        assert!(matches(b"", b""));
        assert!(!matches(b"a", b""));
    }

    #[test]
    fn glob_star_never_matches_an_empty_string() {
        assert!(!matches(b"*", b""));
        assert!(!matches(b"**", b""));
    }

    #[test]
    fn glob_classes_handle_negation_ranges_escapes_and_open_ends() {
        assert!(matches(b"h[ae]llo", b"hallo"));
        assert!(!matches(b"h[ae]llo", b"hillo"));
        assert!(matches(b"h[^e]llo", b"hallo"));
        assert!(!matches(b"h[^e]llo", b"hello"));
        assert!(matches(b"h[a-b]llo", b"hbllo"));
        assert!(matches(b"h[b-a]llo", b"hallo"));
        assert!(matches(b"[\\]]", b"]"));
        assert!(!matches(b"[]a]", b"a"));
        assert!(matches(b"[abc", b"b"));
        assert!(!matches(b"[abc", b"bx"));
        assert!(!matches(b"[", b"["));
        assert!(matches(b"[^", b"x"));
        // Signed chars: 'a'..-1 swaps to -1..'a', so 0xff and NUL..'a' match, 0x80 does not.
        assert!(matches(b"[a-\xff]", b"\xff"));
        assert!(matches(b"[a-\xff]", b"A"));
        assert!(!matches(b"[a-\xff]", b"\x80"));
    }

    #[test]
    fn glob_backslash_escapes_and_a_trailing_one_is_literal() {
        assert!(matches(b"a\\*", b"a*"));
        assert!(!matches(b"a\\*", b"ab"));
        assert!(matches(b"a\\", b"a\\"));
    }

    #[test]
    fn glob_many_stars_stay_fast() {
        let pattern = b"*a".repeat(10_000);
        let string = vec![b'a'; 9_999];
        assert!(!matches(&pattern, &string));
    }
}
