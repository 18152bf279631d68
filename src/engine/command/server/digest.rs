//! Redis 7.0's dataset digest (`computeDatasetDigest` and `xorObjectDigest` in `debug.c`), so
//! DEBUG DIGEST on a node can be compared with a real Redis holding the same data.
//!
//! Two SHA-1 based steps build it. `xor` adds SHA1(data) into a digest by XOR, so unordered
//! collections (sets, hash fields, keys) give the same digest in any order; `mix` XORs and then
//! replaces the digest by SHA1(digest), so lists stay order-sensitive. A key's digest mixes its
//! name, its type code and its value, plus the marker `!!expire!!` if it has a TTL; a database
//! mixes its index (4 bytes, big-endian) into the total before its keys are XORed in. Sorted set
//! scores are digested as `%.17g` text, as 7.0 prints them (7.2 switched to shortest form).

use crate::engine::float;
use crate::engine::keyspace::{Entry, Keyspace, Value};
use crate::engine::resp::push_hex;
use crate::engine::sha1::sha1;

/// A 20-byte SHA-1 sized digest.
pub(crate) type Digest = [u8; 20];

/// Redis's object type codes (`OBJ_STRING` ... `OBJ_HASH`), which the digest includes.
fn type_code(value: &Value) -> u32 {
    match value {
        Value::String(_) => 0,
        Value::List(_) => 1,
        Value::Set(_) => 2,
        Value::SortedSet(_) => 3,
        Value::Hash(_) => 4,
    }
}

/// `xorDigest`: digest ^= SHA1(data).
fn xor(digest: &mut Digest, data: &[u8]) {
    let hash = sha1(data);
    digest.iter_mut().zip(hash).for_each(|(byte, h)| *byte ^= h);
}

/// `mixDigest`: digest = SHA1(digest ^ SHA1(data)).
fn mix(digest: &mut Digest, data: &[u8]) {
    xor(digest, data);
    *digest = sha1(&digest[..]);
}

/// `xorObjectDigest`: mixes the type and value of `entry` into `digest` (the key name is the
/// caller's business: DEBUG DIGEST-VALUE leaves it out).
pub(super) fn mix_value(digest: &mut Digest, entry: &Entry) {
    mix(digest, &type_code(&entry.value).to_be_bytes());
    match &entry.value {
        Value::String(string) => mix(digest, string.bytes()),
        Value::List(list) => list.iter().for_each(|item| mix(digest, item)),
        Value::Set(set) => set.members().iter().for_each(|member| xor(digest, member)),
        Value::SortedSet(sorted_set) => {
            for (member, score) in sorted_set.iter() {
                let mut element = Digest::default();
                mix(&mut element, member);
                mix(&mut element, &float::g17(score));
                xor(digest, &element);
            }
        }
        Value::Hash(hash) => {
            for (field, value) in hash.iter() {
                let mut element = Digest::default();
                mix(&mut element, field);
                mix(&mut element, value);
                xor(digest, &element);
            }
        }
    }
    if entry.expires_at_ms().is_some() {
        xor(digest, b"!!expire!!");
    }
}

/// `computeDatasetDigest`: the digest of every key of every database, expired-but-present keys
/// included; all zeros for an empty dataset.
pub(crate) fn dataset_digest(keyspace: &Keyspace) -> Digest {
    let mut total = Digest::default();
    for (index, db) in keyspace.iter() {
        if db.is_empty() {
            continue;
        }
        mix(&mut total, &(index as u32).to_be_bytes());
        for (key, entry) in db.iter() {
            let mut digest = Digest::default();
            mix(&mut digest, key);
            mix_value(&mut digest, entry);
            xor(&mut total, &digest);
        }
    }
    total
}

/// Lower-case hex, as DEBUG DIGEST prints it.
pub(crate) fn hex(digest: &Digest) -> String {
    let mut out = String::with_capacity(2 * digest.len());
    for &byte in digest {
        push_hex(byte, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::keyspace::{
        HashValue, ListValue, ListpackLimits, SetValue, SortedSetValue, StringValue,
    };
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const LIMITS: ListpackLimits = ListpackLimits {
        entries_max: 128,
        value_bytes_max: 64,
    };

    fn value_digest(db: &crate::engine::keyspace::Db, key: &[u8]) -> String {
        let mut digest = Digest::default();
        mix_value(&mut digest, db.lookup(key).expect("key exists"));
        hex(&digest)
    }

    /// Expected values were read from redis-server 7.0.15 (`DEBUG DIGEST-VALUE` / `DIGEST`).
    #[test]
    fn digests_match_redis_7_0_15() {
        let mut keyspace = Keyspace::new(16);
        assert_eq!(hex(&dataset_digest(&keyspace)), "0".repeat(40));
        let db = keyspace.db_mut(0);
        db.insert(b"s", Value::String(StringValue::new(b"hello".to_vec())));
        assert_eq!(
            value_digest(db, b"s"),
            "36b23a1456b2dce2c3ed252c456761301dba8060"
        );
        db.insert(b"n", Value::String(StringValue::new(b"12345".to_vec())));
        assert_eq!(
            value_digest(db, b"n"),
            "e1cf90774e995ae03de66e8109dc5cb9d9c2dc83"
        );
        let mut list = ListValue::default();
        for item in ["a", "b", "1"] {
            list.push_back(item.as_bytes().to_vec());
        }
        db.insert(b"l", Value::List(list));
        assert_eq!(
            value_digest(db, b"l"),
            "981fd62c1655c074205cff40b800bd5a5bfdcd41"
        );
        let mut set = SetValue::default();
        for member in ["3", "1", "2"] {
            set.insert(member.as_bytes(), 512);
        }
        db.insert(b"si", Value::Set(set));
        assert_eq!(
            value_digest(db, b"si"),
            "2a462a3f51a1db89738ebbeef0c47ce1bbc85246"
        );
        let mut set = SetValue::default();
        for member in ["a", "b", "c"] {
            set.insert(member.as_bytes(), 512);
        }
        db.insert(b"ss", Value::Set(set));
        assert_eq!(
            value_digest(db, b"ss"),
            "593c2414786d75446e97f4ea5d4b731f3313da72"
        );
        let mut hash = HashValue::default();
        hash.insert(b"f", b"v".to_vec(), LIMITS);
        hash.insert(b"f2", b"v2".to_vec(), LIMITS);
        db.insert(b"h", Value::Hash(hash));
        assert_eq!(
            value_digest(db, b"h"),
            "e10e1521ae1a86ad572969ec981152f56b33afcf"
        );
        let mut zset = SortedSetValue::new();
        for (member, score) in [
            ("a", 1.1),
            ("b", 2.0),
            ("c", f64::NEG_INFINITY),
            ("d", 3.5e20),
        ] {
            zset.insert(member.as_bytes(), score, LIMITS);
        }
        db.insert(b"z", Value::SortedSet(zset));
        assert_eq!(
            value_digest(db, b"z"),
            "ee505c89e114bbb64393a69522e76aecb28a3238"
        );
        db.set_expire(b"s", Some(u64::MAX / 2));
        assert_eq!(
            value_digest(db, b"s"),
            "d037c4eb8a8b36b602fbced4000daeab0714c1e3"
        );
        assert_eq!(
            hex(&dataset_digest(&keyspace)),
            "9b5702f038623321dce2ce7795b3973ffc38ac44"
        );
        keyspace
            .db_mut(3)
            .insert(b"x", Value::String(StringValue::new(b"y".to_vec())));
        assert_eq!(
            hex(&dataset_digest(&keyspace)),
            "a14949a608772af39f3bc2341515362f436832b3"
        );
    }
}
