//! Staff list queries over 100,000 students (issue 6): search, filters, counts, a deep page, the
//! expiry report — on SQLite (a file in a temporary folder) or, with `COOP_BENCH_DATABASE_URL`
//! naming an empty PostgreSQL database, on PostgreSQL.
//!
//! `cargo bench -p coop-store --bench student_list` (the set-up, about a minute, is not measured).
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

use chrono::{DateTime, Duration, Utc};
use coop_core::status::DocumentState;
use coop_store::Store;
use coop_store::service::student_list::{self, Sort, StudentQuery};
use coop_store::service::{generated, standings};
use criterion::{Criterion, criterion_group, criterion_main};
use sea_orm::ConnectionTrait;

const STUDENTS: u64 = 100_000;

/// The generated students (`coop_store::service::generated`, as `coop-permits demo --students`
/// makes them), their standings computed.
async fn fill(store: &Store, now: DateTime<Utc>) {
    let started = std::time::Instant::now();
    let added = generated::ensure(store.db(), STUDENTS, now).await.unwrap();
    eprintln!("{added} students generated in {:?}", started.elapsed());
    if store.db().get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        // What autovacuum does soon after a bulk load: without statistics the planner guesses.
        store.db().execute_unprepared("ANALYZE").await.unwrap();
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
