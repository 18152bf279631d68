//! `window.playground`: a small JavaScript handle on the running page, for the browser console,
//! documentation pages and end-to-end tests. The only module that knows `JsValue` and `JsError`.
//!
//! The page hands [`install`] an implementation of [`PlaygroundApi`] (the UI's world); this
//! module turns JavaScript arguments into simulator types, calls it, and turns the answers back
//! into JavaScript values (plain objects shaped like the simulator's JSON, strings, numbers) or
//! thrown `Error`s.
//!
//! ```js
//! playground.run(1, "SET k v")          // "OK\n": what node 1's console printed
//! playground.info(1)                    // { id: 1, status: "Up", keys: 1, ... }
//! playground.repl(2)                    // { role: "replica", offset, info, role_text, backlog, ... }
//! playground.view()                     // the whole SimView: nodes, links, segments in flight
//! playground.fault("partition", "c1", "n1")
//! playground.fault("crash", 2)
//! playground.step()                     // runs to the next event; returns virtual now (ms)
//! playground.advanceMs(500)             // runs 500 ms of virtual time; returns virtual now
//! playground.load(1, 2000)              // 2000 SETs per virtual second on node 1 (0 stops)
//! ```

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::sim::inspect::NodeRepl;
use crate::sim::network::{Host, NodeId};
use crate::sim::view::{NodeView, SimView};
use crate::sim::{ClientId, Fault};

/// The most virtual time one `advanceMs` call runs (ten minutes: a few seconds of work; a
/// longer call would freeze the tab).
const ADVANCE_MS_MAX: f64 = 600_000.0;

/// What the page offers to JavaScript. Errors are messages for a thrown `Error`.
pub trait PlaygroundApi {
    /// Types `line` at `node`'s console and runs virtual time until it is answered; returns
    /// what the console printed.
    fn run(&self, node: NodeId, line: &str) -> Result<String, String>;
    /// One node's state.
    fn node(&self, node: NodeId) -> Option<NodeView>;
    /// One node's replication state.
    fn repl(&self, node: NodeId) -> Option<NodeRepl>;
    /// The whole simulation's view.
    fn view(&self) -> SimView;
    /// Applies a fault now.
    fn fault(&self, fault: Fault) -> Result<(), String>;
    /// Runs to the next event; returns virtual now in milliseconds.
    fn step(&self) -> u64;
    /// Runs `millis` of virtual time; returns virtual now in milliseconds.
    fn advance_ms(&self, millis: u64) -> u64;
    /// Starts (or with 0 stops) a steady load of `writes_per_s` SETs per virtual second on
    /// `node`.
    fn load(&self, node: NodeId, writes_per_s: u64) -> Result<(), String>;
}

/// The handle's functions, one per method of [`PlaygroundApi`], by their JavaScript names.
const METHODS: [(&str, Method); 8] = [
    ("run", Method::Run),
    ("info", Method::Info),
    ("repl", Method::Repl),
    ("view", Method::View),
    ("fault", Method::Fault),
    ("step", Method::Step),
    ("advanceMs", Method::AdvanceMs),
    ("load", Method::Load),
];

/// A function of the handle.
#[derive(Clone, Copy)]
enum Method {
    Run,
    Info,
    Repl,
    View,
    Fault,
    Step,
    AdvanceMs,
    Load,
}

/// The signature every function of the handle has in Rust: up to three arguments (JavaScript
/// passes `undefined` for those not given). One signature for all keeps the glue code that
/// wasm-bindgen writes per signature to one copy.
type HandleFunction = dyn Fn(JsValue, JsValue, JsValue) -> Result<JsValue, JsError>;

/// Puts the handle on `window.playground`, replacing any earlier one.
pub fn install(api: Rc<dyn PlaygroundApi>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let handle = js_sys::Object::new();
    for (name, method) in METHODS {
        let api = api.clone();
        let function = Closure::<HandleFunction>::new(move |a: JsValue, b: JsValue, c: JsValue| {
            call(&*api, method, &a, &b, &c)
        });
        // Each function owns its closure: when a later install replaces the handle,
        // JavaScript's garbage collector frees them.
        let _ = js_sys::Reflect::set(&handle, &JsValue::from_str(name), &function.into_js_value());
    }
    let _ = js_sys::Reflect::set(&window, &JsValue::from_str("playground"), &handle);
}

