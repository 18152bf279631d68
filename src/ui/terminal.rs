//! [`Terminal`]: one console's transcript, kept so that it can be shown at any point in time.
//!
//! The console's client is a simulated client; its replies arrive whenever the simulated network
//! delivers them. The terminal records what was typed (with the virtual time) and, by watching
//! the client after every step of the present, which reply answered which line, or how the line
//! failed (the connection was refused or closed). Replies are matched by their ordinal among the
//! client's replies, which the simulation itself keeps, so when the page shows an earlier time
//! the transcript shows exactly the replies that had arrived by then. Acting in the past forks
//! the simulation; [`Terminal::fork`] forgets what the discarded future had said.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use crate::cli::{format_reply, parse_line, Line, INVALID_ARGUMENTS};
use crate::engine::resp::Frame;
use crate::sim::{ClientId, NodeId, SimClient};

use super::redis_cli::{
    help, is_subscribe, repeat_count, CliState, Repeat, INVALID_REPEAT, NOT_CONNECTED_PROMPT,
    READING_MESSAGES, REPEAT_MAX,
};

/// What redis-cli prints when the server closed the connection under a command.
const CONNECTION_CLOSED: &str = "Error: Server closed the connection\n";
/// What redis-cli prints when the connection was reset (a sever) under a command.
const CONNECTION_RESET: &str = "Error: Connection reset by peer\n";

/// Entries kept per console; the oldest answered ones scroll away beyond this.
pub const ENTRIES_MAX: usize = 1000;
/// Lines kept in a console's history.
pub const HISTORY_MAX: usize = 1000;

/// What became of a line.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    /// Sent; no reply yet.
    Pending,
    /// The reply with this ordinal among the client's replies, as redis-cli prints it.
    Reply { index: u64, text: Rc<str> },
    /// Never answered: the connection failed or closed (known from `at_us` on).
    Failed { at_us: u64, text: Rc<str> },
    /// Handled by the console itself (help, errors of the line).
    Local { text: Rc<str> },
    /// `clear`: everything before it is hidden.
    Clear,
    /// The connection was lost while idle (known from `at_us` on); prints nothing. Like
    /// redis-cli, the console only finds out with the next line it sends (`reset`: the
    /// connection was reset rather than closed).
    Disconnected { at_us: u64, reset: bool },
}

/// What kind of entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A line typed at the prompt (`echo` set) or a further run of it (`3 PING`).
    Typed,
    /// redis-cli's silent SELECT on a new connection: sent, never shown.
    HiddenSelect,
    /// A reply nobody asked for (pub/sub messages), or a disconnection marker.
    Unsolicited,
}

/// One line typed, or one thing that happened to the console.
#[derive(Clone, Debug)]
struct Entry {
    id: u64,
    kind: Kind,
    /// Virtual time it was typed or observed, in microseconds (inputs a few microseconds apart
    /// must stay apart when the page shows the past).
    at_us: u64,
    /// The prompt and the line as echoed (the first run of a typed line only).
    echo: Option<Rc<str>>,
    /// The command sent, if any (for the prompt's bookkeeping).
    args: Option<Vec<Vec<u8>>>,
    /// Printed before the reply (`Reading messages...`).
    preface: Option<&'static str>,
    /// The client had a connection when it was typed.
    sent_connected: bool,
    /// Lines typed together (a repeat) share it: only the first reports a failed connect.
    group: u64,
    outcome: Outcome,
    /// The prompt's state once this entry was resolved (only commands change it).
    cli_after: Option<CliState>,
}

impl Entry {
    fn waits(&self) -> bool {
        self.outcome == Outcome::Pending
    }

    /// Whether it exists at `now_us`: typed lines from when they were typed (inputs given at
    /// the very instant shown count only at the present), replies from when they arrived.
    fn exists_at(&self, now_us: u64, present: bool, replies_received: u64) -> bool {
        match (self.kind, &self.outcome) {
            (Kind::Unsolicited, Outcome::Reply { index, .. }) => *index < replies_received,
            (Kind::Unsolicited, Outcome::Disconnected { at_us, .. }) => *at_us <= now_us,
            _ => self.at_us < now_us || (self.at_us == now_us && present),
        }
    }

