//! Accounts on real SQLite and real PostgreSQL: users and their student records, sessions
//! (expiry, revocation), the sign-in lockout kept in the database, API tokens, and the audit
//! trail of each.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use chrono::{DateTime, Duration, Utc};
use coop_store::Store;
use coop_store::service::access::Role;
use coop_store::service::audit::{self, Actor};
use coop_store::service::passwords::Password;
use coop_store::service::sessions::{self, SessionPolicy};
use coop_store::service::sign_in::{SignInError, sign_in};
use coop_store::service::{ServiceError, students, tokens, users};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
        .unwrap()
        .to_utc()
}

const PASSWORD: &str = "maple ferry quantum otter";

async fn accounts(store: Store) {
    let db = store.db();
    let password = Password::new(PASSWORD);
    let new = |email: &str, role: Role, number: Option<&str>| users::NewUser {
        email: email.to_owned(),
        name: "Amara Obi".to_owned(),
        role,
        student_number: number.map(str::to_owned),
    };

    // A student gets a student record; the e-mail is stored lower-case and unique.
    let amara = users::create(
        db,
        new(" Amara@Example.CA ", Role::Student, Some("300123")),
        Some(&password),
        &Actor::Cli,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(amara.email, "amara@example.ca");
    let record = students::get(db, amara.student_id.unwrap()).await.unwrap();
    assert_eq!(record.student_number, "300123");
    assert!(matches!(
        users::create(
            db,
            new("amara@example.ca", Role::Staff, None),
            Some(&password),
            &Actor::Cli,
            now()
        )
        .await,
        Err(ServiceError::Conflict { field: "email" })
    ));
    assert!(matches!(
        users::create(
            db,
            new("b@example.ca", Role::Student, None),
            Some(&password),
            &Actor::Cli,
            now()
        )
        .await,
        Err(ServiceError::Invalid {
            field: "student_number",
            ..
        })
    ));
    assert!(matches!(
        users::create(
            db,
            new("c@example.ca", Role::Staff, None),
            Some(&Password::new("password1234")),
            &Actor::Cli,
            now()
        )
        .await,
        Err(ServiceError::Invalid {
            field: "password",
            ..
        })
    ));
    // Nothing of a refused creation was written.
    assert!(
        users::find_by_email(db, "b@example.ca")
            .await
            .unwrap()
            .is_none()
    );

    // Sign-in: a session that ends when idle, at its absolute end, or when revoked.
    let policy = SessionPolicy::default();
    let signed_in = sign_in(db, "AMARA@example.ca", &password, now(), policy)
        .await
        .unwrap();
    assert_eq!(signed_in.user.role, Role::Student);
    let token = signed_in.token;
    let alive = |at: DateTime<Utc>| {
        let token = token.clone();
        async move {
            sessions::resolve(db, &token, at, policy)
                .await
                .unwrap()
                .is_some()
        }
    };
    assert!(alive(now() + Duration::minutes(59)).await);
    // Still alive 59 minutes after the last request, not after 61 without one.
    assert!(alive(now() + Duration::minutes(118)).await);
    assert!(!alive(now() + Duration::minutes(118) + Duration::minutes(61)).await);
    let token2 = sign_in(db, "amara@example.ca", &password, now(), policy)
        .await
        .unwrap()
        .token;
    assert_ne!(token, token2, "every sign-in opens a new session id");
    assert!(
        sessions::resolve(db, &token2, now() + Duration::hours(13), policy)
            .await
            .unwrap()
            .is_none()
    );
    let session_id = sessions::id_of(&token2);
    sessions::revoke(db, &session_id, now()).await.unwrap();
    assert!(
        sessions::resolve(db, &token2, now(), policy)
            .await
            .unwrap()
            .is_none()
    );
    assert_ne!(
        session_id, token2,
        "the database holds a hash, not the token"
    );

    // Five failures lock the account for 15 minutes, even for the right password; unknown
    // e-mails get the same answers.
    for _ in 0..5 {
        assert!(matches!(
            sign_in(
                db,
                "amara@example.ca",
                &Password::new("wrong password here"),
                now(),
                policy
            )
            .await,
            Err(SignInError::InvalidCredentials)
        ));
    }
    assert!(matches!(
        sign_in(db, "amara@example.ca", &password, now() + Duration::minutes(1), policy).await,
        Err(SignInError::TooManyAttempts { retry_after_seconds }) if retry_after_seconds == 14 * 60
    ));
    assert!(
        sign_in(
            db,
            "amara@example.ca",
            &password,
            now() + Duration::minutes(16),
            policy
        )
        .await
        .is_ok()
    );
    for _ in 0..5 {
        assert!(matches!(
            sign_in(db, "nobody@example.ca", &password, now(), policy).await,
            Err(SignInError::InvalidCredentials)
        ));
    }
    assert!(matches!(
        sign_in(db, "nobody@example.ca", &password, now(), policy).await,
        Err(SignInError::TooManyAttempts { .. })
    ));
    // A failure after the window clears the old ones: the table keeps only what still counts.
    assert!(matches!(
        sign_in(
            db,
            "nobody@example.ca",
            &password,
            now() + Duration::minutes(16),
            policy
        )
        .await,
        Err(SignInError::InvalidCredentials)
    ));
    {
        use coop_store::entity::sign_in_failure;
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let kept = sign_in_failure::Entity::find()
            .filter(sign_in_failure::Column::Email.eq("nobody@example.ca"))
            .count(db)
            .await
            .unwrap();
        assert_eq!(kept, 1);
    }
    let trail = audit::history(db, &format!("user:{}", amara.id))
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"user.create"));
    assert!(actions.contains(&"session.locked"));
    assert_eq!(
        actions.iter().filter(|a| **a == "session.sign_in").count(),
        3
    );
    assert!(trail.iter().all(|e| {
        !e.after
            .as_ref()
            .is_some_and(|v| v.to_string().contains("argon2"))
    }));

    // API tokens: only for staff and admins, stored hashed, revocable; disabling a user ends
    // their tokens and sessions.
    let staff = users::create(
        db,
        new("staff@example.ca", Role::Staff, None),
        Some(&password),
        &Actor::Cli,
        now(),
    )
    .await
    .unwrap();
    assert!(matches!(
        tokens::create(
            db,
            "amara@example.ca",
            "x",
            tokens::DEFAULT_DAYS,
            &Actor::Cli,
            now()
        )
        .await,
        Err(ServiceError::Invalid { .. })
    ));
    let (token, secret) = tokens::create(
        db,
        "staff@example.ca",
        "career portal",
        tokens::DEFAULT_DAYS,
        &Actor::Cli,
        now(),
    )
    .await
    .unwrap();
    assert!(secret.starts_with(tokens::PREFIX));
    assert_ne!(token.token_hash, secret);
    assert_eq!(
        tokens::resolve(db, &secret, now())
            .await
            .unwrap()
            .unwrap()
            .1
            .id,
        staff.id
    );
    // Every token expires: 90 days unless said otherwise, and never more than a year ahead.
    assert_eq!(
        tokens::expires_at(&token),
        now() + Duration::days(i64::from(tokens::DEFAULT_DAYS))
    );
    assert!(
        tokens::resolve(db, &secret, now() + Duration::days(89))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        tokens::resolve(db, &secret, now() + Duration::days(90))
            .await
            .unwrap()
            .is_none(),
        "an expired token acts as no one"
    );
    assert!(matches!(
        tokens::create(db, "staff@example.ca", "forever", 367, &Actor::Cli, now()).await,
        Err(ServiceError::Invalid {
            field: "expires_in_days",
            ..
        })
    ));
    tokens::revoke(db, token.id, &Actor::Cli, now())
        .await
        .unwrap();
    assert!(tokens::resolve(db, &secret, now()).await.unwrap().is_none());
    let (_, secret) = tokens::create(
        db,
        "staff@example.ca",
        "again",
        tokens::DEFAULT_DAYS,
        &Actor::Cli,
        now(),
    )
    .await
    .unwrap();
    let staff_session = sign_in(db, "staff@example.ca", &password, now(), policy)
        .await
        .unwrap()
        .token;
    users::disable(db, "staff@example.ca", &Actor::Cli, now())
        .await
        .unwrap();
    assert!(tokens::resolve(db, &secret, now()).await.unwrap().is_none());
    assert!(
        sessions::resolve(db, &staff_session, now(), policy)
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        sign_in(db, "staff@example.ca", &password, now(), policy).await,
        Err(SignInError::InvalidCredentials)
    ));

    // A new password ends the sessions opened with the old one.
    let session = sign_in(
        db,
        "amara@example.ca",
        &password,
        now() + Duration::minutes(20),
        policy,
    )
    .await
    .unwrap()
    .token;
    let renewed = Password::new("harbour lantern violet seventy");
    users::set_password(
        db,
        "amara@example.ca",
        &renewed,
        &Actor::Cli,
        now() + Duration::minutes(21),
    )
    .await
    .unwrap();
    assert!(
        sessions::resolve(db, &session, now() + Duration::minutes(22), policy)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        sign_in(
            db,
            "amara@example.ca",
            &renewed,
            now() + Duration::minutes(23),
            policy
        )
        .await
        .is_ok()
    );
}

#[tokio::test]
async fn accounts_on_sqlite() {
    support::with_sqlite(accounts).await;
}

#[tokio::test]
async fn accounts_on_postgres() {
    support::with_postgres(accounts).await;
}
