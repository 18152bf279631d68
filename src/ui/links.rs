//! Links as the page shows them: the two directions between two hosts taken together, with the
//! words the topology, the text list and the link menu use for them.

use crate::sim::network::{Host, LinkConfig, LinkState};
use crate::sim::view::{LinkView, SimView};

use super::numbers::sort_small_by_key;
use super::terminal::TerminalView;
use super::world::host_code;

/// Both directions between two hosts; `a` < `b` (nodes before clients).
#[derive(Clone, Debug, PartialEq)]
pub struct LinkPair {
    /// One end.
    pub a: Host,
    /// The other end.
    pub b: Host,
    /// From `a` to `b`, if that direction exists.
    pub forward: Option<LinkView>,
    /// From `b` to `a`, if that direction exists.
    pub backward: Option<LinkView>,
}

impl LinkPair {
    /// `n1-c1`: used in test ids.
    pub fn code(&self) -> String {
        format!("{}-{}", host_code(self.a), host_code(self.b))
    }

    /// The settings (of the forward direction, or the backward one).
    pub fn config(&self) -> Option<LinkConfig> {
        self.forward
            .as_ref()
            .or(self.backward.as_ref())
            .map(|link| link.config)
    }

    /// Bytes in flight both ways.
    pub fn in_flight_bytes(&self) -> u64 {
        [&self.forward, &self.backward]
            .iter()
            .filter_map(|link| link.as_ref())
            .map(|link| link.in_flight_bytes)
            .sum()
    }

    /// The state in words: `up`, `partitioned`, `held`, or per direction when they differ.
    pub fn state_words(&self) -> String {
        let state = |link: &Option<LinkView>| link.as_ref().map_or(LinkState::Up, |l| l.state);
        let (forward, backward) = (state(&self.forward), state(&self.backward));
        if forward == backward {
            state_word(forward).to_string()
        } else {
            format!(
                "{} → {} {}, {} → {} {}",
                host_code(self.a),
                host_code(self.b),
                state_word(forward),
                host_code(self.b),
                host_code(self.a),
                state_word(backward)
            )
        }
    }
}

/// A direction's state in one word.
pub fn state_word(state: LinkState) -> &'static str {
    match state {
        LinkState::Up => "up",
        LinkState::Partitioned => "partitioned",
        LinkState::Held => "held",
    }
}

/// The named presets, in the order the link menu offers them.
pub const PRESETS: [(&str, LinkConfig); 4] = [
    ("same host", LinkConfig::SAME_HOST),
    ("LAN", LinkConfig::LAN),
    ("cross-datacenter", LinkConfig::CROSS_DATACENTER),
    ("flaky", LinkConfig::FLAKY),
];

/// A link's settings in words: a preset's name, or the numbers.
pub fn config_words(config: &LinkConfig) -> String {
    if let Some((name, _)) = PRESETS.iter().find(|(_, preset)| preset == config) {
        return (*name).to_string();
    }
    let bandwidth = config
        .bandwidth_bytes_per_s
        .map_or("unlimited".to_string(), |rate| {
            format!("{}/s", human_bytes(rate))
        });
    format!(
        "{} ms ±{} ms, {bandwidth}",
        config.latency_ms, config.jitter_ms
    )
}

/// Bytes as `512 B`, `1.5 KB`, `2.0 MB` (powers of 1024, as Redis's `used_memory_human`).
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    // Integer tenths (float formatting would cost the page 11 KB).
    let mut unit = 0;
    let mut divisor: u64 = 1024;
    while bytes >= divisor * 1024 && unit + 1 < UNITS.len() {
        divisor *= 1024;
        unit += 1;
    }
    // round(bytes × 10 / divisor) without overflowing u64 (nor needing u128 arithmetic).
    let tenths = bytes / divisor * 10 + (bytes % divisor * 10 + divisor / 2) / divisor;
    format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
}

/// A host in words: `node 1`, or `console of node 1` for a console's client.
pub fn host_words(host: Host, terminals: &[TerminalView]) -> String {
    match host {
        Host::Node(node) => format!("node {}", node.0),
        Host::Client(client) => match terminals.iter().find(|view| view.client == client) {
            Some(view) => format!("c{} (console of n{})", client.0, view.node.0),
            None => format!("client {}", client.0),
        },
    }
}

/// The links between hosts the page shows (existing nodes and the consoles' clients), each
/// console's link first and in node order, then links between nodes.
pub fn link_pairs(view: &SimView, terminals: &[TerminalView]) -> Vec<LinkPair> {
    let shown = |host: Host| match host {
        Host::Node(node) => view.nodes.iter().any(|n| n.id == node),
        Host::Client(client) => terminals.iter().any(|t| t.client == client),
    };
    let mut pairs: Vec<LinkPair> = Vec::new();
    for link in &view.links {
        let (source, target) = (link.path.source, link.path.target);
        if !shown(source) || !shown(target) || source == target {
            continue;
        }
        let (a, b) = if source < target {
            (source, target)
        } else {
            (target, source)
        };
        let index = match pairs.iter().position(|pair| pair.a == a && pair.b == b) {
            Some(index) => index,
            None => {
                pairs.push(LinkPair {
                    a,
                    b,
                    forward: None,
                    backward: None,
                });
                pairs.len() - 1
            }
        };
        if source == a {
            pairs[index].forward = Some(link.clone());
        } else {
            pairs[index].backward = Some(link.clone());
        }
    }
    // Console links (node–client) first, by node; then node–node links.
    sort_small_by_key(&mut pairs, |pair| {
        (matches!(pair.b, Host::Node(_)), pair.a, pair.b)
    });
    pairs
}

#[cfg(test)]
mod tests {
    use super::human_bytes;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn bytes_read_as_redis_writes_used_memory_human() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KB");
        assert_eq!(human_bytes(1024 * 1024 - 1), "1024.0 KB");
        assert_eq!(human_bytes(2 * 1024 * 1024), "2.0 MB");
        assert_eq!(human_bytes(u64::MAX), "16777216.0 TB");
    }
}
