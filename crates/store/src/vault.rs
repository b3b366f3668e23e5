//! Uploaded files, encrypted at rest (XChaCha20-Poly1305, RustCrypto `chacha20poly1305`).
//!
//! Each file is stored under a random name (never its hash or the student's file name) as
//! `COOPF1`, the key's id, a random 24-byte nonce and the ciphertext; the storage name is the
//! associated data, so a file moved to another name no longer decrypts. Where the sealed bytes
//! are kept is the [`crate::file_store`]'s business.

use std::fmt;
use std::path::{Path, PathBuf};

use sea_orm::ConnectionTrait;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

use crate::connect::Backend;
pub use crate::file_store::VaultError;
use crate::file_store::{DatabaseStore, FileStore, FolderStore, Storage};

const MAGIC: &[u8; 6] = b"COOPF1";
const KEY_ID_LEN: usize = 8;
const NONCE_LEN: usize = 24;

/// The 256-bit key files are encrypted with. Its Debug output never shows it.
#[derive(Clone)]
pub struct FileKey([u8; 32]);

/// A key that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error(
        "the file key must be 32 bytes written in base64 (44 characters), e.g. from `openssl rand -base64 32`"
    )]
    Malformed,
    #[error("the operating system gave no randomness for a new file key")]
    NoRandomness,
}

impl FileKey {
    /// A key written in standard base64.
    pub fn from_base64(text: &str) -> Result<FileKey, KeyError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| KeyError::Malformed)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(FileKey(key))
    }

    /// A new random key.
    pub fn generate() -> Result<FileKey, KeyError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|_| KeyError::NoRandomness)?;
        Ok(FileKey(key))
    }

    /// The AEAD this key keys (for the streamed backup archives).
    pub(crate) fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.0.into())
    }

    /// The key in standard base64 (to save it).
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// A public name for the key (16 hex digits of a SHA-256 of it), stored with each file so a
    /// server started with another key is told so before it serves anything.
    pub fn id(&self) -> String {
        let digest = Sha256::new()
            .chain_update(b"coop-permits file key id v1")
            .chain_update(self.0)
            .finalize();
        digest
            .iter()
            .take(KEY_ID_LEN)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl fmt::Debug for FileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FileKey(id {})", self.id())
    }
}

/// Encrypts and decrypts uploaded files, kept in the deployment's [`Storage`].
#[derive(Clone)]
pub struct Vault {
    storage: Storage,
    key_id: String,
    cipher: XChaCha20Poly1305,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("storage", &self.storage)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// A vault in the folder `dir` (created on the first write) with `key`.
    pub fn new(dir: impl Into<PathBuf>, key: &FileKey) -> Vault {
        Vault::with_storage(Storage::Folder(FolderStore::new(dir)), key)
    }

    /// A vault keeping its files in `storage`.
    pub fn with_storage(storage: Storage, key: &FileKey) -> Vault {
        Vault {
            storage,
            key_id: key.id(),
            cipher: XChaCha20Poly1305::new(&key.0.into()),
        }
    }

    /// The vault a deployment on `backend` uses: the folder `files_dir` on SQLite; the database
    /// on PostgreSQL, reading files not yet moved in from `files_dir`.
    pub fn for_backend(backend: Backend, files_dir: &Path, key: &FileKey) -> Vault {
        let storage = match backend {
            Backend::Sqlite => Storage::Folder(FolderStore::new(files_dir)),
            Backend::Postgres => {
                Storage::Database(DatabaseStore::new(Some(FolderStore::new(files_dir))))
            }
        };
        Vault::with_storage(storage, key)
    }

    /// The id of this vault's key.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Where the sealed bytes are kept.
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// Encrypts and stores `bytes` (within `db`, the transaction that will name them, when the
    /// store is the database); returns the storage name.
    pub async fn put<C: ConnectionTrait>(
        &self,
        db: &C,
        bytes: &[u8],
    ) -> Result<String, VaultError> {
        let mut random = [0u8; 16];
        getrandom::fill(&mut random).map_err(|_| VaultError::NoRandomness)?;
        let name: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let sealed = self.seal(&name, bytes)?;
        self.storage.put(db, &name, sealed).await?;
        Ok(name)
    }

    /// Reads and decrypts a stored file.
    pub async fn get<C: ConnectionTrait>(&self, db: &C, name: &str) -> Result<Vec<u8>, VaultError> {
        let sealed = self
            .storage
            .get(db, name)
            .await?
            .ok_or_else(|| VaultError::Missing(name.to_owned()))?;
        self.open(name, &sealed)
    }

    /// Undoes a [`Vault::put`] whose transaction did not commit.
    pub async fn discard(&self, name: &str) -> Result<(), VaultError> {
        self.storage.discard(name).await
    }

