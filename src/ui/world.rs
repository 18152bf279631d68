//! [`World`]: the simulation with its recorded past, the consoles, the fault markers and the
//! clock settings. Everything the page or the JS API does goes through its methods; the reducer
//! ([`super::state`]) and the JS handle ([`crate::web_api`]) only call them and take views.
//!
//! Every change from outside goes through the [`Timeline`], so that scrubbing back and forward
//! reproduces the run exactly; acting while showing the past forks (the later history is
//! discarded, RaftScope-style), and the consoles and markers forget the discarded future too.

use std::rc::Rc;

use crate::engine::log::format_log_line;
use crate::engine::{Config, Instant};
use crate::sim::inspect::{self, ReplView};
use crate::sim::network::{Host, LinkConfig, NodeId, Path};
use crate::sim::timeline::{SimInput, Timeline};
use crate::sim::trace::{Trace, TraceKind};
use crate::sim::view::SimView;
use crate::sim::{
    node_addr, ClientId, Endpoint, Fault, Sim, SimClient, SimConfig, SocketId, NODES_MAX,
};

use super::numbers::{pow10_centi, sort_small_by_key};
use super::terminal::{Terminal, TerminalView};

/// Nodes at the start.
pub const START_NODES: u8 = 3;
/// The nodes that become replicas of node 1 at the start (their consoles type `REPLICAOF`).
pub const START_REPLICAS: [u8; 2] = [2, 3];
/// The nodes' `repl-backlog-size`: 1 KB, so the ring wraps after a few dozen writes.
pub const PLAYGROUND_BACKLOG_BYTES: i64 = 1024;
/// The smallest `repl-backlog-size` CONFIG SET accepts in the page (Redis: 16 KB).
pub const PLAYGROUND_BACKLOG_MIN_BYTES: i64 = 256;
/// Trace events the page's simulation keeps. Every checkpoint of the timeline copies the trace,
/// so this bounds the page's memory: under a load of 2 000 writes per second the simulator's
/// default (100 000 events, some 20 MB per copy) took the tab past 4 GB within a minute.
const TRACE_EVENTS_MAX: usize = 10_000;
/// Log lines kept per node.
const LOG_LINES_MAX: usize = 80;
/// Virtual time between two samples of the replicas' lag.
const LAG_SAMPLE_EVERY_US: u64 = 100_000;
/// Lag samples kept (the oldest go first).
const LAG_SAMPLES_MAX: usize = 600;
/// Virtual time between checkpoints of the timeline.
const CHECKPOINT_EVERY_MS: u64 = 1000;
/// The slowest speed, 10^-2 = 0.01× (speeds are powers of ten in hundredths of a decade).
pub const SPEED_CENTI_MIN: i32 = -200;
/// The fastest speed, 10^3 = 1000×.
pub const SPEED_CENTI_MAX: i32 = 300;
/// A frame never advances more real time than this (a tab that was in the background, a
/// debugger pause): the simulation resumes where it was instead of jumping.
const FRAME_REAL_MS_MAX: f64 = 100.0;
/// How long [`World::run_and_wait`] lets virtual time run for an answer.
pub const WAIT_MS_MAX: u64 = 10_000;
/// Markers kept on the timeline; the oldest go first (the timeline's own horizon forgets old
/// history too).
const MARKERS_MAX: usize = 1000;
/// The largest seed the page accepts: JavaScript numbers hold it exactly.
pub const SEED_MAX: u64 = (1 << 53) - 1;

/// A fault or change, marked on the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// When, in virtual microseconds since the Unix epoch.
    pub at_us: u64,
    /// What happened, in words (`partition c1 ↔ n1`).
    pub label: String,
    /// What kind of event, for its colour.
    pub kind: MarkerKind,
}

/// What a timeline marker marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    /// A fault (sever, partition, crash, restart...).
    Fault,
    /// A change of the setup (a link's settings, a node added or removed).
    Change,
    /// A master answered a PSYNC with +FULLRESYNC.
    FullSync,
    /// A master answered a PSYNC with +CONTINUE.
    PartialSync,
}

/// A steady write load on one node (for demonstrations and the page benchmark): a client of
/// its own, not a console, sending `SET key:<n mod 1000> <n>` at a fixed rate of virtual time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Load {
    /// The node written to.
    pub node: NodeId,
    /// The load's client.
    pub client: ClientId,
    /// Writes per virtual second.
    pub writes_per_s: u64,
    /// When the next write is due, in virtual microseconds.
    next_at_us: u64,
    /// Writes sent so far.
    pub sent: u64,
}