/// Calls `method` with the JavaScript arguments `a`, `b` and `c`.
fn call(
    api: &dyn PlaygroundApi,
    method: Method,
    a: &JsValue,
    b: &JsValue,
    c: &JsValue,
) -> Result<JsValue, JsError> {
    let error = |message: String| JsError::new(&message);
    let no_node = |node: NodeId| JsError::new(&format!("no node {}", node.0));
    let millis = |now_ms: u64| JsValue::from_f64(now_ms as f64);
    Ok(match method {
        Method::Run => {
            let node = node_arg(a)?;
            let line = b
                .as_string()
                .ok_or_else(|| JsError::new("run(node, line): line must be a string"))?;
            JsValue::from_str(&api.run(node, &line).map_err(error)?)
        }
        Method::Info => {
            let node = node_arg(a)?;
            js::node(&api.node(node).ok_or_else(|| no_node(node))?)
        }
        Method::Repl => {
            let node = node_arg(a)?;
            js::repl(&api.repl(node).ok_or_else(|| no_node(node))?)
        }
        Method::View => js::view(&api.view()),
        Method::Fault => {
            api.fault(fault_arg(a, b, c)?).map_err(error)?;
            JsValue::UNDEFINED
        }
        Method::Step => millis(api.step()),
        Method::AdvanceMs => {
            let ms = a
                .as_f64()
                .filter(|ms| ms.is_finite() && *ms >= 0.0 && *ms <= ADVANCE_MS_MAX)
                .ok_or_else(|| {
                    JsError::new(
                        "advanceMs(ms): ms must be a number from 0 to 600000 (ten minutes)",
                    )
                })?;
            millis(api.advance_ms(ms as u64))
        }
        Method::Load => {
            let node = node_arg(a)?;
            let rate = b
                .as_f64()
                .filter(|rate| rate.is_finite() && *rate >= 0.0)
                .ok_or_else(|| {
                    JsError::new("load(node, writesPerSecond): a number from 0 (stop) up")
                })?;
            api.load(node, rate as u64).map_err(error)?;
            JsValue::UNDEFINED
        }
    })
}

/// Plain JavaScript objects built field by field, in the shape `serde_json` gives the same
/// values (the trace's JSON export): keys in declaration order, enums as their variant name or
/// `{ "Variant": value }`, `Option`s as `null`. Building them directly keeps `serde_json` and the
/// serializers of every view type out of the page (about 5 KB of its download).
mod js {
    use wasm_bindgen::JsValue;

    use crate::engine::log::LogLevel;
    use crate::sim::inspect::{NodeRepl, StreamRowKind};
    use crate::sim::network::{Endpoint, Host, LinkConfig, LinkState, Path};
    use crate::sim::trace::{TraceEvent, TraceKind};
    use crate::sim::view::{LinkView, NodeView, SegmentView, SimView};
    use crate::sim::NodeStatus;

    /// An object under construction.
    struct Object(js_sys::Object);

    impl Object {
        fn new() -> Object {
            Object(js_sys::Object::new())
        }

        fn set(self, key: &str, value: JsValue) -> Object {
            let _ = js_sys::Reflect::set(&self.0, &JsValue::from_str(key), &value);
            self
        }

        fn number(self, key: &str, value: u64) -> Object {
            self.set(key, number(value))
        }

        fn text(self, key: &str, value: &str) -> Object {
            self.set(key, JsValue::from_str(value))
        }

        fn done(self) -> JsValue {
            self.0.into()
        }
    }

    /// Times and counts are far below 2^53, where JavaScript numbers are exact.
    fn number(value: u64) -> JsValue {
        JsValue::from_f64(value as f64)
    }

