//! What only a browser has: its clock, its zone, local storage, the service worker.
#![cfg(feature = "hydrate")]

use chrono::{DateTime, Utc};

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

fn storage() -> Option<web_sys::Storage> {
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

/// Every key in local storage that starts with `prefix`.
pub fn keys_starting(prefix: &str) -> Vec<String> {
    let Some(storage) = storage() else {
        return Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(prefix))
        .collect()
}

/// Removes a value from local storage.
pub fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

/// Registers `/sw.js`, which precaches the app so it loads offline.
pub fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().service_worker().register("/sw.js");
    }
}
