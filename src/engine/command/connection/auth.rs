//! `AUTH [username] password`: authenticate the connection as the `default` user (the only user
//! this engine has; `requirepass` is its password).

use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// AUTH password
/// AUTH default password
/// ```
///
/// Without `requirepass` the default user takes any password, but the one-argument form is
/// refused as a likely configuration mistake (Redis 7.0's wording). A failed AUTH leaves an
/// already authenticated connection authenticated.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let (username, password): (&[u8], &[u8]) = match args {
        [_, password] => {
            if ctx.state.config.requirepass.is_none() {
                return Frame::error(
                    "ERR AUTH <password> called without any password configured for the \
                     default user. Are you sure your configuration is correct?",
                );
            }
            (b"default", password)
        }
        [_, username, password] => (username, password),
        _ => return args::syntax_error(),
    };
    match authenticate(ctx, username, password) {
        Ok(()) => Frame::ok(),
        Err(reply) => reply,
    }
}

/// Checks a username and password against the default user (AUTH, HELLO AUTH) and marks the
/// connection authenticated; WRONGPASS otherwise. Without `requirepass` any password is taken.
pub(super) fn authenticate(ctx: &mut Ctx, username: &[u8], password: &[u8]) -> Result<(), Frame> {
    let accepted = username == b"default"
        && ctx
            .state
            .config
            .requirepass
            .as_deref()
            .is_none_or(|required| required == password);
    if !accepted {
        return Err(Frame::error(
            "WRONGPASS invalid username-password pair or user is disabled.",
        ));
    }
    ctx.client().authenticated = true;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";

    #[test]
    fn auth_without_requirepass_refuses_the_short_form_only() {
        let mut node = TestNode::new();
        assert_eq!(
            node.run("AUTH x"),
            Frame::error(
                "ERR AUTH <password> called without any password configured for the default \
                 user. Are you sure your configuration is correct?"
            )
        );
        assert_eq!(node.run("AUTH default anything"), Frame::ok());
        assert_eq!(node.run("AUTH other anything"), Frame::error(WRONGPASS));
        assert_eq!(node.run("AUTH a b c"), Frame::error("ERR syntax error"));
    }

    #[test]
    fn auth_with_requirepass_checks_the_password() {
        let mut node = TestNode::new();
        node.run("CONFIG SET requirepass secret");
        node.clients
            .values_mut()
            .for_each(|client| client.authenticated = false);
        assert_eq!(
            node.run("ECHO x"),
            Frame::error("NOAUTH Authentication required.")
        );
        assert_eq!(node.run("AUTH wrong"), Frame::error(WRONGPASS));
        assert_eq!(node.run("AUTH Default secret"), Frame::error(WRONGPASS));
        assert_eq!(
            node.run("PING"),
            Frame::error("NOAUTH Authentication required.")
        );
        assert_eq!(node.run("AUTH default secret"), Frame::ok());
        assert_eq!(node.run("PING"), Frame::Simple("PONG".into()));
        assert_eq!(node.run("AUTH wrong"), Frame::error(WRONGPASS));
        assert_eq!(
            node.run("PING"),
            Frame::Simple("PONG".into()),
            "still authenticated"
        );
        assert_eq!(node.state.stats.errors_by_code.get("WRONGPASS"), Some(&3));
    }
}
