//! [`Session`]: one console attached to one node, in the page or in a test.

use super::{format_reply, parse_line, Line, INVALID_ARGUMENTS};
use crate::engine::resp::{encode_request, ReplyDecoder};
use crate::engine::{Config, ConnId, Input, Instant, Node, Output, Peer};

/// A redis-cli session: lines go in as RESP requests, replies come back as printed text.
#[derive(Debug)]
pub struct Session {
    node: Node,
    conn: ConnId,
    replies: ReplyDecoder,
}

impl Session {
    /// A session connected to a fresh node of its own, started at `now`; `entropy` seeds the
    /// node's random choices.
    pub fn new(now: Instant, entropy: u64) -> Session {
        let mut node = Node::new(Config::default(), now, entropy);
        let conn = ConnId(1);
        let peer = Peer {
            addr: "127.0.0.1:50000".into(),
            local_addr: "127.0.0.1:6379".into(),
        };
        node.handle_input(now, Input::Connected { conn, peer });
        Session {
            node,
            conn,
            replies: ReplyDecoder::new(),
        }
    }

    /// Runs one typed line at `now`; returns what redis-cli would print (empty for a blank line).
    pub fn run_line(&mut self, now: Instant, line: &str) -> String {
        self.node.handle_timeout(now);
        let args = match parse_line(line) {
            Line::Empty => return String::new(),
            Line::Invalid => return format!("{INVALID_ARGUMENTS}\n"),
            Line::Command(args) => args,
        };
        let mut request = Vec::new();
        encode_request(&args, &mut request);
        self.node.handle_input(
            now,
            Input::Received {
                conn: self.conn,
                bytes: request,
            },
        );
        while let Some(output) = self.node.poll_output() {
            if let Output::Transmit { bytes, .. } = output {
                self.replies.push(&bytes);
            }
        }
        let mut printed = String::new();
        loop {
            match self.replies.next_frame() {
                Ok(Some(frame)) => printed.push_str(&format_reply(&frame)),
                Ok(None) => break,
                Err(error) => {
                    printed.push_str(&format!("Error: {error}\n"));
                    self.replies = ReplyDecoder::new();
                    break;
                }
            }
        }
        printed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn typed_lines_print_like_redis_cli() {
        let now = Instant::from_millis(1_700_000_000_000);
        let mut session = Session::new(now, 1);
        assert_eq!(session.run_line(now, "PING"), "PONG\n");
        assert_eq!(
            session.run_line(now, r#"ECHO "hello world""#),
            "\"hello world\"\n"
        );
        assert_eq!(session.run_line(now, "   "), "");
        assert_eq!(
            session.run_line(now, r#"ECHO "unbalanced"#),
            "Invalid argument(s)\n"
        );
        assert_eq!(
            session.run_line(now, "NOPE x"),
            "(error) ERR unknown command 'NOPE', with args beginning with: 'x' \n"
        );
    }
}
