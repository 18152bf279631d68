//! Writing: a keyspace snapshot as a Redis 7.0 RDB file (`rdbSaveRio`), and single values as
//! DUMP carries them (`createDumpPayload`).

use super::crc64::crc64;
use super::lzf::Compressor;
use super::{intset, listpack, opcode, value_type, RDB_VERSION};
use crate::engine::float;
use crate::engine::keyspace::{HashValue, Keyspace, ListValue, SetValue, SortedSetValue, Value};
use crate::engine::resp::push_decimal;

/// The version Redis 7.0.15 writes in `redis-ver`.
const REDIS_VERSION: &str = "7.0.15";
/// A quicklist node stops growing before its listpack passes this many bytes
/// (`list-max-listpack-size -2`, the default; the engine has no setting for it).
const LIST_NODE_BYTES_MAX: usize = 8192;
/// Redis's overestimate of what one more element adds to a node (`SIZE_ESTIMATE_OVERHEAD`).
const LIST_ELEMENT_OVERHEAD_BYTES: usize = 8;
/// Elements this long get a quicklist node of their own, stored plainly (`packed_threshold`).
const LIST_PLAIN_ELEMENT_BYTES: usize = 1 << 30;
/// `QUICKLIST_NODE_CONTAINER_PLAIN` and `_PACKED`.
const CONTAINER_PLAIN: u64 = 1;
const CONTAINER_PACKED: u64 = 2;
/// Strings this short are never worth compressing (Redis's check in `rdbSaveRawString`).
const COMPRESS_BYTES_MIN: usize = 21;

/// The `rdbcompression` and `rdbchecksum` settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SaveOptions {
    /// LZF-compress strings and blobs longer than 20 bytes when it saves at least 4 bytes.
    pub compression: bool,
    /// Close the file with its CRC64; without it the checksum field is 0, which loaders accept.
    pub checksum: bool,
}

impl Default for SaveOptions {
    /// Redis's defaults: both on.
    fn default() -> Self {
        SaveOptions {
            compression: true,
            checksum: true,
        }
    }
}

/// The auxiliary fields of a snapshot, in the order 7.0 writes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuxFields {
    /// `ctime`: when the snapshot was taken, Unix seconds.
    pub ctime_secs: i64,
    /// `used-mem`: the memory the dataset used, in bytes.
    pub used_mem_bytes: u64,
    /// `repl-stream-db`, `repl-id`, `repl-offset`: present when Redis passes replication info
    /// (a master with a backlog, or a replica).
    pub replication: Option<ReplicationAux>,
    /// `aof-base`: whether this is the base of a multi-part AOF (false for a plain RDB).
    pub aof_base: bool,
}

/// The replication aux fields (`rdbSaveInfo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicationAux {
    /// The database the replication stream last selected (0 when none yet).
    pub stream_db: i64,
    /// The replication id (40 hex digits).
    pub repl_id: String,
    /// The master replication offset the snapshot matches.
    pub offset: i64,
}

/// [`RDB_VERSION`] as the header writes it: four decimal digits (`%04d`), worked out at compile
/// time.
const VERSION_DIGITS: [u8; 4] = [
    b'0' + (RDB_VERSION / 1000 % 10) as u8,
    b'0' + (RDB_VERSION / 100 % 10) as u8,
    b'0' + (RDB_VERSION / 10 % 10) as u8,
    b'0' + (RDB_VERSION % 10) as u8,
];
const _: () = assert!(RDB_VERSION < 10_000, "the header has room for four digits");

