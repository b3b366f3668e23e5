//! The reminder job (R1, R2) on real SQLite and real PostgreSQL, time injected: a simulated
//! season of daily passes delivers each reminder exactly once and in order; a server that was
//! down sends only the latest; a claim whose runner died (or whose e-mail failed) is delivered by
//! a later pass after the lease; paused students and pending applications get none; two runners
//! racing on one PostgreSQL deliver each reminder once; staff resend one by hand.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::sync::Mutex;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use coop_core::case::Coop1101;
use coop_core::review::ReviewStatus as Review;
use coop_core::validation::DocumentKind;
use coop_store::Store;
use coop_store::service::access::Role;
use coop_store::service::audit::Actor;
use coop_store::service::documents::{self, NewDocument};
use coop_store::service::notices::{self, Mailer};
use coop_store::service::reminders::{self, Runner};
use coop_store::service::students::{self, NewStudent};
use coop_store::service::templates::Message;
use coop_store::service::users::{self, NewUser};
use coop_store::service::{applications, student_facts};

/// Records what it sends; fails the first `fail` messages.
#[derive(Default)]
struct Outbox {
    sent: Mutex<Vec<Message>>,
    fail: Mutex<u32>,
}

impl Outbox {
    /// The subjects sent, in order.
    fn subjects(&self) -> Vec<String> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|m| m.subject.clone())
            .collect()
    }
}

