//! The client side of RESP: a server's byte stream to [`Frame`]s.
//!
//! Used by the console (to print what a node answered) and by a replica reading its master's
//! replies. Check-then-parse, as in mini-redis: nothing is consumed until a whole frame is there.

use super::request::parse_i64;
use super::Frame;

/// Arrays nested deeper than this are refused, so a hostile peer cannot exhaust the stack.
const NESTING_DEPTH_MAX: usize = 32;

/// A reply that is not RESP2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyError {
    /// The first byte of a frame is not one of `+ - : $ *`.
    UnknownType(u8),
    /// A length or integer line does not parse.
    InvalidNumber,
    /// A bulk string is not followed by CRLF.
    MissingBulkTerminator,
    /// Arrays nested deeper than we accept.
    TooDeep,
}

impl std::fmt::Display for ReplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplyError::UnknownType(byte) => write!(
                f,
                "Protocol error, got {} as reply type byte",
                super::repr(&[*byte])
            ),
            ReplyError::InvalidNumber => f.write_str("Protocol error: invalid number in reply"),
            ReplyError::MissingBulkTerminator => {
                f.write_str("Protocol error: bulk string not followed by CRLF")
            }
            ReplyError::TooDeep => f.write_str("Protocol error: reply nested too deeply"),
        }
    }
}

/// Incremental reply decoder.
#[derive(Clone, Debug, Default)]
pub struct ReplyDecoder {
    buffer: Vec<u8>,
}

impl ReplyDecoder {
    /// Creates an empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Decodes the next complete frame, `Ok(None)` if more bytes are needed.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, ReplyError> {
        let mut position = 0;
        match parse_frame(&self.buffer, &mut position, 0)? {
            Some(frame) => {
                self.buffer.drain(..position);
                Ok(Some(frame))
            }
            None => Ok(None),
        }
    }
}

fn parse_frame(
    buffer: &[u8],
    position: &mut usize,
    depth: usize,
) -> Result<Option<Frame>, ReplyError> {
    let Some(&kind) = buffer.get(*position) else {
        return Ok(None);
    };
    let Some(line) = read_line(buffer, *position + 1) else {
        return Ok(None);
    };
    let text = buffer.get(*position + 1..line).unwrap_or_default();
    let after_line = line + 2;
    let frame = match kind {
        b'+' => Frame::Simple(String::from_utf8_lossy(text).into_owned()),
        b'-' => Frame::Error(text.to_vec()),
        b':' => Frame::Integer(parse_i64(text).ok_or(ReplyError::InvalidNumber)?),
        b'$' => {
            let length = parse_i64(text).ok_or(ReplyError::InvalidNumber)?;
            if length < 0 {
                *position = after_line;
                return Ok(Some(Frame::Null));
            }
            let length = usize::try_from(length).map_err(|_| ReplyError::InvalidNumber)?;
            let end = after_line
                .checked_add(length)
                .ok_or(ReplyError::InvalidNumber)?;
            let (Some(bytes), Some(terminator)) = (
                buffer.get(after_line..end),
                buffer.get(end..end.saturating_add(2)),
            ) else {
                return Ok(None);
            };
            if terminator != b"\r\n" {
                return Err(ReplyError::MissingBulkTerminator);
            }
            *position = end + 2;
            return Ok(Some(Frame::Bulk(bytes.to_vec())));
        }
        b'*' => {
            let count = parse_i64(text).ok_or(ReplyError::InvalidNumber)?;
            if count < 0 {
                *position = after_line;
                return Ok(Some(Frame::NullArray));
            }
            if depth >= NESTING_DEPTH_MAX {
                return Err(ReplyError::TooDeep);
            }
            let mut cursor = after_line;
            let mut items = Vec::with_capacity((count as usize).min(1024));
            for _ in 0..count {
                match parse_frame(buffer, &mut cursor, depth + 1)? {
                    Some(item) => items.push(item),
                    None => return Ok(None),
                }
            }
            *position = cursor;
            return Ok(Some(Frame::Array(items)));
        }
        other => return Err(ReplyError::UnknownType(other)),
    };
    *position = after_line;
    Ok(Some(frame))
}

/// The index of the `\r` of the CRLF that ends the line starting at `start`.
fn read_line(buffer: &[u8], start: usize) -> Option<usize> {
    let rest = buffer.get(start..)?;
    rest.windows(2)
        .position(|pair| pair == b"\r\n")
        .map(|offset| start + offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn encoded_frames_decode_back_in_any_chunking() {
        let frame = Frame::Array(vec![
            Frame::ok(),
            Frame::error("ERR x"),
            Frame::Integer(7),
            Frame::bulk("a\r\nb"),
            Frame::Null,
            Frame::Array(vec![Frame::NullArray, Frame::Array(vec![])]),
        ]);
        let bytes = frame.to_bytes();
        for split in 0..bytes.len() {
            let mut decoder = ReplyDecoder::new();
            decoder.push(&bytes[..split]);
            assert_eq!(decoder.next_frame(), Ok(None), "split at {split}");
            decoder.push(&bytes[split..]);
            assert_eq!(decoder.next_frame(), Ok(Some(frame.clone())));
            assert_eq!(decoder.next_frame(), Ok(None));
        }
    }

    #[test]
    fn an_unknown_type_byte_is_named_as_hiredis_names_it() {
        for (byte, shown) in [(b'?', "\"?\""), (b'"', "\"\\\"\""), (0x01, "\"\\x01\"")] {
            assert_eq!(
                ReplyError::UnknownType(byte).to_string(),
                format!("Protocol error, got {shown} as reply type byte")
            );
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bad in [&b"?\r\n"[..], b":x\r\n", b"$3\r\nabcde", b"*1\r\n!\r\n"] {
            let mut decoder = ReplyDecoder::new();
            decoder.push(bad);
            assert!(
                decoder.next_frame().is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        let mut deep = ReplyDecoder::new();
        deep.push(&b"*1\r\n".repeat(100));
        assert_eq!(deep.next_frame(), Err(ReplyError::TooDeep));
    }
}