    /// What it printed, if that is known at a point where the client had received
    /// `replies_received` replies: Some("") for things that print nothing.
    fn printed_at(&self, now_us: u64, replies_received: u64) -> Option<Rc<str>> {
        match &self.outcome {
            Outcome::Pending => None,
            Outcome::Reply { index, text } => (*index < replies_received).then(|| text.clone()),
            Outcome::Failed { at_us, text } => (*at_us <= now_us).then(|| text.clone()),
            Outcome::Local { text } => Some(text.clone()),
            Outcome::Clear => Some("".into()),
            Outcome::Disconnected { at_us, .. } => (*at_us <= now_us).then(|| "".into()),
        }
    }
}

/// One entry as the console shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryView {
    /// Stable key for rendering.
    pub id: u64,
    /// The prompt and the line, if echoed.
    pub echo: Option<Rc<str>>,
    /// What was printed for it; None while it waits for its reply.
    pub output: Option<Rc<str>>,
}

/// A console as the page shows it at one point in time.
#[derive(Clone, Debug, PartialEq)]
pub struct TerminalView {
    /// The node it talks to.
    pub node: NodeId,
    /// Its simulated client.
    pub client: ClientId,
    /// The node's address (`10.0.0.1:6379`).
    pub addr: Rc<str>,
    /// The prompt for the next line.
    pub prompt: Rc<str>,
    /// The transcript since the last `clear`, oldest first.
    pub entries: Rc<Vec<EntryView>>,
    /// Lines typed so far, oldest first.
    pub history: Rc<Vec<String>>,
    /// Whether a line waits for its reply.
    pub waiting: bool,
    /// Whether hints are shown (`:set hints`).
    pub hints: bool,
    /// Whether the client is connected or connecting.
    pub connected: bool,
}

/// One console's transcript and redis-cli state.
#[derive(Debug)]
pub struct Terminal {
    node: NodeId,
    client: ClientId,
    addr: Rc<str>,
    /// When the console appeared (0: from the start).
    pub created_at_us: u64,
    /// When its node was removed, if it was.
    pub removed_at_us: Option<u64>,
    entries: VecDeque<Entry>,
    next_id: u64,
    next_group: u64,
    /// Replies already matched to entries (the client's `replies_received` last seen).
    replies_seen: u64,
    /// The prompt's state at the present.
    cli: CliState,
    /// Whether the client was connected when last observed.
    was_connected: bool,
    hints: bool,
    history: Rc<Vec<String>>,
    /// The last transcript built, reused while nothing it shows changed.
    cache: RefCell<Option<(ViewKey, Rc<Vec<EntryView>>)>>,
    /// Counts changes: a view depends on it, the client's state and (in the past) the time.
    version: u64,
    /// The last view and what it was built from: frames at the present rebuild nothing.
    view_cache: RefCell<Option<(ViewInputs, TerminalView)>>,
}

/// Everything a console's view depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ViewInputs {
    version: u64,
    replies_received: u64,
    connected: bool,
    connecting: bool,
    /// The time shown, in the past only (at the present every line typed is shown).
    past_us: Option<u64>,
}

/// What decides a console's visible transcript: the transcript is reused while this is equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ViewKey {
    first_id: Option<u64>,
    last_id: Option<u64>,
    shown: usize,
    answered: usize,
}

impl Terminal {
    /// A console of `client`, which talks to `node` at `addr`.
    pub fn new(node: NodeId, client: ClientId, addr: String, created_at_us: u64) -> Terminal {
        Terminal {
            node,
            client,
            addr: addr.into(),
            created_at_us,
            removed_at_us: None,
            entries: VecDeque::new(),
            next_id: 0,
            next_group: 0,
            replies_seen: 0,
            cli: CliState::default(),
            was_connected: false,
            hints: true,
            history: Rc::new(Vec::new()),
            cache: RefCell::new(None),
            version: 0,
            view_cache: RefCell::new(None),
        }
    }