/// The whole keyspace as an RDB file.
pub fn encode(keyspace: &Keyspace, aux: &AuxFields, options: SaveOptions) -> Vec<u8> {
    // The file is smaller than the dataset's in-memory estimate (which counts per-key overhead).
    let mut writer = Writer::new(options, keyspace.used_bytes() / 2 + 256);
    writer.out.extend_from_slice(b"REDIS");
    writer.out.extend_from_slice(&VERSION_DIGITS);
    writer.aux(b"redis-ver", REDIS_VERSION.as_bytes());
    // We stand in for a 64-bit redis-server, whatever the engine was built for (wasm32 too).
    writer.aux_int(b"redis-bits", 64);
    writer.aux_int(b"ctime", aux.ctime_secs);
    writer.aux_int(
        b"used-mem",
        i64::try_from(aux.used_mem_bytes).unwrap_or(i64::MAX),
    );
    if let Some(replication) = &aux.replication {
        writer.aux_int(b"repl-stream-db", replication.stream_db);
        writer.aux(b"repl-id", replication.repl_id.as_bytes());
        writer.aux_int(b"repl-offset", replication.offset);
    }
    writer.aux_int(b"aof-base", i64::from(aux.aof_base));
    for (index, db) in keyspace.iter() {
        if db.is_empty() {
            continue;
        }
        writer.out.push(opcode::SELECTDB);
        writer.len(index as u64);
        writer.out.push(opcode::RESIZEDB);
        writer.len(db.len() as u64);
        writer.len(db.expires_len() as u64);
        for (key, entry) in db.iter() {
            if let Some(at) = entry.expires_at_ms() {
                writer.out.push(opcode::EXPIRETIME_MS);
                writer
                    .out
                    .extend_from_slice(&i64::try_from(at).unwrap_or(i64::MAX).to_le_bytes());
            }
            writer.out.push(type_of(&entry.value));
            writer.string(key);
            writer.value(&entry.value);
        }
    }
    writer.out.push(opcode::EOF);
    let checksum = if options.checksum {
        crc64(0, &writer.out)
    } else {
        0
    };
    writer.out.extend_from_slice(&checksum.to_le_bytes());
    writer.out
}

/// Appends one value as `rdbSaveObjectType` + `rdbSaveObject` write it: its type byte, then its
/// payload.
pub fn encode_value(value: &Value, options: SaveOptions, out: &mut Vec<u8>) {
    let mut writer = Writer::new(options, 0);
    writer.out = std::mem::take(out);
    writer.out.push(type_of(value));
    writer.value(value);
    *out = writer.out;
}

/// A value as DUMP returns it: type, payload, RDB version (2 bytes LE), CRC64 of all that (8 bytes
/// LE). `compression` is the server's `rdbcompression`.
pub fn dump_payload(value: &Value, compression: bool) -> Vec<u8> {
    let mut out = Vec::new();
    encode_value(
        value,
        SaveOptions {
            compression,
            checksum: true,
        },
        &mut out,
    );
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let checksum = crc64(0, &out);
    out.extend_from_slice(&checksum.to_le_bytes());
    out
}

/// The RDB type a value is saved as, by its in-memory encoding (`rdbSaveObjectType`).
fn type_of(value: &Value) -> u8 {
    match value {
        Value::String(_) => value_type::STRING,
        Value::List(_) => value_type::LIST_QUICKLIST_2,
        Value::Set(SetValue::Intset { .. }) => value_type::SET_INTSET,
        Value::Set(SetValue::Table { .. }) => value_type::SET,
        Value::SortedSet(zset) if zset.encoding() == "listpack" => value_type::ZSET_LISTPACK,
        Value::SortedSet(_) => value_type::ZSET_2,
        Value::Hash(HashValue::Listpack { .. }) => value_type::HASH_LISTPACK,
        Value::Hash(HashValue::Table { .. }) => value_type::HASH,
    }
}

/// The output and the scratch space reused for every value.
struct Writer {
    out: Vec<u8>,
    compression: bool,
    compressor: Option<Box<Compressor>>,
    /// Compressed bytes, before they are known to be worth it.
    compressed: Vec<u8>,
    /// The listpack or intset being built.
    blob: Vec<u8>,
    /// Where each quicklist node's listpack lies in `blob`, and whether it is a plain node.
    nodes: Vec<(usize, usize, bool)>,
}

impl Writer {
    fn new(options: SaveOptions, capacity: usize) -> Writer {
        Writer {
            out: Vec::with_capacity(capacity),
            compression: options.compression,
            compressor: None,
            compressed: Vec::new(),
            blob: Vec::new(),
            nodes: Vec::new(),
        }
    }

    /// A length (`rdbSaveLen`): 6 bits, 14 bits, or a 32/64-bit big-endian number.
    fn len(&mut self, len: u64) {
        if len < 1 << 6 {
            self.out.push(len as u8);
        } else if len < 1 << 14 {
            self.out
                .extend_from_slice(&[0x40 | (len >> 8) as u8, len as u8]);
        } else if let Ok(len) = u32::try_from(len) {
            self.out.push(0x80);
            self.out.extend_from_slice(&len.to_be_bytes());
        } else {
            self.out.push(0x81);
            self.out.extend_from_slice(&len.to_be_bytes());
        }
    }

    /// An auxiliary field.
    fn aux(&mut self, key: &[u8], value: &[u8]) {
        self.out.push(opcode::AUX);
        self.string(key);
        self.string(value);
    }

