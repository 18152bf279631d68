//! A master's answers to PSYNC in plain words, newest first: which offset the replica asked
//! for, what the backlog held, whether the replication id matched, and so `+CONTINUE` with how
//! many bytes, or `+FULLRESYNC` and why (the engine's own [`PsyncDecision::explain`] text).
//!
//! [`PsyncDecision::explain`]: crate::engine::replication::PsyncDecision::explain

use yew::prelude::*;

use crate::markup;
use crate::sim::inspect::DecisionView;
use crate::sim::NodeId;
use crate::ui::numbers::{dashed, seconds_words};
use crate::ui::template::key;

/// Who asked: `n2 (10.0.0.2:6379)`, or the address alone for a replica outside the page.
pub fn replica_words(decision: &DecisionView) -> String {
    match decision.replica_node {
        Some(node) => format!("n{} ({})", node.0, decision.replica),
        None => decision.replica.clone(),
    }
}

/// Master `node`'s latest PSYNC `decisions` (oldest first), newest first, with times from
/// `start_us`, the virtual start of the run.
///
/// A function, not a component: the panels render it at each refresh; a component would only
/// add Yew's per-component code to the page.
pub fn psync_decisions(node: NodeId, decisions: &[DecisionView], start_us: u64) -> Html {
    let id = node.0;
    if decisions.is_empty() {
        return markup!(
            r#"<p class="decisions muted" data-testid={}>No replica has asked this node for PSYNC yet.</p>"#,
            dashed("decisions", &id)
        );
    }
    let mut items = Vec::new();
    for decision in decisions.iter().rev() {
        let when = seconds_words((decision.at_ms * 1000).saturating_sub(start_us));
        items.push(markup!(
            r#"<li class={} key={}>
                <span class="decision-who">{}</span>
                <span class="decision-text" data-testid="decision-text">{}</span>
            </li>"#,
            if decision.full {
                "decision full"
            } else {
                "decision partial"
            },
            key(format!("{}-{}", decision.at_ms, decision.replica)),
            format!("t = {when}, {}: ", replica_words(decision)),
            decision.text.clone(),
        ));
    }
    markup!(
        r#"<ol class="decisions" data-testid={} reversed="reversed" aria-label={}>{}</ol>"#,
        dashed("decisions", &id),
        format!("Node {id}'s PSYNC decisions, newest first"),
        items,
    )
}