    /// Its node.
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// Its client.
    pub fn client(&self) -> ClientId {
        self.client
    }

    /// Whether it exists at `now_us` (`present`: at the latest point, where inputs given at
    /// `now_us` count).
    pub fn exists_at(&self, now_us: u64, present: bool) -> bool {
        let reached = |at: u64| at < now_us || (at == now_us && present);
        reached(self.created_at_us) && !self.removed_at_us.is_some_and(reached)
    }

    /// Records a line typed at `now_us`; returns the commands to send, in order. `client` is
    /// the console's client as it is now.
    pub fn submit(
        &mut self,
        line: &str,
        now_us: u64,
        client: Option<&SimClient>,
    ) -> Vec<Vec<Vec<u8>>> {
        self.version += 1;
        let connected = client.is_some_and(SimClient::is_connected);
        let reachable = connected || client.is_some_and(SimClient::is_connecting);
        let prompt = if reachable {
            self.cli.prompt(&self.addr)
        } else {
            NOT_CONNECTED_PROMPT.to_string()
        };
        let echo: Rc<str> = format!("{prompt}{line}").into();
        if !line.trim().is_empty() {
            let history = Rc::make_mut(&mut self.history);
            history.push(line.to_string());
            let excess = history.len().saturating_sub(HISTORY_MAX);
            history.drain(..excess);
        }
        let args = match parse_line(line) {
            Line::Empty => {
                self.push_local(now_us, echo, "");
                return Vec::new();
            }
            Line::Invalid => {
                self.push_local(now_us, echo, &format!("{INVALID_ARGUMENTS}\n"));
                return Vec::new();
            }
            Line::Command(args) => args,
        };
        let words: Vec<String> = args
            .iter()
            .map(|arg| String::from_utf8_lossy(arg).into_owned())
            .collect();
        let first = words[0].to_ascii_lowercase();
        if first == "help" || first == "?" {
            self.push_local(now_us, echo, &help(&words[1..]));
            return Vec::new();
        }
        if first == "clear" && words.len() == 1 {
            self.push(Kind::Typed, now_us, Some(echo), None, Outcome::Clear);
            return Vec::new();
        }
        if first.starts_with(':') {
            let preference = words.get(1).map(|word| word.to_ascii_lowercase());
            let text = match (first.as_str(), preference.as_deref()) {
                (":set", Some("hints")) => {
                    self.hints = true;
                    String::new()
                }
                (":set", Some("nohints")) => {
                    self.hints = false;
                    String::new()
                }
                _ => format!("Unknown redis-cli preference '{}'\n", words.join(" ")),
            };
            self.push_local(now_us, echo, &text);
            return Vec::new();
        }
        let (times, command) = match repeat_count(&args) {
            Repeat::Once => (1, args),
            Repeat::Times(times) => (times, args[1..].to_vec()),
            Repeat::Invalid => {
                self.push_local(now_us, echo, INVALID_REPEAT);
                return Vec::new();
            }
            Repeat::TooMany => {
                let text = format!("This console repeats a command at most {REPEAT_MAX} times.\n");
                self.push_local(now_us, echo, &text);
                return Vec::new();
            }
        };
        let group = self.next_group;
        self.next_group += 1;
        if let Some(error) = self.unnoticed_disconnect().filter(|_| !reachable) {
            // The line goes into the dead connection and fails; the next one reconnects.
            let outcome = Outcome::Failed {
                at_us: now_us,
                text: error.into(),
            };
            self.push(Kind::Typed, now_us, Some(echo), Some(command), outcome);
            if let Some(entry) = self.entries.back_mut() {
                entry.cli_after = Some(self.cli);
            }
            return Vec::new();
        }
        let mut commands = Vec::new();
        if !reachable && self.cli.dbnum != 0 {
            // redis-cli selects its database again on a new connection, silently.
            let select = vec![b"SELECT".to_vec(), self.cli.dbnum.to_string().into_bytes()];
            self.push_command(
                Kind::HiddenSelect,
                now_us,
                None,
                &select,
                connected,
                group,
                None,
            );
            commands.push(select);
        }
        let preface = is_subscribe(&command).then_some(READING_MESSAGES);
        for time in 0..times {
            let (echo, preface) = if time == 0 {
                (Some(echo.clone()), preface)
            } else {
                (None, None)
            };
            self.push_command(
                Kind::Typed,
                now_us,
                echo,
                &command,
                connected,
                group,
                preface,
            );
            commands.push(command.clone());
        }
        commands
    }

