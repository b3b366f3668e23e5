//! Logging: tracing to standard error, text or JSON, level from `RUST_LOG` (default `info`).
//!
//! Lines are handed to a thread of their own, which writes them in batches: every request logs
//! one line, and writing it on the request's worker cost a system call and a lock per request
//! (a quarter of the check endpoint's time). Nothing is dropped: when that thread falls behind,
//! logging waits for it.

use std::io::IsTerminal;

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber once. Keep the guard until the program ends: dropping it
/// writes the lines still queued.
pub fn init(format: LogFormat) -> WorkerGuard {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("coop-permits-log")
        .finish(std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(writer);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    guard
}
