//! `BGSAVE [SCHEDULE]`: a snapshot "in the background".
//!
//! Redis forks and the child writes the file. The simulated fork is instantaneous (the snapshot
//! is the dataset at this moment), so the save completes before the reply and a second BGSAVE
//! never finds one in progress.

use crate::engine::command::{args, Ctx};
use crate::engine::log::LogLevel;
use crate::engine::resp::Frame;

use super::save::snapshot;

/// # Format
///
/// ```text
/// BGSAVE [SCHEDULE]
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    match args {
        [_] => {}
        [_, option] if option.eq_ignore_ascii_case(b"schedule") => {}
        _ => return args::syntax_error(),
    }
    ctx.state.log(
        LogLevel::Notice,
        "Background save started (the simulated fork finishes at once)",
    );
    snapshot(ctx);
    ctx.state.persistence.last_bgsave_secs = 0;
    // Inside EXEC Redis only schedules the save (its cron starts it a moment later).
    if ctx.state.call_depth > 1 {
        Frame::Simple("Background saving scheduled".into())
    } else {
        Frame::Simple("Background saving started".into())
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn bgsave_starts_at_once_or_is_scheduled_inside_exec() {
        let mut node = TestNode::new();
        let started = Frame::Simple("Background saving started".into());
        assert_eq!(node.run("BGSAVE"), started);
        assert_eq!(node.run("bgsave schedule"), started);
        assert_eq!(node.run("BGSAVE now"), Frame::error("ERR syntax error"));
        assert_eq!(node.state.stats.rdb_saves, 2);
        node.run("MULTI");
        node.run("BGSAVE");
        assert_eq!(
            node.run("EXEC"),
            Frame::Array(vec![Frame::Simple("Background saving scheduled".into())])
        );
    }
}