    fn optional(value: Option<u64>) -> JsValue {
        value.map_or(JsValue::NULL, number)
    }

    fn array<T>(items: &[T], convert: impl Fn(&T) -> JsValue) -> JsValue {
        items.iter().map(convert).collect::<js_sys::Array>().into()
    }

    /// `{ "Variant": value }`, serde's form of an enum variant holding a value.
    fn variant(name: &str, value: JsValue) -> JsValue {
        Object::new().set(name, value).done()
    }

    fn host(host: &Host) -> JsValue {
        match host {
            Host::Node(node) => variant("Node", number(node.0.into())),
            Host::Client(client) => variant("Client", number(client.0.into())),
        }
    }

    fn path(path: &Path) -> JsValue {
        Object::new()
            .set("source", host(&path.source))
            .set("target", host(&path.target))
            .done()
    }

    fn endpoint(end: &Endpoint) -> JsValue {
        match end {
            Endpoint::Node { node, conn } => variant(
                "Node",
                Object::new()
                    .number("node", node.0.into())
                    .number("conn", conn.0.into())
                    .done(),
            ),
            Endpoint::Client { client } => variant(
                "Client",
                Object::new().number("client", client.0.into()).done(),
            ),
        }
    }

    /// One node, as `info(node)` returns it.
    pub fn node(view: &NodeView) -> JsValue {
        let status = match view.status {
            NodeStatus::Up => "Up",
            NodeStatus::Crashed => "Crashed",
        };
        Object::new()
            .number("id", view.id.0.into())
            .text("status", status)
            .number("keys", view.keys as u64)
            .number("used_bytes", view.used_bytes as u64)
            .number("connected_clients", view.connected_clients as u64)
            .number("commands_processed", view.commands_processed)
            .done()
    }

    fn optional_node(node: Option<crate::sim::NodeId>) -> JsValue {
        optional(node.map(|node| node.0.into()))
    }

    /// One node's replication state, as `repl(node)` returns it.
    pub fn repl(repl: &NodeRepl) -> JsValue {
        let role = match (repl.up, repl.is_replica()) {
            (false, _) => "crashed",
            (true, true) => "replica",
            (true, false) => "master",
        };
        let master = repl.master.as_ref().map_or(JsValue::NULL, |link| {
            let transfer = link.transfer.map_or(JsValue::NULL, |transfer| {
                Object::new()
                    .number("received", transfer.received)
                    .set("total", optional(transfer.total))
                    .set("diskless", JsValue::from_bool(transfer.diskless))
                    .done()
            });
            Object::new()
                .text("host", &link.host)
                .number("port", link.port.into())
                .set("node", optional_node(link.node))
                .text("state", link.state)
                .set("transfer", transfer)
                .done()
        });
        let backlog = repl.backlog.map_or(JsValue::NULL, |backlog| {
            Object::new()
                .number("size", backlog.size)
                .number("first_byte_offset", backlog.first)
                .number("end_offset", backlog.end)
                .number("histlen", backlog.histlen)
                .number("head", backlog.head)
                .number("wraps", backlog.wraps)
                .done()
        });
        let replicas = array(&repl.replicas, |replica| {
            Object::new()
                .set("node", optional_node(replica.node))
                .text("addr", &replica.addr)
                .text("state", replica.state)
                .number("ack_offset", replica.ack_offset)
                .done()
        });
        let decisions = array(&repl.decisions, |decision| {
            Object::new()
                .number("at_ms", decision.at_ms)
                .text("replica", &decision.replica)
                .set("node", optional_node(decision.replica_node))
                .text(
                    "outcome",
                    if decision.full {
                        "+FULLRESYNC"
                    } else {
                        "+CONTINUE"
                    },
                )
                .text("text", &decision.text)
                .done()
        });
        let stream = array(&repl.stream, |row| {
            let (kind, text) = match &row.kind {
                StreamRowKind::FullSync { .. } => ("full_sync", ""),
                StreamRowKind::Continue => ("continue", ""),
                StreamRowKind::Command(text) => ("command", text.as_str()),
            };
            Object::new()
                .text("kind", kind)
                .text("command", text)
                .number("bytes", row.bytes)
                .number("offset", row.offset)
                .done()
        });
        Object::new()
            .number("id", repl.id.0.into())
            .text("role", role)
            .text("replid", &repl.replid)
            .text("replid2", &repl.replid2)
            .number("offset", repl.offset)
            .set("master", master)
            .set("backlog", backlog)
            .set("replicas", replicas)
            .set("decisions", decisions)
            .set("stream", stream)
            .text("info", &repl.info)
            .text("role_text", &repl.role_text)
            .done()
    }

