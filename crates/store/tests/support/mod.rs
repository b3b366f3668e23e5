//! Test databases: a fresh SQLite file, or a fresh PostgreSQL database of its own, each removed
//! when the test ends (also when it fails).

use std::future::Future;

use coop_store::Store;
use sea_orm::{ConnectionTrait, Database};

/// Runs `test` against a migrated store on a new SQLite file in a temporary folder.
pub async fn with_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    on_sqlite(true, test).await;
}

/// Runs `test` against a store on a new SQLite file, `migrated` or left empty.
pub async fn on_sqlite<F, Fut>(migrated: bool, test: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = std::env::temp_dir().join(format!("coop-store-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/coop.db", dir.display());
    let store = if migrated {
        Store::open_and_migrate(&url).await
    } else {
        Store::open(&url).await
    }
    .expect("open SQLite");
    let outcome = tokio::spawn(test(store)).await;
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// Runs `test` against a migrated store on a new PostgreSQL database, dropped afterwards.
///
/// `COOP_TEST_POSTGRES_URL` names a server and a database to connect to for creating it; the
/// README's test command (`scripts/test.sh`) starts a throwaway cluster and sets it. Without it
/// the test fails: a PostgreSQL test that silently did not run would prove nothing.
pub async fn with_postgres<F, Fut>(test: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    on_postgres(true, test).await;
}

/// Runs `test` against a store on a new PostgreSQL database, `migrated` or left empty.
pub async fn on_postgres<F, Fut>(migrated: bool, test: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let admin_url = std::env::var("COOP_TEST_POSTGRES_URL").expect(
        "COOP_TEST_POSTGRES_URL is not set: run `bash scripts/test.sh`, which starts PostgreSQL, \
         or point it at a server where you may create databases",
    );
    let admin = Database::connect(&admin_url)
        .await
        .expect("connect to PostgreSQL");
    let name = format!("coop_test_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create the test database");
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(base, _)| base);
    let url = format!("{base}/{name}");
    let store = if migrated {
        Store::open_and_migrate(&url).await
    } else {
        Store::open(&url).await
    }
    .expect("open PostgreSQL");
    let outcome = tokio::spawn(test(store)).await;
    admin
        .execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .await
        .expect("drop the test database");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