/// The most writes per virtual second a load may ask for.
pub const LOAD_WRITES_PER_S_MAX: u64 = 100_000;

/// One node's log, as redis-server writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeLog {
    /// The node.
    pub node: NodeId,
    /// The newest lines, oldest first.
    pub lines: Rc<Vec<Rc<str>>>,
}

/// How far behind their masters the replicas were at one point in time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LagSample {
    /// When, in virtual microseconds.
    pub at_us: u64,
    /// Each replica whose master is a node of the page, with its lag in bytes.
    pub lags: Vec<(NodeId, u64)>,
}

/// The clock as the page shows it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClockView {
    /// Whether time runs.
    pub running: bool,
    /// Virtual time per real time.
    pub speed: f64,
    /// The speed as a power of ten, in hundredths (0 is 1×, 100 is 10×, -200 is 0.01×).
    pub speed_centi: i32,
    /// Virtual now, in microseconds (smooth animation at slow speeds).
    pub now_us: u64,
    /// The earliest point that can be reached, in microseconds.
    pub earliest_us: u64,
    /// The latest point reached, in microseconds.
    pub latest_us: u64,
    /// Whether the page shows an earlier point than the latest.
    pub in_the_past: bool,
    /// Virtual time at the start of the run, in microseconds.
    pub start_us: u64,
}

/// The simulation and everything the page keeps about it.
#[derive(Debug)]
pub struct World {
    timeline: Timeline,
    terminals: Vec<Terminal>,
    /// Shared with the page's views: changed through `Rc::make_mut`, which copies them only
    /// while a view still holds them.
    markers: Rc<Vec<Marker>>,
    running: bool,
    /// Paused because the tab was hidden: play again once it is visible.
    paused_while_hidden: bool,
    speed: f64,
    speed_centi: i32,
    /// Virtual microseconds owed to the simulation but not yet run (slow speeds).
    carry_us: f64,
    /// Real time of the last frame, if frames are running.
    last_frame_ms: Option<f64>,
    start_us: u64,
    /// Log lines per node, from the trace, in node order (shared as `markers` are).
    logs: Rc<Vec<NodeLog>>,
    /// Trace events already read into `logs` (`Trace::recorded`); None: read it all again.
    logs_seen: Option<u64>,
    /// The replicas' lag over time (shared as `markers` are).
    lag: Rc<Vec<LagSample>>,
    /// Per node, the PSYNC decisions already marked: (time of the latest, how many at it).
    decisions_marked: Vec<(NodeId, u64, usize)>,
    /// A steady write load, if one runs.
    load: Option<Load>,
}

/// The readable name of a node: `n1` for node 1.
pub fn node_code(node: NodeId) -> String {
    format!("n{}", node.0)
}

/// The readable name of a host: `n1` for node 1, `c1` for client 1.
pub fn host_code(host: Host) -> String {
    match host {
        Host::Node(node) => node_code(node),
        Host::Client(client) => format!("c{}", client.0),
    }
}

/// Trace events searched back for how a client's connection ended.
const RESET_SEARCH_EVENTS_MAX: usize = 50_000;

/// Whether `client`'s latest connection ended with a reset (a sever) rather than a close, from
/// the trace: its last `Opened` connection and that connection's `Closed` reason.
fn was_reset(trace: &Trace, client: ClientId) -> bool {
    let mut severed: Vec<SocketId> = Vec::new();
    for event in trace.events().rev().take(RESET_SEARCH_EVENTS_MAX) {
        match &event.kind {
            TraceKind::Closed { socket, reason } if reason == "severed" => severed.push(*socket),
            TraceKind::Opened {
                socket, initiator, ..
            } if *initiator == (Endpoint::Client { client }) => return severed.contains(socket),
            _ => {}
        }
    }
    false
}

/// For every up node, the time of its latest PSYNC decision and how many it holds at that time.
fn decisions_seen(sim: &Sim) -> Vec<(NodeId, u64, usize)> {
    sim.nodes()
        .filter_map(|(id, sim_node)| {
            let decisions = &sim_node.node.as_ref()?.state().repl.decisions;
            let last = decisions.back()?.at_ms;
            let count = decisions.iter().filter(|d| d.at_ms == last).count();
            Some((id, last, count))
        })
        .collect()
}

