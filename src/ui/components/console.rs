//! A redis-cli-like console for one node: the transcript, and a prompt with an input line that
//! knows redis-cli's keys: Up/Down walk the history, Ctrl-R searches it backwards, Tab completes
//! command names (and `@<group>` after `help `), and a grey hint shows the arguments still to
//! type.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::markup;
use crate::ui::numbers::dashed;

use crate::ui::redis_cli::{completions, hint};
use crate::ui::state::Action;
use crate::ui::template::{key, on_click};
use crate::ui::terminal::TerminalView;

/// Props of [`Console`].
#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// The console as it is now.
    pub view: TerminalView,
    /// Whether this console is the one shown on narrow screens (tabs).
    #[prop_or(true)]
    pub selected: bool,
    /// Runs the line when the user presses Enter ([`Action::RunLine`]).
    pub on_action: Callback<Action>,
}

/// The input line's modes besides plain editing.
#[derive(Clone, Debug, Default)]
enum Mode {
    /// Plain editing.
    #[default]
    Edit,
    /// Walking the history: the entry shown, and the line typed before walking.
    History { index: usize, draft: String },
    /// Ctrl-R: the search text, the history entry found, and the line before searching.
    Search {
        found: Option<usize>,
        before: String,
    },
    /// Tab: the completions, the one shown (`candidates.len()`: the line as typed, which
    /// linenoise shows once after the last completion before starting again), and that line.
    Complete {
        candidates: Vec<String>,
        index: usize,
        typed: String,
    },
}

/// The input line: its text and its mode.
#[derive(Debug, Default)]
struct Line {
    text: String,
    mode: Mode,
}

/// The newest history entry before `before` (exclusive) that contains `query`.
fn search_history(history: &[String], query: &str, before: usize) -> Option<usize> {
    let query = query.as_bytes();
    history.iter().take(before).rposition(|line| {
        query.is_empty()
            || line
                .as_bytes()
                .windows(query.len())
                .any(|window| window.eq_ignore_ascii_case(query))
    })
}

