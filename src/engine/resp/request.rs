//! The server side of RESP: a client's byte stream to argument vectors.
//!
//! Mirrors Redis 7.0's `processInputBuffer`: a request starting with `*` is multibulk
//! (`processMultibulkBuffer`), anything else is an inline line (`processInlineBuffer`) split with
//! [`split_args`]. The error texts are Redis's own; after one, Redis replies with
//! `-ERR <text>` and closes the connection.

use super::split_args::split_args;

/// Longest inline request, or count line, Redis waits for before giving up (`PROTO_INLINE_MAX_SIZE`).
const INLINE_BYTES_MAX: usize = 64 * 1024;
/// Redis rejects larger multibulk counts (`INT_MAX`).
const MULTIBULK_COUNT_MAX: i64 = i32::MAX as i64;
/// Before AUTH, Redis accepts at most this many arguments...
const UNAUTHENTICATED_COUNT_MAX: i64 = 10;
/// ...and bulk strings of at most this many bytes.
const UNAUTHENTICATED_BULK_BYTES_MAX: i64 = 16 * 1024;

/// Limits that Redis makes configurable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestLimits {
    /// `proto-max-bulk-len`: the largest bulk string a client may declare (default 512 MB).
    pub bulk_bytes_max: i64,
    /// The peer has not authenticated while `requirepass` is set: stricter limits apply.
    pub auth_required: bool,
    /// The peer is our master: `proto-max-bulk-len` does not apply and inline requests are a desync.
    pub from_master: bool,
}

impl Default for RequestLimits {
    fn default() -> Self {
        RequestLimits {
            bulk_bytes_max: 512 * 1024 * 1024,
            auth_required: false,
            from_master: false,
        }
    }
}

/// A violation of the protocol. [`ProtocolError::reply`] is what Redis sends before closing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProtocolError {
    /// The peer broke the framing; Redis replies `-ERR Protocol error: <text>` and closes.
    Reply(String),
    /// A multibulk argument did not start with `$`: Redis names the byte it found, raw (CR and
    /// LF shown as spaces, as its error formatter does).
    ExpectedDollar(u8),
    /// Our master sent an inline request: Redis closes without a reply ("Desync?").
    MasterUsedInline,
}

impl ProtocolError {
    /// The error line to send (without the leading `-` and trailing CRLF), if any.
    pub fn reply(&self) -> Option<Vec<u8>> {
        match self {
            ProtocolError::MasterUsedInline => None,
            _ => Some([&b"ERR Protocol error: "[..], &self.description()].concat()),
        }
    }

    /// What went wrong, as Redis words it (`setProtocolError`'s `errstr`), raw bytes included.
    pub fn description(&self) -> Vec<u8> {
        match self {
            ProtocolError::Reply(text) => text.clone().into_bytes(),
            ProtocolError::ExpectedDollar(found) => {
                let shown = if *found == b'\r' || *found == b'\n' {
                    b' '
                } else {
                    *found
                };
                [&b"expected '$', got '"[..], &[shown, b'\'']].concat()
            }
            ProtocolError::MasterUsedInline => {
                b"Master using the inline protocol. Desync?".to_vec()
            }
        }
    }
}

/// One decoded request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The arguments; empty for a blank inline line or `*0`, which Redis skips.
    pub args: Vec<Vec<u8>>,
    /// The request's length on the wire in bytes (a replica adds this to its offset).
    pub wire_bytes: usize,
}

/// Incremental request decoder; feed bytes with [`push`](Self::push), then call
/// [`next_request`](Self::next_request) until it returns `Ok(None)`.
#[derive(Clone, Debug, Default)]
pub struct RequestDecoder {
    buffer: Vec<u8>,
    /// Bytes of `buffer` already consumed (Redis's `qb_pos`); compacted lazily.
    position: usize,
    /// A multibulk request in progress: arguments still expected (`multibulklen`).
    pending_count: usize,
    /// The length of the bulk string being read (`bulklen`), once its header was read.
    pending_bulk_bytes: Option<usize>,
    pending_args: Vec<Vec<u8>>,
    /// Where the request in progress started, to count its wire bytes.
    request_start: usize,
}

impl RequestDecoder {
    /// Creates an empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Bytes received and not yet consumed by a complete request (Redis's query buffer length).
    pub fn buffered_bytes(&self) -> usize {
        self.buffer.len() - self.request_start
    }

