//! The RDB file format, version 10, exactly as Redis 7.0 writes it, and everything 7.0 reads.
//!
//! A full synchronisation ships one of these, and a restarted node reloads one; real Redis loads
//! what [`encode`] writes, and [`decode`] loads what real Redis writes. Layout:
//!
//! ```text
//! "REDIS0010"
//! AUX redis-ver 7.0.15, redis-bits, ctime, used-mem, [repl-stream-db, repl-id, repl-offset], aof-base
//! per non-empty database: SELECTDB n, RESIZEDB keys expires,
//!     then per key: [EXPIRETIME_MS ms] type key value
//! EOF, CRC64 of everything before (little-endian; 0 when checksums are off)
//! ```
//!
//! Values are written in the encoding they have in memory ([`Value::encoding`]): listpack,
//! intset and quicklist blobs are Redis's in-memory formats, byte for byte. Strings (and those
//! blobs) are stored as integers when they are small canonical integers, and LZF-compressed
//! when longer than 20 bytes and compression is on.
//!
//! - [`crc64`], [`lzf`]: the checksum and the compression.
//! - `listpack`, `intset`, `ziplist`, `zipmap`: the blob formats (the last two are read only:
//!   7.0 converts them).
//! - [`encode`], [`decode`]: whole files, and single values as DUMP and RESTORE carry them.
//! - The transfer framing of a full sync: `$<len>\r\n` before the bytes (disk), or
//!   `$EOF:<40 hex>\r\n` before and the same 40 characters after (diskless).
//!
//! Where the bytes may differ from redis-server's for the same data (each still loads the same):
//!
//! - Keys come in our hash order, as Redis's come in its dict order.
//! - A list is cut into 8 KB quicklist nodes as RPUSH fills them; Redis's boundaries also depend
//!   on history (LPUSH fills the head node, LINSERT and LREM split and merge nodes).
//! - `redis-bits` is always 64, the engine's build notwithstanding: we stand in for a 64-bit
//!   Redis.
//! - LZF output equals Redis's unless Redis's compressor, whose hash table is left uninitialised
//!   between strings, happens to find a match through a stale entry.
//!
//! Loading refuses what the engine cannot hold (streams, module values, Functions libraries)
//! with a clear error, and duplicates that Redis without deep sanitisation would let through.
//!
//! [`Value::encoding`]: crate::engine::keyspace::Value::encoding

pub mod crc64;
mod decode;
mod encode;
mod intset;
mod listpack;
pub mod lzf;
#[cfg(not(target_arch = "wasm32"))]
mod ziplist;
#[cfg(not(target_arch = "wasm32"))]
mod zipmap;

#[cfg(test)]
mod tests;

use std::fmt;

pub use decode::{decode, restore_payload, Aux, Loaded};
pub use encode::{dump_payload, encode, encode_value, AuxFields, ReplicationAux, SaveOptions};

use crate::engine::prng::Prng;
use crate::engine::resp::{push_decimal, repr};

/// The format version written, and the highest one read.
pub const RDB_VERSION: u16 = 10;
/// Bytes of the end mark of a diskless transfer.
pub const EOF_MARK_BYTES: usize = 40;

/// Opcodes that may stand where a value type is expected.
mod opcode {
    /// Redis 7.0 functions library (`RDB_OPCODE_FUNCTION2`).
    pub const FUNCTION2: u8 = 245;
    /// Functions in the 7.0 release-candidate format (`RDB_OPCODE_FUNCTION_PRE_GA`).
    pub const FUNCTION_PRE_GA: u8 = 246;
    /// Module auxiliary data.
    pub const MODULE_AUX: u8 = 247;
    /// LRU idle time of the next key.
    pub const IDLE: u8 = 248;
    /// LFU frequency of the next key.
    pub const FREQ: u8 = 249;
    /// An auxiliary field: two strings.
    pub const AUX: u8 = 250;
    /// Key and expire counts of the current database (a hint).
    pub const RESIZEDB: u8 = 251;
    /// Expiry of the next key, Unix milliseconds (8 bytes LE).
    pub const EXPIRETIME_MS: u8 = 252;
    /// Expiry of the next key, Unix seconds (4 bytes LE; before RDB 3).
    pub const EXPIRETIME: u8 = 253;
    /// Following keys go to this database.
    pub const SELECTDB: u8 = 254;
    /// End of the keys; the checksum follows.
    pub const EOF: u8 = 255;
}

