//! Limits on attempts counted in fixed windows, held in memory by each instance (a flood is
//! answered without a database write or a password check): failed sign-ins per client address,
//! beside the per-address lockout kept in the database (one client guessing many addresses is
//! stopped too); password-reset requests per client and per address. What must hold across
//! instances is kept in the database as well.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Where a request came from: the peer's address, or the one a trusted proxy names
/// (`--client-ip-header`). `None` when neither is known (in-process calls).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

/// The clients' recent failures, counted in fixed windows.
#[derive(Debug)]
pub struct ClientLimit {
    max_failures: u32,
    window: Duration,
    seen: Mutex<HashMap<String, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    failures: u32,
}

/// Past this many clients, windows that ended are swept before a new one is added.
const SWEEP_AT: usize = 10_000;

/// A reserved attempt: it counts as a failure unless [`ClientLimit::succeeded`] gives it back.
#[derive(Debug)]
#[must_use]
pub struct Attempt(Option<String>);

impl ClientLimit {
    /// `max_failures` per client within `window`.
    pub fn new(max_failures: u32, window: Duration) -> ClientLimit {
        ClientLimit {
            max_failures,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Reserves an attempt for `client` before its password is checked, or the seconds until
    /// the client may try again.
    pub fn reserve(&self, client: ClientAddr, now: Instant) -> Result<Attempt, u64> {
        match client.0 {
            Some(ip) => self.reserve_key(ip.to_string(), now),
            None => Ok(Attempt(None)),
        }
    }

    /// Reserves an attempt for any key (e.g. an e-mail address's hash), or the seconds until it
    /// may try again.
    pub fn reserve_key(&self, key: String, now: Instant) -> Result<Attempt, u64> {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.len() >= SWEEP_AT {
            seen.retain(|_, w| now.duration_since(w.started) < self.window);
        }
        let window = seen.entry(key.clone()).or_insert(Window {
            started: now,
            failures: 0,
        });
        if now.duration_since(window.started) >= self.window {
            *window = Window {
                started: now,
                failures: 0,
            };
        }
        if window.failures >= self.max_failures {
            let left = self
                .window
                .saturating_sub(now.duration_since(window.started));
            return Err(left.as_secs().max(1));
        }
        window.failures += 1;
        Ok(Attempt(Some(key)))
    }

    /// The attempt signed in: it does not count against its client.
    pub fn succeeded(&self, attempt: Attempt) {
        let Some(key) = attempt.0 else { return };
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(window) = seen.get_mut(&key) {
            window.failures = window.failures.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_stopped_after_its_failures_until_the_window_ends() {
        let limit = ClientLimit::new(3, Duration::from_secs(60));
        let client = ClientAddr(Some("192.0.2.7".parse().unwrap()));
        let other = ClientAddr(Some("192.0.2.8".parse().unwrap()));
        let t0 = Instant::now();
        for _ in 0..3 {
            let _failed = limit.reserve(client, t0).unwrap();
        }
        assert_eq!(
            limit
                .reserve(client, t0 + Duration::from_secs(20))
                .unwrap_err(),
            40
        );
        assert!(
            limit.reserve(other, t0).is_ok(),
            "other clients are not held up"
        );
        assert!(limit.reserve(client, t0 + Duration::from_secs(60)).is_ok());
    }

    #[test]
    fn successes_do_not_count_and_unknown_clients_pass() {
        let limit = ClientLimit::new(1, Duration::from_secs(60));
        let client = ClientAddr(Some("2001:db8::1".parse().unwrap()));
        let t0 = Instant::now();
        for _ in 0..10 {
            limit.succeeded(limit.reserve(client, t0).unwrap());
        }
        for _ in 0..10 {
            let _unknown = limit.reserve(ClientAddr(None), t0).unwrap();
        }
    }
}