    /// The part of removing a stored file that belongs in the transaction dropping its row.
    pub async fn remove_within<C: ConnectionTrait>(
        &self,
        db: &C,
        name: &str,
    ) -> Result<(), VaultError> {
        self.storage.remove_within(db, name).await
    }

    /// The part of removing a stored file done once that transaction committed.
    pub async fn remove_after_commit(&self, name: &str) -> Result<(), VaultError> {
        self.storage.remove_after_commit(name).await
    }

    /// Every stored name and when it was written (partial writes as `NAME.part`).
    pub async fn list<C: ConnectionTrait>(
        &self,
        db: &C,
    ) -> Result<Vec<(String, std::time::SystemTime)>, VaultError> {
        self.storage.list(db).await
    }

    /// `bytes` encrypted under the name `name` (bound to it: sealed bytes do not open under
    /// another name), with this key's id in the header.
    pub fn seal(&self, name: &str, bytes: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| VaultError::NoRandomness)?;
        let ciphertext = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: bytes,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| VaultError::Undecryptable(name.to_owned()))?;
        let mut sealed =
            Vec::with_capacity(MAGIC.len() + KEY_ID_LEN * 2 + NONCE_LEN + ciphertext.len());
        sealed.extend_from_slice(MAGIC);
        sealed.extend_from_slice(self.key_id.as_bytes());
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        Ok(sealed)
    }

    /// Whether `bytes` begin as sealed bytes do.
    pub fn is_sealed(bytes: &[u8]) -> bool {
        bytes.starts_with(MAGIC)
    }

    /// Decrypts a stored file's bytes as they are on disk (e.g. in a backup), named `name`.
    pub fn open_sealed(key: &FileKey, name: &str, sealed: &[u8]) -> Result<Vec<u8>, VaultError> {
        Vault::new(PathBuf::new(), key).open(name, sealed)
    }

    fn open(&self, name: &str, sealed: &[u8]) -> Result<Vec<u8>, VaultError> {
        let header = MAGIC.len() + KEY_ID_LEN * 2;
        let undecryptable = || VaultError::Undecryptable(name.to_owned());
        if sealed.len() < header + NONCE_LEN || !sealed.starts_with(MAGIC) {
            return Err(undecryptable());
        }
        let (nonce, ciphertext) = sealed
            .get(header..)
            .ok_or_else(undecryptable)?
            .split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| undecryptable())?;
        self.cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| undecryptable())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn files_round_trip_encrypted_and_only_with_their_key() {
        let dir = std::env::temp_dir().join(format!("coop-vault-{}", uuid::Uuid::new_v4()));
        let key = FileKey::generate().unwrap();
        let vault = Vault::new(&dir, &key);
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        let secret = b"%PDF-1.7 study permit F123456789".repeat(100);
        let name = vault.put(&db, &secret).await.unwrap();
        assert_eq!(vault.get(&db, &name).await.unwrap(), secret);
        // Not stored in the clear.
        let on_disk = std::fs::read(dir.join(&name)).unwrap();
        assert!(!on_disk.windows(10).any(|w| w == b"F123456789"));
        assert!(on_disk.starts_with(MAGIC));
        // Another key, or the file under another name, does not decrypt.
        let other = Vault::new(&dir, &FileKey::generate().unwrap());
        assert!(matches!(
            other.get(&db, &name).await,
            Err(VaultError::Undecryptable(_))
        ));
        let moved = "0".repeat(32);
        std::fs::copy(dir.join(&name), dir.join(&moved)).unwrap();
        assert!(matches!(
            vault.get(&db, &moved).await,
            Err(VaultError::Undecryptable(_))
        ));
        assert!(matches!(
            vault.get(&db, "../etc/passwd").await,
            Err(VaultError::BadName(_))
        ));
        vault.remove_after_commit(&name).await.unwrap();
        vault.remove_after_commit(&name).await.unwrap();
        assert!(matches!(
            vault.get(&db, &name).await,
            Err(VaultError::Missing(_))
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn keys_are_read_from_base64_and_never_shown() {
        let key = FileKey::generate().unwrap();
        let again = FileKey::from_base64(&key.to_base64()).unwrap();
        assert_eq!(again.id(), key.id());
        assert_eq!(key.id().len(), 16);
        assert!(!format!("{key:?}").contains(&key.to_base64()));
        assert_eq!(
            FileKey::from_base64("c2hvcnQ=").unwrap_err(),
            KeyError::Malformed
        );
        assert_eq!(
            FileKey::from_base64("not base64!").unwrap_err(),
            KeyError::Malformed
        );
    }
}
