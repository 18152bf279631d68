//! `HELLO [protover [AUTH username password] [SETNAME clientname]]`: the handshake newer clients
//! open with. The engine speaks RESP2 only, so it answers protocol 3 with Redis's NOPROTO error
//! (a documented deviation: Redis 7.0 supports RESP3); clients can then use protocol 2.

use super::auth::authenticate;
use super::client::set_name;
use crate::engine::command::{error_with_user_text, Ctx};
use crate::engine::resp::{parse_i64, Frame};

/// # Format
///
/// ```text
/// HELLO [protover [AUTH username password] [SETNAME clientname]]
/// ```
///
/// Checks in Redis's order: the protocol version, the options' syntax, the credentials, that the
/// connection is authenticated, then the name. Replies with the server's properties.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let mut options: &[Vec<u8>] = &[];
    if let [_, version, rest @ ..] = args {
        match parse_i64(version) {
            None => return Frame::error("ERR Protocol version is not an integer or out of range"),
            Some(2) => {}
            // 3 is RESP3, which this engine does not speak.
            Some(_) => return Frame::error("NOPROTO unsupported protocol version"),
        }
        options = rest;
    }
    let (mut credentials, mut name) = (None, None);
    while let [option, rest @ ..] = options {
        match (option.to_ascii_lowercase().as_slice(), rest) {
            (b"auth", [username, password, rest @ ..]) => {
                credentials = Some((username, password));
                options = rest;
            }
            (b"setname", [new_name, rest @ ..]) => {
                name = Some(new_name);
                options = rest;
            }
            _ => {
                let mut message = b"ERR Syntax error in HELLO option '".to_vec();
                message.extend_from_slice(option);
                message.push(b'\'');
                return error_with_user_text(message);
            }
        }
    }
    if let Some((username, password)) = credentials {
        if let Err(reply) = authenticate(ctx, username, password) {
            return reply;
        }
    }
    if !ctx.client_ref().authenticated {
        return Frame::error(
            "NOAUTH HELLO must be called with the client already authenticated, otherwise the \
             HELLO AUTH <user> <pass> option can be used to authenticate the client and select \
             the RESP protocol version at the same time",
        );
    }
    if let Some(name) = name {
        if let Err(reply) = set_name(ctx, name) {
            return reply;
        }
    }
    let id = ctx.client_ref().id as i64;
    Frame::Array(vec![
        Frame::bulk("server"),
        Frame::bulk("redis"),
        Frame::bulk("version"),
        Frame::bulk("7.0.15"),
        Frame::bulk("proto"),
        Frame::Integer(2),
        Frame::bulk("id"),
        Frame::Integer(id),
        Frame::bulk("mode"),
        Frame::bulk("standalone"),
        Frame::bulk("role"),
        Frame::bulk("master"),
        Frame::bulk("modules"),
        Frame::Array(Vec::new()),
    ])
}
