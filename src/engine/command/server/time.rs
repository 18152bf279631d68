//! `TIME`: the node's clock as seconds and microseconds.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// TIME
/// ```
///
/// The time is the one the driver handed in with the request (the node has no clock of its own).
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    let micros = ctx.now.as_micros();
    Frame::Array(vec![
        Frame::bulk((micros / 1_000_000).to_string()),
        Frame::bulk((micros % 1_000_000).to_string()),
    ])
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    use crate::engine::time::Instant;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn time_splits_the_clock_into_seconds_and_microseconds() {
        let mut node = TestNode::new();
        node.now = Instant::from_micros(1_700_000_000_000_042);
        assert_eq!(
            node.run("TIME"),
            Frame::Array(vec![Frame::bulk("1700000000"), Frame::bulk("42")])
        );
    }
}
