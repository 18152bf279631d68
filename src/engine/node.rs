//! [`Node`]: one Redis server as a sans-IO state machine.

use std::collections::{BTreeMap, VecDeque};

use super::command;
use super::resp::{RequestDecoder, RequestLimits};

/// A connection as the driver numbers it (the driver owns ids, as a kernel owns file descriptors).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConnId(pub u32);

/// Something that happened to the node, handed in by the driver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A client connected.
    Connected { conn: ConnId },
    /// Bytes arrived on a connection, in whatever chunks the network produced.
    Received { conn: ConnId, bytes: Vec<u8> },
    /// The peer closed the connection, or it broke.
    Closed { conn: ConnId },
}

/// Something the driver must do for the node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// Send these bytes on the connection.
    Transmit { conn: ConnId, bytes: Vec<u8> },
    /// Close the connection once the bytes queued before this are sent.
    Close { conn: ConnId },
}

/// Per-connection state (Redis's `client`).
#[derive(Debug, Default)]
struct Client {
    decoder: RequestDecoder,
    /// After a protocol error Redis ignores everything until the connection is gone.
    closing: bool,
}

/// One Redis server.
///
/// Run-loop contract: after every [`handle_input`](Node::handle_input), drain
/// [`poll_output`](Node::poll_output) until it returns `None`.
#[derive(Debug, Default)]
pub struct Node {
    clients: BTreeMap<ConnId, Client>,
    outputs: VecDeque<Output>,
}

impl Node {
    /// A node with no connections and an empty dataset.
    pub fn new() -> Node {
        Node::default()
    }

    /// Feeds one input to the node.
    pub fn handle_input(&mut self, input: Input) {
        match input {
            Input::Connected { conn } => {
                self.clients.insert(conn, Client::default());
            }
            Input::Received { conn, bytes } => self.on_received(conn, &bytes),
            Input::Closed { conn } => {
                self.clients.remove(&conn);
            }
        }
    }

    /// The next action for the driver, `None` when there is nothing left to do.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    /// Number of connected clients.
    pub fn connected_clients(&self) -> usize {
        self.clients.len()
    }

    fn on_received(&mut self, conn: ConnId, bytes: &[u8]) {
        let Some(client) = self.clients.get_mut(&conn) else {
            return;
        };
        if client.closing {
            return;
        }
        client.decoder.push(bytes);
        let mut replies = Vec::new();
        loop {
            match client.decoder.next_request(RequestLimits::default()) {
                Ok(Some(request)) if request.args.is_empty() => continue,
                Ok(Some(request)) => command::dispatch(&request.args).encode(&mut replies),
                Ok(None) => break,
                Err(error) => {
                    if let Some(text) = error.reply() {
                        super::resp::Frame::Error(text).encode(&mut replies);
                    }
                    client.closing = true;
                    break;
                }
            }
        }
        if !replies.is_empty() {
            self.outputs.push_back(Output::Transmit {
                conn,
                bytes: replies,
            });
        }
        if client.closing {
            self.outputs.push_back(Output::Close { conn });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn drain(node: &mut Node) -> Vec<Output> {
        std::iter::from_fn(|| node.poll_output()).collect()
    }

    #[test]
    fn pipelined_requests_in_pieces_get_one_reply_each() {
        let mut node = Node::new();
        let conn = ConnId(1);
        node.handle_input(Input::Connected { conn });
        node.handle_input(Input::Received {
            conn,
            bytes: b"PING\r\n*2\r\n$4\r\nEC".to_vec(),
        });
        node.handle_input(Input::Received {
            conn,
            bytes: b"HO\r\n$2\r\nhi\r\n".to_vec(),
        });
        let sent: Vec<u8> = drain(&mut node)
            .into_iter()
            .flat_map(|output| match output {
                Output::Transmit { bytes, .. } => bytes,
                Output::Close { .. } => panic!("unexpected close"),
            })
            .collect();
        assert_eq!(sent, b"+PONG\r\n$2\r\nhi\r\n");
    }

    #[test]
    fn a_protocol_error_replies_then_closes_and_ignores_the_rest() {
        let mut node = Node::new();
        let conn = ConnId(7);
        node.handle_input(Input::Connected { conn });
        node.handle_input(Input::Received {
            conn,
            bytes: b"PING\r\n*1\r\n:1\r\n".to_vec(),
        });
        node.handle_input(Input::Received {
            conn,
            bytes: b"PING\r\n".to_vec(),
        });
        assert_eq!(
            drain(&mut node),
            vec![
                Output::Transmit {
                    conn,
                    bytes: b"+PONG\r\n-ERR Protocol error: expected '$', got ':'\r\n".to_vec()
                },
                Output::Close { conn },
            ]
        );
    }
}
