//! Staff search a fragment of a name, number or e-mail (`okafor 42`) among 100,000 students:
//! `LIKE '%…%'` cannot use a B-tree index, so each search read every row twice (to count, then
//! for the page). A trigram index answers it from the fragment's three-letter pieces instead.
//!
//! - **SQLite**: an FTS5 table with the trigram tokenizer, `students_search`, one row per student
//!   (rowid = the student's id) holding the lower-cased name, number and e-mail; triggers keep it
//!   in step with `students`. A `GLOB` on it uses the index.
//! - **PostgreSQL**: a GIN trigram index (`pg_trgm`) on the same expression. Creating the
//!   extension needs the CREATE privilege on the database (the owner has it; `pg_trgm` is a
//!   trusted extension); without it the migration goes on without the index and search scans,
//!   as before.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: [&str; 5] = [
    "CREATE VIRTUAL TABLE students_search USING fts5(text, tokenize = 'trigram')",
    "INSERT INTO students_search (rowid, text) SELECT id, lower(name || ' ' || student_number || ' ' || email) FROM students",
    "CREATE TRIGGER students_search_insert AFTER INSERT ON students BEGIN INSERT INTO students_search (rowid, text) VALUES (new.id, lower(new.name || ' ' || new.student_number || ' ' || new.email)); END",
    "CREATE TRIGGER students_search_update AFTER UPDATE OF name, student_number, email ON students BEGIN UPDATE students_search SET text = lower(new.name || ' ' || new.student_number || ' ' || new.email) WHERE rowid = new.id; END",
    "CREATE TRIGGER students_search_delete AFTER DELETE ON students BEGIN DELETE FROM students_search WHERE rowid = old.id; END",
];

const POSTGRES_UP: &str = r"
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
    RAISE WARNING 'pg_trgm cannot be created here (%): staff search works without its index', SQLERRM;
END
$$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS idx_students_search ON students
            USING gin ((lower(name || ' ' || student_number || ' ' || email)) gin_trgm_ops);
    END IF;
END
$$;
";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(POSTGRES_UP).await?;
            }
            _ => {
                for statement in SQLITE_UP {
                    db.execute_unprepared(statement).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared("DROP INDEX IF EXISTS idx_students_search")
                    .await?;
            }
            _ => {
                for trigger in ["insert", "update", "delete"] {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS students_search_{trigger}"
                    ))
                    .await?;
                }
                db.execute_unprepared("DROP TABLE IF EXISTS students_search")
                    .await?;
            }
        }
        Ok(())
    }
}
