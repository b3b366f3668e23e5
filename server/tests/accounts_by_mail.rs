//! Accounts by e-mail (issue 18), through the real router on a real SQLite database, with the
//! office's mail going over SMTP to a sink on loopback: a password reset arrives exactly once,
//! its link works once, the old password and the old sessions stop working, and an unknown
//! address gets the same 202 and no mail; requests are limited per address and per client; an
//! invitation arrives with its link, from the users API and from the CSV import; with single
//! sign-on only, invitations say to use it and passwords cannot be set.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

#[path = "support/router.rs"]
mod router;
mod smtp;
mod support;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use coop_store::Store;
use coop_store::entity::account_link::Purpose;
use coop_store::service::access::Role;
use coop_store::service::account_links;
use coop_store::service::audit::{self, Actor};
use coop_store::service::passwords::Password;
use coop_store::service::sessions::{self, SessionPolicy};
use coop_store::service::users;
use coop_store::settings::{OfficeMail, SsoPublic};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const PASSWORD: &str = "maple ferry quantum otter";
const NEW_PASSWORD: &str = "cedar lantern violet harbour";
const HOST: &str = "coop.test";

fn office_mail(sink: &smtp::Sink) -> OfficeMail {
    let mailer =
        coop_server::mail::SmtpMailer::new(&sink.url(), Some("Co-op Office <coop@example.ca>"))
            .unwrap();
    OfficeMail {
        mailer: Some(Arc::new(mailer)),
    }
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, Value, axum::http::HeaderMap) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        headers,
    )
}

/// A JSON request from the app's own origin, from client address `ip`.
fn json_from(
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: &Value,
    ip: &str,
) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, support::ORIGIN)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let mut request = request.body(Body::from(body.to_string())).unwrap();
    let peer: SocketAddr = format!("{ip}:50000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

fn json(method: &str, path: &str, cookie: Option<&str>, body: &Value) -> Request<Body> {
    json_from(method, path, cookie, body, "192.0.2.10")
}

fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, HOST)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

async fn add_user(store: &Store, email: &str, role: Role, number: Option<&str>) -> i64 {
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
        chrono::Utc::now(),
    )
    .await
    .unwrap()
    .id
}

async fn cookie(store: &Store, user: i64) -> String {
    let token = sessions::open(
        store.db(),
        user,
        chrono::Utc::now(),
        SessionPolicy::default(),
    )
    .await
    .unwrap();
    format!("coop_session={token}")
}

async fn sign_in(app: &Router, email: &str, password: &str) -> StatusCode {
    let body = json!({ "email": email, "password": password });
    send(app, json("POST", "/api/v1/session", None, &body))
        .await
        .0
}

/// `POST /api/v1/password-reset` for `email`, from client address `ip`.
async fn ask_reset(
    app: &Router,
    email: &str,
    ip: &str,
) -> (StatusCode, Value, axum::http::HeaderMap) {
    let body = json!({ "email": email });
    send(
        app,
        json_from("POST", "/api/v1/password-reset", None, &body, ip),
    )
    .await
}

/// `POST /api/v1/password-reset/confirm`: a link's token and a new password.
async fn set_password(app: &Router, token: &str, password: &str) -> (StatusCode, Value) {
    let body = json!({ "token": token, "password": password });
    let (status, answer, _) = send(
        app,
        json("POST", "/api/v1/password-reset/confirm", None, &body),
    )
    .await;
    (status, answer)
}

/// The token of a link in a kept message.
fn token_of(message: &str, start: &str) -> String {
    let link = smtp::link(message, start).unwrap_or_else(|| panic!("no {start} in {message}"));
    link.split_once("token=").unwrap().1.to_owned()
}

