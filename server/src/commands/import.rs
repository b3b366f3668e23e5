//! `import FILE.csv [--dry-run]`: the staff's student import from the command line.

use std::io::Write;

use coop_store::Store;
use coop_store::service::audit::Actor;

/// `coop-permits import FILE.csv [--dry-run]`: prints every error by line and field and what
/// was (or would be) done; fails when the file cannot be read at all.
pub async fn import(
    store: &Store,
    file: &std::path::Path,
    dry_run: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    use coop_store::service::import;
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let report = if dry_run {
        import::preview(store.db(), &bytes).await
    } else {
        import::import(store.db(), &bytes, &Actor::Cli, chrono::Utc::now()).await
    }
    .map_err(|e| anyhow::anyhow!("{e}"))?;
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
    Ok(())
}
