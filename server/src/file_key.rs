//! The key uploaded files are encrypted with: given by the operator (`--file-key` /
//! `COOP_FILE_KEY`), or — on a laptop — generated once into the data folder, with a warning that
//! a production deployment supplies its own (and keeps it out of the data folder's backups).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use coop_store::vault::FileKey;

/// Where the key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `--file-key` / `COOP_FILE_KEY`.
    Configured,
    /// `<data-dir>/file-key`, read, or written just now when `generated`.
    DataDir { path: PathBuf, generated: bool },
}

/// The file key for this start.
pub fn load(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<(FileKey, KeySource)> {
    if let Some(text) = configured {
        let key = FileKey::from_base64(text).context("--file-key / COOP_FILE_KEY")?;
        return Ok((key, KeySource::Configured));
    }
    let path = data_dir.join("file-key");
    let read = |path: &Path| -> anyhow::Result<FileKey> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the file key {}", path.display()))?;
        FileKey::from_base64(&text).with_context(|| format!("the file key {}", path.display()))
    };
    if path.exists() {
        return Ok((
            read(&path)?,
            KeySource::DataDir {
                path,
                generated: false,
            },
        ));
    }
    coop_store::private::create_dir(data_dir)
        .with_context(|| format!("cannot create the data folder {}", data_dir.display()))?;
    let key = FileKey::generate()?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(mut file) => {
            file.write_all(key.to_base64().as_bytes())
                .and_then(|()| file.sync_all())
                .with_context(|| format!("cannot write the file key {}", path.display()))?;
            Ok((
                key,
                KeySource::DataDir {
                    path,
                    generated: true,
                },
            ))
        }
        // Another instance starting at the same moment wrote it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok((
            read(&path)?,
            KeySource::DataDir {
                path,
                generated: false,
            },
        )),
        Err(e) => Err(e).with_context(|| format!("cannot write the file key {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_generated_once_then_reused_and_a_given_key_wins() {
        let dir = std::env::temp_dir().join(format!("coop-key-{}", uuid::Uuid::new_v4()));
        let (first, source) = load(None, &dir).unwrap();
        assert!(matches!(
            source,
            KeySource::DataDir {
                generated: true,
                ..
            }
        ));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("file-key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (again, source) = load(None, &dir).unwrap();
        assert_eq!(again.id(), first.id());
        assert!(matches!(
            source,
            KeySource::DataDir {
                generated: false,
                ..
            }
        ));
        let given = FileKey::generate().unwrap();
        let (used, source) = load(Some(&given.to_base64()), &dir).unwrap();
        assert_eq!((used.id(), source), (given.id(), KeySource::Configured));
        let bad = load(Some("short"), &dir).unwrap_err();
        assert!(
            format!("{bad:#}")
                .contains("--file-key / COOP_FILE_KEY: the file key must be 32 bytes")
        );
        std::fs::write(dir.join("file-key"), "garbage").unwrap();
        assert!(format!("{:#}", load(None, &dir).unwrap_err()).contains("file-key"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
