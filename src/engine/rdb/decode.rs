//! Reading: an RDB file into databases of keys (`rdbLoadRio`), and single values from DUMP
//! payloads (RESTORE's `verifyDumpPayload` + `rdbLoadObject`).
//!
//! Strict: the magic, the version, every length, every blob's internal structure and the checksum
//! are checked, and anything wrong is an [`RdbError`] naming the offset. No allocation is sized by
//! a length before the input is known to hold that many bytes (an LZF string may expand at most
//! [`lzf::EXPANSION_MAX`] times), so a small file cannot make the loader reserve gigabytes.
//!
//! Values come back in the encodings Redis 7.0 would give them when loading, with the node's
//! thresholds: e.g. a hash saved as a hashtable but small enough loads as a listpack only if it
//! was saved field by field and fits, exactly as `rdbLoadObject` decides.

use std::borrow::Cow;
use std::fmt;

use super::crc64::crc64;
use super::{intset, listpack, lzf, opcode, value_type, Element, RdbError, RDB_VERSION};
use crate::engine::command::args::c_integer;
use crate::engine::command::strtod::strtod;
use crate::engine::config::Config;
use crate::engine::keyspace::{
    HashValue, Keyspace, ListValue, ListpackLimits, SetValue, SortedSetValue, StringValue, Value,
};
use crate::engine::resp::{push_decimal, repr};

/// What a loaded RDB file held.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The keys, in the databases the file put them in. Expired keys are included: whether to
    /// drop them is the loader's policy (a master does, a replica does not).
    pub keyspace: Keyspace,
    /// The auxiliary fields, in file order.
    pub aux: Aux,
    /// The file's format version.
    pub version: u16,
    /// Keys whose value was empty, which Redis skips with a warning.
    pub empty_keys_skipped: u64,
}

/// Auxiliary fields of a loaded file: every one as it was written, with accessors for those Redis
/// acts on, parsed as Redis parses them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Aux {
    /// Name and value of every field, in file order.
    pub fields: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Aux {
    /// The value of field `name` (case-insensitive; the last one wins, as Redis reads them in
    /// order).
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.fields
            .iter()
            .rev()
            .find(|(field, _)| field.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, value)| value.as_slice())
    }

    /// `repl-id`, used only when it has exactly 40 characters.
    pub fn repl_id(&self) -> Option<&[u8]> {
        self.get("repl-id").filter(|id| id.len() == 40)
    }

    /// `repl-offset` (read with `strtoll`).
    pub fn repl_offset(&self) -> Option<i64> {
        self.get("repl-offset").map(c_integer)
    }

    /// `repl-stream-db` (read with `atoi`).
    pub fn repl_stream_db(&self) -> Option<i64> {
        self.get("repl-stream-db").map(c_integer)
    }
}