#[tokio::test]
async fn a_reset_arrives_once_works_once_and_ends_the_old_password_and_sessions() {
    let sink = smtp::start();
    let (app, store, dir) =
        router::router_with_mail(support::auth_settings(), office_mail(&sink)).await;
    let amara = add_user(&store, "amara@example.ca", Role::Student, Some("300123")).await;
    let laptop = cookie(&store, amara).await;
    let phone = cookie(&store, amara).await;

    // An unknown address: the same answer, and no mail.
    let (status, _, _) = ask_reset(&app, "nobody@example.ca", "192.0.2.10").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    // The known address, written as a person might type it.
    let (status, _, _) = ask_reset(&app, "  Amara@Example.CA ", "192.0.2.10").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let kept = smtp::wait_for(&sink, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(sink.kept().len(), 1, "exactly one e-mail: {kept:?}");
    let message = &kept[0];
    assert_eq!(
        smtp::header(message, "To").as_deref(),
        Some("amara@example.ca")
    );
    assert!(
        message.contains("Subject: Reset your coop-permits password"),
        "{message}"
    );
    let token = token_of(message, "http://coop.test/reset-password?token=");

    // A password that breaks today's rules is refused, and the link still works.
    let (status, body) = set_password(&app, &token, "amara@example.ca").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "password", "{body}");

    let (status, body) = set_password(&app, &token, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    // Once only.
    let (status, body) = set_password(&app, &token, "another long passphrase here").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "token", "{body}");
    assert!(
        body["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("used already, has expired"),
        "{body}"
    );

    // Every old session ended; the old password no longer opens one, the new one does.
    for old in [&laptop, &phone] {
        let (status, _, _) = send(&app, get("/api/v1/me", old)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        sign_in(&app, "amara@example.ca", PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app, "amara@example.ca", NEW_PASSWORD).await,
        StatusCode::OK
    );

    let actions: Vec<String> = audit::history(store.db(), &format!("user:{amara}"))
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .collect();
    assert!(
        actions.contains(&"user.password_reset_request".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"user.password_reset".to_owned()),
        "{actions:?}"
    );
    assert_eq!(sink.kept().len(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn an_expired_link_and_an_older_link_are_refused() {
    let (app, store, dir) = router::router_with(support::auth_settings()).await;
    let amara = add_user(&store, "amara@example.ca", Role::Student, Some("300123")).await;
    let db = store.db();
    let two_hours_ago = chrono::Utc::now() - chrono::Duration::hours(2);
    let expired = account_links::issue(db, amara, Purpose::PasswordReset, None, two_hours_ago)
        .await
        .unwrap();
    let (status, answer) = set_password(&app, &expired.token, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["fields"][0]["field"], "token");

    // Two links asked for: the first one used ends the other.
    let now = chrono::Utc::now();
    let first = account_links::issue(db, amara, Purpose::PasswordReset, None, now)
        .await
        .unwrap();
    let second = account_links::issue(db, amara, Purpose::PasswordReset, None, now)
        .await
        .unwrap();
    let (status, _) = set_password(&app, &second.token, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = set_password(&app, &first.token, "another long passphrase here").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        sign_in(&app, "amara@example.ca", NEW_PASSWORD).await,
        StatusCode::OK
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn reset_requests_are_limited_per_address_and_per_client() {
    let sink = smtp::start();
    let (app, store, dir) =
        router::router_with_mail(support::auth_settings(), office_mail(&sink)).await;
    add_user(&store, "amara@example.ca", Role::Student, Some("300123")).await;
    // Three for one address an hour, each from another client.
    for n in 1..=3 {
        let (status, _, _) = ask_reset(&app, "amara@example.ca", &format!("198.51.100.{n}")).await;
        assert_eq!(status, StatusCode::ACCEPTED);
    }
    let (status, body, headers) = ask_reset(&app, "amara@example.ca", "198.51.100.4").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"], "too_many_attempts");
    assert!(
        headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 0
    );
    assert_eq!(smtp::wait_for(&sink, 3).await.len(), 3);

    // Twenty from one client an hour, whatever the addresses (known or not).
    for n in 0..20 {
        let (status, _, _) = ask_reset(&app, &format!("person{n}@example.ca"), "203.0.113.9").await;
        assert_eq!(status, StatusCode::ACCEPTED, "request {n}");
    }
    let (status, _, _) = ask_reset(&app, "person99@example.ca", "203.0.113.9").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Another client is not held up by that one.
    let (status, _, _) = ask_reset(&app, "person99@example.ca", "203.0.113.10").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    // An address that is not one is a clear 422, not a silent 202.
    let (status, body, _) = ask_reset(&app, "not an address", "203.0.113.11").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "email");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(sink.kept().len(), 3, "no mail for unknown addresses");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn an_invitation_arrives_with_its_link_and_can_be_sent_again() {
    let sink = smtp::start();
    let (app, store, dir) =
        router::router_with_mail(support::auth_settings(), office_mail(&sink)).await;
    let admin = add_user(&store, "admin@example.ca", Role::Admin, None).await;
    let admin = cookie(&store, admin).await;
    let new = json!({
        "email": "bao@example.ca",
        "name": "Bao Tran",
        "role": "student",
        "student_number": "300777",
        "invite": true,
    });
    let (status, body, _) = send(&app, json("POST", "/api/v1/users", Some(&admin), &new)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["invitation"]["sent_to"], "bao@example.ca", "{body}");
    assert!(
        body["password"].is_null(),
        "no password is made for an invited user"
    );
    assert_eq!(body["user"]["invitation"]["accepted"], false, "{body}");
    let id = body["user"]["id"].as_i64().unwrap();

    let kept = smtp::wait_for(&sink, 1).await;
    assert_eq!(kept.len(), 1);
    assert_eq!(
        smtp::header(&kept[0], "To").as_deref(),
        Some("bao@example.ca")
    );
    assert!(
        smtp::text_part(&kept[0]).contains("Set your password here"),
        "{}",
        kept[0]
    );
    let first = token_of(&kept[0], "http://coop.test/set-password?token=");

    // Sent again: a second e-mail with a new link.
    let (status, body, _) = send(
        &app,
        json(
            "POST",
            &format!("/api/v1/users/{id}/invitation"),
            Some(&admin),
            &json!({}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let kept = smtp::wait_for(&sink, 2).await;
    assert_eq!(kept.len(), 2);
    let second = token_of(&kept[1], "http://coop.test/set-password?token=");
    assert_ne!(first, second);

    // Accepted: the password is set, the staff see it, the other link is spent.
    let (status, _) = set_password(&app, &second, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        sign_in(&app, "bao@example.ca", NEW_PASSWORD).await,
        StatusCode::OK
    );
    let (status, list, _) = send(&app, get("/api/v1/users?q=bao", &admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"][0]["invitation"]["accepted"], true, "{list}");
    let (status, _) = set_password(&app, &first, "another long passphrase here").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let actions: Vec<String> = audit::history(store.db(), &format!("user:{id}"))
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .collect();
    assert_eq!(
        actions.iter().filter(|a| *a == "user.invite").count(),
        2,
        "{actions:?}"
    );
    assert!(
        actions.contains(&"user.invitation_accept".to_owned()),
        "{actions:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn without_a_mail_server_the_admin_gets_the_link_to_hand_over() {
    let (app, store, dir) = router::router_with(support::auth_settings()).await;
    let admin = add_user(&store, "admin@example.ca", Role::Admin, None).await;
    let admin = cookie(&store, admin).await;
    let new =
        json!({ "email": "kim@example.ca", "name": "Kim Lee", "role": "staff", "invite": true });
    let (status, body, _) = send(&app, json("POST", "/api/v1/users", Some(&admin), &new)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let link = body["invitation"]["link"].as_str().unwrap();
    assert!(
        link.starts_with("http://coop.test/set-password?token="),
        "{link}"
    );
    assert!(body["invitation"]["sent_to"].is_null());
    let token = link.split_once("token=").unwrap().1;
    let (status, _) = set_password(&app, token, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        sign_in(&app, "kim@example.ca", NEW_PASSWORD).await,
        StatusCode::OK
    );

    // An import cannot hand over a link per student: invitations need mail, and nothing is
    // written when it is missing.
    let csv = "student_number,email,name,program,coop_program,coop1101,continuance_met,full_time\n300900,li@example.ca,Li Wei,BBA,true,completed,true,true\n";
    let request = Request::post("/api/v1/students/import?invite=true")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, support::ORIGIN)
        .header(header::CONTENT_TYPE, "text/csv")
        .header(header::COOKIE, &admin)
        .body(Body::from(csv))
        .unwrap();
    let (status, body, _) = send(&app, request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "invite", "{body}");
    assert!(
        coop_store::service::students::find_by_number(store.db(), "300900")
            .await
            .unwrap()
            .is_none()
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn an_import_invites_its_new_students() {
    let sink = smtp::start();
    let (app, store, dir) =
        router::router_with_mail(support::auth_settings(), office_mail(&sink)).await;
    let staff = add_user(&store, "staff@example.ca", Role::Staff, None).await;
    let staff = cookie(&store, staff).await;
    // Already known: updated by the import, never invited by it.
    add_user(&store, "amara@example.ca", Role::Student, Some("300123")).await;
    let csv = "student_number,email,name,program,coop_program,coop1101,continuance_met,full_time\n\
               300123,amara@example.ca,Amara Obi,BBA,true,completed,true,true\n\
               300901,li@example.ca,Li Wei,BBA,true,completed,true,true\n\
               300902,farah@example.ca,Farah Haddad,BSc,true,registered,true,false\n";
    let import = |query: &str| {
        Request::post(format!("/api/v1/students/import{query}"))
            .header(header::HOST, HOST)
            .header(header::ORIGIN, support::ORIGIN)
            .header(header::CONTENT_TYPE, "text/csv")
            .header(header::COOKIE, &staff)
            .body(Body::from(csv))
            .unwrap()
    };
    let (status, report, _) = send(&app, import("?invite=true")).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["created"], 2, "{report}");
    assert_eq!(report["invited"], 2, "{report}");
    assert_eq!(report["invitation_problems"], json!([]), "{report}");
    let kept = smtp::wait_for(&sink, 2).await;
    let mut to: Vec<String> = kept.iter().filter_map(|m| smtp::header(m, "To")).collect();
    to.sort();
    assert_eq!(to, ["farah@example.ca", "li@example.ca"]);
    let li = kept
        .iter()
        .find(|m| smtp::header(m, "To").as_deref() == Some("li@example.ca"))
        .unwrap();
    let token = token_of(li, "http://coop.test/set-password?token=");
    let (status, _) = set_password(&app, &token, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // Li's account is tied to Li's record.
    let body = json!({ "email": "li@example.ca", "password": NEW_PASSWORD });
    let (status, signed_in, headers) =
        send(&app, json("POST", "/api/v1/session", None, &body)).await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    let li_cookie = headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let (_, me, _) = send(&app, get("/api/v1/me", &li_cookie)).await;
    assert_eq!(me["student"]["student_number"], "300901", "{me}");

    // The same file again creates nobody, and invites nobody.
    let (status, report, _) = send(&app, import("?invite=true")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (report["created"].as_u64(), report["invited"].as_u64()),
        (Some(0), Some(0))
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(sink.kept().len(), 2);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn with_single_sign_on_only_invitations_point_to_it_and_passwords_cannot_be_set() {
    let sink = smtp::start();
    let mut auth = support::auth_settings();
    auth.password_sign_in = false;
    auth.sso = Some(Arc::new(SsoPublic::new(
        "Example Polytechnic account",
        "coop-permits",
    )));
    let (app, store, dir) = router::router_with_mail(auth, office_mail(&sink)).await;
    let admin = add_user(&store, "admin@example.ca", Role::Admin, None).await;
    let admin = cookie(&store, admin).await;
    let new =
        json!({ "email": "kim@example.ca", "name": "Kim Lee", "role": "staff", "invite": true });
    let (status, body, _) = send(&app, json("POST", "/api/v1/users", Some(&admin), &new)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Staff see it sent, not yet accepted (accepted once Kim signs in with the provider).
    assert_eq!(body["user"]["invitation"]["accepted"], false, "{body}");
    assert_eq!(body["invitation"]["link"], Value::Null, "{body}");
    let kept = smtp::wait_for(&sink, 1).await;
    let text = smtp::text_part(&kept[0]);
    assert!(
        text.contains("Sign in with Example Polytechnic account"),
        "{text}"
    );
    assert!(!text.contains("token="), "no password link: {text}");

    // No reset e-mail, and no password set from any link.
    let (status, _, _) = ask_reset(&app, "kim@example.ca", "192.0.2.10").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let kim = users::find_by_email(store.db(), "kim@example.ca")
        .await
        .unwrap()
        .unwrap();
    let link = account_links::issue(
        store.db(),
        kim.id,
        Purpose::PasswordReset,
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let (status, _) = set_password(&app, &link.token, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nor a password sign-in, even with a password set before.
    assert_eq!(
        sign_in(&app, "admin@example.ca", PASSWORD).await,
        StatusCode::FORBIDDEN
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(sink.kept().len(), 1);
    let _ = std::fs::remove_dir_all(dir);
}