/// The instant one microsecond after `at`: advancing to it runs what is due at `at`.
fn just_after(at: Instant) -> Instant {
    Instant::from_micros(at.as_micros().saturating_add(1))
}

/// A fault in words, for markers.
pub fn fault_label(fault: &Fault) -> String {
    let (verb, a, b, arrow) = match *fault {
        Fault::Sever(a, b) => ("sever", a, b, "↔"),
        Fault::Partition(a, b) => ("partition", a, b, "↔"),
        Fault::PartitionOneway(a, b) => ("partition", a, b, "→"),
        Fault::Heal(a, b) => ("heal", a, b, "↔"),
        Fault::Hold(a, b) => ("hold", a, b, "↔"),
        Fault::Release(a, b) => ("release", a, b, "↔"),
        Fault::Crash(node) => return format!("crash {}", node_code(node)),
        Fault::Restart(node) => return format!("restart {}", node_code(node)),
        Fault::RestartWithoutDisk(node) => {
            return format!("restart {} without disk", node_code(node))
        }
    };
    format!("{verb} {} {arrow} {}", host_code(a), host_code(b))
}

/// The settings every node of the page starts with: Redis's defaults, with the small backlog.
pub fn playground_node_config() -> Config {
    Config {
        repl_backlog_size_bytes: PLAYGROUND_BACKLOG_BYTES,
        repl_backlog_size_min_bytes: PLAYGROUND_BACKLOG_MIN_BYTES,
        ..SimConfig::default().node_config
    }
}

impl World {
    /// A fresh run from `seed`: [`START_NODES`] nodes, each with a console already connected,
    /// and the consoles of [`START_REPLICAS`] typing `REPLICAOF 10.0.0.1 6379`.
    pub fn new(seed: u64) -> World {
        let mut world = World::standalone(seed);
        for replica in START_REPLICAS {
            // Cannot fail: the consoles exist and are connected.
            let _ = world.run_line(NodeId(replica), "REPLICAOF 10.0.0.1 6379");
        }
        world
    }

    /// A fresh run from `seed` with [`START_NODES`] masters and their consoles, nothing typed.
    pub fn standalone(seed: u64) -> World {
        let mut sim = Sim::new(SimConfig {
            seed: seed.min(SEED_MAX),
            node_count: START_NODES,
            node_config: playground_node_config(),
            trace_events_max: TRACE_EVENTS_MAX,
            ..SimConfig::default()
        });
        let nodes: Vec<NodeId> = sim.nodes().map(|(id, _)| id).collect();
        let mut terminals = Vec::new();
        for node in nodes {
            if let Ok(client) = sim.add_client(node) {
                terminals.push(Terminal::new(node, client, node_addr(node), 0));
            }
        }
        // The consoles' handshakes take no time on their same-host links: start connected.
        let now = sim.now();
        sim.run_until(now);
        let start_us = now.as_micros();
        let mut world = World {
            timeline: Timeline::new(sim, CHECKPOINT_EVERY_MS),
            terminals,
            markers: Rc::default(),
            running: false,
            paused_while_hidden: false,
            speed: 1.0,
            speed_centi: 0,
            carry_us: 0.0,
            last_frame_ms: None,
            start_us,
            logs: Rc::default(),
            logs_seen: None,
            lag: Rc::default(),
            decisions_marked: Vec::new(),
            load: None,
        };
        world.observe();
        world.read_logs();
        world
    }

    /// The simulation at the point shown.
    pub fn sim(&self) -> &Sim {
        self.timeline.sim()
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.sim().seed()
    }

    /// Whether time runs.
    pub fn running(&self) -> bool {
        self.running
    }

    fn now_us(&self) -> u64 {
        self.sim().now().as_micros()
    }

    fn client(&self, id: ClientId) -> Option<&SimClient> {
        self.sim()
            .clients()
            .find(|(client, _)| *client == id)
            .map(|(_, client)| client)
    }

    /// The console of `node` that exists now.
    fn terminal_index(&self, node: NodeId) -> Option<usize> {
        let (now, present) = (self.now_us(), !self.timeline.in_the_past());
        self.terminals
            .iter()
            .rposition(|terminal| terminal.node() == node && terminal.exists_at(now, present))
    }

    /// Every input starts here: acting while the page shows the past forks, so the consoles and
    /// markers first forget the future the timeline is about to discard.
    fn begin_input(&mut self) {
        if self.timeline.in_the_past() {
            self.fork();
        }
    }

