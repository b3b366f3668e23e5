//! Issue 18's accounts on real SQLite and real PostgreSQL: one-time links (once, before they
//! expire, only while the account is enabled, two at once of which one wins), invitations and
//! whether they were accepted, the per-account reset allowance shared by every instance, a
//! sign-on's state used once, which account a provider's identity opens, and the admin's limits
//! on roles and disabling.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use coop_store::Store;
use coop_store::entity::account_link::Purpose;
use coop_store::service::access::Role;
use coop_store::service::audit::{self, Actor};
use coop_store::service::client_limit::ClientAddr;
use coop_store::service::notices::{DynMailer, Mailer};
use coop_store::service::password_reset::{self, Requested};
use coop_store::service::passwords::Password;
use coop_store::service::sessions::{self, SessionPolicy};
use coop_store::service::sso::{self, Identity, Pending, Refusal};
use coop_store::service::templates::Message;
use coop_store::service::{
    ServiceError, account_links, invitations, password_links, sign_in, users,
};
use coop_store::settings::AuthSettings;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-07T12:00:00Z")
        .unwrap()
        .to_utc()
}

const PASSWORD: &str = "maple ferry quantum otter";
const NEW_PASSWORD: &str = "cedar lantern violet harbour";

/// The office's outgoing mail, kept (the SMTP transport itself is tested in the server's
/// tests, against a real SMTP server).
#[derive(Default)]
struct Outbox(Mutex<Vec<Message>>);

impl Mailer for Outbox {
    async fn send(&self, message: &Message) -> Result<(), String> {
        self.0.lock().unwrap().push(message.clone());
        Ok(())
    }
}

impl Outbox {
    fn sent(&self) -> Vec<Message> {
        self.0.lock().unwrap().clone()
    }
}

fn settings() -> AuthSettings {
    AuthSettings::new("https://coop.example.ca", SessionPolicy::default())
}

async fn add(store: &Store, email: &str, role: Role, number: Option<&str>) -> i64 {
    users::create(
        store.db(),
        users::NewUser {
            email: email.to_owned(),
            name: "Amara Obi".to_owned(),
            role,
            student_number: number.map(str::to_owned),
        },
        Some(&Password::new(PASSWORD)),
        &Actor::Cli,
        now(),
    )
    .await
    .unwrap()
    .id
}

async fn links(store: Store) {
    let db = store.db();
    let amara = add(&store, "amara@example.ca", Role::Student, Some("300123")).await;
    let set = |token: String, at: DateTime<Utc>| {
        let db = db.clone();
        async move {
            password_links::set_password(&db, &settings(), &token, &Password::new(NEW_PASSWORD), at)
                .await
        }
    };

    // Expired a second after its hour.
    let reset = account_links::issue(db, amara, Purpose::PasswordReset, None, now())
        .await
        .unwrap();
    assert_eq!(reset.link.expires_at, now() + Duration::hours(1));
    assert!(matches!(
        set(
            reset.token.clone(),
            now() + Duration::minutes(60) + Duration::seconds(1)
        )
        .await,
        Err(ServiceError::Invalid { field: "token", .. })
    ));
    // Stored only as its hash.
    assert_ne!(reset.link.token_hash, reset.token);
    assert_eq!(reset.link.token_hash, sessions::id_of(&reset.token));

    // Two requests with the same link at the same moment: exactly one sets the password.
    let both = tokio::join!(
        set(reset.token.clone(), now() + Duration::minutes(5)),
        set(reset.token.clone(), now() + Duration::minutes(5))
    );
    assert_eq!(
        [both.0.is_ok(), both.1.is_ok()]
            .iter()
            .filter(|ok| **ok)
            .count(),
        1,
        "{both:?}"
    );
    assert!(matches!(
        set(reset.token, now() + Duration::minutes(6)).await,
        Err(ServiceError::Invalid { field: "token", .. })
    ));
    let history: Vec<String> = audit::history(db, &format!("user:{amara}"))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        history
            .iter()
            .filter(|a| *a == "user.password_reset")
            .count(),
        1
    );

    // A link of a disabled account does not work, even unused and in time.
    let invitation = account_links::issue(db, amara, Purpose::Invitation, None, now())
        .await
        .unwrap();
    assert_eq!(invitation.link.expires_at, now() + Duration::days(7));
    users::disable(db, "amara@example.ca", &Actor::Cli, now())
        .await
        .unwrap();
    assert!(matches!(
        set(invitation.token.clone(), now() + Duration::days(6)).await,
        Err(ServiceError::Invalid { field: "token", .. })
    ));
    users::set_disabled(db, amara, false, &Actor::Cli, now())
        .await
        .unwrap();
    assert!(
        set(invitation.token, now() + Duration::days(6))
            .await
            .is_ok()
    );
    // A token nobody was given.
    assert!(matches!(
        set("not-a-token".to_owned(), now()).await,
        Err(ServiceError::Invalid { field: "token", .. })
    ));
}

