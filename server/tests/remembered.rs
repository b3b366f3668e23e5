//! What an instance remembers between requests (issue 21), through the real router on a real
//! SQLite database: who a cookie or token belongs to is kept at most 5 seconds; a change made
//! through the instance takes effect at once; a change it did not see (another instance, a
//! command), within the bound. A student's status follows a change through the instance at once,
//! and one made elsewhere within a second.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/router.rs"]
mod router;
mod support;

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use coop_store::Store;
use coop_store::remembered::BOUND;
use coop_store::service::access::Role;
use coop_store::service::audit::Actor;
use coop_store::service::records::RECHECK_AFTER;
use coop_store::service::sessions::{self, SessionPolicy};
use coop_store::service::student_facts::{self, ProgramChange};
use coop_store::service::{tokens, users};
use http_body_util::BodyExt;
use sea_orm::ConnectionTrait;
use serde_json::Value;
use tower::ServiceExt;

async fn get(app: &Router, path: &str, credential: &(&str, String)) -> (StatusCode, Value) {
    let request = Request::get(path)
        .header(header::HOST, "coop.test")
        .header(credential.0, &credential.1)
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn add_user(store: &Store, email: &str, role: Role, number: Option<&str>) -> i64 {
    users::create(
        store.db(),
        users::NewUser {
            email: email.to_owned(),
            name: email.to_owned(),
            role,
            student_number: number.map(str::to_owned),
        },
        None,
        &Actor::System,
        chrono::Utc::now(),
    )
    .await
    .unwrap()
    .id
}

async fn session_cookie(store: &Store, user_id: i64) -> (&'static str, String) {
    let token = sessions::open(
        store.db(),
        user_id,
        chrono::Utc::now(),
        SessionPolicy::default(),
    )
    .await
    .unwrap();
    ("cookie", format!("coop_session={token}"))
}

/// A write no instance in this process made (another instance's, or a command's): plain SQL.
async fn elsewhere(store: &Store, sql: &str) {
    let other = Store::open(&format!("sqlite://{}", store_path(store).await.display()))
        .await
        .unwrap();
    other.db().execute_unprepared(sql).await.unwrap();
}

async fn store_path(store: &Store) -> std::path::PathBuf {
    let row = store
        .db()
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Sqlite,
            "SELECT file FROM pragma_database_list WHERE name = 'main'",
        ))
        .await
        .unwrap()
        .unwrap();
    std::path::PathBuf::from(row.try_get::<String>("", "file").unwrap())
}

/// Polls `path` until it answers `wanted`; how long that took.
async fn until_answer(
    app: &Router,
    path: &str,
    credential: &(&str, String),
    wanted: StatusCode,
) -> Duration {
    let started = Instant::now();
    loop {
        let (status, _) = get(app, path, credential).await;
        if status == wanted {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < BOUND + Duration::from_secs(2),
            "{path} still answers {status} after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_session_revoked_elsewhere_is_refused_within_the_bound_and_at_once_here() {
    let (app, store, dir) = router::router_with(support::auth_settings()).await;
    let student = add_user(&store, "ana@students.test", Role::Student, Some("300001")).await;
    let cookie = session_cookie(&store, student).await;
    assert_eq!(
        get(&app, "/api/v1/me/status", &cookie).await.0,
        StatusCode::OK
    );

    // Revoked by a write this instance did not see: refused within the bound.
    elsewhere(&store, "UPDATE sessions SET revoked_at = CURRENT_TIMESTAMP").await;
    let took = until_answer(&app, "/api/v1/me/status", &cookie, StatusCode::UNAUTHORIZED).await;
    assert!(took <= BOUND + Duration::from_millis(500), "took {took:?}");

    // Signed out through this instance: refused on the next request.
    let cookie = session_cookie(&store, student).await;
    assert_eq!(
        get(&app, "/api/v1/me/status", &cookie).await.0,
        StatusCode::OK
    );
    let sign_out = Request::delete("/api/v1/session")
        .header(header::HOST, "coop.test")
        .header(header::ORIGIN, support::ORIGIN)
        .header("cookie", &cookie.1)
        .body(Body::empty())
        .unwrap();
    let answered = app.clone().oneshot(sign_out).await.unwrap().status();
    assert!(answered.is_success(), "sign-out answered {answered}");
    assert_eq!(
        get(&app, "/api/v1/me/status", &cookie).await.0,
        StatusCode::UNAUTHORIZED
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn a_token_whose_user_is_disabled_elsewhere_is_refused_within_the_bound() {
    let (app, store, dir) = router::router_with(support::auth_settings()).await;
    let staff = add_user(&store, "pat@coop.test", Role::Staff, None).await;
    let (_, secret) = tokens::create(
        store.db(),
        "pat@coop.test",
        "a script",
        30,
        &Actor::System,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let bearer = ("authorization", format!("Bearer {secret}"));
    assert_eq!(
        get(&app, "/api/v1/overview", &bearer).await.0,
        StatusCode::OK
    );
    elsewhere(
        &store,
        &format!("UPDATE users SET disabled_at = CURRENT_TIMESTAMP WHERE id = {staff}"),
    )
    .await;
    let took = until_answer(&app, "/api/v1/overview", &bearer, StatusCode::UNAUTHORIZED).await;
    assert!(took <= BOUND + Duration::from_millis(500), "took {took:?}");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn a_students_status_follows_a_change_here_at_once_and_elsewhere_within_a_second() {
    let (app, store, dir) = router::router_with(support::auth_settings()).await;
    let student = add_user(&store, "bo@students.test", Role::Student, Some("300002")).await;
    let cookie = session_cookie(&store, student).await;
    let (status, before) = get(&app, "/api/v1/me/status", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    let record = users::get(store.db(), student)
        .await
        .unwrap()
        .student_id
        .unwrap();

    // Through this instance (the office's change, L1's co-op program): the next status has it.
    student_facts::update_program(
        store.db(),
        record,
        ProgramChange {
            coop_program: Some(true),
            ..ProgramChange::default()
        },
        &Actor::System,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let (_, here) = get(&app, "/api/v1/me/status", &cookie).await;
    assert_ne!(before["letter"], here["letter"], "{before}\n{here}");

    // A change this instance did not see, with the version bump every change makes (L2's
    // COOP 1101): shown within `RECHECK_AFTER`.
    elsewhere(
        &store,
        "UPDATE students SET coop1101 = 'completed', version = version + 1",
    )
    .await;
    let started = Instant::now();
    loop {
        let (_, now) = get(&app, "/api/v1/me/status", &cookie).await;
        if now["letter"] != here["letter"] {
            break;
        }
        assert!(
            started.elapsed() < RECHECK_AFTER + Duration::from_millis(500),
            "still {now} after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    std::fs::remove_dir_all(dir).ok();
}