/// Loads a whole RDB file. `config` supplies the number of databases and the encoding thresholds.
pub fn decode(bytes: &[u8], config: &Config) -> Result<Loaded, RdbError> {
    let mut reader = Reader { bytes, pos: 0 };
    let Some(digits) = reader.take(9, "the header")?.strip_prefix(b"REDIS") else {
        return Err(RdbError::new(
            "not an RDB file: the header is not REDIS<version>",
        ));
    };
    let version = parse_version(digits)?;
    let limits = Limits::from(config);
    let mut loaded = Loaded {
        keyspace: Keyspace::new(config.databases),
        aux: Aux::default(),
        version,
        empty_keys_skipped: 0,
    };
    let mut db = 0usize;
    let mut expires_at_ms: Option<i64> = None;
    loop {
        let kind = reader.byte("an opcode or value type")?;
        match kind {
            opcode::EXPIRETIME => {
                let seconds = i32::from_le_bytes(reader.array("an expire time")?);
                expires_at_ms = Some(i64::from(seconds) * 1000);
            }
            opcode::EXPIRETIME_MS => {
                expires_at_ms = Some(i64::from_le_bytes(reader.array("an expire time")?));
            }
            opcode::FREQ => {
                reader.take(1, "an LFU frequency")?;
            }
            opcode::IDLE => {
                reader.len("an LRU idle time")?;
            }
            opcode::EOF => break,
            opcode::SELECTDB => {
                let index = reader.len("a database number")?;
                db = usize::try_from(index)
                    .ok()
                    .filter(|&index| index < config.databases)
                    .ok_or_else(|| {
                        reader.error(format_args!(
                            "the file uses database {index}, but only {} are configured",
                            config.databases
                        ))
                    })?;
            }
            opcode::RESIZEDB => {
                let keys = reader.len("a database size hint")?;
                reader.len("a database size hint")?;
                // Trust the hint only as far as the rest of the file could plausibly hold that
                // many keys (16 bytes each), so a lying hint cannot reserve much more memory than
                // the file's own size.
                let keys = reader.capacity_for(keys, 16);
                loaded.keyspace.db_mut(db).reserve(keys);
            }
            opcode::AUX => {
                let name = reader.owned_string("an aux field name")?;
                let value = reader.owned_string("an aux field value")?;
                loaded.aux.fields.push((name, value));
            }
            opcode::MODULE_AUX => {
                let module = reader.len("a module id")?;
                return Err(reader.error(format_args!(
                    "the file holds data of a Redis module (id {module}), which this engine does \
                     not have"
                )));
            }
            opcode::FUNCTION2 | opcode::FUNCTION_PRE_GA => {
                return Err(reader.error(format_args!(
                    "the file holds Redis Functions libraries, which this engine does not support"
                )));
            }
            kind => {
                let key_at = reader.pos;
                let key = reader.string("a key")?;
                let value = object(&mut reader, kind, &limits)?;
                let expiry = expires_at_ms.take();
                let Some(value) = value else {
                    loaded.empty_keys_skipped += 1;
                    continue;
                };
                // An expiry before 1970 is simply in the past.
                let expiry = expiry.map(|at| u64::try_from(at).unwrap_or(0));
                if loaded
                    .keyspace
                    .db_mut(db)
                    .insert_new(&key, value, expiry)
                    .is_err()
                {
                    return Err(error_at(
                        key_at,
                        format_args!("duplicated key {} in database {db}", repr(&key)),
                    ));
                }
            }
        }
    }
    let checked_len = reader.pos;
    if version >= 5 {
        let stored = u64::from_le_bytes(reader.array("the checksum")?);
        // 0 means the file was saved with `rdbchecksum no`: Redis loads it unchecked.
        if stored != 0 {
            let computed = crc64(0, bytes.get(..checked_len).unwrap_or_default());
            if stored != computed {
                return Err(RdbError::new(format!(
                    "RDB checksum mismatch: the file says {stored:016x}, its data gives \
                     {computed:016x}"
                )));
            }
        }
    }
    if reader.pos != bytes.len() {
        return Err(reader.error(format_args!(
            "{} bytes after the end of the RDB",
            bytes.len() - reader.pos
        )));
    }
    Ok(loaded)
}

/// Loads a DUMP payload as RESTORE does: the footer (RDB version, at most ours, and CRC64) is
/// checked, then the value read. An empty value is refused.
pub fn restore_payload(payload: &[u8], config: &Config) -> Result<Value, RdbError> {
    let bad = |what: &str| RdbError::new(format!("DUMP payload {what}"));
    let Some((body, footer)) = payload.split_last_chunk::<10>() else {
        return Err(bad("shorter than its footer"));
    };
    let [version_low, version_high, checksum @ ..] = *footer;
    let version = u16::from_le_bytes([version_low, version_high]);
    if version > RDB_VERSION {
        return Err(bad(&format!("from a newer RDB version ({version})")));
    }
    // The checksum covers the body and the version.
    if u64::from_le_bytes(checksum) != crc64(crc64(0, body), &[version_low, version_high]) {
        return Err(bad("checksum mismatch"));
    }
    let mut reader = Reader {
        bytes: body,
        pos: 0,
    };
    let kind = reader.byte("a value type")?;
    let value = object(&mut reader, kind, &Limits::from(config))?
        .ok_or_else(|| bad("holds an empty value"))?;
    if reader.pos != body.len() {
        return Err(bad("has bytes after the value"));
    }
    Ok(value)
}

/// `REDIS` is followed by four decimal digits, 1 to ours.
fn parse_version(digits: &[u8]) -> Result<u16, RdbError> {
    let version = std::str::from_utf8(digits)
        .ok()
        .filter(|text| text.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|text| text.parse::<u16>().ok());
    match version {
        Some(version @ 1..=RDB_VERSION) => Ok(version),
        _ => Err(RdbError::new(format!(
            "can't handle RDB format version {} (this engine reads 1 to {RDB_VERSION})",
            repr(digits)
        ))),
    }
}

