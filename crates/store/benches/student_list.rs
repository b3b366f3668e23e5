//! Staff list queries over 100,000 students (issue 6): search, filters, counts, a deep page, the
//! expiry report — on SQLite (a file in a temporary folder) or, with `COOP_BENCH_DATABASE_URL`
//! naming an empty PostgreSQL database, on PostgreSQL.
//!
//! `cargo bench -p coop-store --bench student_list` (the set-up, about a minute, is not measured).
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

use chrono::{DateTime, Duration, Utc};
use coop_core::status::DocumentState;
use coop_store::Store;
use coop_store::entity::{document, student};
use coop_store::service::standings;
use coop_store::service::student_list::{self, Sort, StudentQuery};
use criterion::{Criterion, criterion_group, criterion_main};
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, EntityTrait, Set, TransactionTrait};

const STUDENTS: i64 = 100_000;

const FIRST: [&str; 10] = [
    "Ana", "Bao", "Chidi", "Dana", "Elif", "Farah", "Gabriel", "Hana", "Ishaan", "Jia",
];
const LAST: [&str; 10] = [
    "Silva", "Nguyen", "Okafor", "Cohen", "Yilmaz", "Haddad", "Moreau", "Sato", "Patel", "Li",
];

fn name(i: i64) -> String {
    let f = FIRST.get(usize::try_from(i % 10).unwrap()).unwrap();
    let l = LAST.get(usize::try_from((i / 10) % 10).unwrap()).unwrap();
    format!("{f} {l} {i}")
}

async fn fill(store: &Store, now: DateTime<Utc>) {
    let db = store.db();
    let txn = db.begin().await.unwrap();
    let today = now.date_naive();
    for chunk in (0..STUDENTS).collect::<Vec<_>>().chunks(1000) {
        let rows = chunk.iter().map(|i| student::ActiveModel {
            id: NotSet,
            student_number: Set(format!("{}", 300_000_000 + i)),
            email: Set(format!("s{i}@students.example.ca")),
            name: Set(name(*i)),
            program: Set("Diploma in Computer Information Systems".to_owned()),
            coop_program: Set(i % 20 != 0),
            coop1101: Set(if i % 7 == 0 { "none" } else { "completed" }.to_owned()),
            continuance_met: Set(i % 13 != 0),
            full_time: Set(i % 11 != 0),
            level: Set("post_secondary".to_owned()),
            placement_letter: Set(i % 3 != 0),
            uci: Set(None),
            zone: Set("America/Vancouver".to_owned()),
            version: Set(1),
            notes: Set(String::new()),
            reminders_paused: Set(false),
            reminders_paused_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        student::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await
            .unwrap();
    }
    let ids: Vec<i64> = student::Entity::find()
        .all(&txn)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    for chunk in ids.chunks(1000) {
        let rows = chunk.iter().map(|id| document::ActiveModel {
            id: NotSet,
            student_id: Set(*id),
            kind: Set("study_permit".to_owned()),
            number: Set(format!("F{:09}", id)),
            uci: Set(None),
            issued_on: Set(None),
            // Spread over four years around today: some expired, many expiring.
            expires_on: Set(today + Duration::days(id % 1460 - 365)),
            on_campus_work: Set(id % 17 != 0),
            status: Set(if id % 19 == 0 {
                "submitted"
            } else {
                "verified"
            }
            .to_owned()),
            reviewer_id: Set(None),
            reason: Set(None),
            submitted_at: Set(now),
            decided_at: Set(None),
            file_id: Set(None),
            client_key: Set(None),
        });
        document::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await
            .unwrap();
    }
    let started = std::time::Instant::now();
    let computed = standings::refresh(&txn, now).await.unwrap();
    eprintln!(
        "standings of {computed} students computed in {:?}",
        started.elapsed()
    );
    txn.commit().await.unwrap();
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        // What autovacuum does soon after a bulk load: without statistics the planner guesses.
        db.execute_unprepared("ANALYZE").await.unwrap();
    }
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = std::env::temp_dir().join(format!("coop-bench-{}", std::process::id()));
    let url = std::env::var("COOP_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db", dir.display()));
    let backend = if url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    let now = DateTime::parse_from_rfc3339("2026-11-27T20:00:00Z")
        .unwrap()
        .to_utc();
    let store = runtime.block_on(async {
        let store = Store::open_and_migrate(&url).await.unwrap();
        fill(&store, now).await;
        store
    });
    let db = store.db();
    let mut group = c.benchmark_group(format!("student_list_{backend}_100k"));
    group.sample_size(20);
    let cases: [(&str, StudentQuery, u64); 7] = [
        ("first_page_by_name", StudentQuery::default(), 0),
        (
            "search_name_fragment",
            StudentQuery {
                q: "okafor 42".to_owned(),
                ..Default::default()
            },
            0,
        ),
        (
            "search_student_number",
            StudentQuery {
                q: "300099999".to_owned(),
                ..Default::default()
            },
            0,
        ),
        (
            "not_cleared",
            StudentQuery {
                cleared: Some(false),
                ..Default::default()
            },
            0,
        ),
        (
            "maintained_or_expiring_soon",
            StudentQuery {
                state: Some(DocumentState::ExpiringSoon),
                ..Default::default()
            },
            0,
        ),
        (
            "expiring_30_by_expiry",
            StudentQuery {
                expiring_within_days: Some(30),
                sort: Sort::Expiry,
                ..Default::default()
            },
            0,
        ),
        ("page_2000_by_name", StudentQuery::default(), 1999),
    ];
    for (label, query, page) in cases {
        group.bench_function(label, |b| {
            b.iter(|| {
                runtime
                    .block_on(student_list::list(db, &query, page, 25, now))
                    .unwrap()
            });
        });
    }
    group.bench_function("overview_counts", |b| {
        b.iter(|| runtime.block_on(student_list::counts(db, now)).unwrap());
    });
    group.bench_function("expiry_report_90_days", |b| {
        b.iter(|| {
            runtime
                .block_on(student_list::expiring_documents(db, 90, now))
                .unwrap()
        });
    });
    // The next day, the standings whose day has come are recomputed before the list answers.
    let tomorrow = now + Duration::days(1);
    let started = std::time::Instant::now();
    let due = runtime.block_on(standings::refresh(db, tomorrow)).unwrap();
    eprintln!(
        "next day: {due} standings due, recomputed in {:?}",
        started.elapsed()
    );
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
