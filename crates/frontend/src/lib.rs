//! coop-frontend — the wasm entry point: hydrates the server-rendered app. Holds no logic; the
//! pages are in `coop-app`, the rules in `coop-core`.
// Leptos views are deeply nested types; the default limit (128) is too low for the app.
#![recursion_limit = "512"]

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the hydration script Leptos puts in every page.
#[wasm_bindgen]
pub fn hydrate() {
    // A panic's message and place go to the browser's console (then the module aborts). Not
    // console_error_panic_hook: its JavaScript stack capture costs 1.1 KB gzip of the first load.
    std::panic::set_hook(Box::new(|info| leptos::logging::error!("{info}")));
    coop_app::hydrate();
}

/// Room for the lazy pages' text. `--split` (wasm-split) moves each lazy page's strings into
/// that page's chunk only while the linked data segment, regrouped per chunk with alignment
/// padding between the groups, still fits in the segment's original length; when it does not,
/// it silently keeps every page's text in the first load (issue 18 measured +86 KB raw, +33 KB
/// gzip, from 260 bytes too many). This block is linked but referenced by nothing, so it is never
/// emitted into any module: it costs no download, and gives the padding 4 KiB of room.
#[used]
static SPLIT_SLACK: [u8; 4096] = [0xA5; 4096];
