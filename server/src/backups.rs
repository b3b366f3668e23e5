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
    let key = if args.encrypt {
        Some(existing_key(args.file_key.as_deref(), &args.database.data_dir)?.ok_or_else(
            || {
                anyhow::anyhow!(
                    "--encrypt needs the file key: give --file-key / COOP_FILE_KEY, or run where {} holds it",
                    args.database.data_dir.join("file-key").display()
                )
            },
        )?)
    } else {
        None
    };
    let manifest = coop_store::backup::backup_sealed(
        store,
        &args.database.data_dir.join("files"),
        &args.file,
        key.as_ref(),
        chrono::Utc::now(),
    )
    .await?;
    if let Some(key) = &key {
        writeln!(
            out,
            "the archive is encrypted with the file key {}: a restore needs that key",
            key.id()
        )?;
    }
    let count = |t: &str| manifest.counts.get(t).copied().unwrap_or(0);
    writeln!(
        out,
        "backup written to {}: {} students, {} documents, {} stored files, {} audit events ({} database)",
        args.file.display(),
        count("students"),
        count("documents"),
        manifest.files.len() + manifest.in_database.len(),
        count("audit_events"),
        manifest.backend
    )?;
    if manifest.backend == "postgres" {
        writeln!(
            out,
            "the database itself (with the {} files kept in it) is not in the archive: dump it now with\n  pg_dump --format=custom --file {}.pgdump \"$DATABASE_URL\"",
            manifest.in_database.len(),
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

/// The file key given, or the one kept in the data folder; `None` when there is neither (never
/// a new one: a backup or restore must not make a key).
fn existing_key(
    given: Option<&str>,
    data_dir: &std::path::Path,
) -> anyhow::Result<Option<coop_store::vault::FileKey>> {
    match given {
        Some(text) => Ok(Some(
            coop_store::vault::FileKey::from_base64(text).context("--file-key / COOP_FILE_KEY")?,
        )),
        None if data_dir.join("file-key").exists() => {
            Ok(Some(crate::file_key::load(None, data_dir)?.0))
        }
        None => Ok(None),
    }
}

/// `coop-permits restore FILE`.
pub async fn restore(
    args: &crate::config::RestoreArgs,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let key = existing_key(args.file_key.as_deref(), &args.database.data_dir)?;
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
        m.files.len() + m.in_database.len(),
        count("audit_events"),
    )?;
    if key.is_some() {
        writeln!(
            out,
            "{} of {} files decrypted with the file key and matched to their recorded checksums",
            restored.files_verified,
            m.files.len() + m.in_database.len()
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