/// The thresholds that decide a loaded value's encoding.
struct Limits {
    hash: ListpackLimits,
    zset: ListpackLimits,
    intset_entries_max: usize,
}

impl From<&Config> for Limits {
    fn from(config: &Config) -> Limits {
        Limits {
            hash: config.hash_listpack,
            zset: config.zset_listpack,
            intset_entries_max: config.set_max_intset_entries.min(1 << 30),
        }
    }
}

/// The error for something wrong at input offset `at` (one constructor, not one per message).
#[inline(never)]
fn error_at(at: usize, what: fmt::Arguments<'_>) -> RdbError {
    RdbError::new(format!("RDB offset {at}: {what}"))
}

/// A length, or the tag of a specially encoded string (`rdbLoadLenByRef`).
enum Length {
    Plain(u64),
    Special(u8),
}

/// A cursor over the input.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, what: fmt::Arguments<'_>) -> RdbError {
        error_at(self.pos, what)
    }

    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn byte(&mut self, what: &str) -> Result<u8, RdbError> {
        let byte = self
            .bytes
            .get(self.pos)
            .copied()
            .ok_or_else(|| self.error(format_args!("unexpected end of data reading {what}")))?;
        self.pos += 1;
        Ok(byte)
    }

    /// The next `len` bytes, if the input holds that many.
    fn take(&mut self, len: u64, what: &str) -> Result<&'a [u8], RdbError> {
        let slice = usize::try_from(len)
            .ok()
            .and_then(|len| self.bytes.get(self.pos..self.pos.checked_add(len)?))
            .ok_or_else(|| {
                self.error(format_args!(
                    "{what} of {len} bytes, but only {} bytes are left",
                    self.remaining()
                ))
            })?;
        self.pos += slice.len();
        Ok(slice)
    }

    /// The next `N` bytes (a fixed-width field), if the input holds that many.
    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], RdbError> {
        let bytes = self.take(N as u64, what)?;
        // `take` gave exactly `N` bytes.
        Ok(bytes.first_chunk().copied().unwrap_or([0; N]))
    }

    fn length(&mut self, what: &str) -> Result<Length, RdbError> {
        let first = self.byte(what)?;
        Ok(match first >> 6 {
            0 => Length::Plain(u64::from(first & 0x3f)),
            1 => Length::Plain((u64::from(first & 0x3f) << 8) | u64::from(self.byte(what)?)),
            3 => Length::Special(first & 0x3f),
            _ if first == 0x80 => Length::Plain(u64::from(u32::from_be_bytes(self.array(what)?))),
            _ if first == 0x81 => Length::Plain(u64::from_be_bytes(self.array(what)?)),
            _ => {
                return Err(self.error(format_args!(
                    "unknown length encoding 0x{first:02x} in {what}"
                )))
            }
        })
    }

    /// A plain length (`rdbLoadLen` where a string encoding makes no sense).
    fn len(&mut self, what: &str) -> Result<u64, RdbError> {
        match self.length(what)? {
            Length::Plain(len) => Ok(len),
            Length::Special(_) => {
                Err(self.error(format_args!("a string encoding where {what} was expected")))
            }
        }
    }

    /// A string (`rdbGenericLoadStringObject`): bytes of the input when stored verbatim, else
    /// decoded from its integer or LZF form.
    fn string(&mut self, what: &str) -> Result<Cow<'a, [u8]>, RdbError> {
        match self.length(what)? {
            Length::Plain(len) => Ok(Cow::Borrowed(self.take(len, what)?)),
            Length::Special(tag @ 0..=2) => {
                let value = match tag {
                    0 => i64::from(i8::from_le_bytes(self.array(what)?)),
                    1 => i64::from(i16::from_le_bytes(self.array(what)?)),
                    _ => i64::from(i32::from_le_bytes(self.array(what)?)),
                };
                let mut text = Vec::with_capacity(11);
                push_decimal(&mut text, value);
                Ok(Cow::Owned(text))
            }
            Length::Special(3) => {
                let compressed_len = self.len(what)?;
                let len = self.len(what)?;
                let at = self.pos;
                let compressed = self.take(compressed_len, what)?;
                let len = usize::try_from(len)
                    .ok()
                    .filter(|&len| len > 0 && len / lzf::EXPANSION_MAX <= compressed.len())
                    .ok_or_else(|| {
                        error_at(
                            at,
                            format_args!(
                                "LZF string in {what} claims {len} bytes from {} compressed bytes",
                                compressed.len()
                            ),
                        )
                    })?;
                let mut out = Vec::with_capacity(len);
                lzf::decompress(compressed, len, &mut out).map_err(|error| {
                    error_at(at, format_args!("invalid LZF string in {what} ({error:?})"))
                })?;
                Ok(Cow::Owned(out))
            }
            Length::Special(tag) => {
                Err(self.error(format_args!("unknown string encoding {tag} in {what}")))
            }
        }
    }

    /// [`string`](Reader::string), as bytes of its own.
    fn owned_string(&mut self, what: &str) -> Result<Vec<u8>, RdbError> {
        Ok(self.string(what)?.into_owned())
    }

    /// A capacity for `count` items of at least `item_bytes_min` bytes each that the rest of the
    /// input can actually hold.
    fn capacity_for(&self, count: u64, item_bytes_min: usize) -> usize {
        usize::try_from(count)
            .unwrap_or(usize::MAX)
            .min(self.remaining() / item_bytes_min.max(1))
    }
}

