//! The engine: one Redis 7.0 server as a pure, sans-IO state machine.
//!
//! It never reads a clock, opens a socket, spawns a thread or asks the OS for randomness: a driver
//! (the simulator in the page, `playground-server` on real TCP, or a test) hands it connection
//! events and received bytes, and takes back the bytes to send and the connections to close.
//! The same code therefore compiles for wasm32 and native and behaves identically on both.
//!
//! - [`resp`]: the RESP2 wire format, both directions, with Redis's exact protocol errors.
//! - [`command`]: the command table and one file per command.
//! - [`node`]: [`Node`], the state machine a driver talks to (`handle_input` in, `poll_output` out).

pub mod command;
pub mod node;
pub mod resp;

pub use node::{ConnId, Input, Node, Output};
