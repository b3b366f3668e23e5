//! What the independent review of 2026-12-03 broke (issue 16), through the real router on a
//! real SQLite database: the host and origin of a request, transport security, paging bounds,
//! unreadable server-function arguments, token scope and expiry, sign-in input and the
//! per-client limit, free-text bounds, and PDFs with active content in every disguise.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

#[path = "../../crates/core/tests/pdf_tricks/mod.rs"]
mod pdf_tricks;
#[path = "support/router.rs"]
mod router;
mod support;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use coop_store::Store;
use coop_store::service::access::Role;
use coop_store::service::audit::{self, Actor};
use coop_store::service::client_limit::ClientLimit;
use coop_store::service::passwords::Password;
use coop_store::service::sessions::{self, SessionPolicy};
use coop_store::service::{tokens, users};
use coop_store::settings::AuthSettings;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

const PASSWORD: &str = "maple ferry quantum otter";
const HOST: &str = "coop.test";

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

async fn add_user(store: &Store, email: &str, role: Role, number: Option<&str>) -> i64 {
    users::create(
        store.db(),
        users::NewUser {
            email: email.to_owned(),
            name: email.to_owned(),
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

fn first_field(body: &Value) -> &str {
    body["fields"][0]["field"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn only_the_public_host_is_served_and_healthz_answers_any() {
    let (app, _store, dir) = router::router_with(support::auth_settings()).await;
    let get = |path: &str, host: &str| {
        Request::get(path)
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap()
    };
    let (status, body, _) = send(&app, get("/api/v1/privacy-notice", "evil.example")).await;
    assert_eq!(status, StatusCode::MISDIRECTED_REQUEST);
    assert_eq!(body["error"], "wrong_host");
    let (status, _, _) = send(&app, get("/", "coop.test.evil.example")).await;
    assert_eq!(status, StatusCode::MISDIRECTED_REQUEST);
    let (status, _, _) = send(&app, get("/healthz", "10.0.0.7:3000")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, headers) = send(&app, get("/api/v1/privacy-notice", HOST)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
        "no HSTS over plain http"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_origin_check_compares_scheme_host_and_port_and_https_sends_hsts() {
    let auth = AuthSettings::new("https://coop.test", SessionPolicy::default());
    let (app, store, dir) = router::router_with(auth).await;
    let staff = add_user(&store, "staff@example.ca", Role::Staff, None).await;
    let session = cookie(&store, staff)
        .await
        .replace("coop_session", "__Host-coop_session");
    let sign_out = |origin: &str| {
        Request::delete("/api/v1/session")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, origin)
            .header(header::COOKIE, &session)
            .body(Body::empty())
            .unwrap()
    };
    for other in [
        "ftp://coop.test",
        "http://coop.test",
        "https://coop.test:8443",
    ] {
        let (status, body, _) = send(&app, sign_out(other)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{other}");
        assert_eq!(body["error"], "csrf");
    }
    let (status, _, headers) = send(&app, sign_out("https://coop.test")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        headers[header::STRICT_TRANSPORT_SECURITY],
        "max-age=63072000"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn pages_past_any_list_are_refused_naming_the_field() {
    let (app, store, dir) = router::router_with(support::auth_settings()).await;
    let staff = add_user(&store, "staff@example.ca", Role::Staff, None).await;
    let session = cookie(&store, staff).await;
    for path in [
        "/api/v1/students?page=18446744073709551615",
        "/api/v1/audit?page=18446744073709551615",
        "/api/v1/reminders?page=18446744073709551615",
        "/api/v1/students?page=4294967296&per_page=500",
    ] {
        let (status, body, _) = send(
            &app,
            Request::get(path)
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(first_field(&body), "page", "{path}");
    }
    // The staff list's server function too.
    let (status, _, _) = send(
        &app,
        Request::post("/api/app/find_students")
            .header(header::ORIGIN, support::ORIGIN)
            .header(header::COOKIE, &session)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(
                "filters[q]=&filters[job_access]=&filters[state]=&filters[regime]=&filters[reason]=&filters[extend_study_permit]=&filters[expiring_within_days]=&filters[sort]=&page=18446744073709551615",
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn unreadable_server_function_arguments_are_a_400_with_the_api_error_body() {
    let (app, _store, dir) = router::router_with(support::auth_settings()).await;
    for body in ["page=notanumber", "%%%", ""] {
        let (status, answer, _) = send(
            &app,
            Request::post("/api/app/find_students")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body:?}: {answer}");
        assert_eq!(answer["error"], "unreadable_body");
        assert!(
            answer["message"]
                .as_str()
                .unwrap()
                .starts_with("The arguments cannot be read")
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn tokens_never_manage_users_or_tokens_and_expire() {
    let (app, store, dir) = router::router_with(support::auth_settings()).await;
    let admin = add_user(&store, "admin@example.ca", Role::Admin, None).await;
    add_user(&store, "staff@example.ca", Role::Staff, None).await;
    let now = chrono::Utc::now();
    let (_, admin_token) =
        tokens::create(store.db(), "admin@example.ca", "ops", 30, &Actor::Cli, now)
            .await
            .unwrap();
    let bearer = |method: &str, path: &str, token: &str, body: &str| {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    // It acts as staff…
    let (status, _, _) = send(&app, bearer("GET", "/api/v1/students", &admin_token, "")).await;
    assert_eq!(status, StatusCode::OK);
    // …and never mints a token, lists them, or makes an admin.
    for (method, path, body) in [
        (
            "POST",
            "/api/v1/tokens",
            r#"{"email":"admin@example.ca","name":"more"}"#,
        ),
        ("GET", "/api/v1/tokens", ""),
        ("GET", "/api/v1/users", ""),
        (
            "POST",
            "/api/v1/users",
            r#"{"email":"evil@example.ca","name":"Evil","role":"admin"}"#,
        ),
    ] {
        let (status, _, _) = send(&app, bearer(method, path, &admin_token, body)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
    }
    // Made two days ago to live one: expired, 401.
    let (_, old) = tokens::create(
        store.db(),
        "staff@example.ca",
        "old",
        1,
        &Actor::Cli,
        now - chrono::Duration::days(2),
    )
    .await
    .unwrap();
    let (status, body, _) = send(&app, bearer("GET", "/api/v1/students", &old, "")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_token");
    // An admin's session creates tokens with an expiry, at most a year, shown in the list.
    let session = cookie(&store, admin).await;
    let create = |body: &str| {
        Request::post("/api/v1/tokens")
            .header(header::ORIGIN, support::ORIGIN)
            .header(header::COOKIE, &session)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let (status, created, _) = send(
        &app,
        create(r#"{"email":"staff@example.ca","name":"portal"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let expires: chrono::DateTime<chrono::Utc> = created["details"]["expires_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (expires - now - chrono::Duration::days(90))
            .num_minutes()
            .abs()
            < 5
    );
    let (status, body, _) = send(
        &app,
        create(r#"{"email":"staff@example.ca","name":"forever","expires_in_days":400}"#),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(first_field(&body), "expires_in_days");
    let (status, list, _) = send(
        &app,
        Request::get("/api/v1/tokens")
            .header(header::COOKIE, &session)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let items = list["items"].as_array().unwrap();
    assert!(items.iter().all(|t| t["expires_at"].is_string()));
    assert!(items.iter().any(|t| t["expired"] == true));
    let _ = std::fs::remove_dir_all(dir);
}

fn sign_in_from(ip: &str, email: &str, password: &str) -> Request<Body> {
    let mut request = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({"email": email, "password": password}).to_string(),
        ))
        .unwrap();
    let peer: SocketAddr = format!("{ip}:50000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

#[tokio::test]
async fn sign_in_input_is_bounded_and_one_client_is_held_up() {
    let mut auth = support::auth_settings();
    auth.client_limit = Arc::new(ClientLimit::new(3, std::time::Duration::from_secs(15 * 60)));
    let (app, store, dir) = router::router_with(auth).await;
    add_user(&store, "staff@example.ca", Role::Staff, None).await;
    let rows = || async {
        audit::search(store.db(), &Default::default(), 0, 1)
            .await
            .unwrap()
            .1
    };
    let before = rows().await;
    let long = format!("{}@example.ca", "x".repeat(15_000));
    let (status, body, _) = send(&app, sign_in_from("192.0.2.9", &long, "whatever")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(first_field(&body), "email");
    assert_eq!(
        rows().await,
        before,
        "nothing audited for an overlong address"
    );
    // Three failures from one client, each for another address: then that client waits.
    for who in ["a@example.ca", "b@example.ca", "c@example.ca"] {
        let (status, _, _) = send(&app, sign_in_from("192.0.2.1", who, "wrong password")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, body, headers) = send(
        &app,
        sign_in_from("192.0.2.1", "staff@example.ca", PASSWORD),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("from this network")
    );
    assert!(headers.contains_key(header::RETRY_AFTER));
    // Another client signs in as usual.
    let (status, _, _) = send(
        &app,
        sign_in_from("192.0.2.2", "staff@example.ca", PASSWORD),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let _ = std::fs::remove_dir_all(dir);
}

async fn student_upload(app: &Router, session: &str, file: &[u8]) -> (StatusCode, Value) {
    let boundary = "coop-boundary-16";
    let mut body = Vec::new();
    for (name, value) in [
        ("kind", "study_permit"),
        ("number", "F987654321"),
        ("uci", "12-3456-7890"),
        ("issued_on", "2026-01-04"),
        ("expires_on", "2999-01-04"),
        ("on_campus_work", "true"),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"permit.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (status, answer, _) = send(
        app,
        Request::post("/api/v1/me/documents")
            .header(header::ORIGIN, support::ORIGIN)
            .header(header::COOKIE, session)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    (status, answer)
}

#[tokio::test]
async fn every_pdf_trick_is_refused_with_a_way_out_and_clean_files_are_taken() {
    let (app, store, dir) = router::router_with(support::auth_settings()).await;
    let student = add_user(&store, "ana@example.ca", Role::Student, Some("300123")).await;
    let session = cookie(&store, student).await;
    for (name, pdf) in pdf_tricks::refused() {
        if pdf.len() > 10 * 1024 * 1024 {
            continue;
        }
        let (status, body) = student_upload(&app, &session, &pdf).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        let code = body["fields"][0]["code"].as_str().unwrap_or_default();
        assert!(
            code == "active_content" || code == "uncheckable_pdf",
            "{name}: {body}"
        );
        let message = body["fields"][0]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("Print to PDF") && message.contains("(S7)"),
            "{name}: {message}"
        );
    }
    for (name, pdf) in pdf_tricks::accepted().into_iter().take(1) {
        let (status, body) = student_upload(&app, &session, &pdf).await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {body}");
        // Served as a download, sandboxed, never framed.
        let id = body["id"].as_i64().unwrap();
        let response = app
            .clone()
            .oneshot(
                Request::get(format!("/api/v1/me/documents/{id}/file"))
                    .header(header::COOKIE, &session)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers();
        assert_eq!(
            headers[header::CONTENT_DISPOSITION],
            format!("attachment; filename=\"document-{id}.pdf\"").as_str()
        );
        let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            policy.starts_with("sandbox;") && policy.contains("frame-ancestors 'none'"),
            "{policy}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn free_text_is_bounded_with_a_field_error_and_nothing_stored() {
    let (app, store, dir) = router::router_with(support::auth_settings()).await;
    let student = add_user(&store, "ana@example.ca", Role::Student, Some("300123")).await;
    let session = cookie(&store, student).await;
    let employer = "E".repeat(1_500_000);
    let (status, _, _) = send(
        &app,
        Request::post("/api/app/add_my_work_term")
            .header(header::ORIGIN, support::ORIGIN)
            .header(header::COOKIE, &session)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "term[start]=2027-01-04&term[end]=2027-04-30&term[employer]={employer}"
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let user = users::find_by_email(store.db(), "ana@example.ca")
        .await
        .unwrap()
        .unwrap();
    let on_file = coop_store::service::records::load(store.db(), user.student_id.unwrap())
        .await
        .unwrap();
    assert!(on_file.work_terms.is_empty(), "nothing stored");
    let _ = std::fs::remove_dir_all(dir);
}