    fn push_local(&mut self, now_us: u64, echo: Rc<str>, text: &str) {
        let outcome = Outcome::Local { text: text.into() };
        self.push(Kind::Typed, now_us, Some(echo), None, outcome);
    }

    #[allow(clippy::too_many_arguments)]
    fn push_command(
        &mut self,
        kind: Kind,
        now_us: u64,
        echo: Option<Rc<str>>,
        args: &[Vec<u8>],
        sent_connected: bool,
        group: u64,
        preface: Option<&'static str>,
    ) {
        self.push(kind, now_us, echo, Some(args.to_vec()), Outcome::Pending);
        if let Some(entry) = self.entries.back_mut() {
            entry.sent_connected = sent_connected;
            entry.preface = preface;
            entry.group = group;
        }
    }

    fn push(
        &mut self,
        kind: Kind,
        at_us: u64,
        echo: Option<Rc<str>>,
        args: Option<Vec<Vec<u8>>>,
        outcome: Outcome,
    ) {
        let id = self.next_id;
        self.next_id += 1;
        self.version += 1;
        self.entries.push_back(Entry {
            id,
            kind,
            at_us,
            echo,
            args,
            preface: None,
            sent_connected: false,
            group: u64::MAX,
            outcome,
            cli_after: None,
        });
        // Bounded: drop the oldest answered entries (a waiting one keeps its place).
        while self.entries.len() > ENTRIES_MAX {
            match self.entries.iter().position(|entry| !entry.waits()) {
                Some(index) => {
                    self.entries.remove(index);
                }
                None => break,
            }
        }
    }

    /// Matches the replies `client` received since the last look to the waiting lines, and
    /// fails the waiting lines if the client lost its connection. Call at the present only,
    /// after every change.
    /// `was_reset` says whether the connection, once lost, was reset (a sever) rather than
    /// closed; it is asked only then.
    pub fn observe(&mut self, client: &SimClient, now_us: u64, was_reset: &dyn Fn() -> bool) {
        if self.replies_seen < client.replies_received {
            self.version += 1;
        }
        let received = client.replies_received;
        let retained_from = received.saturating_sub(client.replies.len() as u64);
        while self.replies_seen < received {
            let index = self.replies_seen;
            self.replies_seen += 1;
            let frame = index
                .checked_sub(retained_from)
                .and_then(|position| client.replies.get(usize::try_from(position).ok()?));
            let (text, error, nil) = match frame {
                Some(frame) => (
                    format_reply(frame),
                    matches!(frame, Frame::Error(_)),
                    matches!(frame, Frame::Null | Frame::NullArray),
                ),
                None => (
                    "(reply dropped: too many unread replies)\n".to_string(),
                    false,
                    false,
                ),
            };
            match self.entries.iter_mut().find(|entry| entry.waits()) {
                Some(entry) => {
                    if let Some(args) = &entry.args {
                        self.cli = self.cli.after_reply(args, error, nil);
                    }
                    let text = format!("{}{text}", entry.preface.unwrap_or(""));
                    entry.outcome = Outcome::Reply {
                        index,
                        text: text.into(),
                    };
                    entry.cli_after = Some(self.cli);
                }
                None => {
                    let outcome = Outcome::Reply {
                        index,
                        text: text.into(),
                    };
                    self.push(Kind::Unsolicited, now_us, None, None, outcome);
                }
            }
        }
        let connected = client.is_connected();
        let lost = self.was_connected && !connected;
        let reset = lost && was_reset();
        let mut failed = false;
        if !connected && !client.is_connecting() {
            failed = self.fail_waiting(client.connect_error.as_deref(), reset, now_us);
        }
        if lost && !failed {
            // Nothing was waiting: redis-cli finds out with the next line (see `submit`).
            let outcome = Outcome::Disconnected {
                at_us: now_us,
                reset,
            };
            self.push(Kind::Unsolicited, now_us, None, None, outcome);
        }
        if self.was_connected != connected {
            self.version += 1;
        }
        self.was_connected = connected;
    }

