//! What only a browser has: its clock, its zone, local storage, the service worker (the
//! self-check's, shared), and what only the app needs of them.
#![cfg(feature = "hydrate")]

pub use coop_self_check::browser::{load, now, save, storage, zone};

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
