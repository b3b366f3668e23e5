//! `coop-permits backup FILE` and `coop-permits restore FILE`: the operator's side of
//! `coop_store::backup` — what was written or restored, and what to keep apart (the file key)
//! or run beside it (pg_dump).

use std::io::Write;

use anyhow::Context;
use coop_store::Store;

/// `coop-permits backup FILE`.
pub async fn backup(
    store: &Store,
    args: &crate::config::BackupArgs,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let manifest = coop_store::backup::backup(
        store,
        &args.database.data_dir.join("files"),
        &args.file,
        chrono::Utc::now(),
    )
    .await?;
    let count = |t: &str| manifest.counts.get(t).copied().unwrap_or(0);
    writeln!(
        out,
        "backup written to {}: {} students, {} documents, {} stored files, {} audit events ({} database)",
        args.file.display(),
        count("students"),
        count("documents"),
        manifest.files.len(),
        count("audit_events"),
        manifest.backend
    )?;
    if manifest.backend == "postgres" {
        writeln!(
            out,
            "the database itself is not in the archive: dump it now with\n  pg_dump --format=custom --file {}.pgdump \"$DATABASE_URL\"",
            args.file.display()
        )?;
    }
    if !manifest.key_ids.is_empty() {
        writeln!(
            out,
            "the files are encrypted with key {}: keep the key apart from this backup; a restore needs it",
            manifest.key_ids.join(", ")
        )?;
    }
    Ok(())
}

/// `coop-permits restore FILE`.
pub async fn restore(
    args: &crate::config::RestoreArgs,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let key_file = args.database.data_dir.join("file-key");
    let key = match (&args.file_key, key_file.exists()) {
        (Some(text), _) => Some(
            coop_store::vault::FileKey::from_base64(text).context("--file-key / COOP_FILE_KEY")?,
        ),
        (None, true) => Some(crate::file_key::load(None, &args.database.data_dir)?.0),
        (None, false) => None,
    };
    let target = coop_store::backup::Target {
        url: args.database.url(),
        files_dir: args.database.data_dir.join("files"),
    };
    let restored = coop_store::backup::restore(&args.file, &target, key.as_ref()).await?;
    let m = &restored.manifest;
    let count = |t: &str| m.counts.get(t).copied().unwrap_or(0);
    writeln!(
        out,
        "restored the backup of {} into {}: {} students, {} documents, {} stored files, {} audit events",
        m.created_at.to_rfc3339(),
        args.database.data_dir.display(),
        count("students"),
        count("documents"),
        m.files.len(),
        count("audit_events"),
    )?;
    if key.is_some() {
        writeln!(
            out,
            "{} of {} files decrypted with the file key and matched to their recorded checksums",
            restored.files_verified,
            m.files.len()
        )?;
    } else if !m.key_ids.is_empty() {
        writeln!(
            out,
            "no file key given, so the files were not decrypted: start the server with the key {} (--file-key, or its file-key file in the data folder)",
            m.key_ids.join(", ")
        )?;
    }
    Ok(())
}