/// A console: type a command, press Enter, read the reply as redis-cli prints it.
#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let input_ref = use_node_ref();
    let output_ref = use_node_ref();
    // A cell and a forced render, not a `use_state`: one more state type would instantiate
    // Yew's reducer code again.
    let line = use_mut_ref(Line::default);
    let rerender = use_force_update();
    let view = &props.view;
    let node = view.node;

    // Keep the newest output in view, as a terminal does.
    {
        let output_ref = output_ref.clone();
        use_effect_with(view.entries.clone(), move |_| {
            if let Some(output) = output_ref.cast::<web_sys::Element>() {
                output.set_scroll_top(output.scroll_height());
            }
        });
    }

    let oninput = {
        let (line, rerender) = (line.clone(), rerender.clone());
        let history = view.history.clone();
        Callback::from(move |event: InputEvent| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let text = input.value();
            let mode = match &line.borrow().mode {
                Mode::Search { before, .. } => Mode::Search {
                    found: search_history(&history, &text, history.len()),
                    before: before.clone(),
                },
                _ => Mode::Edit,
            };
            *line.borrow_mut() = Line { text, mode };
            rerender.force_update();
        })
    };

    let onkeydown = {
        let (line, rerender) = (line.clone(), rerender.clone());
        let history = view.history.clone();
        let on_action = props.on_action.clone();
        let input_ref = input_ref.clone();
        Callback::from(move |event: KeyboardEvent| {
            let key = event.key();
            let ctrl = event.ctrl_key() && !event.alt_key() && !event.meta_key();
            let field = input_ref.cast::<HtmlInputElement>();
            // The field itself is the truth (a paste or a test may set it without typing).
            let current = field
                .as_ref()
                .map_or_else(|| line.borrow().text.clone(), |input| input.value());
            // (A copy: setting the line below needs the cell.)
            let mode = line.borrow().mode.clone();
            // Sets the mode, and the field's text if it changes.
            let set = |mode: Mode, text: Option<&str>| {
                let text = match text {
                    Some(text) => {
                        if let Some(input) = &field {
                            input.set_value(text);
                        }
                        text.to_string()
                    }
                    None => line.borrow().text.clone(),
                };
                *line.borrow_mut() = Line { text, mode };
                rerender.force_update();
            };
            match (&mode, key.as_str()) {
                // Ctrl-R: search backwards (again: the next older match).
                (Mode::Search { found, before }, "r") if ctrl => {
                    event.prevent_default();
                    let from = found.unwrap_or(history.len());
                    let older = search_history(&history, &current, from).or(*found);
                    let before = before.clone();
                    set(
                        Mode::Search {
                            found: older,
                            before,
                        },
                        None,
                    );
                }
                (_, "r") if ctrl => {
                    event.prevent_default();
                    set(
                        Mode::Search {
                            found: None,
                            before: current,
                        },
                        Some(""),
                    );
                }
                (Mode::Search { found, .. }, "Enter") => {
                    event.prevent_default();
                    let typed = found
                        .and_then(|index| history.get(index).cloned())
                        .unwrap_or(current);
                    set(Mode::Edit, Some(""));
                    on_action.emit(Action::RunLine { node, line: typed });
                }
                (Mode::Search { before, .. }, "Escape") | (Mode::Search { before, .. }, "g")
                    if key == "Escape" || ctrl =>
                {
                    event.prevent_default();
                    let before = before.clone();
                    set(Mode::Edit, Some(&before));
                }
                (Mode::Search { found, .. }, "ArrowLeft" | "ArrowRight" | "Tab") => {
                    // Take the match for editing, as bash does.
                    event.prevent_default();
                    let taken = found
                        .and_then(|index| history.get(index).cloned())
                        .unwrap_or(current);
                    set(Mode::Edit, Some(&taken));
                }
                (_, "Enter") => {
                    event.prevent_default();
                    set(Mode::Edit, Some(""));
                    on_action.emit(Action::RunLine {
                        node,
                        line: current,
                    });
                }
                (_, "ArrowUp") => {
                    event.prevent_default();
                    let (index, draft) = match &mode {
                        Mode::History { index, draft } => (*index, draft.clone()),
                        _ => (history.len(), current),
                    };
                    if index > 0 {
                        let earlier = history.get(index - 1).map(String::as_str);
                        set(
                            Mode::History {
                                index: index - 1,
                                draft,
                            },
                            earlier,
                        );
                    }
                }
                (Mode::History { index, draft }, "ArrowDown") => {
                    event.prevent_default();
                    let next = index + 1;
                    match history.get(next) {
                        Some(later) => {
                            let draft = draft.clone();
                            set(Mode::History { index: next, draft }, Some(later));
                        }
                        None => {
                            let draft = draft.clone();
                            set(Mode::Edit, Some(&draft));
                        }
                    }
                }
                (
                    Mode::Complete {
                        candidates,
                        index,
                        typed,
                    },
                    "Tab",
                ) if !event.shift_key() => {
                    event.prevent_default();
                    // linenoise's completeLine: one step past the last completion shows the
                    // typed line again.
                    let next = (index + 1) % (candidates.len() + 1);
                    let shown = candidates.get(next).unwrap_or(typed).clone();
                    let mode = Mode::Complete {
                        candidates: candidates.clone(),
                        index: next,
                        typed: typed.clone(),
                    };
                    set(mode, Some(&shown));
                }
                (_, "Tab") if !event.shift_key() && !current.trim().is_empty() => {
                    // Complete command names; with nothing to complete, Tab moves the focus on
                    // as everywhere else in the page.
                    let candidates = completions(&current);
                    let useful = !(candidates.len() == 1 && candidates[0] == current);
                    if let (true, Some(first)) = (useful, candidates.first()) {
                        event.prevent_default();
                        let first = first.clone();
                        let mode = Mode::Complete {
                            candidates,
                            index: 0,
                            typed: current.clone(),
                        };
                        set(mode, Some(&first));
                    }
                }
                (Mode::Complete { .. } | Mode::History { .. }, "Escape") => {
                    set(Mode::Edit, None);
                }
                _ => {}
            }
        })
    };

    let focus_input = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            // Selecting text in the transcript to copy it must not steal the selection.
            let selecting = web_sys::window()
                .and_then(|window| window.get_selection().ok().flatten())
                .is_some_and(|selection| !selection.is_collapsed());
            if selecting {
                return;
            }
            if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        })
    };

    let id = node.0;
    let line = line.borrow();
    let (prompt, ghost_hint) = match &line.mode {
        Mode::Search { found, .. } => {
            let matched = found
                .and_then(|index| view.history.get(index).cloned())
                .unwrap_or_default();
            (
                "(reverse-i-search)`".to_string(),
                Some(format!("': {matched}")),
            )
        }
        _ => (
            view.prompt.to_string(),
            view.hints.then(|| hint(&line.text)).flatten(),
        ),
    };
    let hint_id = dashed("console-hint", &id);
    let status = if view.connected {
        "connected"
    } else {
        "not connected"
    };
    let mut entries = Vec::new();
    for entry in view.entries.iter() {
        let echo = entry.echo.as_ref().map(|echo| {
            markup!(
                r#"<span class="console-echo">{}</span>"#,
                format!("{echo}\n")
            )
        });
        let reply = match &entry.output {
            Some(output) => markup!(
                r#"<span class="console-reply">{}</span>"#,
                AttrValue::from(output.clone())
            ),
            None => markup!(
                r#"<span class="console-pending" data-testid={}
                    title="waiting for the reply"></span>"#,
                dashed("console-pending", &id)
            ),
        };
        entries.push(markup!(
            r#"<span class="console-entry" key={}>{}{}</span>"#,
            key(entry.id),
            echo,
            reply,
        ));
    }
    // The one element a template can't build: Yew keeps an input's value apart.
    let hint_text_id = dashed(&hint_id, &"text");
    let input = html! {
        <input
            ref={input_ref}
            class="console-input"
            type="text"
            data-testid={dashed("console-input", &id)}
            aria-label={format!("Command for node {id}")}
            aria-describedby={hint_text_id.clone()}
            autocomplete="off"
            autocapitalize="off"
            spellcheck="false"
            {oninput}
            {onkeydown}
        />
    };
    let section_class = if props.selected {
        "console"
    } else {
        "console console-unselected"
    };
    let status_class = if view.connected {
        "console-status"
    } else {
        "console-status down"
    };
    let hint_words = ghost_hint
        .as_ref()
        .map(|hint| format!("Hint: {hint}"))
        .unwrap_or_default();
    markup!(
        r#"<section class={} id={} role="tabpanel" aria-labelledby={} data-testid={} onclick={}>
            <h3 class="console-title" id={}>
                Node {} console <span class="console-addr">{}</span>
                <span class={} data-testid={}>{}</span>
            </h3>
            <pre class="console-output" data-testid={} role="log" aria-live="polite" tabindex="0"
                aria-label={} ref={}>{}</pre>
            <label class="console-line">
                <span class="console-prompt" data-testid={}>{}</span>
                <span class="console-field">
                    <span class="console-ghost" aria-hidden="true">
                        <span class="console-ghost-typed">{}</span>
                        <span class="console-hint" data-testid={}>{}</span>
                    </span>{}
                </span>
                <span class="visually-hidden" id={}>{}</span>
            </label>
        </section>"#,
        section_class,
        dashed("console", &id),
        dashed("console-title", &id),
        dashed("console", &id),
        on_click(focus_input),
        dashed("console-title", &id),
        id.to_string(),
        AttrValue::from(view.addr.clone()),
        status_class,
        dashed("console-status", &id),
        status,
        dashed("console-output", &id),
        format!("Output of node {id}'s console"),
        output_ref,
        entries,
        dashed("console-prompt", &id),
        prompt,
        line.text.clone(),
        hint_id,
        ghost_hint.unwrap_or_default(),
        input,
        hint_text_id,
        hint_words,
    )
}
