//! The engine: one Redis 7.0 server as a pure, sans-IO state machine.
//!
//! It never reads a clock, opens a socket, spawns a thread or asks the OS for randomness: a driver
//! (the simulator in the page, `playground-server` on real TCP, or a test) hands it connection
//! events, received bytes and the current time, and takes back the bytes to send, the connections
//! to close, and when to wake it next. The same code therefore compiles for wasm32 and native and
//! behaves identically on both.
//!
//! - [`node`]: [`Node`], the state machine a driver talks to (`handle_*` in, `poll_*` out).
//! - [`resp`]: the RESP2 wire format, both directions, with Redis's exact protocol errors.
//! - [`command`]: the checks every request goes through, and one file per command.
//! - [`keyspace`]: the databases and the five value types, in a deterministic order.
//! - [`glob`]: Redis's glob patterns (KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE).
//! - [`propagate`]: the one propagation point: execution units and the replication byte stream.
//! - [`replication`]: replication ids, offsets, the backlog ring, master and replica links.
//! - [`rdb`]: the RDB file format (version 10, as Redis 7.0 writes it), LZF and CRC64.
//! - [`state`], [`client`], [`config`]: the node's state, each connection's, and the settings.
//! - [`sha1`]: SHA-1, which DEBUG DIGEST is built from.
//! - [`time`], [`prng`]: time as handed in, and the node's only source of randomness.
//! - [`log`]: the node's log lines, as data for the driver to print or trace.
//! - [`evict`]: what `maxmemory-policy` does over `maxmemory`.
//! - [`sort`]: the crate's one stable sort, compiled once (each `slice::sort` costs the page
//!   another copy).
//! - [`vec_map`]: small maps and sets sorted in one vector (the simulator's too), where a B-tree
//!   would cost the page kilobytes per key type.
//! - [`tree_set`]: the engine's one B-tree type, for the ordered collections one command can grow
//!   by 100 000 entries (sorted sets, the expiry index, channels, the WATCH table).
//! - [`deque`]: a `VecDeque` whose clone compiles small (time travel clones every deque).
//! - `float`: float parsing and printing exactly as glibc's `strtod`, `strtold` and `printf` do
//!   them, without the standard library's float tables.

pub mod client;
pub mod command;
pub mod config;
pub mod deque;
pub mod evict;
pub(crate) mod float;
pub mod glob;
pub mod keyspace;
pub mod log;
pub mod node;
pub mod prng;
pub mod propagate;
pub mod rdb;
pub mod replication;
pub mod resp;
pub mod sha1;
pub mod sort;
pub mod state;
pub mod time;
pub mod tree_set;
pub mod vec_map;

pub use client::Peer;
pub use config::Config;
pub use node::{ConnId, Input, Node, Output};
pub use time::Instant;
