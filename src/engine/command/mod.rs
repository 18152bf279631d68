//! Command dispatch: the table of commands Redis 7.0 knows, their arity, and one file per command.
//!
//! A command's `execute` takes the node state and the argument vector and *returns* the reply
//! (mini-redis's `apply`, made sans-IO). Arity is checked here, once, with Redis's rule: a positive
//! arity is exact, a negative one is a minimum.

mod echo;
mod ping;

use super::resp::Frame;

/// Executes one command, signature shared by every command file.
type Execute = fn(&[Vec<u8>]) -> Frame;

/// One row of the command table (Redis's `redisCommand`).
struct CommandSpec {
    /// Lower-case name, as Redis prints it in errors.
    name: &'static str,
    /// Exact argument count including the name if positive; the minimum if negative.
    arity: i32,
    execute: Execute,
}

const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "echo",
        arity: 2,
        execute: echo::execute,
    },
    CommandSpec {
        name: "ping",
        arity: -1,
        execute: ping::execute,
    },
];

/// Runs one request and returns its reply. `args` is non-empty (empty requests are skipped
/// before they get here).
pub fn dispatch(args: &[Vec<u8>]) -> Frame {
    let Some(spec) = lookup(&args[0]) else {
        return unknown_command(args);
    };
    let argc = args.len() as i64;
    let arity = i64::from(spec.arity);
    if (arity > 0 && argc != arity) || argc < -arity {
        return Frame::error(format!(
            "ERR wrong number of arguments for '{}' command",
            spec.name
        ));
    }
    (spec.execute)(args)
}

fn lookup(name: &[u8]) -> Option<&'static CommandSpec> {
    COMMANDS
        .iter()
        .find(|spec| spec.name.as_bytes().eq_ignore_ascii_case(name))
}

/// Redis's reply to a command it does not know: the name and the first arguments, each cut so
/// that the argument list stays near 128 bytes (`processCommand`).
fn unknown_command(args: &[Vec<u8>]) -> Frame {
    const SHOWN_BYTES_MAX: usize = 128;
    let mut shown = Vec::new();
    for arg in &args[1..] {
        if shown.len() >= SHOWN_BYTES_MAX {
            break;
        }
        let budget = SHOWN_BYTES_MAX - shown.len();
        shown.push(b'\'');
        shown.extend_from_slice(&arg[..arg.len().min(budget)]);
        shown.extend_from_slice(b"' ");
    }
    let name = &args[0][..args[0].len().min(SHOWN_BYTES_MAX)];
    let mut message = b"ERR unknown command '".to_vec();
    message.extend_from_slice(name);
    message.extend_from_slice(b"', with args beginning with: ");
    message.extend_from_slice(&shown);
    error_with_user_text(message)
}

/// An error reply that embeds bytes a user sent: CR and LF become spaces so the reply stays one
/// RESP line (Redis's `addReplyErrorFormat`).
fn error_with_user_text(message: Vec<u8>) -> Frame {
    let one_line: Vec<u8> = message
        .into_iter()
        .map(|b| if b == b'\r' || b == b'\n' { b' ' } else { b })
        .collect();
    Frame::Error(String::from_utf8_lossy(&one_line).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn run(words: &[&[u8]]) -> Frame {
        dispatch(&words.iter().map(|w| w.to_vec()).collect::<Vec<_>>())
    }

    #[test]
    fn names_are_case_insensitive() {
        assert_eq!(run(&[b"pInG"]), Frame::Simple("PONG".into()));
    }

    #[test]
    fn arity_errors_name_the_command_in_lower_case() {
        assert_eq!(
            run(&[b"ECHO"]),
            Frame::error("ERR wrong number of arguments for 'echo' command")
        );
        assert_eq!(
            run(&[b"PING", b"a", b"b"]),
            Frame::error("ERR wrong number of arguments for 'ping' command")
        );
    }

    #[test]
    fn unknown_commands_quote_at_most_128_bytes_of_arguments() {
        assert_eq!(
            run(&[b"FOO", b"a", b"b"]),
            Frame::error("ERR unknown command 'FOO', with args beginning with: 'a' 'b' ")
        );
        let long = vec![b'x'; 200];
        let expected = format!(
            "ERR unknown command 'foo', with args beginning with: '{}' ",
            "x".repeat(128)
        );
        assert_eq!(run(&[b"foo", &long, b"y"]), Frame::error(expected));
        assert_eq!(
            run(&[b"f\no"]),
            Frame::error("ERR unknown command 'f o', with args beginning with: ")
        );
    }
}
