//! What only a browser has — its clock, its zone, local storage, the service worker — and the
//! page's life there ([`mount`]).

mod live;

use chrono::{DateTime, Utc};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub use live::{Mounted, mount, mount_on};

/// Now, from the browser's clock (the rules never read a clock themselves).
pub fn now() -> DateTime<Utc> {
    let millis = js_sys::Date::now();
    // f64 milliseconds since the epoch: exact for any date this app meets.
    #[expect(
        clippy::cast_possible_truncation,
        reason = "milliseconds fit in i64 until year 292 million"
    )]
    let millis = millis as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

/// The browser's IANA zone, when it says one.
pub fn zone() -> Option<String> {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()?
        .as_string()
}

/// This page's local storage, when the browser allows it.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A saved value from local storage.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Saves a value to local storage; a full or disabled storage is not an error worth a word.
pub fn save(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
}

/// Registers `/sw.js`, which precaches the app so it loads offline.
pub fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().service_worker().register("/sw.js");
    }
}

/// A mark on `<html>` that the page now answers, for tests and for styles that need it.
pub fn mark_running() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "");
    }
}

/// The text at `path` on this origin.
pub async fn fetch_text(path: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(path))
        .await
        .and_then(|r| r.dyn_into())
        .map_err(|e| format!("{e:?}"))?;
    if !response.ok() {
        return Err(format!("the server answered {}", response.status()));
    }
    let text = response.text().map_err(|e| format!("{e:?}"))?;
    JsFuture::from(text)
        .await
        .map_err(|e| format!("{e:?}"))?
        .as_string()
        .ok_or_else(|| "not text".to_owned())
}

/// A warning in the browser's console.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}
