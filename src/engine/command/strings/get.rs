//! `GET key`: the string under a key.

use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// GET key
/// ```
///
/// Replies with the value, nil if the key does not exist, `-WRONGTYPE` if it is not a string.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key] = args::exactly(args);
    super::get_reply(ctx, key)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bulk, err, node_with, propagated, put_list, WRONG_TYPE};
    use crate::engine::resp::Frame;
    use crate::engine::time::Instant;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn get_replies_value_nil_or_wrongtype_and_counts_hits() {
        let mut node = node_with(&["SET k \"a\\x00b\""]);
        put_list(&mut node, "l");
        assert_eq!(node.run("GET k"), Frame::bulk(b"a\0b".to_vec()));
        assert_eq!(node.run("GET nope"), Frame::Null);
        assert_eq!(node.run("GET l"), err(WRONG_TYPE));
        assert_eq!(node.state.stats.keyspace_hits, 2);
        assert_eq!(node.state.stats.keyspace_misses, 1);
    }

    #[test]
    fn get_of_an_expired_key_propagates_only_del() {
        let mut node = node_with(&["SET k v PX 5", "SET n 7"]);
        node.now = Instant::from_millis(1_700_000_000_006); // past the TTL: Redis expires when now > when
        assert_eq!(node.run("GET k"), Frame::Null);
        assert_eq!(node.run("GET n"), bulk("7"));
        assert_eq!(propagated(&mut node), ["DEL k"]);
    }
}
