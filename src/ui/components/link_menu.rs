//! The menu of one link: the faults (sever, partition both ways or one way, hold, release, heal)
//! and its settings (a preset, or latency, jitter and bandwidth by hand).

use std::rc::Rc;

use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::ui::numbers::dashed;

use crate::sim::network::LinkConfig;
use crate::sim::Fault;
use crate::ui::links::{config_words, host_words, LinkPair, PRESETS};
use crate::ui::state::{sends, sends_from, Action};
use crate::ui::terminal::TerminalView;
use crate::ui::world::host_code;

/// Props of [`LinkMenu`].
#[derive(Properties, PartialEq)]
pub struct LinkMenuProps {
    /// The link.
    pub pair: LinkPair,
    /// The consoles (for naming clients).
    pub terminals: Rc<Vec<TerminalView>>,
    /// Apply a fault, set both directions' settings, close the menu.
    pub on_action: Callback<Action>,
}

/// The settings being edited, as typed.
#[derive(Debug)]
struct Draft {
    latency_ms: String,
    jitter_ms: String,
    bandwidth_bytes_per_s: String,
    /// Loss and its retransmission delay are kept from the preset or the current settings.
    base: LinkConfig,
    /// What was wrong with the settings when they were last applied.
    problem: Option<String>,
}

impl Draft {
    fn of(config: LinkConfig) -> Draft {
        Draft {
            latency_ms: config.latency_ms.to_string(),
            jitter_ms: config.jitter_ms.to_string(),
            bandwidth_bytes_per_s: config
                .bandwidth_bytes_per_s
                .map(|rate| rate.to_string())
                .unwrap_or_default(),
            base: config,
            problem: None,
        }
    }

    /// The settings, or what is wrong with them.
    fn config(&self) -> Result<LinkConfig, String> {
        let number = |text: &str, what: &str, max: u64| -> Result<u64, String> {
            text.trim()
                .parse::<u64>()
                .ok()
                .filter(|value| *value <= max)
                .ok_or_else(|| format!("{what} must be a whole number from 0 to {max}"))
        };
        let bandwidth = if self.bandwidth_bytes_per_s.trim().is_empty() {
            None
        } else {
            Some(number(
                &self.bandwidth_bytes_per_s,
                "Bandwidth",
                10_000_000_000,
            )?)
            .filter(|rate| *rate > 0)
        };
        Ok(LinkConfig {
            latency_ms: number(&self.latency_ms, "Latency", 600_000)?,
            jitter_ms: number(&self.jitter_ms, "Jitter", 600_000)?,
            bandwidth_bytes_per_s: bandwidth,
            ..self.base
        })
    }
}