    /// Decodes the next complete request, `Ok(None)` if more bytes are needed.
    pub fn next_request(
        &mut self,
        limits: RequestLimits,
    ) -> Result<Option<Request>, ProtocolError> {
        if self.pending_count == 0 && self.pending_args.is_empty() {
            self.compact();
            if self.position == self.buffer.len() {
                return Ok(None);
            }
            self.request_start = self.position;
            if self.unread().first() != Some(&b'*') {
                return self.next_inline(limits);
            }
            if !self.read_multibulk_count(limits)? {
                return Ok(None);
            }
            if self.pending_count == 0 {
                return Ok(Some(self.finish_request()));
            }
        }
        while self.pending_count > 0 {
            if !self.read_bulk(limits)? {
                return Ok(None);
            }
        }
        Ok(Some(self.finish_request()))
    }

    fn next_inline(&mut self, limits: RequestLimits) -> Result<Option<Request>, ProtocolError> {
        let unread = self.unread();
        let Some(newline) = find_before_nul(unread, b'\n') else {
            if unread.len() > INLINE_BYTES_MAX {
                return Err(ProtocolError::Reply("too big inline request".into()));
            }
            return Ok(None);
        };
        let line = unread.get(..newline).unwrap_or_default();
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let args = split_args(line)
            .ok_or_else(|| ProtocolError::Reply("unbalanced quotes in request".into()))?;
        if limits.from_master && !line.is_empty() {
            return Err(ProtocolError::MasterUsedInline);
        }
        self.position += newline + 1;
        self.pending_args = args;
        Ok(Some(self.finish_request()))
    }

    /// Reads `*<count>\r\n`; false if the line is not complete yet.
    fn read_multibulk_count(&mut self, limits: RequestLimits) -> Result<bool, ProtocolError> {
        let Some((line, next)) = self.header_line("too big mbulk count string")? else {
            return Ok(false);
        };
        let count = match parse_i64(&self.buffer[line.start + 1..line.end]) {
            Some(count) if count <= MULTIBULK_COUNT_MAX => count,
            _ => return Err(ProtocolError::Reply("invalid multibulk length".into())),
        };
        if count > UNAUTHENTICATED_COUNT_MAX && limits.auth_required {
            return Err(ProtocolError::Reply(
                "unauthenticated multibulk length".into(),
            ));
        }
        self.position = next;
        self.pending_count = count.max(0) as usize;
        // Trust the declared count only as far as a bounded pre-allocation.
        self.pending_args = Vec::with_capacity(self.pending_count.min(1024));
        Ok(true)
    }

    /// Reads one `$<len>\r\n<bytes>\r\n`; false if it is not complete yet.
    fn read_bulk(&mut self, limits: RequestLimits) -> Result<bool, ProtocolError> {
        let bulk_bytes = match self.pending_bulk_bytes {
            Some(bytes) => bytes,
            None => {
                let Some((line, next)) = self.header_line("too big bulk count string")? else {
                    return Ok(false);
                };
                let length = match self.buffer.get(line) {
                    Some([b'$', length @ ..]) => length,
                    // An empty header line: Redis looks at the byte there, which is the `\r`.
                    header => {
                        let first = header.and_then(|header| header.first()).copied();
                        return Err(ProtocolError::ExpectedDollar(first.unwrap_or(b'\r')));
                    }
                };
                let bytes = match parse_i64(length) {
                    Some(n) if n >= 0 && (limits.from_master || n <= limits.bulk_bytes_max) => n,
                    _ => return Err(ProtocolError::Reply("invalid bulk length".into())),
                };
                if bytes > UNAUTHENTICATED_BULK_BYTES_MAX && limits.auth_required {
                    return Err(ProtocolError::Reply("unauthenticated bulk length".into()));
                }
                self.position = next;
                let bytes = usize::try_from(bytes).unwrap_or(usize::MAX);
                self.pending_bulk_bytes = Some(bytes);
                bytes
            }
        };
        let available = self.buffer.len() - self.position;
        if available < bulk_bytes.saturating_add(2) {
            return Ok(false);
        }
        // Like Redis, the two bytes after the payload are skipped without being checked.
        let arg = self.buffer[self.position..self.position + bulk_bytes].to_vec();
        self.position += bulk_bytes + 2;
        self.pending_args.push(arg);
        self.pending_bulk_bytes = None;
        self.pending_count -= 1;
        Ok(true)
    }

    /// The header line at `position` up to its `\r` (exclusive) and the position after `\r\n`.
    /// Redis looks for `\r` and then requires one more byte to be buffered.
    fn header_line(
        &self,
        too_big: &str,
    ) -> Result<Option<(std::ops::Range<usize>, usize)>, ProtocolError> {
        let unread = self.unread();
        let Some(carriage_return) = find_before_nul(unread, b'\r') else {
            if unread.len() > INLINE_BYTES_MAX {
                return Err(ProtocolError::Reply(too_big.into()));
            }
            return Ok(None);
        };
        if carriage_return + 2 > unread.len() {
            return Ok(None);
        }
        Ok(Some((
            self.position..self.position + carriage_return,
            self.position + carriage_return + 2,
        )))
    }