    /// How the connection ended, if it was lost while idle and no line has been sent since:
    /// redis-cli still holds the dead socket, so its next line fails with this error.
    fn unnoticed_disconnect(&self) -> Option<&'static str> {
        let last = self.entries.iter().rev().find(|entry| {
            entry.args.is_some() || matches!(entry.outcome, Outcome::Disconnected { .. })
        })?;
        match last.outcome {
            Outcome::Disconnected { reset: true, .. } => Some(CONNECTION_RESET),
            Outcome::Disconnected { reset: false, .. } => Some(CONNECTION_CLOSED),
            _ => None,
        }
    }

    /// Every waiting line fails: the connect was refused or timed out, or the connection closed
    /// (or was reset) before the reply. redis-cli reports this once per typed line. Returns
    /// whether any line failed.
    fn fail_waiting(&mut self, connect_error: Option<&str>, reset: bool, now_us: u64) -> bool {
        let mut failed = false;
        let mut reported_groups = Vec::new();
        let addr = self.addr.clone();
        for entry in self.entries.iter_mut().filter(|entry| entry.waits()) {
            let silent = entry.kind == Kind::HiddenSelect || reported_groups.contains(&entry.group);
            let text = if silent {
                String::new()
            } else {
                reported_groups.push(entry.group);
                match connect_error {
                    Some(reason) if !entry.sent_connected => {
                        format!("Could not connect to Redis at {addr}: {reason}\n")
                    }
                    _ if reset => CONNECTION_RESET.to_string(),
                    _ => CONNECTION_CLOSED.to_string(),
                }
            };
            failed = true;
            self.version += 1;
            entry.outcome = Outcome::Failed {
                at_us: now_us,
                text: text.into(),
            };
            entry.cli_after = Some(self.cli);
        }
        failed
    }

    /// Forgets what happened after `now_us`, the point where the past was changed (the
    /// simulation forked there); `replies_received` and `connected` are the client's state at
    /// that point.
    pub fn fork(&mut self, now_us: u64, replies_received: u64, connected: bool) {
        self.was_connected = connected;
        // Only what existed at that point stays (a line typed at that very instant had not
        // been given to the simulation yet).
        self.entries
            .retain(|entry| entry.exists_at(now_us, false, replies_received));
        for entry in &mut self.entries {
            let undone = match entry.outcome {
                Outcome::Reply { index, .. } => index >= replies_received,
                Outcome::Failed { at_us, .. } => at_us > now_us,
                _ => false,
            };
            if undone {
                entry.outcome = Outcome::Pending;
                entry.cli_after = None;
            }
        }
        self.cli = self
            .entries
            .iter()
            .rev()
            .find_map(|entry| entry.cli_after)
            .unwrap_or_default();
        self.replies_seen = replies_received;
        if self.removed_at_us.is_some_and(|at| at >= now_us) {
            self.removed_at_us = None;
        }
        self.cache.replace(None);
        self.version += 1;
    }

    /// The console at `now_us` (`present`: the latest point), given its client as it was then.
    pub fn view(&self, now_us: u64, present: bool, client: Option<&SimClient>) -> TerminalView {
        let replies_received = client.map_or(0, |client| client.replies_received);
        let inputs = ViewInputs {
            version: self.version,
            replies_received,
            connected: client.is_some_and(SimClient::is_connected),
            connecting: client.is_some_and(SimClient::is_connecting),
            past_us: (!present).then_some(now_us),
        };
        if let Some((cached, view)) = &*self.view_cache.borrow() {
            if *cached == inputs {
                return view.clone();
            }
        }
        let view = self.build_view(now_us, present, client, replies_received);
        self.view_cache.replace(Some((inputs, view.clone())));
        view
    }

    fn build_view(
        &self,
        now_us: u64,
        present: bool,
        client: Option<&SimClient>,
        replies_received: u64,
    ) -> TerminalView {
        let existing: Vec<(&Entry, Option<Rc<str>>)> = self
            .entries
            .iter()
            .filter(|entry| entry.exists_at(now_us, present, replies_received))
            .map(|entry| (entry, entry.printed_at(now_us, replies_received)))
            .collect();
        let cli = existing
            .iter()
            .rev()
            .filter(|(_, printed)| printed.is_some())
            .find_map(|(entry, _)| entry.cli_after)
            .unwrap_or_default();
        let after_clear = existing
            .iter()
            .rposition(|(entry, _)| entry.outcome == Outcome::Clear)
            .map_or(0, |index| index + 1);
        let visible: Vec<&(&Entry, Option<Rc<str>>)> = existing[after_clear..]
            .iter()
            .filter(|(entry, printed)| match entry.kind {
                Kind::HiddenSelect => false,
                Kind::Typed => true,
                Kind::Unsolicited => printed.as_ref().is_some_and(|text| !text.is_empty()),
            })
            .collect();
        let waiting = visible.iter().any(|(_, printed)| printed.is_none());
        let key = ViewKey {
            first_id: visible.first().map(|(entry, _)| entry.id),
            last_id: visible.last().map(|(entry, _)| entry.id),
            shown: visible.len(),
            answered: visible
                .iter()
                .filter(|(_, printed)| printed.is_some())
                .count(),
        };
        let cached = self
            .cache
            .borrow()
            .as_ref()
            .filter(|(cached_key, _)| *cached_key == key)
            .map(|(_, entries)| entries.clone());
        let entries = cached.unwrap_or_else(|| {
            let entries: Rc<Vec<EntryView>> = Rc::new(
                visible
                    .iter()
                    .map(|(entry, printed)| EntryView {
                        id: entry.id,
                        echo: entry.echo.clone(),
                        output: printed.clone(),
                    })
                    .collect(),
            );
            self.cache.replace(Some((key, entries.clone())));
            entries
        });
        let connected =
            client.is_some_and(|client| client.is_connected() || client.is_connecting());
        let prompt: Rc<str> = if connected {
            cli.prompt(&self.addr).into()
        } else {
            NOT_CONNECTED_PROMPT.into()
        };
        TerminalView {
            node: self.node,
            client: self.client,
            addr: self.addr.clone(),
            prompt,
            entries,
            history: self.history.clone(),
            waiting,
            hints: self.hints,
            connected,
        }
    }

    /// What the most recent typed line printed, once all of it is known (for the JS API).
    pub fn last_output(&self) -> Option<String> {
        let last_typed = self
            .entries
            .iter()
            .rposition(|entry| entry.echo.is_some())?;
        let mut text = String::new();
        for entry in self.entries.iter().skip(last_typed) {
            if entry.kind != Kind::Typed {
                continue;
            }
            match &entry.outcome {
                Outcome::Pending => return None,
                Outcome::Reply { text: printed, .. }
                | Outcome::Failed { text: printed, .. }
                | Outcome::Local { text: printed } => text.push_str(printed),
                Outcome::Clear | Outcome::Disconnected { .. } => {}
            }
        }
        Some(text)
    }
}
