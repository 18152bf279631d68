//! `HINCRBYFLOAT key field increment`: adds to the field's value in `long double` precision,
//! and propagates the result as `HSET key field <result>` so replicas never redo the float math.

use crate::engine::command::long_double::LongDouble;
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::HashValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// HINCRBYFLOAT key field increment
/// ```
///
/// Replies with the new value as a bulk string, formatted as Redis 7.0 does (`%.17Lf` without
/// trailing zeros).
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, field, increment] = args::exactly(args);
    let Some(increment) = LongDouble::parse(increment) else {
        return Frame::error(args::NOT_A_FLOAT);
    };
    if !increment.is_finite() {
        return Frame::error("ERR value is NaN or Infinity");
    }
    let limits = ctx.state.config.hash_listpack;
    let result = ctx.modify_or_create(key, |hash: &mut HashValue| {
        let current = match hash.get(field) {
            Some(value) => LongDouble::parse(value)
                .ok_or_else(|| Frame::error("ERR hash value is not a float"))?,
            None => LongDouble::ZERO,
        };
        let updated = current
            .add(increment)
            .filter(|sum| sum.is_finite())
            .ok_or_else(|| Frame::error("ERR increment would produce NaN or Infinity"))?;
        let text = updated.to_human_string();
        hash.insert(field, text.clone(), limits);
        Ok(text)
    });
    match result.and_then(|text| text) {
        Ok(text) => {
            ctx.signal_modified_key(key);
            ctx.add_dirty(1);
            ctx.rewrite_argv(vec![
                b"HSET".to_vec(),
                key.clone(),
                field.clone(),
                text.clone(),
            ]);
            Frame::Bulk(text)
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
    fn hincrbyfloat_propagates_the_result_as_hset() {
        let mut node = TestNode::new();
        assert_eq!(node.run("HINCRBYFLOAT h f 0.1"), Frame::bulk("0.1"));
        assert_eq!(node.run("hincrbyfloat h f 0.2"), Frame::bulk("0.3"));
        let units = node.take_propagated();
        let last = &units[1][0].argv;
        assert_eq!(
            last,
            &vec![
                b"HSET".to_vec(),
                b"h".to_vec(),
                b"f".to_vec(),
                b"0.3".to_vec()
            ]
        );
    }

    #[test]
    fn hincrbyfloat_errors_match_redis() {
        let mut node = TestNode::new();
        node.run("HSET h s abc inf inf");
        assert_eq!(
            node.run("HINCRBYFLOAT h f x"),
            Frame::error("ERR value is not a valid float")
        );
        assert_eq!(
            node.run("HINCRBYFLOAT h f inf"),
            Frame::error("ERR value is NaN or Infinity")
        );
        assert_eq!(
            node.run("HINCRBYFLOAT h s 1"),
            Frame::error("ERR hash value is not a float")
        );
        assert_eq!(
            node.run("HINCRBYFLOAT h inf 1"),
            Frame::error("ERR increment would produce NaN or Infinity")
        );
        assert_eq!(
            node.run("HINCRBYFLOAT h n 1e20"),
            Frame::bulk("100000000000000000000")
        );
        assert!(node.take_propagated().len() == 2);
    }
}
