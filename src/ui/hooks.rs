//! Hooks that connect the app to the browser: the page's one clock (`requestAnimationFrame`) and
//! document-level events (visibility, keyboard shortcuts). Each removes what it installed when
//! the component goes away.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The frame callback handed to `requestAnimationFrame`.
type FrameClosure = Closure<dyn FnMut(f64)>;

/// Calls `on_frame` with `performance.now()` on every animation frame, for as long as the
/// component lives. The browser stops animation frames in hidden tabs by itself.
#[hook]
pub fn use_animation_frame(on_frame: Callback<f64>) {
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
        move || {
            alive.set(false);
            if let (Some(id), Some(window)) = (pending.take(), web_sys::window()) {
                let _ = window.cancel_animation_frame(id);
            }
            // The closure holds `slot`: dropping it here breaks the cycle.
            slot.borrow_mut().take();
        }
    });
}

/// Listens to `event` on the document for as long as the component lives.
#[hook]
pub fn use_document_event(event: &'static str, on_event: Callback<web_sys::Event>) {
    use_effect_with((), move |_| {
        let document = web_sys::window().and_then(|window| window.document());
        let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            on_event.emit(event)
        });
        if let Some(document) = &document {
            let _ =
                document.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(document) = &document {
                let _ = document
                    .remove_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
            }
            drop(listener);
        }
    });
}