/// Reads one value of RDB type `kind` (`rdbLoadObject`); `None` for an empty one, which Redis
/// skips.
fn object(reader: &mut Reader<'_>, kind: u8, limits: &Limits) -> Result<Option<Value>, RdbError> {
    let at = reader.pos;
    let corrupt = |what: fmt::Arguments<'_>| error_at(at, what);
    let value = match kind {
        value_type::STRING => {
            Value::String(StringValue::new(reader.owned_string("a string value")?))
        }
        value_type::LIST => {
            let count = reader.len("a list length")?;
            let mut list = ListValue::default();
            for _ in 0..count {
                list.push_back(reader.owned_string("a list element")?);
            }
            Value::List(list)
        }
        value_type::LIST_QUICKLIST | value_type::LIST_QUICKLIST_2 => {
            let nodes = reader.len("a quicklist length")?;
            let mut list = ListValue::default();
            for _ in 0..nodes {
                let container = if kind == value_type::LIST_QUICKLIST_2 {
                    reader.len("a quicklist node container")?
                } else {
                    2
                };
                let blob = reader.string("a quicklist node")?;
                if blob.is_empty() {
                    return Err(corrupt(format_args!("empty quicklist node")));
                }
                match container {
                    1 => list.push_back(blob.into_owned()),
                    2 => {
                        let listpack = kind == value_type::LIST_QUICKLIST_2;
                        walk_blob(&blob, listpack, &mut |element| {
                            list.push_back(element.to_vec());
                            Ok(())
                        })
                        .map_err(|error| corrupt(format_args!("quicklist node: {error}")))?;
                    }
                    other => return Err(corrupt(format_args!("quicklist node container {other}"))),
                }
            }
            Value::List(list)
        }
        value_type::LIST_ZIPLIST => {
            let blob = reader.string("a ziplist")?;
            let mut list = ListValue::default();
            walk_blob(&blob, false, &mut |element| {
                list.push_back(element.to_vec());
                Ok(())
            })
            .map_err(|error| corrupt(format_args!("list ziplist: {error}")))?;
            Value::List(list)
        }
        value_type::SET => {
            let count = reader.len("a set length")?;
            // More members than an intset may hold: a hashtable from the start.
            let intset_max = if count > limits.intset_entries_max as u64 {
                0
            } else {
                limits.intset_entries_max
            };
            let mut set = SetValue::default();
            for _ in 0..count {
                let member = reader.string("a set member")?;
                if !set.insert(&member, intset_max) {
                    return Err(corrupt(format_args!("duplicate set members")));
                }
            }
            Value::Set(set)
        }
        value_type::SET_INTSET => {
            let blob = reader.string("an intset")?;
            let (values, width) =
                intset::decode(&blob).map_err(|error| corrupt(format_args!("{error}")))?;
            if values.len() <= limits.intset_entries_max {
                // Loaded as it is, width included.
                Value::Set(SetValue::Intset { values, width })
            } else {
                let mut set = SetValue::default();
                let mut text = Vec::with_capacity(20);
                for value in values {
                    text.clear();
                    push_decimal(&mut text, value);
                    set.insert(&text, 0);
                }
                Value::Set(set)
            }
        }
        value_type::ZSET | value_type::ZSET_2 => {
            let count = reader.len("a sorted set length")?;
            let score_bytes_min = if kind == value_type::ZSET_2 { 8 } else { 1 };
            let mut members = Vec::with_capacity(reader.capacity_for(count, 1 + score_bytes_min));
            let (mut longest, mut total) = (0usize, 0usize);
            for _ in 0..count {
                let member = reader.owned_string("a sorted set member")?;
                let score = if kind == value_type::ZSET_2 {
                    f64::from_le_bytes(reader.array("a score")?)
                } else {
                    text_score(reader)?
                };
                if score.is_nan() {
                    return Err(corrupt(format_args!("sorted set with a NaN score")));
                }
                longest = longest.max(member.len());
                total = total.saturating_add(member.len());
                members.push((member, score));
            }
            // Redis converts after loading, since sorted sets are not stored in order.
            let listpack = members.len() <= limits.zset.entries_max
                && longest <= limits.zset.value_bytes_max
                && total <= 1 << 30;
            sorted_set(members, listpack, at)?
        }
        value_type::ZSET_ZIPLIST | value_type::ZSET_LISTPACK => {
            let blob = reader.string("a sorted set blob")?;
            let mut members = Vec::new();
            let mut pending: Option<Vec<u8>> = None;
            walk_blob(&blob, kind == value_type::ZSET_LISTPACK, &mut |element| {
                match pending.take() {
                    None => pending = Some(element.to_vec()),
                    Some(member) => members.push((member, element_score(element)?)),
                }
                Ok(())
            })
            .map_err(|error| corrupt(format_args!("sorted set: {error}")))?;
            if pending.is_some() {
                return Err(corrupt(format_args!(
                    "sorted set blob with a member but no score"
                )));
            }
            let listpack = members.len() <= limits.zset.entries_max;
            sorted_set(members, listpack, at)?
        }
        value_type::HASH => {
            let count = reader.len("a hash length")?;
            let mut pairs = Vec::with_capacity(reader.capacity_for(count, 2));
            let mut listpack = count <= limits.hash.entries_max as u64;
            for _ in 0..count {
                let field = reader.owned_string("a hash field")?;
                let value = reader.owned_string("a hash value")?;
                if field.len() > limits.hash.value_bytes_max
                    || value.len() > limits.hash.value_bytes_max
                {
                    listpack = false;
                }
                pairs.push((field, value));
            }
            hash(pairs, listpack, at)?
        }
        value_type::HASH_ZIPLIST | value_type::HASH_LISTPACK => {
            let blob = reader.string("a hash blob")?;
            let mut pairs = Vec::new();
            let mut pending: Option<Vec<u8>> = None;
            walk_blob(&blob, kind == value_type::HASH_LISTPACK, &mut |element| {
                match pending.take() {
                    None => pending = Some(element.to_vec()),
                    Some(field) => pairs.push((field, element.to_vec())),
                }
                Ok(())
            })
            .map_err(|error| corrupt(format_args!("hash: {error}")))?;
            if pending.is_some() {
                return Err(corrupt(format_args!("hash blob with a field but no value")));
            }
            let listpack = pairs.len() <= limits.hash.entries_max;
            hash(pairs, listpack, at)?
        }
        value_type::HASH_ZIPMAP => {
            let blob = reader.string("a zipmap")?;
            let (pairs, longest) =
                zipmap_pairs(&blob).map_err(|error| corrupt(format_args!("hash: {error}")))?;
            // Unlike the other blobs, a zipmap's longest entry counts too.
            let listpack =
                pairs.len() <= limits.hash.entries_max && longest <= limits.hash.value_bytes_max;
            hash(pairs, listpack, at)?
        }
        value_type::STREAM_LISTPACKS | value_type::STREAM_LISTPACKS_2 => {
            return Err(corrupt(format_args!(
                "a stream, which this engine does not support"
            )))
        }
        value_type::MODULE_PRE_GA | value_type::MODULE_2 => {
            return Err(corrupt(format_args!(
                "a Redis module value, which this engine cannot load"
            )))
        }
        other => return Err(corrupt(format_args!("unknown RDB value type {other}"))),
    };
    let empty = match &value {
        Value::String(_) => false,
        Value::List(list) => list.is_empty(),
        Value::Set(set) => set.is_empty(),
        Value::Hash(hash) => hash.is_empty(),
        Value::SortedSet(zset) => zset.is_empty(),
    };
    Ok((!empty).then_some(value))
}

