//! What holds personal information — the data folder, the database, the file key, uploads,
//! backups — is the server's user's alone: folders are made 0700 and files 0600, whatever the
//! process's umask (a default of 022 left names, permit numbers and password hashes readable by
//! every account on the host).

use std::fs::{DirBuilder, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Creates a folder and any missing parents, each 0700. An existing folder keeps its mode
/// (see [`open_to_others`]).
pub fn create_dir(path: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(path)
}

/// Creates (or truncates) a file for writing, 0600 when new.
pub fn create_file(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

/// Creates an empty file 0600 if there is none (SQLite then gives its journal and WAL files the
/// database's mode).
pub fn touch(path: &Path) -> io::Result<()> {
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// The mode of `path` when its group or others may read, write or enter it.
pub fn open_to_others(path: &Path) -> Option<u32> {
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_files_are_private_whatever_the_umask() {
        let root = std::env::temp_dir().join(format!("coop-private-{}", uuid::Uuid::new_v4()));
        let nested = root.join("a/b");
        create_dir(&nested).unwrap();
        assert_eq!(open_to_others(&root), None);
        assert_eq!(open_to_others(&nested), None);
        let file = nested.join("f");
        drop(create_file(&file).unwrap());
        assert_eq!(open_to_others(&file), None);
        touch(&nested.join("g")).unwrap();
        assert_eq!(open_to_others(&nested.join("g")), None);
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(open_to_others(&root), Some(0o755));
        std::fs::remove_dir_all(root).unwrap();
    }
}