    fn config(config: &LinkConfig) -> JsValue {
        Object::new()
            .number("latency_ms", config.latency_ms)
            .number("jitter_ms", config.jitter_ms)
            .set(
                "bandwidth_bytes_per_s",
                optional(config.bandwidth_bytes_per_s),
            )
            .set("loss_ratio", JsValue::from_f64(config.loss_ratio))
            .number("retransmit_delay_ms", config.retransmit_delay_ms)
            .done()
    }

    fn segment(segment: &SegmentView) -> JsValue {
        Object::new()
            .number("bytes", segment.bytes)
            .number("sent_at_ms", segment.sent_at_ms)
            .set("deliver_at_ms", optional(segment.deliver_at_ms))
            .done()
    }

    fn link(link: &LinkView) -> JsValue {
        let state = match link.state {
            LinkState::Up => "Up",
            LinkState::Partitioned => "Partitioned",
            LinkState::Held => "Held",
        };
        Object::new()
            .set("path", path(&link.path))
            .text("state", state)
            .set("config", config(&link.config))
            .number("in_flight_bytes", link.in_flight_bytes)
            .set("segments", array(&link.segments, segment))
            .done()
    }

    fn event(event: &TraceEvent) -> JsValue {
        let object = Object::new()
            .number("sequence", event.sequence)
            .number("at_ms", event.at_ms);
        match &event.kind {
            TraceKind::Opened {
                socket,
                initiator,
                acceptor,
            } => object
                .text("kind", "opened")
                .number("socket", socket.0.into())
                .set("initiator", endpoint(initiator))
                .set("acceptor", endpoint(acceptor)),
            TraceKind::ConnectFailed {
                from,
                to,
                address,
                reason,
            } => object
                .text("kind", "connect_failed")
                .set("from", host(from))
                .set("to", optional(to.map(|node| node.0.into())))
                .text("address", address)
                .text("reason", reason),
            TraceKind::Sent {
                socket,
                path: travelled,
                offset,
                bytes,
                summary,
            }
            | TraceKind::Delivered {
                socket,
                path: travelled,
                offset,
                bytes,
                summary,
            } => object
                .text(
                    "kind",
                    if matches!(event.kind, TraceKind::Sent { .. }) {
                        "sent"
                    } else {
                        "delivered"
                    },
                )
                .number("socket", socket.0.into())
                .set("path", path(travelled))
                .number("offset", *offset)
                .number("bytes", *bytes)
                .text("summary", summary),
            TraceKind::Closed { socket, reason } => object
                .text("kind", "closed")
                .number("socket", socket.0.into())
                .text("reason", reason),
            TraceKind::Propagated { node, commands } => object
                .text("kind", "propagated")
                .number("node", node.0.into())
                .set("commands", array(commands, |c| JsValue::from_str(c))),
            TraceKind::Fault { description } => object
                .text("kind", "fault")
                .text("description", description),
            TraceKind::NodeStatus { node, status } => object
                .text("kind", "node_status")
                .number("node", node.0.into())
                .text("status", status),
            TraceKind::Replication { node, role, link } => object
                .text("kind", "replication")
                .number("node", node.0.into())
                .text("role", role)
                .set(
                    "link",
                    link.as_deref().map_or(JsValue::NULL, JsValue::from_str),
                ),
            TraceKind::Log { node, line } => object
                .text("kind", "log")
                .number("node", node.0.into())
                .set(
                    "line",
                    Object::new()
                        .text("level", level_name(line.level))
                        .text("message", &line.message)
                        .done(),
                ),
        }
        .done()
    }

