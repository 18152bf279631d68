//! SVG pieces the drawings share: one function builds an element that several places draw, so
//! each use is a call instead of its own copy of the element's construction (the page's size).

use yew::prelude::*;

use super::numbers::tenths;
use crate::markup;

/// `class` as an attribute value: none for an empty one (as `html!`'s classes do).
fn class_value(class: &'static str) -> Option<&'static str> {
    (!class.is_empty()).then_some(class)
}

/// A `<text>` at `(x, y)`, centred on `x` when `centred`; an empty `class` sets none.
pub fn text_at(class: &'static str, (x, y): (f64, f64), centred: bool, text: String) -> Html {
    markup!(
        r#"<text class={} x={} y={} text-anchor={}>{}</text>"#,
        class_value(class),
        tenths(x),
        tenths(y),
        centred.then_some("middle"),
        text,
    )
}

/// A `<line>` from `(x1, y1)` to `(x2, y2)`; an empty `class` sets none.
pub fn line_between(class: &'static str, (x1, y1): (f64, f64), (x2, y2): (f64, f64)) -> Html {
    markup!(
        r#"<line class={} x1={} y1={} x2={} y2={} />"#,
        class_value(class),
        tenths(x1),
        tenths(y1),
        tenths(x2),
        tenths(y2),
    )
}

/// A card's `<rect>` of half-size `(hw, hh)` around `(cx, cy)`, its corners rounded by `rx`.
pub fn card_rect((cx, cy): (f64, f64), (hw, hh): (f64, f64), rx: &'static str) -> Html {
    markup!(
        r#"<rect x={} y={} width={} height={} rx={} />"#,
        tenths(cx - hw),
        tenths(cy - hh),
        tenths(2.0 * hw),
        tenths(2.0 * hh),
        rx,
    )
}
