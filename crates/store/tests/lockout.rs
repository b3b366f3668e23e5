//! The sign-in lockout under concurrency, on real SQLite and real PostgreSQL (issue 16): a burst
//! of guesses with the right password among them never signs in, and at most five passwords
//! are checked per window however many arrive at once. What is typed as an address reaches the
//! append-only audit log only when it is an address someone holds.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod support;

use coop_store::Store;
use coop_store::service::access::Role;
use coop_store::service::audit::{self, Actor};
use coop_store::service::passwords::Password;
use coop_store::service::sessions::SessionPolicy;
use coop_store::service::sign_in::{LOCKOUT_FAILURES, SignInError, sign_in};
use coop_store::service::{ServiceError, users};

const PASSWORD: &str = "maple ferry quantum otter";

async fn burst(store: Store) {
    let db = store.db();
    let now = chrono::Utc::now();
    let user = users::create(
        db,
        users::NewUser {
            email: "amara@example.ca".to_owned(),
            name: "Amara Obi".to_owned(),
            role: Role::Staff,
            student_number: None,
        },
        Some(&Password::new(PASSWORD)),
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    // 19 wrong guesses and the right password, all at once.
    let mut attempts = Vec::new();
    for i in 0..20 {
        let db = db.clone();
        let password = if i == 19 {
            PASSWORD.to_owned()
        } else {
            format!("wrong guess number {i}")
        };
        attempts.push(tokio::spawn(async move {
            sign_in(
                &db,
                "amara@example.ca",
                &Password::new(password),
                now,
                SessionPolicy::default(),
            )
            .await
        }));
    }
    let mut checked = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => panic!("a burst of guesses signed in"),
            Err(SignInError::InvalidCredentials) => checked += 1,
            Err(SignInError::TooManyAttempts { .. }) => {}
            Err(other) => panic!("unexpected: {other}"),
        }
    }
    // Every password checked and refused leaves one audit row; attempts refused by the
    // lockout are never checked and leave none.
    let history = audit::history(db, &format!("user:{}", user.id))
        .await
        .unwrap();
    let checked_in_log = history
        .iter()
        .filter(|e| e.action == "session.sign_in_failed" || e.action == "session.locked")
        .count();
    assert!(checked >= 1, "some guesses are checked");
    assert!(
        checked_in_log <= usize::try_from(LOCKOUT_FAILURES).unwrap(),
        "{checked_in_log} passwords were checked in one window"
    );
    // And the account is locked for the right password afterwards, too.
    assert!(matches!(
        sign_in(
            db,
            "amara@example.ca",
            &Password::new(PASSWORD),
            now,
            SessionPolicy::default()
        )
        .await,
        Err(SignInError::TooManyAttempts { .. })
    ));
}

async fn addresses(store: Store) {
    let db = store.db();
    let now = chrono::Utc::now();
    let before = audit::search(db, &Default::default(), 0, 500)
        .await
        .unwrap()
        .1;
    // Overlong or malformed: refused as input before anything is written.
    for typed in [
        "x".repeat(15_000) + "@example.ca",
        "not an address".to_owned(),
    ] {
        assert!(matches!(
            sign_in(
                db,
                &typed,
                &Password::new(PASSWORD),
                now,
                SessionPolicy::default()
            )
            .await,
            Err(SignInError::Service(ServiceError::Invalid {
                field: "email",
                ..
            }))
        ));
    }
    assert_eq!(
        audit::search(db, &Default::default(), 0, 500)
            .await
            .unwrap()
            .1,
        before,
        "no audit row for input that is not an address"
    );
    // An address nobody holds: audited by its hash, never as typed.
    assert!(matches!(
        sign_in(
            db,
            " Nobody@Example.CA ",
            &Password::new(PASSWORD),
            now,
            SessionPolicy::default()
        )
        .await,
        Err(SignInError::InvalidCredentials)
    ));
    let (rows, _) = audit::search(db, &Default::default(), 0, 500)
        .await
        .unwrap();
    let failed = rows.first().unwrap();
    assert_eq!(failed.subject, "sign-in:unknown");
    let recorded = serde_json::to_string(&failed.after).unwrap();
    assert!(!recorded.contains("nobody"), "{recorded}");
    assert!(recorded.contains(&coop_store::service::sessions::id_of("nobody@example.ca")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_never_signs_in_on_sqlite() {
    support::with_sqlite(burst).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_never_signs_in_on_postgres() {
    support::with_postgres(burst).await;
}

#[tokio::test]
async fn typed_addresses_stay_out_of_the_log_on_sqlite() {
    support::with_sqlite(addresses).await;
}

#[tokio::test]
async fn typed_addresses_stay_out_of_the_log_on_postgres() {
    support::with_postgres(addresses).await;
}
