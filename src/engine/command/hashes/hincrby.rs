//! `HINCRBY key field increment`: adds to the field's 64-bit integer value (0 if missing).

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::HashValue;
use crate::engine::resp::{parse_i64, Frame};

/// # Format
///
/// ```text
/// HINCRBY key field increment
/// ```
///
/// Replies with the new value.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, field, increment] = args::exactly(args);
    let increment = match args::integer(increment) {
        Ok(increment) => increment,
        Err(error) => return error,
    };
    let limits = ctx.state.config.hash_listpack;
    let result = ctx.modify_or_create(key, |hash: &mut HashValue| {
        let current = match hash.get(field) {
            Some(value) => {
                parse_i64(value).ok_or_else(|| Frame::error("ERR hash value is not an integer"))?
            }
            None => 0,
        };
        let updated = current
            .checked_add(increment)
            .ok_or_else(|| Frame::error("ERR increment or decrement would overflow"))?;
        hash.insert(field, updated.to_string().into_bytes(), limits);
        Ok(updated)
    });
    match result.and_then(|updated| updated) {
        Ok(updated) => {
            ctx.signal_modified_key(key);
            ctx.add_dirty(1);
            Frame::Integer(updated)
        }
        Err(error) => error,
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn hincrby_adds_and_refuses_overflow_and_non_integers() {
        let mut node = TestNode::new();
        assert_eq!(node.run("HINCRBY h n 5"), Frame::Integer(5));
        assert_eq!(node.run("HINCRBY h n -7"), Frame::Integer(-2));
        node.run("HSET h max 9223372036854775807 s abc pad 01");
        assert_eq!(
            node.run("HINCRBY h max 1"),
            Frame::error("ERR increment or decrement would overflow")
        );
        assert_eq!(
            node.run("HINCRBY h s 1"),
            Frame::error("ERR hash value is not an integer")
        );
        assert_eq!(
            node.run("HINCRBY h pad 1"),
            Frame::error("ERR hash value is not an integer")
        );
        assert_eq!(
            node.run("HINCRBY h n 1.5"),
            Frame::error("ERR value is not an integer or out of range")
        );
        assert_eq!(
            node.run("HINCRBY nokey n x"),
            Frame::error("ERR value is not an integer or out of range")
        );
        assert_eq!(node.run("HGET h n"), Frame::bulk("-2"));
    }
}
