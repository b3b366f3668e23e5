//! `import FILE.csv [--dry-run] [--invite]`: the staff's student import from the command line.

use std::io::Write;

use coop_store::Store;
use coop_store::service::audit::Actor;

use crate::config::ImportArgs;

/// `coop-permits import FILE.csv [--dry-run] [--invite]`: prints every error by line and field
/// and what was (or would be) done, and with `--invite` who was left uninvited; fails when the
/// file cannot be read at all, or invitations cannot go (before anything is written).
pub async fn import(store: &Store, args: &ImportArgs, out: &mut impl Write) -> anyhow::Result<()> {
    use coop_store::service::{import, import_invitations};
    let file = &args.file;
    let settings = args.invite.settings()?;
    let mailer = args.invite.invitation.mail.mailer()?;
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let report = if args.dry_run {
        import::preview(store.db(), &bytes).await
    } else {
        import_invitations::import_and_invite(
            store.db(),
            &bytes,
            settings.as_ref().map(|s| {
                (
                    mailer
                        .as_ref()
                        .map(|m| m as &dyn coop_store::service::notices::DynMailer),
                    s,
                )
            }),
            &Actor::Cli,
            chrono::Utc::now(),
        )
        .await
    }
    .map_err(|e| match e {
        coop_store::service::ServiceError::Invalid {
            field: "invite",
            message,
        } => {
            anyhow::anyhow!("--invite: {message}")
        }
        other => anyhow::anyhow!("{other}"),
    })?;
    for error in &report.errors {
        writeln!(
            out,
            "line {}: {}: {}",
            error.line, error.field, error.message
        )?;
    }
    writeln!(
        out,
        "{}: {} new, {} updated, {} unchanged, {} lines not imported",
        if report.imported {
            "imported"
        } else {
            "dry run, nothing written"
        },
        report.created,
        report.updated,
        report.unchanged,
        report.invalid
    )?;
    for problem in &report.invitation_problems {
        writeln!(out, "line {}: {}", problem.line, problem.message)?;
    }
    if settings.is_some() && report.imported {
        writeln!(out, "{} new students invited", report.invited)?;
    }
    Ok(())
}
