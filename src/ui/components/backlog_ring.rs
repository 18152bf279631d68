//! One node's replication backlog drawn as the ring it is: `repl-backlog-size` bytes round the
//! circle, the valid window (`repl_backlog_first_byte_offset` … `master_repl_offset`) filled,
//! the write head, how many times it wrapped, and a marker per replica at the offset it
//! acknowledged. The ring is cut into [`SEGMENTS`] stretches: hovering or focusing one (arrow
//! keys move between them) shows the RESP bytes stored there and the commands they belong to.
//! A paragraph says the same in words.

use std::f64::consts::{PI, TAU};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::engine::resp::push_hex;
use crate::markup;
use crate::sim::inspect::{BacklogDetail, BacklogView};
use crate::sim::NodeId;
use crate::ui::numbers::{cos, dashed, grouped, sin, tenths};
use crate::ui::state::{sends, Action};
use crate::ui::svg::{line_between, text_at};
use crate::ui::template::{on_focus, on_keydown, on_mouseenter};

/// Stretches the ring is cut into for inspection.
pub const SEGMENTS: u64 = 32;
/// The ring's radius and thickness, in whole units so that they print as integers in the SVG
/// (printing an `f64` would bring the standard library's float formatting into the page).
const RADIUS: u32 = 78;
const THICKNESS: u32 = 22;
/// The ring's outer and inner edges.
const OUTER: u32 = RADIUS + THICKNESS / 2;
const INNER: u32 = RADIUS - THICKNESS / 2;

/// What [`backlog_ring`] draws.
pub struct BacklogRing {
    /// Whose backlog.
    pub node: NodeId,
    /// The ring's numbers.
    pub backlog: BacklogView,
    /// Each replica's name and the offset it acknowledged.
    pub replicas: Vec<(String, u64)>,
    /// Said under the ring when the size is below Redis's minimum (why, and what Redis allows).
    pub note: Option<String>,
    /// The stretch being inspected.
    pub selected: Option<u64>,
    /// What that stretch holds.
    pub detail: Option<Rc<BacklogDetail>>,
    /// Inspect a stretch of this ring, or stop ([`Action::InspectSegment`]).
    pub on_action: Callback<Action>,
}

/// The ring positions of stretch `index` of a ring of `size` bytes: `from..to`.
pub fn segment_range(size: u64, index: u64) -> (u64, u64) {
    (index * size / SEGMENTS, (index + 1) * size / SEGMENTS)
}

/// The angle of ring position `position` (clockwise from the top).
fn angle(position: f64, size: u64) -> f64 {
    -PI / 2.0 + TAU * position / size.max(1) as f64
}

fn point(radius: f64, angle: f64) -> (f64, f64) {
    (radius * cos(angle), radius * sin(angle))
}

/// An arc of the ring's centre line from `start` to `end` (radians, clockwise).
fn arc(start: f64, end: f64) -> String {
    let (x0, y0) = point(f64::from(RADIUS), start);
    let (x1, y1) = point(f64::from(RADIUS), end);
    let large = if end - start > PI { 1 } else { 0 };
    format!(
        "M{} {}A{RADIUS} {RADIUS} 0 {large} 1 {} {}",
        tenths(x0),
        tenths(y0),
        tenths(x1),
        tenths(y1)
    )
}

/// A ring sector (a stretch's hit area) from `start` to `end`.
fn sector(start: f64, end: f64) -> String {
    let (outer, inner) = (f64::from(OUTER), f64::from(INNER));
    let (a, b) = (point(outer, start), point(outer, end));
    let (c, d) = (point(inner, end), point(inner, start));
    format!(
        "M{} {}A{OUTER} {OUTER} 0 0 1 {} {}L{} {}A{INNER} {INNER} 0 0 0 {} {}Z",
        tenths(a.0),
        tenths(a.1),
        tenths(b.0),
        tenths(b.1),
        tenths(c.0),
        tenths(c.1),
        tenths(d.0),
        tenths(d.1)
    )
}

/// Stream bytes as text: printable ASCII as is, CR and LF as `\r` `\n`, others as `\xHH`.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    for &byte in bytes {
        match byte {
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push_str("\\n"),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(byte)),
            other => {
                out.push_str("\\x");
                push_hex(other, &mut out);
            }
        }
    }
    out
}

