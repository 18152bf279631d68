//! One component per file; each takes plain data and `on_*` callbacks, never the reducer.

pub mod console;
pub mod consoles;
pub mod link_menu;
pub mod network_list;
pub mod time_controls;
pub mod timeline_bar;
pub mod topology;
