//! coop-frontend — the wasm entry point: hydrates the server-rendered app. Holds no logic; the
//! pages are in `coop-app`, the rules in `coop-core`.
// Leptos views are deeply nested types; the default limit (128) is too low for the app.
#![recursion_limit = "512"]

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the hydration script Leptos puts in every page.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    coop_app::hydrate();
}
