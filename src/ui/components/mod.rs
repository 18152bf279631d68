//! One component per file; each takes plain data and `on_*` callbacks, never the reducer. Those
//! with no state of their own whose data changes at every render of their parent anyway are
//! plain functions returning `Html`: a component would skip no render there, and each one adds
//! Yew's per-component code to the page.

pub mod backlog_ring;
pub mod console;
pub mod consoles;
pub mod info_panel;
pub mod lag_chart;
pub mod link_menu;
pub mod log_pane;
pub mod network_list;
pub mod psync_decisions;
pub mod repl_panels;
pub mod stream_pane;
pub mod time_controls;
pub mod timeline_bar;
pub mod topology;
