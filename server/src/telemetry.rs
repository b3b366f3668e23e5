//! Logging: tracing to standard error, text or JSON, level from `RUST_LOG` (default `info`).
//!
//! Lines are handed to a thread of their own, which writes them in batches: every request logs
//! one line, and writing it on the request's worker cost a system call and a lock per request
//! (a quarter of the check endpoint's time). Nothing is dropped: when that thread falls behind,
//! logging waits for it.

use std::io::IsTerminal;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_log::NormalizeEvent;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::field::{RecordFields, VisitOutput};
use tracing_subscriber::fmt::format::{DefaultVisitor, Writer};
use tracing_subscriber::fmt::time::FormatTime;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

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
    let terminal = std::io::stderr().is_terminal();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(terminal)
        .with_timer(Clock)
        .with_writer(writer);
    let _ = match format {
        // Colours (a terminal) are written by `DefaultFields`, which knows them.
        LogFormat::Text if terminal => builder.try_init(),
        LogFormat::Text => builder
            .event_format(PlainLine { timer: Clock })
            .fmt_fields(PlainFields)
            .try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    guard
}

/// The lines' time stamps, as `tracing_subscriber`'s default writes them (UTC to the
/// microsecond), without `core::fmt`: every request logs a line, and its formatted time stamp
/// was a tenth of the line's cost.
struct Clock;

impl FormatTime for Clock {
    fn format_time(&self, w: &mut Writer<'_>) -> std::fmt::Result {
        w.write_str(&coop_core::datetime_text::utc_micros(&chrono::Utc::now()))
    }
}

/// A text line as `tracing_subscriber`'s default format (`Full`) writes it without colours —
/// time stamp, level, spans with their fields, target, the event's fields — put together piece
/// by piece: the default goes through `core::fmt` and `nu_ansi_term`'s painting for each piece,
/// which was most of what remained of the access line's cost.
struct PlainLine<T> {
    timer: T,
}

impl<S, N, T> FormatEvent<S, N> for PlainLine<T>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
    T: FormatTime,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> std::fmt::Result {
        // A `log` crate record carries its own target and level (as the default reads them).
        let normalized = event.normalized_metadata();
        let meta = normalized.as_ref().unwrap_or_else(|| event.metadata());
        if self.timer.format_time(&mut writer).is_err() {
            writer.write_str("<unknown time>")?;
        }
        writer.write_char(' ')?;
        writer.write_str(level_text(meta.level()))?;
        writer.write_char(' ')?;
        if let Some(scope) = ctx.event_scope() {
            let mut seen = false;
            for span in scope.from_root() {
                writer.write_str(span.metadata().name())?;
                seen = true;
                let extensions = span.extensions();
                if let Some(fields) = extensions.get::<FormattedFields<N>>()
                    && !fields.is_empty()
                {
                    writer.write_char('{')?;
                    writer.write_str(fields)?;
                    writer.write_char('}')?;
                }
                writer.write_char(':')?;
            }
            if seen {
                writer.write_char(' ')?;
            }
        }
        writer.write_str(meta.target())?;
        writer.write_str(": ")?;
        ctx.format_fields(writer.by_ref(), event)?;
        writer.write_char('\n')
    }
}

/// The level as the default format writes it, five characters wide.
fn level_text(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "TRACE",
        Level::DEBUG => "DEBUG",
        Level::INFO => " INFO",
        Level::WARN => " WARN",
        Level::ERROR => "ERROR",
    }
}

/// The fields of a text line as `DefaultFields` writes them without colours: by hand for the
/// kinds every request logs (plain strings, integers, booleans, values shown with `%` or `?`),
/// through `DefaultFields`' own visitor for the rest (messages, errors, raw identifiers). `core::fmt` was most of the access line's cost.
struct PlainFields;

impl<'w> FormatFields<'w> for PlainFields {
    fn format_fields<R: RecordFields>(&self, writer: Writer<'w>, fields: R) -> std::fmt::Result {
        let mut visitor = PlainVisitor {
            writer,
            is_empty: true,
            result: Ok(()),
        };
        fields.record(&mut visitor);
        visitor.result
    }
}

struct PlainVisitor<'w> {
    writer: Writer<'w>,
    is_empty: bool,
    result: std::fmt::Result,
}

/// Names `DefaultFields` writes in a way of its own: the message (without its name), raw
/// identifiers (without `r#`) and `log` crate metadata (not at all: the line shows it).
fn special(field: &Field) -> bool {
    let name = field.name();
    name == "message" || name.starts_with("r#") || skipped(field)
}

fn skipped(field: &Field) -> bool {
    field.name().starts_with("log.")
}

impl PlainVisitor<'_> {
    fn push(&mut self, text: &str) {
        if self.result.is_ok() {
            self.result = self.writer.write_str(text);
        }
    }

    /// ` name=` (no space before the first field).
    fn name(&mut self, field: &Field) {
        if !std::mem::replace(&mut self.is_empty, false) {
            self.push(" ");
        }
        self.push(field.name());
        self.push("=");
    }

    /// The field through `DefaultFields`' visitor, continuing this line.
    fn delegate(&mut self, field: &Field, record: impl FnOnce(&mut DefaultVisitor<'_>)) {
        if skipped(field) {
            return;
        }
        let is_empty = std::mem::replace(&mut self.is_empty, false);
        let mut visitor = DefaultVisitor::new(self.writer.by_ref(), is_empty);
        record(&mut visitor);
        let result = visitor.finish();
        if self.result.is_ok() {
            self.result = result;
        }
    }

    fn integer(&mut self, field: &Field, value: impl itoa::Integer) {
        self.name(field);
        self.push(itoa::Buffer::new().format(value));
    }
}

