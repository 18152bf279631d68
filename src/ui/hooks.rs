//! The hook that connects the app to the browser: the page's one clock
//! (`requestAnimationFrame`) and document-level events (visibility, keyboard shortcuts). It
//! removes what it installed when the component goes away.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The frame callback handed to `requestAnimationFrame`.
type FrameClosure = Closure<dyn FnMut(f64)>;

/// For as long as the component lives, calls `on_frame` with `performance.now()` on every
/// animation frame (the browser stops them in hidden tabs by itself), and `on_event` with every
/// document event whose type is in `events`. One hook for both: every hook's effect adds its own
/// code to the page.
#[hook]
pub fn use_browser_events(
    on_frame: Callback<f64>,
    events: &'static [&'static str],
    on_event: Callback<web_sys::Event>,
) {
    use_effect_with((), move |_| {
        let alive = Rc::new(Cell::new(true));
        let pending: Rc<Cell<Option<i32>>> = Rc::new(Cell::new(None));
        let slot: Rc<RefCell<Option<FrameClosure>>> = Rc::new(RefCell::new(None));
        let request = {
            let pending = pending.clone();
            move |closure: &FrameClosure| {
                if let Some(window) = web_sys::window() {
                    pending.set(
                        window
                            .request_animation_frame(closure.as_ref().unchecked_ref())
                            .ok(),
                    );
                }
            }
        };
        let tick = {
            let alive = alive.clone();
            let slot = slot.clone();
            let request = request.clone();
            Closure::<dyn FnMut(f64)>::new(move |time: f64| {
                if !alive.get() {
                    return;
                }
                on_frame.emit(time);
                if !alive.get() {
                    return;
                }
                if let Some(closure) = slot.borrow().as_ref() {
                    request(closure);
                }
            })
        };
        request(&tick);
        *slot.borrow_mut() = Some(tick);

        let document = web_sys::window().and_then(|window| window.document());
        let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            on_event.emit(event)
        });
        if let Some(document) = &document {
            for event in events {
                let _ = document
                    .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
            }
        }
        move || {
            alive.set(false);
            if let (Some(id), Some(window)) = (pending.take(), web_sys::window()) {
                let _ = window.cancel_animation_frame(id);
            }
            // The closure holds `slot`: dropping it here breaks the cycle.
            slot.borrow_mut().take();
            if let Some(document) = &document {
                for event in events {
                    let _ = document.remove_event_listener_with_callback(
                        event,
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
            drop(listener);
        }
    });
}
