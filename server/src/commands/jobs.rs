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

/// `coop-permits retention run [--now INSTANT] [--dry-run]`: one run, and what it removed (or,
/// dry, what it would).
pub async fn retention_run(
    store: &Store,
    vault: &coop_store::vault::Vault,
    now: Option<&str>,
    dry_run: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let now = instant(now)?;
    let at = coop_core::datetime_text::utc_seconds(&now);
    if dry_run {
        let preview = coop_store::service::retention::preview(store.db(), vault, now)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        writeln!(
            out,
            "dry run at {at} (F2): nothing was removed. A run now would remove:"
        )?;
        writeln!(
            out,
            "- {} uploaded files no longer needed ({} kept)",
            preview.document_files.len(),
            preview.kept
        )?;
        for d in &preview.document_files {
            writeln!(
                out,
                "    document {} of student record {} ({})",
                d.id,
                d.student_id,
                d.kind.words()
            )?;
        }
        writeln!(
            out,
            "- the personal data of {} students who left",
            preview.leavers_due.len()
        )?;
        for l in &preview.leavers_due {
            writeln!(
                out,
                "    {} {} (left {}; last decision {}; removable from {}): {} files, {} messages",
                l.student_number,
                l.name,
                l.left_on,
                l.last_decision.map_or_else(
                    || "none".to_owned(),
                    |d| coop_core::datetime_text::utc_seconds(&d)
                ),
                coop_core::datetime_text::utc_seconds(&l.removable_from),
                l.files,
                l.messages
            )?;
        }
        writeln!(
            out,
            "- {} unnamed files left by interrupted uploads, {} ended sessions, {} old sign-in failures",
            preview.unnamed_files, preview.sessions, preview.sign_in_failures
        )?;
        if !preview.leavers_kept.is_empty() {
            writeln!(out, "Kept for now (F2):")?;
            for l in &preview.leavers_kept {
                writeln!(
                    out,
                    "    {} {} (left {}): removable from {}",
                    l.student_number,
                    l.name,
                    l.left_on,
                    coop_core::datetime_text::utc_seconds(&l.removable_from)
                )?;
            }
        }
        return Ok(());
    }
    let report = coop_store::service::retention::run(store.db(), vault, now)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    writeln!(
        out,
        "retention at {at} (F2): {} uploaded files removed, {} kept (within a year of a decision that used them, or in use), the personal data of {} students who left removed, {} unnamed files left by interrupted uploads, {} ended sessions and {} old sign-in failures removed",
        report.document_files,
        report.kept,
        report.leavers,
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
        coop_store::service::file_moves::move_to_database(store.db(), &folder, key, |so_far| {
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