impl Mailer for Outbox {
    async fn send(&self, message: &Message) -> Result<(), String> {
        {
            let mut fail = self.fail.lock().unwrap();
            if *fail > 0 {
                *fail -= 1;
                return Err("421 try again later".to_owned());
            }
        }
        self.sent.lock().unwrap().push(message.clone());
        Ok(())
    }
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn runner(name: &str) -> Runner {
    Runner {
        name: name.to_owned(),
        lease: Duration::minutes(10),
    }
}

/// A student with an account and a verified study permit expiring on `expires`.
async fn student(store: &Store, number: &str, expires: &str) -> i64 {
    let now = at("2026-10-01T12:00:00Z");
    let email = format!("{number}@students.example.ca");
    let mut new = NewStudent::enrolled(number, &email, &format!("Student {number}"));
    new.coop_program = true;
    new.coop1101 = Coop1101::Completed;
    let record = students::create(store.db(), new, &Actor::Cli, now)
        .await
        .unwrap();
    users::create(
        store.db(),
        NewUser {
            email,
            name: format!("Student {number}"),
            role: Role::Student,
            student_number: Some(number.to_owned()),
        },
        None,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    documents::put_on_file(
        store.db(),
        record.id,
        NewDocument {
            kind: DocumentKind::StudyPermit,
            number: format!("F{number:0>9}"),
            uci: None,
            issued_on: None,
            expires_on: day(expires),
            on_campus_work: true,
            review: Review::Verified,
        },
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    record.id
}

/// Noon in Vancouver on each day from `first` to `last`.
fn days(first: &str, last: &str) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    let mut d = day(first);
    while d <= day(last) {
        out.push(at(&format!("{d}T20:00:00Z")));
        d = d.succ_opt().unwrap();
    }
    out
}

async fn a_season_of_daily_passes(store: Store) {
    let db = store.db();
    let outbox = Outbox::default();
    let id = student(&store, "1", "2027-03-01").await;
    for now in days("2026-10-15", "2027-03-10") {
        reminders::run_pass(db, Some(&outbox), &runner("a"), now)
            .await
            .unwrap();
        // A second pass the same day finds nothing new.
        let again = reminders::run_pass(db, Some(&outbox), &runner("a"), now)
            .await
            .unwrap();
        assert_eq!(again.claimed + again.retried, 0);
    }
    let subjects = outbox.subjects();
    assert_eq!(
        subjects,
        [
            "Your study permit expires in 120 days (1 Mar 2027)",
            "Your study permit expires in 90 days (1 Mar 2027)",
            "Your study permit expires in 60 days (1 Mar 2027)",
            "Your study permit expires in 30 days (1 Mar 2027)",
            "Your study permit expires in 14 days (1 Mar 2027)",
            "Your study permit expires in 7 days (1 Mar 2027)",
            "Your study permit expires tomorrow (1 Mar 2027)",
            "Your study permit expires today (1 Mar 2027): apply before midnight UTC",
        ]
    );
    let first = outbox.sent.lock().unwrap().first().cloned().unwrap();
    assert_eq!(first.to, "1@students.example.ca");
    assert!(first.text.contains("(T4, M1)"), "{}", first.text);
    assert!(first.text.contains("UTC"), "{}", first.text);
    assert!(first.html.starts_with("<p>"));
    // Each is in the app too, once.
    let user = users::find_by_email(db, "1@students.example.ca")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(notices::of_user(db, user.id).await.unwrap().len(), 8);
    let sent = reminders::of_student(db, id).await.unwrap();
    assert!(
        sent.iter()
            .all(|r| r.channels == "in_app,email" && r.sent_at.is_some())
    );
}

/// R1 and R2 are about the permit and its expiry date, not a row: a student who sends the same
/// permit again (a clearer scan), verified again, is not reminded again of what they were told.
async fn a_resubmitted_permit_is_not_reminded_again(store: Store) {
    let db = store.db();
    let outbox = Outbox::default();
    let id = student(&store, "7", "2027-03-01").await;
    let pass = |now: &'static str| {
        let outbox = &outbox;
        async move {
            reminders::run_pass(db, Some(outbox), &runner("a"), at(now))
                .await
                .unwrap()
        }
    };
    assert_eq!(pass("2026-11-01T20:00:00Z").await.delivered, 1);
    documents::put_on_file(
        db,
        id,
        NewDocument {
            kind: DocumentKind::StudyPermit,
            number: "F000000007".to_owned(),
            uci: None,
            issued_on: None,
            expires_on: day("2027-03-01"),
            on_campus_work: true,
            review: Review::Verified,
        },
        &Actor::Cli,
        at("2026-11-02T18:00:00Z"),
    )
    .await
    .unwrap();
    let again = pass("2026-11-02T20:00:00Z").await;
    assert_eq!((again.claimed, again.delivered), (0, 0));
    // The next date is reminded once, for the permit now on file.
    assert_eq!(pass("2026-12-01T20:00:00Z").await.delivered, 1);
    let subjects = outbox.subjects();
    assert_eq!(
        subjects,
        [
            "Your study permit expires in 120 days (1 Mar 2027)",
            "Your study permit expires in 90 days (1 Mar 2027)",
        ]
    );
}

async fn after_downtime_only_the_latest(store: Store) {
    let db = store.db();
    let outbox = Outbox::default();
    student(&store, "2", "2027-03-01").await;
    // Down from before D-120 until after D-30 (2027-01-30): one reminder, the D-30 one.
    let report = reminders::run_pass(db, Some(&outbox), &runner("a"), at("2027-02-05T20:00:00Z"))
        .await
        .unwrap();
    assert_eq!((report.claimed, report.delivered), (1, 1));
    let subjects = outbox.subjects();
    assert_eq!(
        subjects,
        ["Your study permit expires in 30 days (1 Mar 2027)"]
    );
}

async fn abandoned_claims_are_delivered_after_the_lease(store: Store) {
    let db = store.db();
    let outbox = Outbox::default();
    *outbox.fail.lock().unwrap() = 1;
    let id = student(&store, "3", "2027-03-01").await;
    let now = at("2026-12-02T20:00:00Z");
    // The e-mail fails: the claim stays undelivered, with why.
    let first = reminders::run_pass(db, Some(&outbox), &runner("a"), now)
        .await
        .unwrap();
    assert_eq!((first.claimed, first.delivered, first.failed), (1, 0, 1));
    let row = reminders::of_student(db, id).await.unwrap().pop().unwrap();
    assert!(row.sent_at.is_none());
    assert_eq!(row.last_error.as_deref(), Some("421 try again later"));
    // Within the lease nobody takes it; after it, another runner delivers it once.
    let soon = reminders::run_pass(db, Some(&outbox), &runner("b"), now + Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(soon.retried, 0);
    let later = reminders::run_pass(db, Some(&outbox), &runner("b"), now + Duration::minutes(11))
        .await
        .unwrap();
    assert_eq!((later.retried, later.delivered), (1, 1));
    assert_eq!(outbox.sent.lock().unwrap().len(), 1);
    let row = reminders::of_student(db, id).await.unwrap().pop().unwrap();
    assert_eq!((row.claimed_by.as_str(), row.attempts), ("b", 2));
}

async fn paused_and_pending_get_none(store: Store) {
    let db = store.db();
    let outbox = Outbox::default();
    let paused = student(&store, "4", "2027-03-01").await;
    student_facts::set_reminders_paused(
        db,
        paused,
        Some("Graduated in December"),
        &Actor::User(1),
        at("2026-11-01T00:00:00Z"),
    )
    .await
    .unwrap();
    let applied = student(&store, "5", "2027-03-01").await;
    applications::put_on_file(
        db,
        applied,
        coop_core::case::Application {
            for_document: coop_core::case::DocumentFor::StudyPermit,
            submitted_at: at("2026-11-15T18:00:00Z"),
            decision: coop_core::case::Decision::Pending,
        },
        None,
        &Actor::Cli,
        at("2026-11-15T18:00:00Z"),
    )
    .await
    .unwrap();
    let report = reminders::run_pass(db, Some(&outbox), &runner("a"), at("2026-12-02T20:00:00Z"))
        .await
        .unwrap();
    assert_eq!(report.claimed, 0);
}

/// Two runners, one database, every day of a season at the same moment: each reminder once.
async fn racing_runners(store: Store) {
    let db = store.db();
    let outbox = Outbox::default();
    for n in 0..5 {
        student(&store, &format!("9{n}"), &format!("2027-03-0{}", n + 1)).await;
    }
    let (first, second) = (runner("a"), runner("b"));
    for now in days("2026-10-25", "2027-03-06") {
        let (a, b) = tokio::join!(
            reminders::run_pass(db, Some(&outbox), &first, now),
            reminders::run_pass(db, Some(&outbox), &second, now),
        );
        a.unwrap();
        b.unwrap();
    }
    let sent = outbox.sent.lock().unwrap();
    assert_eq!(sent.len(), 5 * 8, "every reminder once");
    let mut keys: Vec<(String, String)> = sent
        .iter()
        .map(|m| (m.to.clone(), m.subject.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 5 * 8, "none twice");
}

/// Staff send a delivered reminder again: e-mailed and noticed again, recorded on the reminder
/// and in the history; refused with the reason when it no longer applies or the e-mail fails.
async fn staff_resend_one_by_hand(store: Store) {
    let db = store.db();
    let outbox = Outbox::default();
    let id = student(&store, "6", "2027-03-01").await;
    let now = at("2026-12-02T20:00:00Z");
    reminders::run_pass(db, Some(&outbox), &runner("a"), now)
        .await
        .unwrap();
    let row = reminders::of_student(db, id).await.unwrap().pop().unwrap();
    assert_eq!(row.sent_to.as_deref(), Some("6@students.example.ca"));
    assert_eq!(row.resends, 0);

    let later = now + Duration::hours(3);
    let again = reminders::resend(db, Some(&outbox), row.id, &Actor::User(7), later)
        .await
        .unwrap();
    assert_eq!(
        (again.resends, again.resent_by, again.resent_at),
        (1, Some(7), Some(later))
    );
    let sent = outbox.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent.first(), sent.get(1), "the same words again");
    let account = users::find_by_email(db, "6@students.example.ca")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(notices::of_user(db, account.id).await.unwrap().len(), 2);
    let history = coop_store::service::audit::history(db, &format!("student:{id}"))
        .await
        .unwrap();
    let event = history
        .iter()
        .find(|e| e.action == "reminder.resend")
        .expect("the resend is in the history");
    assert_eq!(event.actor.as_deref(), Some("user:7"));
    assert_eq!(event.after.as_ref().unwrap()["to"], "6@students.example.ca");

    // The mail server refuses: an error that says so, and nothing recorded.
    *outbox.fail.lock().unwrap() = 1;
    let failed = reminders::resend(db, Some(&outbox), row.id, &Actor::User(7), later)
        .await
        .unwrap_err();
    assert!(
        failed
            .to_string()
            .contains("could not be sent (421 try again later)"),
        "{failed}"
    );
    let row = reminders::of_student(db, id).await.unwrap().pop().unwrap();
    assert_eq!(row.resends, 1);

    // Once the student reports an application, reminders about that permit stop: no resend.
    applications::put_on_file(
        db,
        id,
        coop_core::case::Application {
            for_document: coop_core::case::DocumentFor::StudyPermit,
            submitted_at: later,
            decision: coop_core::case::Decision::Pending,
        },
        None,
        &Actor::Cli,
        later,
    )
    .await
    .unwrap();
    let stopped = reminders::resend(db, Some(&outbox), row.id, &Actor::User(7), later)
        .await
        .unwrap_err();
    assert!(
        stopped.to_string().contains("reported an application"),
        "{stopped}"
    );
    assert_eq!(outbox.sent.lock().unwrap().len(), 2);
    assert!(matches!(
        reminders::resend(db, Some(&outbox), 999_999, &Actor::User(7), later).await,
        Err(coop_store::service::ServiceError::NotFound)
    ));
}

#[tokio::test]
async fn resend_on_sqlite() {
    support::with_sqlite(staff_resend_one_by_hand).await;
}
#[tokio::test]
async fn resend_on_postgres() {
    support::with_postgres(staff_resend_one_by_hand).await;
}
#[tokio::test]
async fn season_on_sqlite() {
    support::with_sqlite(a_season_of_daily_passes).await;
}
#[tokio::test]
async fn season_on_postgres() {
    support::with_postgres(a_season_of_daily_passes).await;
}
#[tokio::test]
async fn resubmitted_on_sqlite() {
    support::with_sqlite(a_resubmitted_permit_is_not_reminded_again).await;
}
#[tokio::test]
async fn resubmitted_on_postgres() {
    support::with_postgres(a_resubmitted_permit_is_not_reminded_again).await;
}
#[tokio::test]
async fn downtime_on_sqlite() {
    support::with_sqlite(after_downtime_only_the_latest).await;
}
#[tokio::test]
async fn downtime_on_postgres() {
    support::with_postgres(after_downtime_only_the_latest).await;
}
#[tokio::test]
async fn abandoned_on_sqlite() {
    support::with_sqlite(abandoned_claims_are_delivered_after_the_lease).await;
}
#[tokio::test]
async fn abandoned_on_postgres() {
    support::with_postgres(abandoned_claims_are_delivered_after_the_lease).await;
}
#[tokio::test]
async fn paused_and_pending_on_sqlite() {
    support::with_sqlite(paused_and_pending_get_none).await;
}
#[tokio::test]
async fn paused_and_pending_on_postgres() {
    support::with_postgres(paused_and_pending_get_none).await;
}
#[tokio::test]
async fn racing_runners_on_sqlite() {
    support::with_sqlite(racing_runners).await;
}
#[tokio::test]
async fn racing_runners_on_postgres() {
    support::with_postgres(racing_runners).await;
}
