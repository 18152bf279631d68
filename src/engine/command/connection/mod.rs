//! Connection commands: PING, ECHO, SELECT, QUIT, AUTH, HELLO, CLIENT.

mod auth;
mod client;
mod client_kill;
mod echo;
mod hello;
mod ping;
mod quit;
mod select;

use super::flags::{ADMIN, FAST, NOT_QUEUED, NO_AUTH, PUBSUB_CONTEXT};
use super::CommandSpec;

/// This family's rows of the command table.
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("auth", -2, FAST | NO_AUTH, auth::execute),
    CommandSpec::container(
        "client",
        -2,
        0,
        &[
            CommandSpec::new("client|getname", 2, 0, client::execute_getname),
            CommandSpec::new("client|getredir", 2, 0, client::execute_getredir),
            CommandSpec::new("client|help", 2, 0, client::execute_help),
            CommandSpec::new("client|id", 2, 0, client::execute_id),
            CommandSpec::new("client|info", 2, 0, client::execute_info),
            CommandSpec::new("client|kill", -3, ADMIN, client_kill::execute),
            CommandSpec::new("client|list", -2, 0, client::execute_list),
            CommandSpec::new("client|no-evict", 3, ADMIN, client::execute_no_evict),
            CommandSpec::new("client|setname", 3, 0, client::execute_setname),
            CommandSpec::new("client|trackinginfo", 2, 0, client::execute_trackinginfo),
        ],
    ),
    CommandSpec::new("echo", 2, FAST, echo::execute),
    CommandSpec::new("hello", -1, FAST | NO_AUTH, hello::execute),
    CommandSpec::new("ping", -1, FAST | PUBSUB_CONTEXT, ping::execute),
    CommandSpec::new(
        "quit",
        -1,
        FAST | NO_AUTH | PUBSUB_CONTEXT | NOT_QUEUED,
        quit::execute,
    ),
    CommandSpec::new("select", 2, FAST, select::execute),
];