/// Value types (`RDB_TYPE_*`).
mod value_type {
    pub const STRING: u8 = 0;
    pub const LIST: u8 = 1;
    pub const SET: u8 = 2;
    pub const ZSET: u8 = 3;
    pub const HASH: u8 = 4;
    pub const ZSET_2: u8 = 5;
    pub const MODULE_PRE_GA: u8 = 6;
    pub const MODULE_2: u8 = 7;
    pub const HASH_ZIPMAP: u8 = 9;
    pub const LIST_ZIPLIST: u8 = 10;
    pub const SET_INTSET: u8 = 11;
    pub const ZSET_ZIPLIST: u8 = 12;
    pub const HASH_ZIPLIST: u8 = 13;
    pub const LIST_QUICKLIST: u8 = 14;
    pub const STREAM_LISTPACKS: u8 = 15;
    pub const HASH_LISTPACK: u8 = 16;
    pub const ZSET_LISTPACK: u8 = 17;
    pub const LIST_QUICKLIST_2: u8 = 18;
    pub const STREAM_LISTPACKS_2: u8 = 19;
}

/// Why RDB bytes could not be loaded: a clear message naming what was wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RdbError {
    message: String,
}

impl RdbError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> RdbError {
        RdbError {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for RdbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RdbError {}

/// One element of a listpack or ziplist: Redis stores integers apart from strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Element<'a> {
    /// An integer entry.
    Int(i64),
    /// A string entry.
    Str(&'a [u8]),
}

impl Element<'_> {
    /// The element as the bytes a command would see (integers in decimal).
    pub(crate) fn to_vec(self) -> Vec<u8> {
        match self {
            Element::Int(value) => {
                let mut out = Vec::with_capacity(20);
                push_decimal(&mut out, value);
                out
            }
            Element::Str(bytes) => bytes.to_vec(),
        }
    }
}

/// How a full sync's payload is framed, as the first line after `+FULLRESYNC` announces it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferHeader {
    /// `$<len>`: exactly `len` RDB bytes follow, with no trailing CRLF.
    Disk {
        /// Bytes of RDB that follow.
        len: u64,
    },
    /// `$EOF:<mark>`: the RDB follows, then the same 40-byte mark.
    Diskless {
        /// The end mark.
        mark: [u8; EOF_MARK_BYTES],
    },
}

/// A fresh end mark for a diskless transfer: 40 random lowercase hex digits, as Redis's
/// `getRandomHexChars` makes.
pub fn random_eof_mark(prng: &mut Prng) -> [u8; EOF_MARK_BYTES] {
    crate::engine::state::random_hex(prng)
}

/// The line before a disk transfer: `$<len>\r\n`.
pub fn disk_preamble(rdb_len: usize) -> Vec<u8> {
    format!("${rdb_len}\r\n").into_bytes()
}

/// The line before a diskless transfer: `$EOF:<mark>\r\n`.
pub fn diskless_preamble(mark: &[u8; EOF_MARK_BYTES]) -> Vec<u8> {
    let mut out = Vec::with_capacity(5 + EOF_MARK_BYTES + 2);
    out.extend_from_slice(b"$EOF:");
    out.extend_from_slice(mark);
    out.extend_from_slice(b"\r\n");
    out
}

/// A whole diskless transfer: the preamble, the RDB, and the mark again
/// (`rdbSaveRioWithEOFMark`).
pub fn diskless_frame(mark: &[u8; EOF_MARK_BYTES], rdb: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(5 + EOF_MARK_BYTES + 2 + rdb.len() + EOF_MARK_BYTES);
    out.extend_from_slice(&diskless_preamble(mark));
    out.extend_from_slice(rdb);
    out.extend_from_slice(mark);
    out
}

/// Reads the preamble line of a transfer (without its CRLF), as a replica's
/// `readSyncBulkPayload` does: `$EOF:` followed by at least 40 characters is diskless (the first
/// 40 are the mark), otherwise `$` and a length.
pub fn parse_transfer_header(line: &[u8]) -> Result<TransferHeader, RdbError> {
    let Some(rest) = line.strip_prefix(b"$") else {
        return Err(RdbError::new(format!(
            "bad protocol from master: expected '$', got {}",
            repr(line)
        )));
    };
    if let Some(mark) = rest
        .strip_prefix(b"EOF:")
        .and_then(|after| after.get(..EOF_MARK_BYTES))
    {
        let mut copy = [0u8; EOF_MARK_BYTES];
        copy.copy_from_slice(mark);
        return Ok(TransferHeader::Diskless { mark: copy });
    }
    std::str::from_utf8(rest)
        .ok()
        .and_then(|text| text.parse::<u64>().ok())
        .map(|len| TransferHeader::Disk { len })
        .ok_or_else(|| RdbError::new(format!("bad transfer length from master: {}", repr(line))))
}

/// The RDB inside a received diskless payload (what followed the preamble), if it ends with
/// the mark; `None` while more bytes are still to come.
pub fn strip_eof_mark<'a>(payload: &'a [u8], mark: &[u8; EOF_MARK_BYTES]) -> Option<&'a [u8]> {
    payload.strip_suffix(&mark[..])
}
