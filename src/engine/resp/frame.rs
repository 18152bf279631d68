//! One RESP2 value, as a server replies with it.

/// A RESP2 reply value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// `+<text>\r\n`, e.g. `+OK`.
    Simple(String),
    /// `-<text>\r\n`; the text starts with an error code such as `ERR` or `WRONGTYPE`. Bytes, not
    /// text: Redis echoes what the user sent, whatever the encoding.
    Error(Vec<u8>),
    /// `:<n>\r\n`.
    Integer(i64),
    /// `$<len>\r\n<bytes>\r\n`: binary-safe.
    Bulk(Vec<u8>),
    /// `$-1\r\n`: the nil bulk string.
    Null,
    /// `*<n>\r\n` followed by `n` frames.
    Array(Vec<Frame>),
    /// `*-1\r\n`: the nil array (e.g. EXEC after a WATCHed key changed).
    NullArray,
}

impl Frame {
    /// `+OK`, the most common reply.
    pub fn ok() -> Frame {
        Frame::Simple("OK".to_string())
    }

    /// An error reply; `message` must already carry its code (`ERR ...`, `WRONGTYPE ...`).
    pub fn error(message: impl Into<String>) -> Frame {
        Frame::Error(message.into().into_bytes())
    }

    /// Whether this is an error reply.
    pub fn is_error(&self) -> bool {
        matches!(self, Frame::Error(_))
    }

    /// A bulk string reply from anything byte-like.
    pub fn bulk(bytes: impl Into<Vec<u8>>) -> Frame {
        Frame::Bulk(bytes.into())
    }

    /// Appends this frame's RESP encoding to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Frame::Simple(text) => encode_line(out, b'+', text.as_bytes()),
            Frame::Error(text) => encode_line(out, b'-', text),
            Frame::Integer(n) => encode_integer_line(out, b':', *n),
            Frame::Bulk(bytes) => {
                encode_integer_line(out, b'$', bytes.len() as i64);
                out.extend_from_slice(bytes);
                out.extend_from_slice(b"\r\n");
            }
            Frame::Null => out.extend_from_slice(b"$-1\r\n"),
            Frame::Array(items) => {
                encode_integer_line(out, b'*', items.len() as i64);
                for item in items {
                    item.encode(out);
                }
            }
            Frame::NullArray => out.extend_from_slice(b"*-1\r\n"),
        }
    }

    /// This frame's RESP encoding as a new buffer.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }
}

/// `<prefix><n>\r\n` without allocating (every reply has at least one such line).
pub(super) fn encode_integer_line(out: &mut Vec<u8>, prefix: u8, n: i64) {
    out.push(prefix);
    push_decimal(out, n);
    out.extend_from_slice(b"\r\n");
}

/// Appends `n` in decimal (`ll2string`), without going through a `String`.
pub(crate) fn push_decimal(out: &mut Vec<u8>, n: i64) {
    let mut digits = [0u8; 20];
    let mut position = digits.len();
    let mut magnitude = n.unsigned_abs();
    loop {
        position -= 1;
        digits[position] = b'0' + (magnitude % 10) as u8;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    if n < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[position..]);
}

fn encode_line(out: &mut Vec<u8>, prefix: u8, body: &[u8]) {
    out.push(prefix);
    out.extend_from_slice(body);
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn integers_encode_at_their_extremes() {
        for n in [0, 7, -7, 10, 1_000_000, i64::MAX, i64::MIN] {
            assert_eq!(
                Frame::Integer(n).to_bytes(),
                format!(":{n}\r\n").into_bytes()
            );
        }
    }

    #[test]
    fn every_kind_encodes_as_redis_writes_it() {
        let reply = Frame::Array(vec![
            Frame::ok(),
            Frame::error("ERR boom"),
            Frame::Integer(-42),
            Frame::bulk("a\r\nb"),
            Frame::Null,
            Frame::Array(vec![]),
            Frame::NullArray,
        ]);
        assert_eq!(
            reply.to_bytes(),
            b"*7\r\n+OK\r\n-ERR boom\r\n:-42\r\n$4\r\na\r\nb\r\n$-1\r\n*0\r\n*-1\r\n".to_vec()
        );
    }
}
