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

/// A `<line>` from `(x1, y1)` to `(x2, y2)`; an empty `class` sets none.
pub fn line_between(class: &'static str, (x1, y1): (f64, f64), (x2, y2): (f64, f64)) -> Html {
    html! { <line class={class} x1={tenths(x1)} y1={tenths(y1)} x2={tenths(x2)} y2={tenths(y2)} /> }
}

/// A card's `<rect>` of half-size `(hw, hh)` around `(cx, cy)`, its corners rounded by `rx`.
pub fn card_rect((cx, cy): (f64, f64), (hw, hh): (f64, f64), rx: &'static str) -> Html {
    html! {
        <rect x={tenths(cx - hw)} y={tenths(cy - hh)}
              width={tenths(2.0 * hw)} height={tenths(2.0 * hh)} {rx} />
    }
}