    /// Gives an input to the simulation (after [`World::begin_input`]).
    fn apply(&mut self, input: SimInput) -> Result<(), String> {
        self.timeline
            .apply(input)
            .map_err(|error| error.to_string())
    }

    fn fork(&mut self) {
        let now = self.now_us();
        self.terminals
            .retain(|terminal| terminal.created_at_us < now || terminal.created_at_us == 0);
        let sim = self.timeline.sim();
        for terminal in &mut self.terminals {
            let client = sim
                .clients()
                .find(|(id, _)| *id == terminal.client())
                .map(|(_, client)| client);
            let received = client.map_or(0, |client| client.replies_received);
            terminal.fork(now, received, client.is_some_and(SimClient::is_connected));
        }
        Rc::make_mut(&mut self.markers).retain(|marker| marker.at_us < now);
        Rc::make_mut(&mut self.lag).retain(|sample| sample.at_us <= now);
        // The decisions the simulation holds now all happened before the fork point.
        self.decisions_marked = decisions_seen(self.timeline.sim());
        self.logs_seen = None;
    }

    /// After a change at the present: runs what takes no time, then lets the consoles see the
    /// replies and disconnections.
    fn settle(&mut self) {
        self.timeline.settle();
        self.observe();
        self.read_logs();
    }

    /// The consoles look at their clients (at the present only: the past is already known).
    fn observe(&mut self) {
        if self.timeline.in_the_past() {
            return;
        }
        let now = self.now_us();
        let sim = self.timeline.sim();
        for terminal in &mut self.terminals {
            if terminal.removed_at_us.is_some() {
                continue;
            }
            let id = terminal.client();
            if let Some((_, client)) = sim.clients().find(|(candidate, _)| *candidate == id) {
                terminal.observe(client, now, &|| was_reset(sim.trace(), id));
            }
        }
        self.mark_decisions();
        self.sample_lag();
    }

    /// Marks on the timeline the PSYNC answers given since the last look (full and partial
    /// resyncs).
    fn mark_decisions(&mut self) {
        let mut new_markers = Vec::new();
        for (id, sim_node) in self.timeline.sim().nodes() {
            let Some(node) = &sim_node.node else {
                continue;
            };
            let decisions = &node.state().repl.decisions;
            let (last_ms, seen_at_last) = self
                .decisions_marked
                .iter()
                .find(|(node, ..)| *node == id)
                .map_or((0, 0), |&(_, at, count)| (at, count));
            let mut at_last = 0;
            for decision in decisions {
                let new = decision.at_ms > last_ms
                    || (decision.at_ms == last_ms && {
                        at_last += 1;
                        at_last > seen_at_last
                    });
                if !new {
                    continue;
                }
                let full = matches!(
                    decision.outcome,
                    crate::engine::replication::PsyncOutcome::FullResync { .. }
                );
                let replica = inspect::node_of_addr(&decision.replica)
                    .map_or(decision.replica.clone(), node_code);
                new_markers.push(Marker {
                    at_us: decision.at_ms * 1000,
                    label: format!(
                        "{replica} ← n{}: {}",
                        id.0,
                        if full { "+FULLRESYNC" } else { "+CONTINUE" }
                    ),
                    kind: if full {
                        MarkerKind::FullSync
                    } else {
                        MarkerKind::PartialSync
                    },
                });
            }
        }
        self.decisions_marked = decisions_seen(self.timeline.sim());
        for marker in new_markers {
            self.push_marker(marker);
        }
    }

    /// Records the replicas' lag, at most every [`LAG_SAMPLE_EVERY_US`] of virtual time.
    fn sample_lag(&mut self) {
        let now = self.now_us();
        if self
            .lag
            .last()
            .is_some_and(|last| now < last.at_us + LAG_SAMPLE_EVERY_US)
        {
            return;
        }
        let lags = inspect::lags(self.timeline.sim());
        if lags.is_empty() && self.lag.is_empty() {
            return;
        }
        let lag = Rc::make_mut(&mut self.lag);
        lag.push(LagSample { at_us: now, lags });
        let excess = lag.len().saturating_sub(LAG_SAMPLES_MAX);
        lag.drain(..excess);
    }

