//! Answers an instance keeps in memory for a short, stated time, so the hottest reads (who a
//! cookie belongs to, a student's records, a list's total) are not a database round trip each.
//!
//! Every instance keeps its own; nothing here is shared between instances, so what another
//! instance changes is seen here once an entry's time is up ([`BOUND`]). What this instance
//! changes is seen at once: the write paths of accounts call [`accounts_changed`] and those of
//! standings [`standings_changed`], which make every entry of that kind filled before invalid
//! (other writes — reminders, messages, files — leave them be). A read racing a write's
//! transaction may keep the old value, again at most until its time is up.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The longest a remembered value outlives a change made by another instance (or a command run
/// beside the server): a revoked session, a disabled user or role, a list's total.
pub const BOUND: Duration = Duration::from_secs(5);

/// A count of writes.
#[derive(Debug, Default)]
pub struct Writes(AtomicU64);

impl Writes {
    /// No writes yet.
    pub const fn new() -> Writes {
        Writes(AtomicU64::new(0))
    }

    fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }

    fn now(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }
}

/// Writes to sessions, users and API tokens through this process.
pub static ACCOUNTS: Writes = Writes::new();

/// Writes to students' standings (every change to a record writes its standing).
pub static STANDINGS: Writes = Writes::new();

/// A session, user or token was (or is about to be) written: who a credential belongs to is
/// read again.
pub fn accounts_changed() {
    ACCOUNTS.bump();
}

/// A standing was (or is about to be) written: lists' totals and counts are counted again.
pub fn standings_changed() {
    STANDINGS.bump();
}

/// A bounded map of values, each valid until its own instant and the next write.
#[derive(Debug)]
pub struct Remembered<K, V> {
    entries: Mutex<HashMap<K, Entry<V>>>,
    capacity: usize,
    writes: &'static Writes,
    /// One fill at a time per stripe of keys (see [`Remembered::get_or_fill`]).
    fills: [tokio::sync::Mutex<()>; FILL_STRIPES],
    stripes: std::collections::hash_map::RandomState,
}

/// Keys are spread over this many fill locks: fills of different keys rarely wait for each other.
const FILL_STRIPES: usize = 16;

#[derive(Debug)]
struct Entry<V> {
    until: Instant,
    generation: u64,
    value: V,
}

impl<K: Eq + Hash, V: Clone> Remembered<K, V> {
    /// Keeps at most `capacity` entries (when full, everything is dropped and refilled by use:
    /// cheaper to reason about than an eviction order, and a full map is rare), each invalid
    /// after the next of `writes`.
    pub fn watching(capacity: usize, writes: &'static Writes) -> Remembered<K, V> {
        Remembered {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
            writes,
            fills: std::array::from_fn(|_| tokio::sync::Mutex::new(())),
            stripes: std::collections::hash_map::RandomState::new(),
        }
    }

    /// The value of `key`, or `fill`'s, kept until `ttl` from now. When many requests miss the
    /// same key at once (an expiry under load), one fills it and the others wait for its value
    /// instead of each running the same costly query.
    pub async fn get_or_fill<E, F, Fut>(&self, key: K, ttl: Duration, fill: F) -> Result<V, E>
    where
        K: Clone,
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<V, E>>,
    {
        if let Some(known) = self.get(&key, Instant::now()) {
            return Ok(known);
        }
        let stripe = {
            use std::hash::BuildHasher;
            let hash = self.stripes.hash_one(&key);
            usize::try_from(hash % FILL_STRIPES as u64).unwrap_or_default()
        };
        let _filling = match self.fills.get(stripe) {
            Some(lock) => Some(lock.lock().await),
            None => None,
        };
        if let Some(known) = self.get(&key, Instant::now()) {
            return Ok(known);
        }
        let generation = self.start();
        let value = fill().await?;
        self.put(key, value.clone(), generation, until(Instant::now(), ttl));
        Ok(value)
    }

    /// The generation to fill an entry with: read it *before* reading the database, so a write
    /// in between makes the entry invalid at once.
    pub fn start(&self) -> u64 {
        self.writes.now()
    }

