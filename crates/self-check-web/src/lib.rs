//! coop-self-check-web — the entry of `/`'s own bundle: the self-check page comes to life (its
//! form restored, the answer computed and ticking), the service worker is registered, and the
//! page is marked as running. No logic here: it is all in `coop-self-check` and `coop-core`.

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the page's module script once the wasm is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    // A panic's message goes to the console (then the module aborts); see coop-frontend.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
    coop_self_check::browser::register_service_worker();
    // Lives as long as the page: `/` is a document of its own, never left by the app's router.
    if let Some(page) = coop_self_check::browser::mount() {
        std::mem::forget(page);
    }
    coop_self_check::browser::mark_running();
}
