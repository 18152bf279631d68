//! How far each replica is behind its master over virtual time (the master's
//! `master_repl_offset` minus the replica's, in bytes), as a line per replica, with the figures
//! in words beside it.

use yew::prelude::*;

use crate::markup;

use crate::sim::NodeId;
use crate::ui::numbers::{grouped, seconds_words, tenths};
use crate::ui::world::LagSample;

/// The chart's drawing area, in whole units so that the SVG attributes print as integers
/// (printing an `f64` would bring the standard library's float formatting into the page).
const WIDTH: u32 = 400;
const HEIGHT: u32 = 110;
/// Virtual time shown at most.
const WINDOW_US: u64 = 60_000_000;

/// The classes of the replicas' lines and of their keys in the words, in four colours that the
/// replicas take in turn: whole static strings, as formatting them per render would bring a
/// `String` conversion of Yew's classes into the page.
const LINE_CLASSES: [&str; 4] = [
    "lag-line lag-0",
    "lag-line lag-1",
    "lag-line lag-2",
    "lag-line lag-3",
];
const KEY_CLASSES: [&str; 4] = [
    "lag-key lag-0",
    "lag-key lag-1",
    "lag-key lag-2",
    "lag-key lag-3",
];

/// The `index`th replica's line through `points`.
fn lag_line(index: usize, points: String) -> Html {
    markup!(
        r#"<polyline class={} points={} />"#,
        LINE_CLASSES[index % 4],
        points
    )
}

/// The lag chart of `samples` (oldest first; later ones than `now_us` are ignored) at virtual
/// `now_us`. A function, not a component: the panels pass a new `now_us` at each refresh, so a
/// component would render as often and only add Yew's per-component code to the page.
pub fn lag_chart(samples: &[LagSample], now_us: u64) -> Html {
    let now = now_us;
    let from = now.saturating_sub(WINDOW_US);
    let shown: Vec<&LagSample> = samples
        .iter()
        .filter(|sample| sample.at_us >= from && sample.at_us <= now)
        .collect();
    let mut replicas: Vec<NodeId> = Vec::new();
    for sample in &shown {
        for (node, _) in &sample.lags {
            if !replicas.contains(node) {
                replicas.push(*node);
            }
        }
    }
    crate::ui::numbers::sort_small_by_key(&mut replicas, |node| *node);
    let max = shown
        .iter()
        .flat_map(|sample| sample.lags.iter().map(|(_, lag)| *lag))
        .max()
        .unwrap_or(0)
        .max(64);
    let start = shown.first().map_or(from, |sample| sample.at_us);
    let span = now.saturating_sub(start).max(1) as f64;
    let (width, height) = (f64::from(WIDTH), f64::from(HEIGHT));
    let x = |at: u64| (at.saturating_sub(start)) as f64 / span * width;
    let y = |lag: u64| height - lag as f64 / max as f64 * (height - 4.0);
    let mut lines = Vec::new();
    for (index, node) in replicas.iter().enumerate() {
        // One polyline per stretch of samples where the node was a replica.
        let mut points = String::new();
        for sample in &shown {
            match sample.lags.iter().find(|(n, _)| n == node) {
                Some((_, lag)) => {
                    points.push_str(&format!("{},{} ", tenths(x(sample.at_us)), tenths(y(*lag))));
                }
                None if !points.is_empty() => {
                    lines.push(lag_line(index, std::mem::take(&mut points)));
                }
                None => {}
            }
        }
        if !points.is_empty() {
            lines.push(lag_line(index, points));
        }
    }
    let mut words = Vec::new();
    for (index, node) in replicas.iter().enumerate() {
        let latest = shown
            .last()
            .and_then(|sample| sample.lags.iter().find(|(n, _)| n == node))
            .map(|(_, lag)| *lag);
        let peak = shown
            .iter()
            .filter_map(|sample| sample.lags.iter().find(|(n, _)| n == node))
            .map(|(_, lag)| *lag)
            .max()
            .unwrap_or(0);
        let now_words = latest.map_or("not a replica now".to_string(), |lag| {
            format!("{} B behind now", grouped(lag))
        });
        words.push(markup!(
            r#"<li><span class={} aria-hidden="true"></span>{}</li>"#,
            KEY_CLASSES[index % 4],
            format!(
                "n{}: {now_words}, at most {} B in this window",
                node.0,
                grouped(peak)
            ),
        ));
    }
    let words = if replicas.is_empty() {
        markup!(r#"<p class="muted">No replicas yet.</p>"#)
    } else {
        markup!(
            r#"<ul class="lag-words" data-testid="lag-words">{}</ul>"#,
            words
        )
    };
    markup!(
        r#"<figure class="lag-chart" data-testid="lag-chart">
            <figcaption class="pane-title">{}</figcaption>
            <svg viewBox={} aria-hidden="true" preserveAspectRatio="none">
                <line class="lag-axis" x1="0" y1={} x2={} y2={} />{}
            </svg>
            <p class="lag-scale muted">{}</p>{}
        </figure>"#,
        format!(
            "Replica lag (bytes behind the master), last {}",
            seconds_words(now.saturating_sub(start))
        ),
        format!("-2 -2 {} {}", WIDTH + 4, HEIGHT + 4),
        HEIGHT.to_string(),
        WIDTH.to_string(),
        HEIGHT.to_string(),
        lines,
        format!("Scale: 0 to {} B behind", grouped(max)),
        words,
    )
}