    /// An auxiliary field whose value is a number (`rdbSaveAuxFieldStrInt`).
    fn aux_int(&mut self, key: &[u8], value: i64) {
        let mut text = Vec::with_capacity(20);
        push_decimal(&mut text, value);
        self.aux(key, &text);
    }

    /// A string (`rdbSaveRawString`): a small canonical integer as one, else LZF if long enough
    /// and worth it, else the length and the bytes.
    fn string(&mut self, bytes: &[u8]) {
        if bytes.len() <= 11 {
            if let Some(value) = crate::engine::resp::parse_i64(bytes) {
                if self.int(value) {
                    return;
                }
            }
        }
        if self.compression && bytes.len() >= COMPRESS_BYTES_MIN && self.lzf(bytes) {
            return;
        }
        self.len(bytes.len() as u64);
        self.out.extend_from_slice(bytes);
    }

    /// An integer in the 8, 16 or 32-bit string encoding (`rdbEncodeInteger`); false if it does
    /// not fit.
    fn int(&mut self, value: i64) -> bool {
        if let Ok(small) = i8::try_from(value) {
            self.out.extend_from_slice(&[0xc0, small as u8]);
        } else if let Ok(medium) = i16::try_from(value) {
            self.out.push(0xc1);
            self.out.extend_from_slice(&medium.to_le_bytes());
        } else if let Ok(large) = i32::try_from(value) {
            self.out.push(0xc2);
            self.out.extend_from_slice(&large.to_le_bytes());
        } else {
            return false;
        }
        true
    }

    /// A string LZF-compressed (`rdbSaveLzfStringObject`), if that saves at least 4 bytes.
    fn lzf(&mut self, bytes: &[u8]) -> bool {
        let room = bytes.len() - 4;
        if self.compressed.len() < room {
            self.compressed.resize(room, 0);
        }
        let compressor = self.compressor.get_or_insert_with(Box::default);
        let Some(compressed_len) = compressor.compress(bytes, &mut self.compressed[..room]) else {
            return false;
        };
        self.out.push(0xc3);
        self.len(compressed_len as u64);
        self.len(bytes.len() as u64);
        self.out
            .extend_from_slice(&self.compressed[..compressed_len]);
        true
    }

    /// The blob built in `self.blob`, saved as a string.
    fn blob_string(&mut self) {
        let blob = std::mem::take(&mut self.blob);
        self.string(&blob);
        self.blob = blob;
    }

    /// A value's payload (`rdbSaveObject`).
    fn value(&mut self, value: &Value) {
        match value {
            Value::String(string) => self.string(string.bytes()),
            Value::List(list) => self.list(list),
            Value::Set(SetValue::Intset { values, width }) => {
                self.blob.clear();
                intset::encode(values, *width, &mut self.blob);
                self.blob_string();
            }
            Value::Set(SetValue::Table { members, .. }) => {
                self.len(members.len() as u64);
                for (member, ()) in members.iter() {
                    self.string(member);
                }
            }
            Value::Hash(HashValue::Listpack { pairs, .. }) => {
                listpack::begin(&mut self.blob);
                for (field, value) in pairs {
                    listpack::push(&mut self.blob, field);
                    listpack::push(&mut self.blob, value);
                }
                listpack::finish(&mut self.blob, pairs.len() * 2);
                self.blob_string();
            }
            Value::Hash(HashValue::Table { fields, .. }) => {
                self.len(fields.len() as u64);
                for (field, value) in fields.iter() {
                    self.string(field);
                    self.string(value);
                }
            }
            Value::SortedSet(zset) => self.sorted_set(zset),
        }
    }

    /// A list as quicklist nodes, each a listpack filled as RPUSH fills them: an element joins the
    /// last node while the node's bytes, the element's length and 8 stay within 8 KB.
    fn list(&mut self, list: &ListValue) {
        self.blob.clear();
        self.nodes.clear();
        let mut open: Option<(usize, usize)> = None; // (start in blob, elements)
        for item in list.iter() {
            if item.len() >= LIST_PLAIN_ELEMENT_BYTES {
                close_node(&mut self.blob, &mut self.nodes, open.take());
                let start = self.blob.len();
                self.blob.extend_from_slice(item);
                self.nodes.push((start, self.blob.len(), true));
                continue;
            }
            if let Some((start, _)) = open {
                // The node's listpack bytes as Redis counts them, terminator included.
                let node_bytes = self.blob.len() - start + 1;
                if node_bytes + item.len() + LIST_ELEMENT_OVERHEAD_BYTES > LIST_NODE_BYTES_MAX {
                    close_node(&mut self.blob, &mut self.nodes, open.take());
                }
            }
            if open.is_none() {
                open = Some((self.blob.len(), 0));
                self.blob.extend_from_slice(&[0; listpack::HEADER_BYTES]);
            }
            if let Some((_, count)) = &mut open {
                *count += 1;
            }
            listpack::push(&mut self.blob, item);
        }
        close_node(&mut self.blob, &mut self.nodes, open.take());
        self.len(self.nodes.len() as u64);
        let blob = std::mem::take(&mut self.blob);
        let nodes = std::mem::take(&mut self.nodes);
        for &(start, end, plain) in &nodes {
            self.len(if plain {
                CONTAINER_PLAIN
            } else {
                CONTAINER_PACKED
            });
            self.string(blob.get(start..end).unwrap_or_default());
        }
        self.blob = blob;
        self.nodes = nodes;
    }