async fn invitations_and_resets(store: Store) {
    let db = store.db();
    let outbox = Arc::new(Outbox::default());
    let mailer: Arc<dyn DynMailer> = outbox.clone();
    let admin = add(&store, "admin@example.ca", Role::Admin, None).await;
    let bao = users::create(
        db,
        users::NewUser {
            email: "bao@example.ca".to_owned(),
            name: "Bao Tran".to_owned(),
            role: Role::Staff,
            student_number: None,
        },
        None,
        &Actor::User(admin),
        now(),
    )
    .await
    .unwrap();
    // Invited by mail: the link is not shown to the admin.
    let invited = invitations::invite(
        db,
        Some(mailer.as_ref()),
        &settings(),
        bao.id,
        &Actor::User(admin),
        now(),
    )
    .await
    .unwrap();
    assert_eq!(invited.sent_to.as_deref(), Some("bao@example.ca"));
    assert_eq!(invited.link, None);
    let latest = account_links::latest_invitations(db, &[bao.id])
        .await
        .unwrap();
    assert_eq!(
        invitations::accepted(latest.get(&bao.id), &bao),
        Some(false)
    );
    // Without a mail server, the admin gets the link to hand over.
    let handed = invitations::invite(db, None, &settings(), bao.id, &Actor::User(admin), now())
        .await
        .unwrap();
    let link = handed.link.unwrap();
    assert!(link.starts_with("https://coop.example.ca/set-password?token="));
    let token = link.split_once("token=").unwrap().1.to_owned();
    password_links::set_password(
        db,
        &settings(),
        &token,
        &Password::new(NEW_PASSWORD),
        now() + Duration::hours(1),
    )
    .await
    .unwrap();
    let bao = users::get(db, bao.id).await.unwrap();
    let latest = account_links::latest_invitations(db, &[bao.id])
        .await
        .unwrap();
    assert_eq!(invitations::accepted(latest.get(&bao.id), &bao), Some(true));
    assert!(
        sign_in::sign_in(
            db,
            "bao@example.ca",
            &Password::new(NEW_PASSWORD),
            now() + Duration::hours(1),
            SessionPolicy::default()
        )
        .await
        .is_ok()
    );

    // Resets: at most three e-mails an hour per account, counted in the database, so two
    // instances (each with limits of its own in memory) send no more together.
    let (one, two) = (settings(), settings());
    let client = |n: u8| ClientAddr(Some(std::net::IpAddr::from([198, 51, 100, n])));
    let mut sent = 0;
    for n in 0..6 {
        let instance = if n % 2 == 0 { &one } else { &two };
        let asked = password_reset::request(
            db,
            Some(&mailer),
            instance,
            "bao@example.ca",
            client(n),
            now() + Duration::minutes(i64::from(n)),
        )
        .await
        .unwrap();
        if asked == Ok(Requested::Sent) {
            sent += 1;
        }
    }
    assert_eq!(sent, 3);
    // An unknown address: nothing sent, the same outcome to the caller.
    assert_eq!(
        password_reset::request(
            db,
            Some(&mailer),
            &settings(),
            "nobody@example.ca",
            client(9),
            now()
        )
        .await
        .unwrap(),
        Ok(Requested::Nothing)
    );
    // The mail goes after the answer: wait for it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let resets = loop {
        let kept = outbox.sent();
        if kept.iter().filter(|m| m.subject.contains("Reset")).count() >= 3
            || std::time::Instant::now() > deadline
        {
            break kept;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(
        resets
            .iter()
            .filter(|m| m.subject == "Reset your coop-permits password")
            .count(),
        3
    );
    assert!(resets.iter().all(|m| m.to != "nobody@example.ca"));
}

async fn single_sign_on(store: Store) {
    let db = store.db();
    let staff = add(&store, "staff@coop.example", Role::Staff, None).await;
    let student = add(
        &store,
        "amara@students.example",
        Role::Student,
        Some("300123"),
    )
    .await;
    let pending = |state: &'static str| Pending {
        state,
        nonce: "n-0S6_WzA2Mj",
        pkce_verifier: "verifier-of-43-characters-at-the-very-least",
        next: Some("/home?view=students"),
    };
    sso::begin(db, pending("state-1"), now()).await.unwrap();
    // Used once.
    let taken = sso::take(db, "state-1", now() + Duration::minutes(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(taken.nonce, "n-0S6_WzA2Mj");
    assert_eq!(taken.next.as_deref(), Some("/home?view=students"));
    assert!(
        sso::take(db, "state-1", now() + Duration::minutes(1))
            .await
            .unwrap()
            .is_none()
    );
    // Not after ten minutes; never an unknown one.
    sso::begin(db, pending("state-2"), now()).await.unwrap();
    assert!(
        sso::take(db, "state-2", now() + Duration::minutes(11))
            .await
            .unwrap()
            .is_none()
    );
    assert!(sso::take(db, "forged", now()).await.unwrap().is_none());
    // Two callbacks with one state at once: one takes it.
    sso::begin(db, pending("state-3"), now()).await.unwrap();
    let (a, b) = tokio::join!(
        sso::take(db, "state-3", now()),
        sso::take(db, "state-3", now())
    );
    assert_eq!(
        [a.unwrap().is_some(), b.unwrap().is_some()]
            .iter()
            .filter(|t| **t)
            .count(),
        1
    );

    let open = |identity: Identity| {
        let db = db.clone();
        async move {
            sso::sign_in(
                &db,
                &identity,
                "id.token.jwt".to_owned(),
                SessionPolicy::default(),
                None,
                now(),
            )
            .await
            .unwrap()
        }
    };
    let by_email = open(Identity {
        email: Some("Staff@Coop.Example".to_owned()),
        email_verified: Some(true),
        student_number: None,
    })
    .await
    .unwrap();
    assert_eq!(by_email.user.id, staff);
    // The session keeps the ID token (to end the provider's session at sign-out).
    let session_id = sessions::id_of(&by_email.token);
    assert_eq!(
        sessions::sign_out(db, staff, Some(&session_id), now())
            .await
            .unwrap()
            .as_deref(),
        Some("id.token.jwt")
    );
    assert!(
        sessions::resolve(db, &by_email.token, now(), SessionPolicy::default())
            .await
            .unwrap()
            .is_none()
    );
    assert!(users::get(db, staff).await.unwrap().signed_in_at.is_some());
    let by_number = open(Identity {
        email: None,
        email_verified: None,
        student_number: Some(" 300123 ".to_owned()),
    })
    .await
    .unwrap();
    assert_eq!(by_number.user.id, student);
    assert_eq!(
        open(Identity {
            email: Some("staff@coop.example".to_owned()),
            email_verified: Some(false),
            student_number: None,
        })
        .await
        .err(),
        Some(Refusal::Unverified)
    );
    assert_eq!(
        open(Identity {
            email: Some("nobody@coop.example".to_owned()),
            email_verified: Some(true),
            student_number: Some("399999".to_owned()),
        })
        .await
        .err(),
        Some(Refusal::Unregistered)
    );
    users::disable(db, "staff@coop.example", &Actor::Cli, now())
        .await
        .unwrap();
    assert_eq!(
        open(Identity {
            email: Some("staff@coop.example".to_owned()),
            email_verified: Some(true),
            student_number: None,
        })
        .await
        .err(),
        Some(Refusal::Disabled)
    );
    let refused = audit::search(
        db,
        &audit::AuditQuery {
            action: Some("session.sso_refused".to_owned()),
            ..Default::default()
        },
        0,
        50,
    )
    .await
    .unwrap();
    assert_eq!(refused.1, 3);
}

async fn admin_limits(store: Store) {
    let db = store.db();
    let admin = add(&store, "admin@example.ca", Role::Admin, None).await;
    let staff = add(&store, "staff@example.ca", Role::Staff, None).await;
    let student = add(&store, "amara@example.ca", Role::Student, Some("300123")).await;
    let as_admin = Actor::User(admin);
    // The only admin stays one, and cannot disable themself.
    assert!(matches!(
        users::set_role(db, admin, Role::Staff, &as_admin, now()).await,
        Err(ServiceError::State(_))
    ));
    assert!(matches!(
        users::set_disabled(db, admin, true, &as_admin, now()).await,
        Err(ServiceError::State(_))
    ));
    // A student's account stays a student's.
    assert!(matches!(
        users::set_role(db, student, Role::Staff, &as_admin, now()).await,
        Err(ServiceError::Invalid { field: "role", .. })
    ));
    // A role change ends the user's sessions.
    let token = sessions::open(db, staff, now(), SessionPolicy::default())
        .await
        .unwrap();
    users::set_role(db, staff, Role::Admin, &as_admin, now())
        .await
        .unwrap();
    assert!(
        sessions::resolve(db, &token, now(), SessionPolicy::default())
            .await
            .unwrap()
            .is_none()
    );
    // With a second admin, the first may step down.
    users::set_role(db, admin, Role::Staff, &Actor::User(staff), now())
        .await
        .unwrap();
    let (found, total) = users::search(db, "example.ca", 0, 10).await.unwrap();
    assert_eq!(total, 3);
    assert_eq!(found.len(), 3);
    let (found, _) = users::search(db, "AMARA@", 0, 10).await.unwrap();
    assert_eq!(found.len(), 1);
    let actions: Vec<String> = audit::history(db, &format!("user:{admin}"))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"user.role".to_owned()), "{actions:?}");
}

#[tokio::test]
async fn links_on_sqlite() {
    support::with_sqlite(links).await;
}

#[tokio::test]
async fn links_on_postgres() {
    support::with_postgres(links).await;
}

#[tokio::test]
async fn invitations_and_resets_on_sqlite() {
    support::with_sqlite(invitations_and_resets).await;
}

#[tokio::test]
async fn invitations_and_resets_on_postgres() {
    support::with_postgres(invitations_and_resets).await;
}

#[tokio::test]
async fn single_sign_on_on_sqlite() {
    support::with_sqlite(single_sign_on).await;
}

#[tokio::test]
async fn single_sign_on_on_postgres() {
    support::with_postgres(single_sign_on).await;
}

#[tokio::test]
async fn admin_limits_on_sqlite() {
    support::with_sqlite(admin_limits).await;
}

#[tokio::test]
async fn admin_limits_on_postgres() {
    support::with_postgres(admin_limits).await;
}