/// The link menu, shown as a panel (a non-modal dialog).
#[component]
pub fn LinkMenu(props: &LinkMenuProps) -> Html {
    let pair = &props.pair;
    let current = pair.config().unwrap_or(LinkConfig::LAN);
    // A cell and a forced render, not a `use_state`: one more state type would instantiate
    // Yew's reducer code again.
    let draft = use_mut_ref(|| Draft::of(current));
    let rerender = use_force_update();
    let first_button = use_node_ref();

    // Focus the menu when it opens; give the focus back to where it was when it closes.
    {
        let first_button = first_button.clone();
        use_effect_with((), move |_| {
            let document = web_sys::window().and_then(|window| window.document());
            let before = document
                .as_ref()
                .and_then(|document| document.active_element())
                .and_then(|element| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(element).ok());
            if let Some(button) = first_button.cast::<HtmlElement>() {
                let _ = button.focus();
            }
            move || {
                if let Some(element) = before.filter(|element| element.is_connected()) {
                    let _ = element.focus();
                }
            }
        });
    }

    let (a, b) = (pair.a, pair.b);
    let (code_a, code_b) = (host_code(a), host_code(b));
    let faults = [
        (
            "Sever (reset connections)".to_string(),
            Fault::Sever(a, b),
            "sever",
        ),
        (
            "Partition both ways".to_string(),
            Fault::Partition(a, b),
            "partition",
        ),
        (
            format!("Partition {code_a} → {code_b} only"),
            Fault::PartitionOneway(a, b),
            "partition-forward",
        ),
        (
            format!("Partition {code_b} → {code_a} only"),
            Fault::PartitionOneway(b, a),
            "partition-backward",
        ),
        ("Hold (queue bytes)".to_string(), Fault::Hold(a, b), "hold"),
        ("Release".to_string(), Fault::Release(a, b), "release"),
        ("Heal".to_string(), Fault::Heal(a, b), "heal"),
    ];
    let mut fault_buttons = Vec::new();
    for (index, (label, fault, test)) in faults.into_iter().enumerate() {
        let onclick = sends(&props.on_action, Action::Fault(fault));
        // The first button takes the focus when the menu opens.
        let node_ref = if index == 0 {
            first_button.clone()
        } else {
            NodeRef::default()
        };
        fault_buttons.push(html! {
            <button type="button" {onclick} data-testid={dashed("link-menu", &test)}
                ref={node_ref}>{ label }</button>
        });
    }
    let on_close = sends(&props.on_action, Action::CloseLinkMenu);
    let onkeydown = sends_from(&props.on_action, |event: KeyboardEvent| {
        if event.key() != "Escape" {
            return None;
        }
        event.prevent_default();
        Some(Action::CloseLinkMenu)
    });
    let on_preset = {
        let (draft, rerender) = (draft.clone(), rerender.clone());
        Callback::from(move |event: Event| {
            let Some(select) = event.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            if let Some((_, preset)) = select
                .value()
                .parse::<usize>()
                .ok()
                .and_then(|index| PRESETS.get(index))
            {
                let mut draft = draft.borrow_mut();
                *draft = Draft {
                    problem: draft.problem.take(),
                    ..Draft::of(*preset)
                };
                rerender.force_update();
            }
        })
    };
    let field = |label: &str, value: String, test: &str, set: fn(&mut Draft, String)| {
        let (draft, rerender) = (draft.clone(), rerender.clone());
        let oninput = Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                set(&mut draft.borrow_mut(), input.value());
                rerender.force_update();
            }
        });
        html! {
            <label class="field">
                <span>{ label.to_string() }</span>
                <input type="text" inputmode="numeric" {value} {oninput}
                    data-testid={dashed("link-menu", &test)} />
            </label>
        }
    };
    let apply = {
        let (draft, rerender) = (draft.clone(), rerender.clone());
        let on_action = props.on_action.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let config = draft.borrow().config();
            draft.borrow_mut().problem = config.as_ref().err().cloned();
            rerender.force_update();
            if let Ok(config) = config {
                on_action.emit(Action::SetLink { a, b, config });
            }
        })
    };
    let shown = draft.borrow();
    let preset_index = PRESETS
        .iter()
        .position(|(_, preset)| shown.config().ok() == Some(*preset));
    let mut presets = Vec::new();
    for (index, (name, _)) in PRESETS.iter().enumerate() {
        presets.push(html! {
            <option value={index.to_string()} selected={preset_index == Some(index)}>{ *name }</option>
        });
    }
    html! {
        <div class="link-menu" role="dialog" aria-labelledby="link-menu-title"
             data-testid="link-menu" {onkeydown}>
            <h2 id="link-menu-title">
                { format!("Link {}  ↔  {}", host_words(a, &props.terminals), host_words(b, &props.terminals)) }
            </h2>
            <p class="link-menu-state" data-testid="link-menu-state">
                { format!("Now: {}; {}.", pair.state_words(), config_words(&current)) }
            </p>
            <div class="fault-buttons" role="group" aria-label="Faults">
                { fault_buttons }
            </div>
            <form class="link-settings" onsubmit={apply} aria-label="Link settings (both directions)">
                <label class="field">
                    <span>{ "Preset" }</span>
                    <select onchange={on_preset} data-testid="link-menu-preset">
                        <option value="" selected={preset_index.is_none()}>{ "custom" }</option>
                        { presets }
                    </select>
                </label>
                { field("Latency (ms)", shown.latency_ms.clone(), "latency", |d, v| d.latency_ms = v) }
                { field("Jitter (ms)", shown.jitter_ms.clone(), "jitter", |d, v| d.jitter_ms = v) }
                { field("Bandwidth (bytes/s, empty: unlimited)", shown.bandwidth_bytes_per_s.clone(), "bandwidth",
                        |d, v| d.bandwidth_bytes_per_s = v) }
                if let Some(problem) = &shown.problem {
                    <p class="problem" role="alert">{ problem.clone() }</p>
                }
                <button type="submit" data-testid="link-menu-apply">{ "Apply settings" }</button>
            </form>
            <button type="button" class="close" onclick={on_close} data-testid="link-menu-close">
                { "Close" }
            </button>
        </div>
    }
}
