//! `reminders run` and `retention run`: one pass of the jobs the server runs, by hand.

use std::io::Write;

use chrono::{DateTime, Utc};
use coop_store::Store;

/// A claim older than this is taken over by another runner (its runner died).
pub const REMINDER_LEASE_MINUTES: i64 = 10;

/// This process as a reminder runner: host, process and a random part (two instances on one
/// host, or a restarted one, never share a name).
pub fn reminder_runner() -> coop_store::service::reminders::Runner {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "coop".to_owned());
    let id = uuid::Uuid::new_v4().simple().to_string();
    coop_store::service::reminders::Runner {
        name: format!(
            "{host}-{}-{}",
            std::process::id(),
            id.get(..8).unwrap_or(&id)
        ),
        lease: chrono::Duration::minutes(REMINDER_LEASE_MINUTES),
    }
}

/// `--now` as an instant (default: now).
pub fn instant(now: Option<&str>) -> anyhow::Result<DateTime<Utc>> {
    match now {
        None => Ok(Utc::now()),
        Some(text) => coop_core::datetime_text::parse_rfc3339(text.trim()).ok_or_else(|| {
            anyhow::anyhow!(
                "--now: {text:?} is not an RFC 3339 instant such as 2026-12-01T16:00:00Z"
            )
        }),
    }
}

/// `coop-permits retention run [--now INSTANT]`: one run, and what it removed.
pub async fn retention_run(
    store: &Store,
    vault: &coop_store::vault::Vault,
    now: Option<&str>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let now = instant(now)?;
    let report = coop_store::service::retention::run(store.db(), vault, now)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    writeln!(
        out,
        "retention at {} (F2): {} uploaded files removed, {} kept (within a year of a decision that used them, or in use), {} unnamed files left by interrupted uploads, {} ended sessions and {} old sign-in failures removed",
        coop_core::datetime_text::utc_seconds(&now),
        report.document_files,
        report.kept,
        report.unnamed_files,
        report.sessions,
        report.sign_in_failures
    )?;
    Ok(())
}

/// `coop-permits reminders run [--now INSTANT]`: one pass, and what it did.
pub async fn reminders_run(
    store: &Store,
    mailer: Option<&crate::mail::SmtpMailer>,
    now: Option<&str>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let now = instant(now)?;
    let report =
        coop_store::service::reminders::run_pass(store.db(), mailer, &reminder_runner(), now)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    writeln!(
        out,
        "reminders at {}: {} due, {} taken over, {} delivered ({}), {} failed",
        coop_core::datetime_text::utc_seconds(&now),
        report.claimed,
        report.retried,
        report.delivered,
        if mailer.is_some() {
            "in the app and by e-mail"
        } else {
            "in the app only: no --smtp-url"
        },
        report.failed
    )?;
    Ok(())
}

/// `coop-permits files move-to-database`: moves the folder's files in, saying how far it got.
pub async fn files_move(
    store: &Store,
    folder: &std::path::Path,
    key: &coop_store::vault::FileKey,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let folder = coop_store::file_store::FolderStore::new(folder);
    let report =
        coop_store::file_store::moving::move_to_database(store.db(), &folder, key, |so_far| {
            tracing::info!(
                moved = so_far.moved,
                already = so_far.already,
                "moving files into the database"
            );
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    writeln!(
        out,
        "{} files moved into the database, {} were there already",
        report.moved, report.already
    )?;
    for problem in &report.problems {
        writeln!(out, "not moved: {problem}")?;
    }
    if !report.problems.is_empty() {
        anyhow::bail!(
            "{} files could not be moved (listed above); the others are in the database",
            report.problems.len()
        );
    }
    Ok(())
}
