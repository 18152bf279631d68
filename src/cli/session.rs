//! [`Session`]: one console attached to one node, in the page or in a test.

use super::{format_reply, parse_line, Line, INVALID_ARGUMENTS};
use crate::engine::resp::{encode_request, ReplyDecoder};
use crate::engine::{ConnId, Input, Node, Output};

/// A redis-cli session: lines go in as RESP requests, replies come back as printed text.
#[derive(Debug)]
pub struct Session {
    node: Node,
    conn: ConnId,
    replies: ReplyDecoder,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// A session connected to a fresh node of its own.
    pub fn new() -> Session {
        let mut node = Node::new();
        let conn = ConnId(1);
        node.handle_input(Input::Connected { conn });
        Session {
            node,
            conn,
            replies: ReplyDecoder::new(),
        }
    }

    /// Runs one typed line; returns what redis-cli would print (empty for a blank line).
    pub fn run_line(&mut self, line: &str) -> String {
        let args = match parse_line(line) {
            Line::Empty => return String::new(),
            Line::Invalid => return format!("{INVALID_ARGUMENTS}\n"),
            Line::Command(args) => args,
        };
        let mut request = Vec::new();
        encode_request(&args, &mut request);
        self.node.handle_input(Input::Received {
            conn: self.conn,
            bytes: request,
        });
        while let Some(output) = self.node.poll_output() {
            match output {
                Output::Transmit { bytes, .. } => self.replies.push(&bytes),
                Output::Close { .. } => {}
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
        let mut session = Session::new();
        assert_eq!(session.run_line("PING"), "PONG\n");
        assert_eq!(
            session.run_line(r#"ECHO "hello world""#),
            "\"hello world\"\n"
        );
        assert_eq!(session.run_line("   "), "");
        assert_eq!(
            session.run_line(r#"ECHO "unbalanced"#),
            "Invalid argument(s)\n"
        );
        assert_eq!(
            session.run_line("NOPE x"),
            "(error) ERR unknown command 'NOPE', with args beginning with: 'x' \n"
        );
    }
}