/// The ring in words.
pub fn ring_words(backlog: &BacklogView, replicas: &[(String, u64)]) -> String {
    let mut words = if backlog.histlen == 0 {
        format!(
            "The {} B ring is empty: the next byte will be offset {}.",
            grouped(backlog.size),
            grouped(backlog.end + 1)
        )
    } else {
        format!(
            "The {} B ring holds offsets {} … {} ({} B); the write head is at byte {} of the \
             ring, which it went round {} time{}.",
            grouped(backlog.size),
            grouped(backlog.first),
            grouped(backlog.end),
            grouped(backlog.histlen),
            grouped(backlog.head),
            grouped(backlog.wraps),
            if backlog.wraps == 1 { "" } else { "s" }
        )
    };
    for (name, ack) in replicas {
        let place = if backlog.position_after(*ack).is_some() {
            "inside the window: a reconnect can continue"
        } else {
            "before the window (overwritten): a reconnect needs a full resync"
        };
        words.push_str(&format!(" {name} acknowledged {}, {place}.", grouped(*ack)));
    }
    words
}

/// What a stretch of node `id`'s ring holds: the stream bytes, and the commands they belong to.
fn ring_detail(id: u8, detail: &BacklogDetail) -> Html {
    let (from, to) = detail.positions;
    let mut runs = Vec::new();
    for (first, bytes) in &detail.runs {
        let last = first + bytes.len() as u64 - 1;
        runs.push(markup!(
            r#"<p>{}<code class="ring-bytes">{}</code></p>"#,
            format!("Offsets {} … {}: ", grouped(*first), grouped(last)),
            escape_bytes(bytes),
        ));
    }
    if runs.is_empty() {
        runs.push(markup!("<p>Nothing valid is stored there yet.</p>"));
    }
    let mut commands = Vec::new();
    for command in &detail.commands {
        let last = command.first_offset + command.bytes - 1;
        commands.push(markup!(
            "<li><code>{}</code>{}</li>",
            command.text.clone(),
            format!(
                " — offsets {} … {}, {} B",
                grouped(command.first_offset),
                grouped(last),
                command.bytes
            ),
        ));
    }
    let orphans = (detail.orphan_bytes > 0).then(|| {
        markup!(
            r#"<p class="muted">{}</p>"#,
            format!(
                "{} B belong to a command whose start was overwritten.",
                detail.orphan_bytes
            ),
        )
    });
    let commands =
        (!commands.is_empty()).then(|| markup!(r#"<ul class="ring-commands">{}</ul>"#, commands));
    markup!(
        r#"<div class="ring-detail" data-testid={} aria-live="polite">
            <p class="ring-detail-title">{}</p>{}{}{}
        </div>"#,
        dashed("backlog-detail", &id),
        format!("Ring bytes {from} … {}", to.saturating_sub(1)),
        runs,
        orphans,
        commands,
    )
}

/// The backlog ring.
///
/// A function, not a component: the panels render it at each refresh, when a running master's
/// ring has moved anyway; a component would only add Yew's per-component code to the page.
pub fn backlog_ring(ring: &BacklogRing) -> Html {
    let backlog = ring.backlog;
    let size = backlog.size.max(1);
    let id = ring.node.0;
    let window = if backlog.histlen == 0 {
        Html::default()
    } else if backlog.histlen >= size {
        markup!(r#"<circle class="ring-window" r={} />"#, RADIUS.to_string())
    } else {
        let start = angle((backlog.head + size - backlog.histlen) as f64, size);
        let end = start + TAU * backlog.histlen as f64 / size as f64;
        markup!(r#"<path class="ring-window" d={} />"#, arc(start, end))
    };
    let head_angle = angle(backlog.head as f64, size);
    let (hx0, hy0) = point(f64::from(INNER) - 4.0, head_angle);
    let (hx1, hy1) = point(f64::from(OUTER) + 6.0, head_angle);
    let (lx, ly) = point(f64::from(OUTER) + 15.0, head_angle);
    // Replicas at the same point share one marker, their names joined.
    let mut places: Vec<(u64, String)> = Vec::new();
    for (name, ack) in &ring.replicas {
        let Some(position) = backlog.position_after(*ack) else {
            continue;
        };
        match places.iter_mut().find(|(at, _)| *at == position) {
            Some((_, names)) => {
                names.push(',');
                names.push_str(name);
            }
            None => places.push((position, name.clone())),
        }
    }
    let mut markers = Vec::new();
    for (position, name) in places {
        let a = angle(position as f64, size);
        let (x, y) = point(f64::from(INNER) - 9.0, a);
        let (tx, ty) = point(f64::from(INNER) - 22.0, a);
        markers.push(markup!(
            r#"<g class="ring-replica"><circle cx={} cy={} r="5" />{}</g>"#,
            tenths(x),
            tenths(y),
            text_at("", (tx, ty + 4.0), true, name),
        ));
    }
    let mut segments = Vec::new();
    for index in 0..SEGMENTS {
        let (from, to) = segment_range(size, index);
        let selected = ring.selected == Some(index);
        // Roving focus: one stretch is in the tab order (the inspected one, else the first).
        let tabbable = ring.selected.map_or(index == 0, |chosen| chosen == index);
        let inspect = Action::InspectSegment(Some((ring.node, index)));
        let on_enter = sends(&ring.on_action, inspect.clone());
        let on_focused = sends(&ring.on_action, inspect);
        segments.push(markup!(
            r#"<path class={} d={} id={} role="button" tabindex={} aria-label={} data-testid={}
                onmouseenter={} onfocus={} />"#,
            if selected {
                "ring-segment selected"
            } else {
                "ring-segment"
            },
            sector(angle(from as f64, size), angle(to as f64, size)),
            format!("ring-{id}-seg-{index}"),
            if tabbable { "0" } else { "-1" },
            format!("Ring bytes {from} to {}", to.saturating_sub(1)),
            format!("backlog-{id}-segment-{index}"),
            on_mouseenter(on_enter),
            on_focus(on_focused),
        ));
    }
    let on_arrow_keys = {
        let on_action = ring.on_action.clone();
        let (node, current) = (ring.node, ring.selected);
        Callback::from(move |event: KeyboardEvent| {
            let from = current.unwrap_or(0);
            let next = match event.key().as_str() {
                "ArrowRight" | "ArrowDown" => (from + 1) % SEGMENTS,
                "ArrowLeft" | "ArrowUp" => (from + SEGMENTS - 1) % SEGMENTS,
                "Home" => 0,
                "End" => SEGMENTS - 1,
                "Escape" => {
                    on_action.emit(Action::InspectSegment(None));
                    return;
                }
                _ => return,
            };
            event.prevent_default();
            on_action.emit(Action::InspectSegment(Some((node, next))));
            let element = web_sys::window()
                .and_then(|window| window.document())
                .and_then(|document| document.get_element_by_id(&format!("ring-{id}-seg-{next}")));
            if let Some(element) = element {
                let _ = element.unchecked_ref::<web_sys::HtmlElement>().focus();
            }
        })
    };
    let detail = ring.detail.as_deref().map(|detail| ring_detail(id, detail));
    let center = if backlog.histlen == 0 {
        "empty".to_string()
    } else {
        format!("{} B held", grouped(backlog.histlen))
    };
    let note = ring.note.as_ref().map(|note| {
        markup!(
            r#"<p class="ring-note" data-testid={}>{}</p>"#,
            dashed("backlog-note", &id),
            note.clone(),
        )
    });
    markup!(
        r#"<figure class="backlog" data-testid={}>
            <svg class="ring" viewBox="-120 -120 240 240" role="group" aria-label={} onkeydown={}>
                <circle class="ring-track" r={} />{}
                <g class="ring-segments">{}</g>{}{}{}
                <text class="ring-center" y="-8" text-anchor="middle">{}</text>
                <text class="ring-center small" y="10" text-anchor="middle">{}</text>
                <text class="ring-center small" y="26" text-anchor="middle" data-testid={}>{}</text>
            </svg>
            <figcaption>
                <p class="ring-words" data-testid={}>{}</p>{}{}
            </figcaption>
        </figure>"#,
        dashed("backlog", &id),
        format!("Node {id}'s backlog ring: use the arrow keys to inspect its bytes"),
        on_keydown(on_arrow_keys),
        RADIUS.to_string(),
        window,
        segments,
        line_between("ring-head", (hx0, hy0), (hx1, hy1)),
        text_at("ring-head-label", (lx, ly + 4.0), true, "head".to_string()),
        markers,
        center,
        format!("of {} B", grouped(backlog.size)),
        dashed("backlog-wraps", &id),
        format!("wrapped {}×", grouped(backlog.wraps)),
        dashed("backlog-text", &id),
        ring_words(&backlog, &ring.replicas),
        note,
        detail,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn segments_cover_the_ring_exactly() {
        let ranges: Vec<(u64, u64)> = (0..SEGMENTS).map(|i| segment_range(1000, i)).collect();
        assert_eq!(ranges[0].0, 0);
        assert_eq!(ranges[SEGMENTS as usize - 1].1, 1000);
        assert!(ranges.windows(2).all(|pair| pair[0].1 == pair[1].0));
    }

    #[test]
    fn bytes_are_escaped_as_the_stream_reads() {
        assert_eq!(
            escape_bytes(b"*1\r\n$4\r\nPING\r\n"),
            "*1\\r\\n$4\\r\\nPING\\r\\n"
        );
        assert_eq!(escape_bytes(&[0xc3, b'\\']), "\\xc3\\\\");
    }
}
