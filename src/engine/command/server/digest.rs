//! Redis 7.0's dataset digest (`computeDatasetDigest` and `xorObjectDigest` in `debug.c`), so
//! DEBUG DIGEST on a node can be compared with a real Redis holding the same data.
//!
//! Two SHA-1 based steps build it. `xor` adds SHA1(data) into a digest by XOR, so unordered
//! collections (sets, hash fields, keys) give the same digest in any order; `mix` XORs and then
//! replaces the digest by SHA1(digest), so lists stay order-sensitive. A key's digest mixes its
//! name, its type code and its value, plus the marker `!!expire!!` if it has a TTL; a database
//! mixes its index (4 bytes, big-endian) into the total before its keys are XORed in. Sorted set
//! scores are digested as `%.17g` text, as 7.0 prints them (7.2 switched to shortest form).

use sha1_smol::Sha1;

use crate::engine::keyspace::{Entry, Keyspace, Value};

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
    let hash = Sha1::from(data).digest().bytes();
    digest.iter_mut().zip(hash).for_each(|(byte, h)| *byte ^= h);
}

/// `mixDigest`: digest = SHA1(digest ^ SHA1(data)).
fn mix(digest: &mut Digest, data: &[u8]) {
    xor(digest, data);
    *digest = Sha1::from(&digest[..]).digest().bytes();
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
                mix(&mut element, format_g17(score).as_bytes());
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
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// C's `printf("%.17g", value)`: 17 significant digits, trailing zeros removed, exponent form
/// below 1e-4 and from 1e17 on, `inf`/`-inf`/`nan` for the special values.
pub(super) fn format_g17(value: f64) -> String {
    const PRECISION: i32 = 17;
    if value.is_nan() {
        return "nan".into();
    }
    if value.is_infinite() {
        return if value < 0.0 { "-inf" } else { "inf" }.into();
    }
    // Rust rounds exactly, as glibc does: the 17 digits are the same.
    let scientific = format!("{value:.16e}");
    let Some((mantissa, exponent)) = scientific.split_once('e') else {
        return scientific;
    };
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if !(-4..PRECISION).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let rest = rest.trim_end_matches('0');
        let point = if rest.is_empty() { "" } else { "." };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        return format!(
            "{sign}{first}{point}{rest}e{exponent_sign}{:02}",
            exponent.abs()
        );
    }
    let (integer, fraction) = if exponent >= 0 {
        let split = (exponent + 1) as usize;
        (digits[..split].to_string(), digits[split..].to_string())
    } else {
        let zeros = "0".repeat((-exponent - 1) as usize);
        ("0".to_string(), format!("{zeros}{digits}"))
    };
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{sign}{integer}")
    } else {
        format!("{sign}{integer}.{fraction}")
    }
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

    #[test]
    fn format_g17_matches_printf() {
        for (value, expected) in [
            (1.1, "1.1000000000000001"),
            (2.0, "2"),
            (-0.5, "-0.5"),
            (3.5e20, "3.5e+20"),
            (1e17, "1e+17"),
            (1e16, "10000000000000000"),
            (0.0001, "0.0001"),
            (0.00001, "1.0000000000000001e-05"),
            (f64::NEG_INFINITY, "-inf"),
            (0.0, "0"),
            (-0.0, "-0"),
            (123456789.125, "123456789.125"),
        ] {
            assert_eq!(format_g17(value), expected, "{value:e}");
        }
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
