//! The timeline: scrub back to any earlier point of the run (and forward again), with the
//! faults and changes marked on it. Acting while in the past discards what came after.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::markup;
use crate::ui::numbers::{hundredths, seconds_words};
use crate::ui::state::{sends, sends_from, Action};
use crate::ui::template::on_click;
use crate::ui::world::{ClockView, Marker, MarkerKind};

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
        buttons.push(markup!(
            r#"<button type="button" class={} style={} title={} aria-label={} data-testid={}
                onclick={}></button>"#,
            class,
            format!("left: {}%", hundredths(left)),
            format!("{} at t = {when}", marker.label),
            format!("Go to {} at t = {when}", marker.label),
            test,
            on_click(onclick),
        ));
    }
    let now_words = seconds_words(clock.now_us.saturating_sub(clock.start_us));
    // An <input>: html! builds it (templates don't).
    let slider = html! {
        <input type="range" min="0" max={span_ms.to_string()} step="1"
            value={value_ms.to_string()} disabled={span_ms == 0} {oninput}
            aria-label="Time: drag or use the arrow keys to go back and forward"
            aria-valuetext={format!("t = {now_words}")} data-testid="timeline" />
    };
    let status = if clock.in_the_past {
        let behind = clock.latest_us.saturating_sub(clock.now_us);
        markup!(
            r#"<span class="past">{}</span>
            <button type="button" data-testid="to-present" onclick={}>Back to the latest point</button>"#,
            format!(
                "Showing the past: {} before the latest point. Acting here discards what came after. ",
                seconds_words(behind)
            ),
            on_click(to_present),
        )
    } else {
        markup!("Live: the latest point of the run.")
    };
    // In the legend, each word but the last ends in a space: the next key's tag starts on the
    // same line so that the space stays (whitespace reaching a line break is layout, dropped).
    markup!(
        r#"<div class="timeline" role="group" aria-label="Timeline">
            <div class="timeline-track">{}
                <div class="timeline-markers">{}</div>
            </div>
            <p class="timeline-legend" aria-hidden="true">
                <span class="marker-key fault"></span>fault <span
                    class="marker-key change"></span>change <span
                    class="marker-key full-sync"></span>full resync <span
                    class="marker-key partial-sync"></span>partial resync
            </p>
            <p class="timeline-status" data-testid="timeline-status">{}</p>
        </div>"#,
        slider,
        buttons,
        status,
    )
}