    /// Reads the nodes' log lines the trace gained since the last look (all of it again after
    /// a scrub or a fork), formatted as redis-server writes them.
    fn read_logs(&mut self) {
        let sim = self.timeline.sim();
        let trace = sim.trace();
        let recorded = trace.recorded();
        let since = match self.logs_seen {
            Some(seen) if seen <= recorded => seen,
            _ => {
                self.logs = Rc::default();
                0
            }
        };
        if since == recorded && self.logs_seen.is_some() {
            return;
        }
        let fresh = trace
            .events()
            .rev()
            .take_while(|event| event.sequence >= since)
            .count();
        let skip = trace.events().len() - fresh;
        for event in trace.events().skip(skip) {
            let TraceKind::Log { node, line } = &event.kind else {
                continue;
            };
            // The process that wrote the line: its pid and role now (a line read after a scrub
            // takes those of the node as it is at the point shown).
            let (pid, role) = sim.node(*node).map_or((0, 'M'), |engine| {
                let state = engine.state();
                let role = if state.repl.is_replica() { 'S' } else { 'M' };
                (state.process_id() as u32, role)
            });
            let text: Rc<str> =
                format_log_line(pid, role, Instant::from_millis(event.at_ms), line).into();
            let logs = Rc::make_mut(&mut self.logs);
            let index = match logs.iter().position(|log| log.node >= *node) {
                Some(index) if logs[index].node == *node => index,
                place => {
                    let index = place.unwrap_or(logs.len());
                    let log = NodeLog {
                        node: *node,
                        lines: Rc::default(),
                    };
                    logs.insert(index, log);
                    index
                }
            };
            let lines = Rc::make_mut(&mut logs[index].lines);
            lines.push(text);
            let excess = lines.len().saturating_sub(LOG_LINES_MAX);
            lines.drain(..excess);
        }
        self.logs_seen = Some(recorded);
    }

    fn mark(&mut self, label: String, kind: MarkerKind) {
        let marker = Marker {
            at_us: self.now_us(),
            label,
            kind,
        };
        self.push_marker(marker);
    }

    /// Adds a marker in time order (a PSYNC answer seen late may be older than the last one).
    fn push_marker(&mut self, marker: Marker) {
        let at = self
            .markers
            .iter()
            .rposition(|other| other.at_us <= marker.at_us)
            .map_or(0, |index| index + 1);
        let markers = Rc::make_mut(&mut self.markers);
        markers.insert(at, marker);
        let excess = markers.len().saturating_sub(MARKERS_MAX);
        markers.drain(..excess);
    }

    /// A line typed at `node`'s console.
    pub fn run_line(&mut self, node: NodeId, line: &str) -> Result<(), String> {
        self.begin_input();
        let index = self
            .terminal_index(node)
            .ok_or_else(|| format!("ERR no console for node {}", node.0))?;
        let now = self.now_us();
        let client_id = self.terminals[index].client();
        let client = self
            .timeline
            .sim()
            .clients()
            .find(|(id, _)| *id == client_id)
            .map(|(_, client)| client);
        let commands = self.terminals[index].submit(line, now, client);
        for args in commands {
            self.apply(SimInput::Command {
                client: client_id,
                args,
            })?;
        }
        self.settle();
        Ok(())
    }

    /// Types `line` at `node`'s console and runs virtual time until it is answered (at most
    /// [`WAIT_MS_MAX`]); returns what the console printed.
    pub fn run_and_wait(&mut self, node: NodeId, line: &str) -> Result<String, String> {
        self.run_line(node, line)?;
        let index = self
            .terminal_index(node)
            .ok_or_else(|| format!("ERR no console for node {}", node.0))?;
        let deadline = self.sim().now().add_millis(WAIT_MS_MAX);
        loop {
            if let Some(output) = self.terminals[index].last_output() {
                return Ok(output);
            }
            let next = self.sim().next_event_at().filter(|&at| at <= deadline);
            let Some(next) = next else {
                self.timeline.advance_to(deadline);
                self.settle();
                return self.terminals[index].last_output().ok_or_else(|| {
                    format!("no reply within {WAIT_MS_MAX} ms of virtual time (is a link cut?)")
                });
            };
            self.timeline
                .advance_to(next.max(just_after(self.sim().now())));
            self.settle();
        }
    }

    /// Applies a fault now and marks it on the timeline.
    pub fn fault(&mut self, fault: Fault) -> Result<(), String> {
        match &fault {
            Fault::Crash(node) | Fault::Restart(node) | Fault::RestartWithoutDisk(node)
                if !self.sim().nodes().any(|(id, _)| id == *node) =>
            {
                return Err(format!("ERR no such node {}", node.0));
            }
            _ => {}
        }
        let label = fault_label(&fault);
        self.begin_input();
        self.apply(SimInput::Fault(fault))?;
        self.mark(label, MarkerKind::Fault);
        self.settle();
        Ok(())
    }