    /// The value of `key` if it is still valid at `now` and nothing was written since it was read.
    pub fn get(&self, key: &K, now: Instant) -> Option<V> {
        let current = self.writes.now();
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(key)
            .filter(|e| now < e.until && e.generation == current)
            .map(|e| e.value.clone())
    }

    /// Keeps `value` for `key` until `until`, read from the database after [`Self::start`] gave
    /// `generation`.
    pub fn put(&self, key: K, value: V, generation: u64, until: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                until,
                generation,
                value,
            },
        );
    }

    /// How many entries are held (valid or not yet dropped).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// `now + ttl`, or `now` itself if that overflows (the value is then never valid).
pub fn until(now: Instant, ttl: Duration) -> Instant {
    now.checked_add(ttl).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Never bumped: these tests are about time and size, not writes.
    static QUIET: Writes = Writes::new();

    #[test]
    fn a_value_is_valid_until_its_instant_only() {
        let memo = Remembered::watching(4, &QUIET);
        let t0 = Instant::now();
        memo.put("a", 1, memo.start(), t0 + Duration::from_secs(5));
        assert_eq!(memo.get(&"a", t0), Some(1));
        assert_eq!(memo.get(&"a", t0 + Duration::from_millis(4999)), Some(1));
        assert_eq!(memo.get(&"a", t0 + Duration::from_secs(5)), None);
        assert_eq!(memo.get(&"b", t0), None);
    }

    #[test]
    fn a_write_after_the_read_began_makes_the_value_invalid() {
        // Its own count: other tests in this process write to their databases meanwhile.
        static OWN: Writes = Writes::new();
        let memo = Remembered::watching(4, &OWN);
        let t0 = Instant::now();
        let later = t0 + Duration::from_secs(60);
        let before_read = memo.start();
        // A write lands while the value is read from the database: the value may be the old one.
        OWN.bump();
        memo.put("k", "old", before_read, later);
        assert_eq!(memo.get(&"k", t0), None);
        let g = memo.start();
        memo.put("k", "new", g, later);
        assert_eq!(memo.get(&"k", t0), Some("new"));
        OWN.bump();
        assert_eq!(memo.get(&"k", t0), None);
    }

    #[tokio::test]
    async fn many_misses_at_once_fill_once_and_share_the_value() {
        use std::sync::Arc;
        use std::sync::atomic::AtomicUsize;
        let memo = Arc::new(Remembered::watching(4, &QUIET));
        let fills = Arc::new(AtomicUsize::new(0));
        let mut waiting = Vec::new();
        for _ in 0..8 {
            let (memo, fills) = (Arc::clone(&memo), Arc::clone(&fills));
            waiting.push(tokio::spawn(async move {
                memo.get_or_fill("counts", Duration::from_secs(60), || async {
                    fills.fetch_add(1, Ordering::SeqCst);
                    // Long enough for every other task to miss and queue behind this fill.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Ok::<_, ()>(42)
                })
                .await
            }));
        }
        for task in waiting {
            assert_eq!(task.await.ok(), Some(Ok(42)));
        }
        assert_eq!(fills.load(Ordering::SeqCst), 1);
        // A failed fill keeps nothing.
        let failed = memo
            .get_or_fill("other", Duration::from_secs(60), || async {
                Err::<u32, _>("down")
            })
            .await;
        assert_eq!(failed, Err("down"));
        assert_eq!(memo.get(&"other", Instant::now()), None);
    }

    #[test]
    fn a_full_map_starts_again_rather_than_growing() {
        let memo = Remembered::watching(2, &QUIET);
        let t0 = Instant::now();
        let later = t0 + Duration::from_secs(60);
        let g = memo.start();
        memo.put(1, 1, g, later);
        memo.put(2, 2, g, later);
        // Replacing a held key does not count as growing.
        memo.put(2, 20, g, later);
        assert_eq!(memo.len(), 2);
        memo.put(3, 3, g, later);
        assert_eq!(memo.len(), 1);
        assert_eq!(memo.get(&3, t0), Some(3));
        assert_eq!(memo.get(&1, t0), None);
    }
}
