//! A student's time-zone rules in the browser. The wasm build of coop-core carries only
//! Vancouver and UTC (its `tzdb` feature, 200 KB, is left out of the first load); any other zone
//! is fetched once from the server's `/tz/` route, kept in the Cache Storage so it works offline
//! from then on, and registered with coop-core — which then decides exactly as on the server.

use coop_core::time;

/// Where the server serves a zone's TZif data; the release in the path keys the cache.
pub fn rules_path(name: &str) -> String {
    format!("/tz/{}/{name}", time::tzdb_version())
}

/// Whether the rules of the zone the student chose can be used yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneRules {
    /// Built in, already registered, or not a zone name at all (the reader says so).
    Ready,
    /// Being fetched.
    Loading(&'static str),
    /// Could not be fetched (offline on a first visit with this zone, say).
    Failed(&'static str),
}

impl ZoneRules {
    /// The state for a typed zone name before anything is fetched, and the canonical name to
    /// fetch when one is needed.
    pub fn of(typed: &str) -> (ZoneRules, Option<&'static str>) {
        match time::canonical_zone_name(typed.trim()) {
            Some(name) if !time::zone_available(name) => (ZoneRules::Loading(name), Some(name)),
            _ => (ZoneRules::Ready, None),
        }
    }

    /// What to say beside the zone field instead of the reader's "unknown time zone".
    pub fn message(&self) -> Option<String> {
        match self {
            ZoneRules::Ready => None,
            ZoneRules::Loading(name) => Some(format!("Loading the time-zone rules of {name}…")),
            ZoneRules::Failed(name) => Some(format!(
                "The time-zone rules of {name} could not be loaded. Connect to the internet once \
                 with this zone chosen (it then works offline), or choose America/Vancouver."
            )),
        }
    }
}

/// The Cache Storage cache holding fetched zone rules. Not named `coop-permits-…`: the service
/// worker deletes those of older releases, and these stay valid (the release is in their path).
#[cfg(feature = "browser")]
const TZ_CACHE: &str = "coop-tz";

/// Fetches the rules of `name` (the Cache Storage first, then the server) and registers them.
#[cfg(feature = "browser")]
pub async fn load(name: &'static str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    async fn settle<T: JsCast>(promise: js_sys::Promise) -> Result<T, String> {
        let value = JsFuture::from(promise)
            .await
            .map_err(|e| format!("{e:?}"))?;
        value.dyn_into::<T>().map_err(|e| format!("{e:?}"))
    }

    let window = web_sys::window().ok_or("no window")?;
    let path = rules_path(name);
    // Cache Storage exists only in secure contexts (https, or localhost); elsewhere just fetch.
    let cache = match window.caches() {
        Ok(caches) => settle::<web_sys::Cache>(caches.open(TZ_CACHE)).await.ok(),
        Err(_) => None,
    };
    let cached = match &cache {
        Some(cache) => settle::<web_sys::Response>(cache.match_with_str(&path))
            .await
            .ok(),
        None => None,
    };
    let response = match cached {
        Some(response) => response,
        None => {
            let response = settle::<web_sys::Response>(window.fetch_with_str(&path)).await?;
            if !response.ok() {
                return Err(format!("the server answered {}", response.status()));
            }
            if let (Some(cache), Ok(copy)) = (&cache, response.clone()) {
                // Best effort: a full cache only means fetching again next time.
                let _ = JsFuture::from(cache.put_with_str(&path, &copy)).await;
            }
            response
        }
    };
    let buffer = JsFuture::from(response.array_buffer().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    time::register_zone(name, &bytes)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_zones_without_rules_are_fetched() {
        // Built-in zones and non-zones are never fetched (the reader names a non-zone).
        assert_eq!(ZoneRules::of("America/Vancouver"), (ZoneRules::Ready, None));
        assert_eq!(ZoneRules::of(" utc "), (ZoneRules::Ready, None));
        assert_eq!(ZoneRules::of("Mars/Olympus_Mons"), (ZoneRules::Ready, None));
        // Another zone is fetched under its canonical name unless this build has its rules
        // (native builds with coop-core's `tzdb`; the browser build is covered end to end).
        let expected = if time::zone_available("Asia/Kolkata") {
            (ZoneRules::Ready, None)
        } else {
            (ZoneRules::Loading("Asia/Kolkata"), Some("Asia/Kolkata"))
        };
        assert_eq!(ZoneRules::of("asia/kolkata"), expected);
        assert_eq!(
            rules_path("Asia/Kolkata"),
            format!("/tz/{}/Asia/Kolkata", time::tzdb_version())
        );
        assert!(
            ZoneRules::Loading("Asia/Kolkata")
                .message()
                .unwrap()
                .contains("Asia/Kolkata")
        );
        assert!(
            ZoneRules::Failed("Asia/Kolkata")
                .message()
                .unwrap()
                .contains("America/Vancouver")
        );
        assert_eq!(ZoneRules::Ready.message(), None);
    }
}
