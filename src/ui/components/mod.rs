//! One component per file; each takes plain data and `on_*` callbacks, never the reducer.

pub mod console;