impl Visit for PlainVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        // Printable ASCII but `"` and `\` is what `{:?}` writes unchanged between its quotes.
        let plain = value
            .bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\');
        if !plain || special(field) {
            return self.delegate(field, |v| v.record_str(field, value));
        }
        self.name(field);
        self.push("\"");
        self.push(value);
        self.push("\"");
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if special(field) {
            return self.delegate(field, |v| v.record_u64(field, value));
        }
        self.integer(field, value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if special(field) {
            return self.delegate(field, |v| v.record_i64(field, value));
        }
        self.integer(field, value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        if special(field) {
            return self.delegate(field, |v| v.record_bool(field, value));
        }
        self.name(field);
        self.push(if value { "true" } else { "false" });
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.delegate(field, |v| v.record_error(field, value));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        // `name=` then the value's `{:?}`, as `DefaultVisitor` writes an ordinary field (less its
        // painting of the name, which without colours writes the name alone). The request span's
        // `method` is one.
        if special(field) {
            return self.delegate(field, |v| v.record_debug(field, value));
        }
        self.name(field);
        if self.result.is_ok() {
            self.result = write!(self.writer, "{value:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::fmt::format::Writer;
    use tracing_subscriber::fmt::time::FormatTime;

    use super::{Clock, PlainFields, PlainLine};

    /// One time for both formatters, so their lines can be compared whole.
    #[derive(Clone, Copy)]
    struct Fixed;

    impl FormatTime for Fixed {
        fn format_time(&self, w: &mut Writer<'_>) -> std::fmt::Result {
            w.write_str("2026-12-07T19:30:00.123456Z")
        }
    }

    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Lines {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| io::Error::other("poisoned"))?
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn log_every_kind() {
        let span = tracing::info_span!(
            "request",
            method = %"POST",
            route = "/api/v1/check",
            request.id = "9f1c2a47-1d7e-4b59-a3f0-5be0e1b7c2d4"
        );
        let entered = span.enter();
        tracing::info!(status = 200u16, latency_ms = 0u64, "answered");
        tracing::info!(
            negative = -5i64,
            largest = u64::MAX,
            smallest = i64::MIN,
            yes = true,
            no = false,
            "numbers"
        );
        tracing::info!(
            quoted = "say \"hi\"",
            backslash = "a\\b",
            tab = "a\tb",
            accented = "é",
            empty = "",
            spaced = "a b"
        );
        tracing::info!(r#type = "raw", float = 1.5, debug = ?Some(3), display = %"shown");
        tracing::info!(message = "a message field", after = 1);
        let error = io::Error::other("broken");
        tracing::warn!(
            error = &error as &(dyn std::error::Error + 'static),
            "failed"
        );
        tracing::info!("no fields");
        tracing::info!(only = 1);
        drop(entered);
        // Outside any span, at every level, nested spans, one without fields.
        tracing::error!(code = 1, "outside");
        tracing::warn!("warned");
        tracing::debug!("debugged");
        tracing::trace!("traced");
        let outer = tracing::info_span!("job", name = "reminders");
        let inner = tracing::info_span!(parent: &outer, "step");
        inner.in_scope(|| tracing::info!(done = 3, "nested"));
        // A `log` crate record, as the bridge hands it on: its own target and level.
        tracing_log::format_trace(
            &log::Record::builder()
                .args(format_args!("from the log crate"))
                .level(log::Level::Warn)
                .target("some_crate::module")
                .module_path_static(Some("some_crate::module"))
                .file_static(Some("src/module.rs"))
                .line(Some(42))
                .build(),
        )
        .ok();
    }

    fn text_lines(plain: bool) -> String {
        let lines = Lines::default();
        let writer = lines.clone();
        let builder = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::TRACE)
            .with_timer(Fixed)
            .with_writer(move || writer.clone());
        if plain {
            let subscriber = builder
                .event_format(PlainLine { timer: Fixed })
                .fmt_fields(PlainFields)
                .finish();
            tracing::subscriber::with_default(subscriber, log_every_kind);
        } else {
            tracing::subscriber::with_default(builder.finish(), log_every_kind);
        }
        let bytes = lines.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// Every kind of field, level, span nesting and a `log` record, through our line and fields
    /// and through `tracing_subscriber`'s defaults: the same bytes.
    #[test]
    fn plain_lines_are_what_the_default_format_writes() {
        let (ours, theirs) = (text_lines(true), text_lines(false));
        assert_eq!(ours.lines().count(), 14, "{ours}");
        assert!(
            ours.contains(
                "2026-12-07T19:30:00.123456Z  WARN some_crate::module: from the log crate"
            ),
            "{ours}"
        );
        assert!(ours.contains("job{name=\"reminders\"}:step: "), "{ours}");
        assert!(ours.contains(
            "request{method=POST route=\"/api/v1/check\" request.id=\"9f1c2a47-1d7e-4b59-a3f0-5be0e1b7c2d4\"}"
        ), "{ours}");
        assert_eq!(ours, theirs);
    }

    #[test]
    fn the_clock_writes_the_default_form() {
        let mut text = String::new();
        assert!(Clock.format_time(&mut Writer::new(&mut text)).is_ok());
        assert_eq!(text.len(), "2026-12-07T19:30:00.123456Z".len(), "{text}");
        assert!(
            text.ends_with('Z') && text.as_bytes().get(19) == Some(&b'.'),
            "{text}"
        );
    }
}
