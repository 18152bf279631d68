//! A panic in WebAssembly stops the whole program. Without this hook the page would look alive
//! but ignore every key; with it, the user sees what happened and what to do.

/// The banner's element id (and `data-testid`).
pub const BANNER_ID: &str = "panic-banner";

/// Installs a panic hook that logs to the browser console and shows [`show`]'s banner.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&message.clone().into());
        show(&message);
    }));
}

/// Puts an alert banner with `message` at the top of the page (once; later panics update it).
pub fn show(message: &str) {
    let text = format!(
        "The playground stopped after an internal error and no longer responds. \
         Reload the page to start again, and please report this: {message}"
    );
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if let Some(existing) = document.get_element_by_id(BANNER_ID) {
        existing.set_text_content(Some(&text));
        return;
    }
    let (Ok(banner), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    banner.set_id(BANNER_ID);
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", BANNER_ID);
    banner.set_text_content(Some(&text));
    let _ = body.prepend_with_node_1(&banner);
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_banner_is_an_alert_at_the_top_of_the_page() {
        super::show("boom");
        super::show("boom again");
        let document = web_sys::window().unwrap().document().unwrap();
        let banner = document.get_element_by_id(super::BANNER_ID).unwrap();
        assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
        assert!(banner.text_content().unwrap().ends_with("boom again"));
        assert_eq!(
            document
                .query_selector_all("#panic-banner")
                .unwrap()
                .length(),
            1
        );
        banner.remove();
    }
}
