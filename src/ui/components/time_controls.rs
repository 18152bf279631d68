//! Play/pause, single step, the speed (logarithmic, 0.01× to 1000×), the virtual clock, and the
//! seed with "restart with this seed".

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::markup;
use crate::ui::numbers::seconds_words;
use crate::ui::state::{sends, sends_from, Action};
use crate::ui::template::{on_click, on_submit};
use crate::ui::world::{ClockView, SEED_MAX, SPEED_CENTI_MAX, SPEED_CENTI_MIN};

/// The seed field: what was typed in it, with the seed shown then (a restart shows the new
/// seed instead), and what was wrong with it when it was last submitted.
#[derive(Debug, Default)]
pub struct SeedField {
    typed: Option<(u64, String)>,
    problem: Option<String>,
}

impl SeedField {
    /// The field's text while `seed` is the run's.
    fn text(&self, seed: u64) -> String {
        match &self.typed {
            Some((typed_at, text)) if *typed_at == seed => text.clone(),
            _ => seed.to_string(),
        }
    }
}

/// A speed as `×0.25`, `×1.5`, `×40`.
pub fn speed_words(speed: f64) -> String {
    let hundredths_of = (speed * 100.0 + 0.5).floor() as u64;
    if speed >= 10.0 {
        format!("×{}", (hundredths_of + 50) / 100)
    } else if speed >= 1.0 {
        let tenths = (hundredths_of + 5) / 10;
        format!("×{}.{}", tenths / 10, tenths % 10)
    } else {
        format!("×0.{:02}", hundredths_of)
    }
}

/// The time controls at `clock` for the run of `seed`: play or pause, step, a new speed and a
/// restart from a seed go to `on_action`. `seed_field` is the seed field's state, kept by the
/// page in a cell (typing needs no render: the field shows what was typed), and `rerender`
/// shows a problem found at a restart.
///
/// A function, not a component: the clock changes at every frame, so a component would render
/// as often and only add Yew's per-component code to the page.
pub fn time_controls(
    clock: &ClockView,
    seed: u64,
    seed_field: &Rc<RefCell<SeedField>>,
    rerender: &UseForceUpdateHandle,
    on_action: &Callback<Action>,
) -> Html {
    let on_speed_input = sends_from(on_action, |event: InputEvent| {
        let centi = event
            .target_dyn_into::<HtmlInputElement>()?
            .value()
            .parse()
            .ok()?;
        Some(Action::SetSpeed(centi))
    });
    let on_seed_input = {
        let seed_field = seed_field.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                seed_field.borrow_mut().typed = Some((seed, input.value()));
            }
        })
    };
    let restart = {
        let (seed_field, rerender) = (seed_field.clone(), rerender.clone());
        let on_action = on_action.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let new_seed = seed_field
                .borrow()
                .text(seed)
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|new_seed| *new_seed <= SEED_MAX);
            seed_field.borrow_mut().problem = new_seed
                .is_none()
                .then(|| format!("A seed is a whole number from 0 to {SEED_MAX}."));
            rerender.force_update();
            if let Some(seed) = new_seed {
                on_action.emit(Action::Restart { seed });
            }
        })
    };
    let elapsed = clock.now_us.saturating_sub(clock.start_us);
    // The play button's icon: two bars while running (pause), else a triangle (play).
    let (icon, play_words) = if clock.running {
        let bars = markup!(
            r#"<rect x="1.5" y="1" width="2.5" height="8" /><rect x="6" y="1" width="2.5" height="8" />"#
        );
        (bars, "Pause")
    } else {
        (markup!(r#"<polygon points="2,1 9,5 2,9" />"#), "Play")
    };
    // The <input>s: html! builds them (templates don't).
    let speed_slider = html! {
        <input type="range" min={SPEED_CENTI_MIN.to_string()} max={SPEED_CENTI_MAX.to_string()}
            step="1" value={clock.speed_centi.to_string()} oninput={on_speed_input}
            aria-valuetext={speed_words(clock.speed)} data-testid="speed" />
    };
    let seed_input = html! {
        <input type="text" inputmode="numeric" value={seed_field.borrow().text(seed)}
            oninput={on_seed_input} data-testid="seed" size="10" />
    };
    let problem = seed_field
        .borrow()
        .problem
        .clone()
        .map(|problem| markup!(r#"<span class="problem" role="alert">{}</span>"#, problem));
    markup!(
        r#"<div class="time-controls" role="group" aria-label="Time">
            <button type="button" class="play" data-testid="play-pause" aria-keyshortcuts="Space"
                onclick={}>
                <svg class="icon" viewBox="0 0 10 10" aria-hidden="true">{}</svg>{}
            </button>
            <button type="button" data-testid="step"
                title="Run to the next event (a delivery, a timer, a planned fault)"
                onclick={}>Step</button>
            <label class="speed">
                <span>Speed</span>{}
                <output data-testid="speed-value">{}</output>
            </label>
            <span class="clock" data-testid="clock" aria-live="off">{}</span>
            <form class="seed" onsubmit={}>
                <label>
                    <span>Seed</span>{}
                </label>
                <button type="submit" data-testid="restart">Restart with this seed</button>{}
            </form>
        </div>"#,
        on_click(sends(on_action, Action::TogglePause)),
        icon,
        play_words,
        on_click(sends(on_action, Action::Step)),
        speed_slider,
        speed_words(clock.speed),
        format!("t = {}", seconds_words(elapsed)),
        on_submit(restart),
        seed_input,
        problem,
    )
}