/// Walks the elements of a listpack or, if not `listpack`, a ziplist blob (one walker for every
/// blob-encoded type, so each format's reader is compiled once).
fn walk_blob<'a>(
    blob: &'a [u8],
    listpack: bool,
    f: &mut dyn FnMut(Element<'a>) -> Result<(), String>,
) -> Result<usize, String> {
    if listpack {
        listpack::for_each(blob, f)
    } else {
        ziplist(blob, f)
    }
}

/// A ziplist's elements (Redis before 7.0). Natively only: the page's nodes read only RDBs its
/// own nodes wrote, in Redis 7.0's encodings (listpacks), so the page leaves this reader and the
/// zipmap's out of its download; playground-server still loads older dump files.
#[cfg(not(target_arch = "wasm32"))]
fn ziplist<'a>(
    blob: &'a [u8],
    f: &mut dyn FnMut(Element<'a>) -> Result<(), String>,
) -> Result<usize, String> {
    super::ziplist::for_each(blob, f)
}

#[cfg(target_arch = "wasm32")]
fn ziplist<'a>(
    _blob: &'a [u8],
    _f: &mut dyn FnMut(Element<'a>) -> Result<(), String>,
) -> Result<usize, String> {
    Err(PRE_7_ENCODING.to_string())
}

/// A hash's field-value pairs.
type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

