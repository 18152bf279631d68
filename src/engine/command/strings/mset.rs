//! `MSET key value [key value ...]` and `MSETNX key value [key value ...]`: several strings.

use crate::engine::command::{args, wrong_arity, Ctx};
use crate::engine::keyspace::{StringValue, Value};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// MSET key value [key value ...]
/// ```
///
/// Replies `+OK`; every key loses its TTL; a repeated key takes its last value.
pub(super) fn execute_mset(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, false)
}

/// # Format
///
/// ```text
/// MSETNX key value [key value ...]
/// ```
///
/// Replies `:1` and sets every key if none exists, else `:0` and sets nothing.
pub(super) fn execute_msetnx(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    execute(ctx, args, true)
}

/// Both commands (Redis's `msetGenericCommand`).
fn execute(ctx: &mut Ctx, args: &[Vec<u8>], only_if_none_exists: bool) -> Frame {
    let name = if only_if_none_exists {
        "msetnx"
    } else {
        "mset"
    };
    let ([_], words) = args::at_least(args);
    let (pairs, []) = words.as_chunks::<2>() else {
        return wrong_arity(name);
    };
    // Keys are looked up for writing up to the first existing one, so expired keys before it
    // are deleted (and DEL propagated) even though MSETNX then fails.
    if only_if_none_exists && pairs.iter().any(|[key, _]| ctx.key_exists(key)) {
        return Frame::Integer(0);
    }
    for [key, value] in pairs {
        let value = Value::String(StringValue::new(value.clone()));
        super::store(ctx, key, value, false);
        ctx.signal_modified_key(key);
    }
    ctx.add_dirty(pairs.len() as u64);
    if only_if_none_exists {
        Frame::Integer(1)
    } else {
        Frame::ok()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bulk, encoding, err, expires_at, node_with, propagated};
    use crate::engine::resp::Frame;
    use crate::engine::time::Instant;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn mset_sets_every_pair_clears_ttls_and_counts_each_change() {
        let mut node = node_with(&["SET a x EX 100"]);
        let dirty = node.state.dirty;
        assert_eq!(node.run("MSET a 1 b bee a 2"), Frame::ok());
        assert_eq!(node.run("GET a"), bulk("2"));
        assert_eq!(expires_at(&node, "a"), None);
        assert_eq!(
            (encoding(&node, "a"), encoding(&node, "b")),
            ("int", "embstr")
        );
        assert_eq!(node.state.dirty - dirty, 3);
        assert_eq!(propagated(&mut node), ["MSET a 1 b bee a 2"]);
    }

    #[test]
    fn mset_with_an_odd_argument_count_is_an_arity_error() {
        let mut node = node_with(&[]);
        assert_eq!(
            node.run("MSET a 1 b"),
            err("ERR wrong number of arguments for 'mset' command")
        );
        assert_eq!(
            node.run("msetnx a"),
            err("ERR wrong number of arguments for 'msetnx' command")
        );
    }

    #[test]
    fn msetnx_sets_all_or_nothing() {
        let mut node = node_with(&["SET b 1"]);
        assert_eq!(node.run("MSETNX a 1 b 2"), Frame::Integer(0));
        assert_eq!(node.run("GET a"), Frame::Null);
        assert!(propagated(&mut node).is_empty());
        assert_eq!(node.run("MSETNX a 1 c 2"), Frame::Integer(1));
        assert_eq!(propagated(&mut node), ["MSETNX a 1 c 2"]);
    }

    #[test]
    fn mset_deletes_expired_keys_before_overwriting_them() {
        let mut node = node_with(&["SET x 1 PX 5"]);
        node.now = Instant::from_millis(1_700_000_000_006); // past the TTL: Redis expires when now > when
        assert_eq!(node.run("MSET a 1 x 2"), Frame::ok());
        assert_eq!(
            propagated(&mut node),
            ["MULTI | DEL x | MSET a 1 x 2 | EXEC"]
        );
        assert_eq!(expires_at(&node, "x"), None);
    }

    #[test]
    fn msetnx_deletes_expired_keys_up_to_the_first_existing_one() {
        let mut node = node_with(&["SET x 1 PX 5", "SET y 1", "SET z 1 PX 5"]);
        node.now = Instant::from_millis(1_700_000_000_006); // past the TTL: Redis expires when now > when
        assert_eq!(node.run("MSETNX x 1 y 2 z 3"), Frame::Integer(0));
        assert_eq!(propagated(&mut node), ["DEL x"]);
    }
}