    /// Sets both directions between `a` and `b`.
    pub fn set_link(&mut self, a: Host, b: Host, config: LinkConfig) -> Result<(), String> {
        self.begin_input();
        for path in [
            Path {
                source: a,
                target: b,
            },
            Path {
                source: b,
                target: a,
            },
        ] {
            self.apply(SimInput::SetLink { path, config })?;
        }
        self.mark(
            format!(
                "link {} ↔ {}: {} ms",
                host_code(a),
                host_code(b),
                config.latency_ms
            ),
            MarkerKind::Change,
        );
        self.settle();
        Ok(())
    }

    /// Adds a node and a console for it.
    pub fn add_node(&mut self) -> Result<NodeId, String> {
        if self.sim().nodes().count() >= NODES_MAX {
            return Err(format!("ERR at most {NODES_MAX} nodes"));
        }
        self.begin_input();
        let before: Vec<NodeId> = self.sim().nodes().map(|(id, _)| id).collect();
        self.apply(SimInput::AddNode)?;
        let node = self
            .sim()
            .nodes()
            .map(|(id, _)| id)
            .find(|id| !before.contains(id))
            .ok_or("ERR the node did not appear")?;
        self.apply(SimInput::AddClient { node })?;
        let client = self
            .sim()
            .clients()
            .map(|(id, _)| id)
            .last()
            .ok_or("ERR the console did not appear")?;
        let now = self.now_us();
        self.terminals
            .push(Terminal::new(node, client, node_addr(node), now));
        self.mark(format!("add n{}", node.0), MarkerKind::Change);
        self.settle();
        Ok(node)
    }

    /// Removes a node (its console goes with it).
    pub fn remove_node(&mut self, node: NodeId) -> Result<(), String> {
        self.begin_input();
        let index = self.terminal_index(node);
        self.apply(SimInput::RemoveNode(node))?;
        let now = self.now_us();
        if let Some(index) = index {
            self.terminals[index].removed_at_us = Some(now);
        }
        self.mark(format!("remove n{}", node.0), MarkerKind::Change);
        self.settle();
        Ok(())
    }

    /// Plays or pauses.
    pub fn set_running(&mut self, running: bool) {
        self.running = running;
        self.paused_while_hidden = false;
        self.last_frame_ms = None;
    }

    /// Sets the speed to 10^(`centi` / 100), clamped to 0.01× ..= 1000×.
    pub fn set_speed_centi(&mut self, centi: i32) {
        self.speed_centi = centi.clamp(SPEED_CENTI_MIN, SPEED_CENTI_MAX);
        self.speed = pow10_centi(self.speed_centi);
    }

    /// The tab was hidden or shown: pause while hidden, play again after if it was playing.
    pub fn set_hidden(&mut self, hidden: bool) {
        if hidden && self.running {
            self.running = false;
            self.paused_while_hidden = true;
        } else if !hidden && self.paused_while_hidden {
            self.running = true;
            self.paused_while_hidden = false;
        }
        self.last_frame_ms = None;
    }

    /// One animation frame at real time `real_ms`: runs the virtual time it stands for.
    /// Returns whether anything changed.
    pub fn frame(&mut self, real_ms: f64) -> bool {
        let elapsed = self
            .last_frame_ms
            .map_or(0.0, |last| (real_ms - last).clamp(0.0, FRAME_REAL_MS_MAX));
        self.last_frame_ms = Some(real_ms);
        if !self.running {
            return false;
        }
        self.carry_us += elapsed * 1000.0 * self.speed;
        let whole_us = self.carry_us.floor();
        if whole_us < 1.0 {
            return false;
        }
        self.carry_us -= whole_us;
        self.advance_us(whole_us as u64);
        true
    }