/// A zipmap's pairs (Redis before 2.6) and its longest entry; natively only, as [`ziplist`].
#[cfg(not(target_arch = "wasm32"))]
fn zipmap_pairs(blob: &[u8]) -> Result<(Pairs, usize), String> {
    let mut pairs = Vec::new();
    let mut longest = 0;
    super::zipmap::for_each(blob, |field, value| {
        longest = longest.max(field.len()).max(value.len());
        pairs.push((field.to_vec(), value.to_vec()));
        Ok(())
    })?;
    Ok((pairs, longest))
}

#[cfg(target_arch = "wasm32")]
fn zipmap_pairs(_blob: &[u8]) -> Result<(Pairs, usize), String> {
    Err(PRE_7_ENCODING.to_string())
}

/// Why the page reads no ziplist or zipmap.
#[cfg(target_arch = "wasm32")]
const PRE_7_ENCODING: &str =
    "an encoding older than Redis 7.0, which only playground-server reads (the page reads what its own nodes write)";

/// A sorted set loaded from input offset `at`, or why it is corrupt.
fn sorted_set(members: Vec<(Vec<u8>, f64)>, listpack: bool, at: usize) -> Result<Value, RdbError> {
    SortedSetValue::from_members(members, listpack)
        .map(Value::SortedSet)
        .ok_or_else(|| error_at(at, format_args!("duplicate sorted set members")))
}

/// A hash loaded from input offset `at`, or why it is corrupt.
fn hash(pairs: Vec<(Vec<u8>, Vec<u8>)>, listpack: bool, at: usize) -> Result<Value, RdbError> {
    HashValue::from_pairs(pairs, listpack)
        .map(Value::Hash)
        .ok_or_else(|| error_at(at, format_args!("duplicate hash fields")))
}

/// A score stored as text in a pre-RDB-8 sorted set (`rdbLoadDoubleValue`): a length byte, with
/// 253, 254 and 255 standing for NaN, +inf and -inf.
fn text_score(reader: &mut Reader<'_>) -> Result<f64, RdbError> {
    match reader.byte("a score")? {
        253 => Ok(f64::NAN),
        254 => Ok(f64::INFINITY),
        255 => Ok(f64::NEG_INFINITY),
        len => {
            let text = reader.take(u64::from(len), "a score")?;
            let parsed = strtod(text);
            if parsed.consumed == 0 {
                return Err(reader.error(format_args!("a score that is not a number")));
            }
            Ok(parsed.value)
        }
    }
}

/// The score entry of a sorted-set listpack or ziplist: an integer, or text `strtod` reads whole.
fn element_score(element: Element<'_>) -> Result<f64, String> {
    match element {
        Element::Int(value) => Ok(value as f64),
        Element::Str(text) => {
            let parsed = strtod(text);
            if text.is_empty() || parsed.consumed != text.len() || parsed.value.is_nan() {
                return Err(format!("score {} is not a number", repr(text)));
            }
            Ok(parsed.value)
        }
    }
}
