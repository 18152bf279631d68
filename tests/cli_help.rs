//! The consoles' help, hints and completion are redis-cli 7.0.15's: the real `/usr/bin/redis-cli`
//! builds its help table from playground-server's COMMAND DOCS reply, and our `cli::HelpTable`
//! builds its own from the same reply (taken from the engine without a round trip, as the page
//! does). `help <topic>` is compared for every command, subcommand and group; hints are compared
//! by typing lines into the real redis-cli through a pseudo-terminal.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::process::Command;

use replication_playground::cli::{HelpTable, GENERIC_HELP};
use replication_playground::engine::command::{all_commands, command_docs};
use support::ServerProcess;

/// What the real redis-cli prints for `redis-cli -p <port> help <topic>`, without its colours
/// and with `\n` line ends (it prints help with `\r\n`, as on a raw terminal).
fn real_help(port: u16, topic: &[&str]) -> String {
    let output = Command::new("redis-cli")
        .args(["-p", &port.to_string(), "help"])
        .args(topic)
        .output()
        .expect("redis-cli (Debian package redis-tools) must be installed");
    without_colours(&String::from_utf8_lossy(&output.stdout)).replace("\r\n", "\n")
}

/// `text` without its ANSI SGR sequences (`\x1b[1m`, `\x1b[0;90;49m`, ...).
fn without_colours(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("\x1b[") {
        out.push_str(&rest[..start]);
        let sequence = &rest[start + 2..];
        let end = sequence.find('m').expect("an SGR sequence ends with m");
        rest = &sequence[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Every help topic worth asking: each command and subcommand the engine has, each group (what
/// Tab offers after `help @`), and a few that name nothing or mix cases.
fn topics(table: &HelpTable) -> Vec<Vec<String>> {
    let mut topics: Vec<Vec<String>> = Vec::new();
    for command in all_commands() {
        topics.push(vec![command.name.to_string()]);
        for sub in command.subcommands {
            topics.push(vec![command.name.to_string(), sub.name.to_string()]);
        }
    }
    for group in table.completions("help @") {
        topics.push(vec![group["help ".len()..].to_string()]);
    }
    for odd in [
        "Get",
        "CONFIG get",
        "nosuch",
        "@nosuch",
        "@STRING",
        "get extra",
        "@",
    ] {
        topics.push(odd.split(' ').map(str::to_string).collect());
    }
    topics
}

#[test]
fn help_prints_what_redis_cli_prints_from_the_same_command_docs() {
    let server = ServerProcess::playground(&[]);
    let docs = command_docs();
    assert_eq!(
        server.connect().cmd("COMMAND DOCS"),
        docs,
        "the page reads the COMMAND DOCS reply a client gets"
    );
    let table = HelpTable::from_docs(&docs);
    let groups = table.completions("help @");
    assert!(groups.len() >= 10, "groups: {groups:?}");
    let topics = topics(&table);
    let mut report = String::new();
    for topic in &topics {
        let words: Vec<&str> = topic.iter().map(String::as_str).collect();
        let expected = real_help(server.port, &words);
        let ours = table.help(&words);
        if ours != expected {
            report.push_str(&format!(
                "\nhelp {}\n  redis-cli: {expected:?}\n  ours:      {ours:?}\n",
                words.join(" ")
            ));
        }
    }
    assert!(
        report.is_empty(),
        "help differs from redis-cli's ({} topics):{report}",
        topics.len()
    );
}

/// The generic help is redis-cli's but for what a page cannot do (quit, `~/.redisclirc`) and a
/// note on the console's keys.
#[test]
fn generic_help_is_redis_clis_adapted_to_the_page() {
    let server = ServerProcess::playground(&[]);
    let real = real_help(server.port, &[]);
    let adapted = real
        .replace("redis-cli 7.0.15\n", "redis-cli 7.0.15 (in this page)\n")
        .replace("      \"quit\" to exit\n", "")
        .replace("Set your preferences in ~/.redisclirc\n", "\n");
    assert_ne!(adapted, real, "redis-cli's generic help changed: {real:?}");
    assert!(
        GENERIC_HELP.starts_with(&adapted),
        "redis-cli: {real:?}\nours: {GENERIC_HELP:?}"
    );
    assert!(GENERIC_HELP[adapted.len()..].starts_with("Keys: "));
}

/// Types each line into an interactive redis-cli on a pseudo-terminal (4000 columns, so no hint
/// is cut) and prints, as JSON, what each leaves on screen: the line (Tab replaces it with a
/// completion) and the grey hint after it (null for none). linenoise redraws the line once per
/// key (every key here has an effect), ending with `\r\x1b[<n>C`; the hint is the grey text
/// (`\x1b[0;90;49m`) of the last redraw. Ctrl-U clears the line between lines.
const PTY_DRIVER: &str = r#"
import fcntl, json, os, pty, re, select, signal, struct, sys, termios, time
port, lines = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 4000, 0, 0))
    os.environ.update(TERM='xterm', REDISCLI_HISTFILE='/dev/null', REDISCLI_RCFILE='/dev/null')
    os.execvp('redis-cli', ['redis-cli', '-p', port])
prompt = ('127.0.0.1:%s> ' % port).encode()
out = b''
def redraws():
    return len(re.findall(rb'\r\x1b\[\d+C', out))
def wait(done):
    global out
    deadline = time.time() + 20
    while not done():
        if time.time() > deadline:
            sys.exit('redis-cli did not answer; output so far: %r' % out[-500:])
        if select.select([fd], [], [], 0.1)[0]:
            out += os.read(fd, 65536)
def type_keys(keys):
    before = redraws()
    os.write(fd, keys)
    wait(lambda: redraws() >= before + len(keys))
wait(lambda: prompt in out)
screens = []
for line in lines:
    type_keys(line.encode())
    last = out.split(b'\r\x1b[0K')[-1]
    if not last.startswith(prompt):
        sys.exit('unexpected redraw for %r: %r' % (line, last))
    shown = re.match(rb'(.*?)(?:\x1b\[0;90;49m(.*?)\x1b\[0m)?\r\x1b\[\d+C$', last[len(prompt):], re.S)
    hint = shown.group(2)
    screens.append([shown.group(1).decode(), hint.decode() if hint is not None else None])
    type_keys(b'\x15')
os.kill(pid, signal.SIGKILL)
os.waitpid(pid, 0)
print(json.dumps(screens))
"#;

/// What the console shows after `keys`: the line, where each Tab shows the next completion of
/// what was typed before the Tabs (after the last, what was typed), and the hint for that line.
fn console_screen(table: &HelpTable, keys: &str) -> (String, Option<String>) {
    let typed = keys.trim_end_matches('\t');
    let tabs = keys.len() - typed.len();
    let line = if tabs == 0 {
        typed.to_string()
    } else {
        let candidates = table.completions(typed);
        let shown = (tabs - 1) % (candidates.len() + 1);
        candidates
            .get(shown)
            .cloned()
            .unwrap_or_else(|| typed.to_string())
    };
    let hint = table.hint(&line);
    (line, hint)
}

#[test]
fn hints_and_tab_completion_are_what_redis_cli_shows_while_typing() {
    let server = ServerProcess::playground(&[]);
    let keys = [
        "get",
        "GET ",
        "get k",
        "SET k",
        "SET k v ",
        "set k v EX 10 ",
        "set \"a b\" c",
        "CONFIG",
        "CONFIG G",
        "config get ",
        "OBJECT ENCODING",
        "object encoding k ",
        "zadd k 1 m ",
        "del a b c ",
        "nosuch ",
        "help get",
        "client kill ",
        "pex\t",
        "pex\t\t\t",
        "pex\t\t\t\t",
        "object e\t",
        "help @s\t\t",
        "help  conf\t\t",
        "HELP \t",
    ];
    let output = Command::new("python3")
        .args(["-c", PTY_DRIVER, &server.port.to_string()])
        .args(keys)
        .output()
        .expect("python3 drives redis-cli through a pseudo-terminal");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let shown: Vec<(String, Option<String>)> =
        serde_json::from_slice(&output.stdout).expect("the driver prints the screens as JSON");
    let table = HelpTable::from_docs(&command_docs());
    let report: Vec<String> = keys
        .iter()
        .zip(&shown)
        .map(|(keys, shown)| (keys, shown, console_screen(&table, keys)))
        .filter(|(_, shown, ours)| *shown != ours)
        .map(|(keys, shown, ours)| format!("{keys:?}: redis-cli {shown:?}, ours {ours:?}"))
        .collect();
    assert_eq!(shown.len(), keys.len());
    assert!(
        report.is_empty(),
        "the console differs:\n{}",
        report.join("\n")
    );
}