    fn advance_us(&mut self, micros: u64) {
        let target_us = self.sim().now().as_micros().saturating_add(micros);
        // A load writes at its own times (at the present only: the past replays what it did).
        if !self.timeline.in_the_past() {
            while let Some(load) = self
                .load
                .as_mut()
                .filter(|load| load.next_at_us <= target_us)
            {
                let (at_us, client, sent) = (load.next_at_us, load.client, load.sent);
                load.sent += 1;
                load.next_at_us += 1_000_000 / load.writes_per_s.max(1);
                self.timeline
                    .advance_to(Instant::from_micros(at_us.max(self.now_us())));
                let args = vec![
                    b"SET".to_vec(),
                    format!("key:{}", sent % 1000).into_bytes(),
                    sent.to_string().into_bytes(),
                ];
                if self.apply(SimInput::Command { client, args }).is_err() {
                    self.load = None;
                }
            }
        }
        self.timeline.advance_to(Instant::from_micros(target_us));
        self.settle();
    }

    /// Starts a steady write load of `writes_per_s` SETs per virtual second on `node` (through
    /// a client of its own), replacing any other; 0 stops it.
    pub fn set_load(&mut self, node: NodeId, writes_per_s: u64) -> Result<(), String> {
        if writes_per_s > LOAD_WRITES_PER_S_MAX {
            return Err(format!(
                "ERR a load writes at most {LOAD_WRITES_PER_S_MAX} times per second"
            ));
        }
        if writes_per_s == 0 {
            self.load = None;
            return Ok(());
        }
        self.begin_input();
        let client = match &self.load {
            Some(load) if load.node == node => load.client,
            _ => {
                self.apply(SimInput::AddClient { node })?;
                self.sim()
                    .clients()
                    .map(|(id, _)| id)
                    .last()
                    .ok_or("ERR the load's client did not appear")?
            }
        };
        let next_at_us = self.now_us() + 1_000_000 / writes_per_s;
        self.load = Some(Load {
            node,
            client,
            writes_per_s,
            next_at_us,
            sent: 0,
        });
        self.mark(
            format!("load n{}: {writes_per_s} writes/s", node.0),
            MarkerKind::Change,
        );
        self.settle();
        Ok(())
    }

    /// The write load, if one runs.
    pub fn load(&self) -> Option<&Load> {
        self.load.as_ref()
    }

    /// Runs `millis` of virtual time.
    pub fn advance_ms(&mut self, millis: u64) {
        self.advance_us(millis.saturating_mul(1000));
    }

    /// Runs to the next event (a delivery, a timer, a planned fault), pausing first.
    pub fn step(&mut self) {
        self.set_running(false);
        let now = self.sim().now();
        let next = self.sim().next_event_at().unwrap_or(now.add_millis(1));
        self.timeline.advance_to(next.max(just_after(now)));
        self.settle();
    }

    /// Shows virtual time `at_us` (clamped to what can be reached).
    pub fn scrub_to(&mut self, at_us: u64) {
        self.timeline.scrub_to(Instant::from_micros(at_us));
        self.logs_seen = None;
        self.settle();
    }

    /// The clock as shown.
    pub fn clock(&self) -> ClockView {
        let (earliest, latest) = self.timeline.horizon();
        ClockView {
            running: self.running,
            speed: self.speed,
            speed_centi: self.speed_centi,
            now_us: self.sim().now().as_micros(),
            earliest_us: earliest.as_micros(),
            latest_us: latest.as_micros(),
            in_the_past: self.timeline.in_the_past(),
            start_us: self.start_us,
        }
    }

    /// The simulation's view at the point shown.
    pub fn sim_view(&self) -> SimView {
        SimView::of(self.sim())
    }

    /// The markers of faults, changes and resyncs, oldest first.
    pub fn markers(&self) -> Rc<Vec<Marker>> {
        self.markers.clone()
    }

    /// Every node's replication state at the point shown.
    pub fn repl_view(&self) -> ReplView {
        ReplView::of(self.sim())
    }

    /// The nodes' logs, in node order.
    pub fn logs(&self) -> Rc<Vec<NodeLog>> {
        self.logs.clone()
    }

    /// The replicas' lag over time, oldest first (samples after the point shown included).
    pub fn lag(&self) -> Rc<Vec<LagSample>> {
        self.lag.clone()
    }

    /// The consoles that exist at the point shown, in node order.
    pub fn terminal_views(&self) -> Vec<TerminalView> {
        let (now, present) = (self.now_us(), !self.timeline.in_the_past());
        let mut views: Vec<TerminalView> = self
            .terminals
            .iter()
            .filter(|terminal| terminal.exists_at(now, present))
            .map(|terminal| terminal.view(now, present, self.client(terminal.client())))
            .collect();
        sort_small_by_key(&mut views, |view| view.node);
        views
    }
}
