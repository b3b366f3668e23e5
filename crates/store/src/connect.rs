//! Opening the database: the URL decides the backend; SQLite files are created and tuned.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use crate::caches::Caches;
use crate::migration::Migrator;

/// A store that cannot be opened or migrated, with the setting to look at.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL is neither `sqlite:` nor `postgres:`/`postgresql:`.
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    /// The SQLite file's folder cannot be created.
    #[error("cannot create the folder {path} for the SQLite database: {source}")]
    Folder {
        /// The folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The database refused the connection or a statement.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded, one file.
    Sqlite,
    /// Shared by many server instances.
    Postgres,
}

impl Backend {
    /// The backend a URL names.
    pub fn of_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact(url)))
        }
    }
}

/// A URL fit for logs: any password replaced.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = url.get(scheme + 3..at).unwrap_or("");
            let user = userinfo.split(':').next().unwrap_or("");
            format!(
                "{}://{user}:***@{}",
                url.get(..scheme).unwrap_or(""),
                url.get(at + 1..).unwrap_or("")
            )
        }
        _ => url.to_owned(),
    }
}

/// The PostgreSQL advisory lock key instances take while migrating ("coop" in ASCII).
const MIGRATION_LOCK: i64 = 0x636f_6f70;

/// An open, migrated database.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    backend: Backend,
    /// This instance's memory of recent answers (shared by the store's clones).
    caches: Arc<Caches>,
}

impl Store {
    /// Opens the database at `url` without migrating it. A SQLite file (and its folder) is
    /// created when missing, in WAL mode with a busy timeout so concurrent writers wait instead
    /// of failing with "database is locked".
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let backend = Backend::of_url(url)?;
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(10));
        if backend == Backend::Sqlite {
            if let Some(folder) = sqlite_folder(url) {
                crate::private::create_dir(folder).map_err(|source| StoreError::Folder {
                    path: folder.display().to_string(),
                    source,
                })?;
            }
            // Created 0600 here, before SQLite would create it with the umask's mode.
            if let Some(path) = sqlite_path(url) {
                crate::private::touch(path).map_err(|source| StoreError::Folder {
                    path: path.display().to_string(),
                    source,
                })?;
            }
            options.map_sqlx_sqlite_opts(|opts| {
                opts.create_if_missing(true)
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(5))
                    .foreign_keys(true)
            });
        }
        let db = Database::connect(options).await?;
        Ok(Store {
            db,
            backend,
            caches: Arc::new(Caches::default()),
        })
    }

    /// Opens and brings the schema up to date (every pending migration, in order).
    pub async fn open_and_migrate(url: &str) -> Result<Store, StoreError> {
        let store = Store::open(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies every pending migration. Safe to run from several instances starting at once:
    /// on PostgreSQL one migrates while the others wait on an advisory lock, then find the
    /// migrations recorded and skip them (without the lock two instances both create the
    /// migrations table and one fails).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            // Held by this transaction's connection until it ends; the migrations run on others.
            let lock = self.db.begin().await?;
            lock.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
                .await?;
            let migrated = Migrator::up(&self.db, None).await;
            lock.commit().await?;
            migrated?;
        } else {
            Migrator::up(&self.db, None).await?;
        }
        Ok(())
    }

    /// Names of the migrations applied so far, oldest first.
    pub async fn applied_migrations(&self) -> Result<Vec<String>, StoreError> {
        let applied = Migrator::get_applied_migrations(&self.db).await?;
        Ok(applied.iter().map(|m| m.name().to_owned()).collect())
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> bool {
        self.db.ping().await.is_ok()
    }

    /// The connection, for services.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// This instance's caches.
    pub fn caches(&self) -> &Caches {
        &self.caches
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool (at shutdown).
    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }
}

/// The database file of a `sqlite://PATH?…` URL (None for memory or another backend).
pub fn sqlite_path(url: &str) -> Option<&Path> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    Some(Path::new(path))
}

/// The folder of a `sqlite://PATH?…` URL, when PATH has one.
fn sqlite_folder(url: &str) -> Option<&Path> {
    sqlite_path(url)?
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
}

/// Begins a transaction that writes. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), so it waits out the busy timeout behind another writer — in this process or in
/// another one, such as `coop-permits reminders run` — instead of failing with "database is
/// locked": a deferred transaction that read first cannot wait when it must upgrade to write
/// after another writer committed, and SQLite refuses it at once. PostgreSQL ignores the mode.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_and_redaction() {
        assert_eq!(
            Backend::of_url("sqlite://data/x.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::of_url("postgresql://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::of_url("mysql://u@h/db").is_err());
        assert_eq!(
            redact("postgres://coop:s3cret@db:5432/coop"),
            "postgres://coop:***@db:5432/coop"
        );
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[test]
    fn sqlite_folders() {
        assert_eq!(
            sqlite_folder("sqlite://data/coop.db?mode=rwc"),
            Some(Path::new("data"))
        );
        assert_eq!(sqlite_folder("sqlite://coop.db"), None);
        assert_eq!(sqlite_folder("sqlite::memory:"), None);
    }
}
