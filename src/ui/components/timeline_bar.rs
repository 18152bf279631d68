//! The timeline: scrub back to any earlier point of the run (and forward again), with the
//! faults and changes marked on it. Acting while in the past discards what came after.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ui::numbers::{hundredths, seconds_words};
use crate::ui::state::{sends, sends_from, Action};
use crate::ui::world::{ClockView, Marker, MarkerKind};

/// The legend under the timeline: each kind of marker's class and name.
const LEGEND: [(&str, &str); 4] = [
    ("marker-key fault", "fault "),
    ("marker-key change", "change "),
    ("marker-key full-sync", "full resync "),
    ("marker-key partial-sync", "partial resync"),
];

/// The timeline at `clock`, with `markers` (oldest first); scrubbing sends `on_action`
/// ([`Action::ScrubTo`]).
///
/// A function, not a component: the clock changes at every frame, so a component would render
/// as often and only add Yew's per-component code to the page.
pub fn timeline_bar(clock: ClockView, markers: &[Marker], on_action: &Callback<Action>) -> Html {
    let span_us = clock.latest_us.saturating_sub(clock.earliest_us);
    // The slider counts milliseconds from the earliest reachable point; its end is the present.
    let span_ms = span_us.div_ceil(1000);
    let value_ms = clock.now_us.saturating_sub(clock.earliest_us) / 1000;
    let oninput = sends_from(on_action, move |event: InputEvent| {
        let ms = event
            .target_dyn_into::<HtmlInputElement>()?
            .value()
            .parse::<u64>()
            .ok()?;
        let at_us = if ms >= span_ms {
            clock.latest_us
        } else {
            clock.earliest_us + ms * 1000
        };
        Some(Action::ScrubTo { at_us })
    });
    let to_present = sends(
        on_action,
        Action::ScrubTo {
            at_us: clock.latest_us,
        },
    );
    let mut buttons = Vec::new();
    for marker in markers {
        let at_us = marker.at_us;
        if at_us < clock.earliest_us {
            continue;
        }
        let left = if span_us == 0 {
            0.0
        } else {
            (at_us - clock.earliest_us) as f64 / span_us as f64 * 100.0
        };
        let onclick = sends(on_action, Action::ScrubTo { at_us });
        let when = seconds_words(at_us.saturating_sub(clock.start_us));
        let (class, test) = match marker.kind {
            MarkerKind::Fault => ("marker fault", "timeline-marker"),
            MarkerKind::Change => ("marker change", "timeline-marker"),
            MarkerKind::FullSync => ("marker full-sync", "timeline-sync"),
            MarkerKind::PartialSync => ("marker partial-sync", "timeline-sync"),
        };
        buttons.push(html! {
            <button type="button" class={class} style={format!("left: {}%", hundredths(left))}
                title={format!("{} at t = {when}", marker.label)}
                aria-label={format!("Go to {} at t = {when}", marker.label)}
                data-testid={test} {onclick}></button>
        });
    }
    let mut legend = Vec::new();
    for (class, words) in LEGEND {
        legend.push(html! { <><span {class}></span>{ words }</> });
    }
    let now_words = seconds_words(clock.now_us.saturating_sub(clock.start_us));
    let behind = clock.latest_us.saturating_sub(clock.now_us);
    html! {
        <div class="timeline" role="group" aria-label="Timeline">
            <div class="timeline-track">
                <input type="range" min="0" max={span_ms.to_string()} step="1"
                    value={value_ms.to_string()} disabled={span_ms == 0} {oninput}
                    aria-label="Time: drag or use the arrow keys to go back and forward"
                    aria-valuetext={format!("t = {now_words}")} data-testid="timeline" />
                <div class="timeline-markers">{ buttons }</div>
            </div>
            <p class="timeline-legend" aria-hidden="true">
                { legend }
            </p>
            <p class="timeline-status" data-testid="timeline-status">
                if clock.in_the_past {
                    <span class="past">
                        { format!("Showing the past: {} before the latest point. Acting here discards what came after. ",
                                  seconds_words(behind)) }
                    </span>
                    <button type="button" onclick={to_present} data-testid="to-present">{ "Back to the latest point" }</button>
                } else {
                    { "Live: the latest point of the run." }
                }
            </p>
        </div>
    }
}
