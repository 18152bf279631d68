//! redis-cli's terminal formatting of replies (`cliFormatReplyTTY` in `redis-cli.c`).

use crate::engine::resp::{push_repr, Frame};

/// The text redis-cli prints for `reply` on a terminal, every line ending in `\n`.
pub fn format_reply(reply: &Frame) -> String {
    let mut out = String::new();
    format_into(reply, "", &mut out);
    out
}

fn format_into(reply: &Frame, prefix: &str, out: &mut String) {
    match reply {
        Frame::Error(text) => {
            out.push_str("(error) ");
            out.push_str(&String::from_utf8_lossy(text));
            out.push('\n');
        }
        Frame::Simple(text) => {
            out.push_str(text);
            out.push('\n');
        }
        Frame::Integer(n) => {
            out.push_str(&format!("(integer) {n}\n"));
        }
        Frame::Bulk(bytes) => {
            push_repr(bytes, out);
            out.push('\n');
        }
        Frame::Null | Frame::NullArray => out.push_str("(nil)\n"),
        Frame::Array(items) if items.is_empty() => out.push_str("(empty array)\n"),
        Frame::Array(items) => {
            // Indices are right-aligned to the widest one; nested arrays indent by its width + 2.
            let index_width = items.len().to_string().len();
            let nested_prefix = format!("{prefix}{}", " ".repeat(index_width + 2));
            for (index, item) in items.iter().enumerate() {
                // The caller already printed the prefix of the first line.
                let line_prefix = if index == 0 { "" } else { prefix };
                out.push_str(&format!("{line_prefix}{:>index_width$}) ", index + 1));
                format_into(item, &nested_prefix, out);
            }
        }
    }
}

/// A command as `redis-cli --replica` prints what its master sends: each argument quoted as
/// `sdscatrepr` does, separated by commas (`"set","k","v"`).
pub fn format_replica_command<A: AsRef<[u8]>>(args: &[A]) -> String {
    let mut out = String::new();
    for (index, arg) in args.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_repr(arg.as_ref(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn scalars_print_as_redis_cli_prints_them() {
        assert_eq!(format_reply(&Frame::Simple("PONG".into())), "PONG\n");
        assert_eq!(format_reply(&Frame::Integer(-3)), "(integer) -3\n");
        assert_eq!(format_reply(&Frame::Null), "(nil)\n");
        assert_eq!(format_reply(&Frame::error("ERR x")), "(error) ERR x\n");
        assert_eq!(
            format_reply(&Frame::bulk("hello world")),
            "\"hello world\"\n"
        );
        assert_eq!(
            format_reply(&Frame::bulk("a\"b\\\n\x01é")),
            "\"a\\\"b\\\\\\n\\x01\\xc3\\xa9\"\n"
        );
    }

    #[test]
    fn nested_arrays_are_numbered_and_indented() {
        let items: Vec<Frame> = (1..=10).map(|n| Frame::bulk(n.to_string())).collect();
        let reply = Frame::Array(vec![
            Frame::bulk("a"),
            Frame::Array(items),
            Frame::Array(vec![]),
        ]);
        let expected = "1) \"a\"\n2)  1) \"1\"\n    2) \"2\"\n    3) \"3\"\n    4) \"4\"\n    5) \"5\"\n    \
                        6) \"6\"\n    7) \"7\"\n    8) \"8\"\n    9) \"9\"\n   10) \"10\"\n3) (empty array)\n";
        assert_eq!(format_reply(&reply), expected);
    }
}
