//! SVG pieces the drawings share: one function builds an element that several places draw, so
//! each use is a call instead of its own copy of the element's construction (the page's size).

use yew::prelude::*;

use super::numbers::tenths;

/// A `<text>` at `(x, y)`, centred on `x` when `centred`; an empty `class` sets none.
pub fn text_at(class: &'static str, (x, y): (f64, f64), centred: bool, text: String) -> Html {
    html! {
        <text class={class} x={tenths(x)} y={tenths(y)} text-anchor={centred.then_some("middle")}>
            { text }
        </text>
    }
}
