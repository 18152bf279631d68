//! `sdssplitargs`: how Redis splits an inline request, and how redis-cli splits a typed line.

/// Splits `line` into arguments with the quoting rules of Redis's `sdssplitargs`.
///
/// Outside quotes, blanks separate arguments. `"..."` understands `\n \r \t \b \a`, `\xHH` and
/// `\<any>`; `'...'` understands only `\'`. A closing quote must be followed by a blank or the
/// end of the line. Returns `None` for unbalanced quotes (Redis: "unbalanced quotes in request",
/// redis-cli: "Invalid argument(s)"). Like the C code, a NUL byte ends the line.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let line = match line.iter().position(|&b| b == 0) {
        Some(nul) => &line[..nul],
        None => line,
    };
    let mut args = Vec::new();
    let mut pos = 0;
    loop {
        while pos < line.len() && is_c_space(line[pos]) {
            pos += 1;
        }
        if pos == line.len() {
            return Some(args);
        }
        let (arg, next) = split_one(line, pos)?;
        args.push(arg);
        pos = next;
    }
}

/// Reads one argument starting at `pos` (not a blank); returns it and where the next one may start.
fn split_one(line: &[u8], mut pos: usize) -> Option<(Vec<u8>, usize)> {
    let at = |i: usize| line.get(i).copied();
    let mut arg = Vec::new();
    let mut in_double = false;
    let mut in_single = false;
    loop {
        let Some(byte) = at(pos) else {
            // The end of the line ends a bare word, but not a quoted one.
            return if in_double || in_single {
                None
            } else {
                Some((arg, pos))
            };
        };
        if in_double {
            match (byte, at(pos + 1)) {
                (b'\\', Some(b'x'))
                    if at(pos + 2).is_some_and(|b| b.is_ascii_hexdigit())
                        && at(pos + 3).is_some_and(|b| b.is_ascii_hexdigit()) =>
                {
                    arg.push(hex_value(line[pos + 2]) * 16 + hex_value(line[pos + 3]));
                    pos += 3;
                }
                (b'\\', Some(escaped)) => {
                    arg.push(match escaped {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                    pos += 1;
                }
                (b'"', next) => {
                    if next.is_some_and(|b| !is_c_space(b)) {
                        return None;
                    }
                    return Some((arg, pos + 1));
                }
                (other, _) => arg.push(other),
            }
        } else if in_single {
            match (byte, at(pos + 1)) {
                (b'\\', Some(b'\'')) => {
                    arg.push(b'\'');
                    pos += 1;
                }
                (b'\'', next) => {
                    if next.is_some_and(|b| !is_c_space(b)) {
                        return None;
                    }
                    return Some((arg, pos + 1));
                }
                (other, _) => arg.push(other),
            }
        } else {
            match byte {
                // Only these four end a bare word; `\v` and `\f` are kept, as in the C code.
                b' ' | b'\n' | b'\r' | b'\t' => return Some((arg, pos)),
                b'"' => in_double = true,
                b'\'' => in_single = true,
                other => arg.push(other),
            }
        }
        pos += 1;
    }
}

/// C's `isspace` in the "C" locale.
pub fn is_c_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

#[cfg(test)]
mod tests {
    use super::split_args;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn split(line: &str) -> Option<Vec<String>> {
        split_args(line.as_bytes()).map(|args| {
            args.into_iter()
                .map(|a| String::from_utf8_lossy(&a).into_owned())
                .collect()
        })
    }

    #[test]
    fn blanks_separate_bare_words() {
        assert_eq!(
            split("  SET  k\tv \r\n"),
            Some(vec!["SET".into(), "k".into(), "v".into()])
        );
        assert_eq!(split(""), Some(vec![]));
        assert_eq!(split("   "), Some(vec![]));
    }

    #[test]
    fn double_quotes_understand_escapes() {
        assert_eq!(
            split(r#"ECHO "hello world" "a\"b" "\x41\x7a\n" "\q""#),
            Some(vec![
                "ECHO".into(),
                "hello world".into(),
                "a\"b".into(),
                "Az\n".into(),
                "q".into()
            ])
        );
    }

    #[test]
    fn single_quotes_understand_only_escaped_quote() {
        assert_eq!(
            split(r"'it\'s' '\n'"),
            Some(vec!["it's".into(), "\\n".into()])
        );
    }

    #[test]
    fn quotes_may_start_inside_a_word() {
        assert_eq!(split(r#"foo"bar baz""#), Some(vec!["foobar baz".into()]));
    }

    #[test]
    fn unbalanced_or_glued_quotes_are_rejected() {
        assert_eq!(split(r#"ECHO "abc"#), None);
        assert_eq!(split("ECHO 'abc"), None);
        assert_eq!(split(r#"ECHO "abc"def"#), None);
        assert_eq!(split(r#"ECHO "abc\"#), None);
    }

    #[test]
    fn a_nul_byte_ends_the_line() {
        assert_eq!(split_args(b"PING\0 ignored"), Some(vec![b"PING".to_vec()]));
    }

    #[test]
    fn non_ascii_bytes_are_kept() {
        assert_eq!(
            split("ECHO héllo"),
            Some(vec!["ECHO".into(), "héllo".into()])
        );
    }
}