    /// The whole view, as `view()` returns it.
    /// A log level's name, as the simulator's JSON spells it.
    fn level_name(level: LogLevel) -> &'static str {
        match level {
            LogLevel::Debug => "Debug",
            LogLevel::Verbose => "Verbose",
            LogLevel::Notice => "Notice",
            LogLevel::Warning => "Warning",
        }
    }

    pub fn view(view: &SimView) -> JsValue {
        Object::new()
            .number("now_ms", view.now_ms)
            .number("seed", view.seed)
            .number("steps", view.steps)
            .set("nodes", array(&view.nodes, node))
            .set("links", array(&view.links, link))
            .set("recent_events", array(&view.recent_events, event))
            .done()
    }
}

/// `view` as the plain JavaScript object `view()` returns (the simulator's JSON shape).
pub fn view_to_js(view: &SimView) -> JsValue {
    js::view(view)
}

/// A node given as a number (`1`) or a name (`"n1"`).
fn node_arg(value: &JsValue) -> Result<NodeId, JsError> {
    match host_arg(value)? {
        Host::Node(node) => Ok(node),
        Host::Client(_) => Err(JsError::new("expected a node (1 or \"n1\"), not a client")),
    }
}

/// A host given as a node number (`1`) or a name (`"n1"`, `"c1"` for client 1).
fn host_arg(value: &JsValue) -> Result<Host, JsError> {
    if let Some(number) = value.as_f64() {
        if number.fract() == 0.0 && (1.0..=255.0).contains(&number) {
            return Ok(Host::Node(NodeId(number as u8)));
        }
    } else if let Some(name) = value.as_string() {
        if let Some(host) = parse_host_name(&name) {
            return Ok(host);
        }
    }
    Err(JsError::new(
        "expected a host: a node number (1), \"n1\" for node 1 or \"c1\" for client 1",
    ))
}

/// `n<id>` or `c<id>` (or a bare node number).
fn parse_host_name(name: &str) -> Option<Host> {
    let name = name.trim();
    if let Ok(number) = name.parse::<u8>() {
        return Some(Host::Node(NodeId(number)));
    }
    let rest = name.get(1..)?;
    match name.get(..1)? {
        "n" | "N" => rest.parse().ok().map(|id| Host::Node(NodeId(id))),
        "c" | "C" => rest.parse().ok().map(|id| Host::Client(ClientId(id))),
        _ => None,
    }
}

/// A fault from its name in the fault vocabulary and its hosts.
fn fault_arg(kind: &JsValue, a: &JsValue, b: &JsValue) -> Result<Fault, JsError> {
    let kind = kind.as_string().unwrap_or_default();
    let pair = || -> Result<(Host, Host), JsError> { Ok((host_arg(a)?, host_arg(b)?)) };
    Ok(match kind.as_str() {
        "sever" => pair().map(|(a, b)| Fault::Sever(a, b))?,
        "partition" => pair().map(|(a, b)| Fault::Partition(a, b))?,
        "partition_oneway" => pair().map(|(a, b)| Fault::PartitionOneway(a, b))?,
        "heal" => pair().map(|(a, b)| Fault::Heal(a, b))?,
        "hold" => pair().map(|(a, b)| Fault::Hold(a, b))?,
        "release" => pair().map(|(a, b)| Fault::Release(a, b))?,
        "crash" => Fault::Crash(node_arg(a)?),
        "restart" => Fault::Restart(node_arg(a)?),
        "restart_without_disk" => Fault::RestartWithoutDisk(node_arg(a)?),
        _ => {
            return Err(JsError::new(
                "fault(kind, a, b): kind is one of sever, partition, partition_oneway, heal, \
                 hold, release (two hosts) or crash, restart, restart_without_disk (a node)",
            ))
        }
    })
}