    /// The bytes not consumed yet.
    fn unread(&self) -> &[u8] {
        self.buffer.get(self.position..).unwrap_or_default()
    }

    fn finish_request(&mut self) -> Request {
        let wire_bytes = self.position - self.request_start;
        self.request_start = self.position;
        Request {
            args: std::mem::take(&mut self.pending_args),
            wire_bytes,
        }
    }

    /// Drops consumed bytes once they dominate the buffer, so memory follows what is pending.
    fn compact(&mut self) {
        if self.position > 0 && self.position * 2 >= self.buffer.len() {
            self.buffer.drain(..self.position);
            self.position = 0;
            self.request_start = 0;
        }
    }
}

/// Where `needle` first occurs, as C's `strchr` sees it: the search stops at a NUL byte. Redis
/// looks for line ends this way, so a line with a NUL before its end is never complete.
fn find_before_nul(bytes: &[u8], needle: u8) -> Option<usize> {
    bytes
        .iter()
        .take_while(|&&b| b != 0)
        .position(|&b| b == needle)
}

/// Redis's `string2ll`: optional `-`, digits, no leading zeros, no `+`, no blanks, fits in i64.
pub fn parse_i64(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, text),
    };
    match digits {
        [] => return None,
        [b'0'] if !negative => return Some(0),
        [b'0', ..] => return None,
        _ => {}
    }
    let mut value: i64 = 0;
    for &digit in digits {
        if !digit.is_ascii_digit() {
            return None;
        }
        let digit = i64::from(digit - b'0');
        value = if negative {
            value.checked_mul(10)?.checked_sub(digit)?
        } else {
            value.checked_mul(10)?.checked_add(digit)?
        };
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn decode_all(bytes: &[u8]) -> Result<Vec<Vec<Vec<u8>>>, ProtocolError> {
        let mut decoder = RequestDecoder::new();
        decoder.push(bytes);
        let mut requests = Vec::new();
        while let Some(request) = decoder.next_request(RequestLimits::default())? {
            requests.push(request.args);
        }
        Ok(requests)
    }

    fn args(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn multibulk_and_inline_requests_decode() {
        let requests =
            decode_all(b"*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nPING\r\nSET k \"a b\"\n").unwrap();
        assert_eq!(
            requests,
            vec![
                args(&["ECHO", "hi"]),
                args(&["PING"]),
                args(&["SET", "k", "a b"])
            ]
        );
    }

    #[test]
    fn every_chunking_gives_the_same_requests() {
        let stream =
            b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nva\r\nl\r\nPING\r\n*0\r\n*1\r\n$0\r\n\r\n";
        let whole = decode_all(stream).unwrap();
        for split in 0..stream.len() {
            let mut decoder = RequestDecoder::new();
            let mut requests = Vec::new();
            for chunk in [&stream[..split], &stream[split..]] {
                decoder.push(chunk);
                while let Some(request) = decoder.next_request(RequestLimits::default()).unwrap() {
                    requests.push(request.args);
                }
            }
            assert_eq!(requests, whole, "split at {split}");
        }
        assert_eq!(
            whole,
            vec![
                args(&["SET", "k", "va\r\nl"]),
                args(&["PING"]),
                vec![],
                args(&[""])
            ]
        );
    }

    #[test]
    fn wire_bytes_count_the_whole_request() {
        let mut decoder = RequestDecoder::new();
        decoder.push(b"*1\r\n$4\r\nPING\r\nPING\r\n");
        let first = decoder
            .next_request(RequestLimits::default())
            .unwrap()
            .unwrap();
        let second = decoder
            .next_request(RequestLimits::default())
            .unwrap()
            .unwrap();
        assert_eq!((first.wire_bytes, second.wire_bytes), (14, 6));
    }

    #[test]
    fn framing_errors_use_redis_texts() {
        let error = |bytes: &[u8]| {
            String::from_utf8(decode_all(bytes).unwrap_err().reply().unwrap()).unwrap()
        };
        assert_eq!(
            error(b"*x\r\n"),
            "ERR Protocol error: invalid multibulk length"
        );
        assert_eq!(
            error(b"*3000000000\r\n"),
            "ERR Protocol error: invalid multibulk length"
        );
        assert_eq!(
            error(b"*1\r\n:1\r\n"),
            "ERR Protocol error: expected '$', got ':'"
        );
        assert_eq!(
            error(b"*1\r\n$-1\r\n"),
            "ERR Protocol error: invalid bulk length"
        );
        assert_eq!(
            error(b"*1\r\n$99999999999\r\n"),
            "ERR Protocol error: invalid bulk length"
        );
        assert_eq!(
            error(b"ECHO \"abc\r\n"),
            "ERR Protocol error: unbalanced quotes in request"
        );
        assert_eq!(
            error(&[b'A'; 70_000]),
            "ERR Protocol error: too big inline request"
        );
        let mut long_count = b"*".to_vec();
        long_count.extend(std::iter::repeat_n(b'1', 70_000));
        assert_eq!(
            error(&long_count),
            "ERR Protocol error: too big mbulk count string"
        );
    }

    #[test]
    fn an_empty_bulk_header_is_an_error_not_a_panic() {
        let error = decode_all(b"*1\r\n\r\n").unwrap_err().reply().unwrap();
        assert_eq!(error, b"ERR Protocol error: expected '$', got ' '");
        let raw = decode_all(b"*1\r\n\xff1\r\n").unwrap_err().reply().unwrap();
        assert_eq!(
            raw, b"ERR Protocol error: expected '$', got '\xff'",
            "the byte goes out raw"
        );
    }

    #[test]
    fn a_nul_byte_hides_the_line_end_as_strchr_does() {
        let mut decoder = RequestDecoder::new();
        decoder.push(b"ECHO a\x00b\r\n*1\x00\r\n");
        assert_eq!(decoder.next_request(RequestLimits::default()), Ok(None));
    }

    #[test]
    fn a_huge_declared_length_allocates_nothing_up_front() {
        let mut decoder = RequestDecoder::new();
        decoder.push(b"*2147483647\r\n$536870912\r\n");
        assert_eq!(decoder.next_request(RequestLimits::default()), Ok(None));
        assert!(decoder.pending_args.capacity() <= 1024);
    }

    #[test]
    fn unauthenticated_peers_get_tighter_limits() {
        let limits = RequestLimits {
            auth_required: true,
            ..RequestLimits::default()
        };
        let mut decoder = RequestDecoder::new();
        decoder.push(b"*11\r\n");
        assert_eq!(
            decoder.next_request(limits).unwrap_err().reply().unwrap(),
            b"ERR Protocol error: unauthenticated multibulk length"
        );
    }

    #[test]
    fn string2ll_rules() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"-12"), Some(-12));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [
            &b""[..],
            b"-",
            b"-0",
            b"01",
            b"+1",
            b" 1",
            b"1 ",
            b"9223372036854775808",
        ] {
            assert_eq!(parse_i64(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }
}

/// Property tests: random requests, randomly chunked, decode to exactly what was sent; random
/// garbage never panics. Seeded, so every run checks the same cases on every platform.
#[cfg(test)]
mod chunking_properties {
    use super::*;
    use crate::engine::prng::Prng;
    use crate::engine::resp::encode_request;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn random_bytes(prng: &mut Prng, length_max: u64) -> Vec<u8> {
        let length = prng.below(length_max + 1);
        // Bias towards the bytes that matter to framing.
        const SPECIAL: &[u8] = b"\r\n*$\"' \\\x00";
        (0..length)
            .map(|_| {
                if prng.below(4) == 0 {
                    SPECIAL[prng.below(SPECIAL.len() as u64) as usize]
                } else {
                    prng.below(256) as u8
                }
            })
            .collect()
    }

    /// Feeds `stream` in random chunk sizes, decoding after each; returns the requests.
    fn decode_in_chunks(
        prng: &mut Prng,
        stream: &[u8],
    ) -> Result<Vec<Vec<Vec<u8>>>, ProtocolError> {
        let mut decoder = RequestDecoder::new();
        let mut requests = Vec::new();
        let mut position = 0;
        while position < stream.len() {
            let chunk = (prng.below(17) as usize + 1).min(stream.len() - position);
            decoder.push(&stream[position..position + chunk]);
            position += chunk;
            while let Some(request) = decoder.next_request(RequestLimits::default())? {
                if !request.args.is_empty() {
                    requests.push(request.args);
                }
            }
        }
        Ok(requests)
    }

    #[test]
    fn random_multibulk_requests_survive_any_chunking() {
        let mut prng = Prng::from_seed(0x5eed);
        for _ in 0..300 {
            let requests: Vec<Vec<Vec<u8>>> = (0..prng.below(6) + 1)
                .map(|_| {
                    (0..prng.below(5) + 1)
                        .map(|_| random_bytes(&mut prng, 40))
                        .collect()
                })
                .collect();
            let mut stream = Vec::new();
            for request in &requests {
                encode_request(request, &mut stream);
            }
            assert_eq!(decode_in_chunks(&mut prng, &stream), Ok(requests));
        }
    }

    #[test]
    fn random_garbage_never_panics() {
        let mut prng = Prng::from_seed(0xbad);
        for _ in 0..2000 {
            let stream = random_bytes(&mut prng, 200);
            // Whatever the outcome, it must be an outcome: a panic fails the test.
            let _ = decode_in_chunks(&mut prng, &stream);
        }
    }
}
