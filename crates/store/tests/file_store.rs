//! The database file store on real SQLite and real PostgreSQL: bytes written in a transaction
//! that rolls back (an interrupted upload) leave nothing behind; committed, they are read back
//! by any connection, sealed (never in the clear) and only under their own name; a removal
//! rolled back keeps them.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use coop_store::Store;
use coop_store::entity::file_content;
use coop_store::file_store::{DatabaseStore, Storage};
use coop_store::vault::{FileKey, Vault, VaultError};
use sea_orm::{EntityTrait, TransactionTrait};

async fn written_with_the_transaction_that_names_it(store: Store) {
    let db = store.db();
    let vault = Vault::with_storage(
        Storage::Database(DatabaseStore::new(None)),
        &FileKey::generate().unwrap(),
    );
    let secret = b"%PDF-1.7 study permit F123456789".repeat(50);

    // Rolled back: nothing stays.
    let txn = db.begin().await.unwrap();
    let lost = vault.put(&txn, &secret).await.unwrap();
    txn.rollback().await.unwrap();
    vault.discard(&lost).await.unwrap();
    assert!(matches!(
        vault.get(db, &lost).await,
        Err(VaultError::Missing(_))
    ));
    assert!(
        file_content::Entity::find()
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );

    // Committed: read back through the pool, sealed in the table.
    let txn = db.begin().await.unwrap();
    let name = vault.put(&txn, &secret).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!(vault.get(db, &name).await.unwrap(), secret);
    let row = file_content::Entity::find_by_id(name.clone())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(!row.sealed.windows(10).any(|w| w == b"F123456789"));
    let other = Vault::with_storage(
        Storage::Database(DatabaseStore::new(None)),
        &FileKey::generate().unwrap(),
    );
    assert!(matches!(
        other.get(db, &name).await,
        Err(VaultError::Undecryptable(_))
    ));
    assert_eq!(vault.list(db).await.unwrap().len(), 1);

    // A removal whose transaction rolls back keeps the file; committed, it is gone.
    let txn = db.begin().await.unwrap();
    vault.remove_within(&txn, &name).await.unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(vault.get(db, &name).await.unwrap(), secret);
    let txn = db.begin().await.unwrap();
    vault.remove_within(&txn, &name).await.unwrap();
    txn.commit().await.unwrap();
    vault.remove_after_commit(&name).await.unwrap();
    assert!(matches!(
        vault.get(db, &name).await,
        Err(VaultError::Missing(_))
    ));
    assert!(matches!(
        vault.get(db, "../../etc/passwd").await,
        Err(VaultError::BadName(_))
    ));
}

#[tokio::test]
async fn database_store_on_sqlite() {
    support::with_sqlite(written_with_the_transaction_that_names_it).await;
}
#[tokio::test]
async fn database_store_on_postgres() {
    support::with_postgres(written_with_the_transaction_that_names_it).await;
}
