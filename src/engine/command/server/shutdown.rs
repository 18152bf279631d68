//! `SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]`: save if asked to (or if save points are set),
//! then stop the node. A successful SHUTDOWN sends no reply: the server just goes away.

use super::save::snapshot;
use crate::engine::command::{args, Ctx};
use crate::engine::log::LogLevel;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
/// ```
///
/// Sets `shutdown_requested`; the node then drops the reply, hands out `Output::Shutdown`, and the
/// driver stops it (`playground-server` exits, the simulator takes the node down). NOW and FORCE
/// change nothing here: there are no replicas to wait for yet, and saving cannot fail.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let (mut nosave, mut save, mut flags_given, mut abort) = (false, false, false, false);
    let ([_], options) = args::at_least(args);
    for arg in options {
        match arg.to_ascii_lowercase().as_slice() {
            b"nosave" => nosave = true,
            b"save" => save = true,
            b"now" | b"force" => {}
            b"abort" => abort = true,
            _ => return args::syntax_error(),
        }
        flags_given |= !arg.eq_ignore_ascii_case(b"abort");
    }
    if (abort && flags_given) || (nosave && save) {
        return args::syntax_error();
    }
    if abort {
        return Frame::error("ERR No shutdown in progress.");
    }
    ctx.state
        .log(LogLevel::Warning, "Shutdown requested by a client");
    if save || (!nosave && !ctx.state.config.save.is_empty()) {
        ctx.state
            .log(LogLevel::Notice, "Saving the dataset before stopping");
        snapshot(ctx);
    }
    ctx.state.log(LogLevel::Warning, "Stopping now");
    ctx.state.shutdown_requested = true;
    Frame::ok()
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn shutdown_checks_its_options_before_stopping() {
        let mut node = TestNode::new();
        for bad in [
            "SHUTDOWN NOSAVE SAVE",
            "SHUTDOWN ABORT NOW",
            "SHUTDOWN LATER",
        ] {
            assert_eq!(node.run(bad), Frame::error("ERR syntax error"), "{bad}");
        }
        assert_eq!(
            node.run("SHUTDOWN ABORT"),
            Frame::error("ERR No shutdown in progress.")
        );
        assert!(!node.state.shutdown_requested);
        node.run("SHUTDOWN NOSAVE NOW");
        assert!(node.state.shutdown_requested);
    }

    #[test]
    fn shutdown_is_refused_inside_multi() {
        let mut node = TestNode::new();
        node.run("MULTI");
        assert_eq!(
            node.run("SHUTDOWN"),
            Frame::error("ERR Command not allowed inside a transaction")
        );
    }
}
