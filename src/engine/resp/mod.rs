//! RESP2, the Redis serialization protocol, in both directions.
//!
//! - [`Frame`] is one reply value and knows how to encode itself ([`Frame::encode`]).
//! - [`RequestDecoder`] is the server side: it turns a client's byte stream (in any chunking) into
//!   argument vectors the way Redis 7.0's `processMultibulkBuffer` and `processInlineBuffer` do,
//!   including their exact protocol errors and limits.
//! - [`ReplyDecoder`] is the client side: it turns a server's byte stream into [`Frame`]s (used by
//!   the console, and by a replica reading its master's replies).
//! - [`split_args`] is `sdssplitargs`: inline requests and typed console lines share its quoting;
//!   [`repr`] is `sdscatrepr`, its inverse, for quoting bytes in text people read.
//!
//! Running out of bytes is flow control, not an error: decoders return `Ok(None)` and keep what
//! they have buffered (mini-redis's `Incomplete`).

mod frame;
mod reply;
mod repr;
mod request;
mod split_args;

pub(crate) use frame::push_decimal;
pub use frame::Frame;
pub use reply::{ReplyDecoder, ReplyError};
pub use repr::{push_hex, push_repr, repr};
pub use request::{parse_i64, ProtocolError, Request, RequestDecoder, RequestLimits};
pub use split_args::{is_c_space, split_args};

/// Encodes an argument vector as a RESP multibulk request (`*<n>\r\n$<len>\r\n<arg>\r\n...`), the
/// form clients and masters send commands in.
pub fn encode_request<A: AsRef<[u8]>>(args: &[A], out: &mut Vec<u8>) {
    frame::encode_integer_line(out, b'*', args.len() as i64);
    for arg in args {
        let arg = arg.as_ref();
        frame::encode_integer_line(out, b'$', arg.len() as i64);
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
}