    /// A sorted set: a listpack of member/score pairs in order, or members with binary scores
    /// from the highest score down (`rdbSaveObject` walks the skiplist backwards).
    fn sorted_set(&mut self, zset: &SortedSetValue) {
        if zset.encoding() == "listpack" {
            listpack::begin(&mut self.blob);
            for (member, score) in zset.iter() {
                listpack::push(&mut self.blob, member);
                push_score(&mut self.blob, score);
            }
            listpack::finish(&mut self.blob, zset.len() * 2);
            self.blob_string();
        } else {
            self.len(zset.len() as u64);
            for (member, score) in zset.iter().rev() {
                self.string(member);
                self.out.extend_from_slice(&score.to_le_bytes());
            }
        }
    }
}

/// Terminates the listpack of the open quicklist node, if any, and records where it lies.
fn close_node(
    blob: &mut Vec<u8>,
    nodes: &mut Vec<(usize, usize, bool)>,
    open: Option<(usize, usize)>,
) {
    let Some((start, count)) = open else {
        return;
    };
    blob.push(0xff);
    let total = u32::try_from(blob.len() - start).unwrap_or(u32::MAX);
    let count = u16::try_from(count).unwrap_or(u16::MAX);
    if let Some(node) = blob.get_mut(start..) {
        listpack::write_header(node, total, count);
    }
    nodes.push((start, blob.len(), false));
}

/// Appends a score to a sorted-set listpack as `zzlInsertAt` stores it: `d2string` prints it
/// (an integer when it is one below 2^52 in magnitude, so -0 becomes 0; else `%.17g`), and the
/// listpack keeps the text as an integer when it reads as one.
fn push_score(buf: &mut Vec<u8>, score: f64) {
    const LIMIT: f64 = 4_503_599_627_370_496.0; // 2^52
    if score.is_infinite() {
        listpack::push_str(buf, if score > 0.0 { b"inf" } else { b"-inf" });
    } else if score > -(LIMIT - 1.0) && score < LIMIT && score == (score as i64) as f64 {
        listpack::push_int(buf, score as i64);
    } else {
        listpack::push(buf, &float::g17(score));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn lengths_take_the_shortest_form() {
        let mut writer = Writer::new(SaveOptions::default(), 0);
        for len in [
            0u64,
            63,
            64,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::from(u32::MAX) + 1,
        ] {
            writer.len(len);
        }
        assert_eq!(
            writer.out,
            [
                &[0x00][..],
                &[0x3f],
                &[0x40, 0x40],
                &[0x7f, 0xff],
                &[0x80, 0x00, 0x00, 0x40, 0x00],
                &[0x80, 0xff, 0xff, 0xff, 0xff],
                &[0x81, 0, 0, 0, 1, 0, 0, 0, 0],
            ]
            .concat()
        );
    }

    #[test]
    fn strings_use_integer_encodings_like_redis() {
        let mut writer = Writer::new(SaveOptions::default(), 0);
        for text in [
            "12",
            "-1",
            "300",
            "-70000",
            "2147483647",
            "2147483648",
            "007",
            "-0",
            "",
        ] {
            writer.string(text.as_bytes());
        }
        let expected: Vec<u8> = [
            &[0xc0, 12][..],
            &[0xc0, 0xff],
            &[0xc1, 0x2c, 0x01],
            &[0xc2, 0x90, 0xee, 0xfe, 0xff],
            &[0xc2, 0xff, 0xff, 0xff, 0x7f],
            b"\x0a2147483648",
            b"\x03007",
            b"\x02-0",
            b"\x00",
        ]
        .concat();
        assert_eq!(writer.out, expected);
    }
}
