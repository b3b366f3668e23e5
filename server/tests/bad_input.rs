//! The bad-input catalogue of RELIABILITY.md, as a test: each class of bad input sent through
//! the real router on a real SQLite database gets a clear 4xx with an error code and a message
//! (never a 5xx), and nothing of it is written. Run with `--nocapture` to print the table.
#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

#[path = "../../crates/core/tests/pdf_tricks/mod.rs"]
mod pdf_tricks;
mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use coop_server::{AppState, routes};
use coop_store::Store;
use coop_store::service::access::Role;
use coop_store::service::audit::Actor;
use coop_store::service::{sessions, students, tokens, users};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;
use tower::ServiceExt;

struct World {
    app: Router,
    store: Store,
    cookie: String,
    bearer: String,
    dir: std::path::PathBuf,
}

async fn world() -> World {
    let dir = std::env::temp_dir().join(format!("coop-bad-{}", uuid::Uuid::new_v4()));
    let store = Store::open_and_migrate(&format!("sqlite://{}/coop.db", dir.display()))
        .await
        .unwrap();
    let db = store.db();
    let now = chrono::Utc::now();
    students::create(
        db,
        students::NewStudent::enrolled("1001", "a@example.ca", "A"),
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    let new_user = |email: &str, role, number: Option<&str>| users::NewUser {
        email: email.to_owned(),
        name: email.to_owned(),
        role,
        student_number: number.map(str::to_owned),
    };
    let student = users::create(
        db,
        new_user("a@example.ca", Role::Student, Some("1001")),
        None,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    users::create(
        db,
        new_user("staff@example.ca", Role::Staff, None),
        None,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    let token = sessions::open(db, student.id, now, support::auth_settings().policy)
        .await
        .unwrap();
    let cookie = support::auth_settings()
        .session_cookie(&token)
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let (_, api_token) = tokens::create(
        db,
        "staff@example.ca",
        "bad input",
        tokens::DEFAULT_DAYS,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    let leptos = LeptosOptions::builder()
        .output_name("coop-permits")
        .site_root(dir.display().to_string())
        .build();
    let app = routes::router(AppState::new(coop_server::state::Shared {
        store: store.clone(),
        auth: support::auth_settings(),
        leptos,
        privacy: Default::default(),
        institution: Some(support::institution()),
        vault: coop_store::vault::Vault::new(
            dir.join("files"),
            &coop_store::vault::FileKey::generate().unwrap(),
        ),
        mail: Default::default(),
        service_worker: None,
        sso: None,
    }));
    World {
        app,
        store,
        cookie,
        bearer: format!("Bearer {api_token}"),
        dir,
    }
}

/// Who sends it.
#[derive(Clone, Copy)]
enum As {
    Anyone,
    Student,
    Staff,
}

fn multipart(fields: &[(&str, &str)], filename: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "bad-input-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

const PERMIT: [(&str, &str); 6] = [
    ("kind", "study_permit"),
    ("number", "F123456789"),
    ("uci", "1234-5678"),
    ("issued_on", "2026-01-04"),
    ("expires_on", "2029-01-04"),
    ("on_campus_work", "true"),
];

fn check_with(field: &str, value: &str) -> Vec<u8> {
    let mut case: Value = serde_json::from_str(
        r#"{"now":"2026-12-15T23:30:00Z","zone":"America/Vancouver","student":{"coop_program":true,"coop1101":"registered","continuance_met":true},"study_permit":{"expires":"2026-12-15"}}"#,
    )
    .unwrap();
    case[field] = Value::String(value.to_owned());
    case.to_string().into_bytes()
}

/// One class of bad input: what it is, the request, and the status and error code it must get.
struct Case {
    class: &'static str,
    who: As,
    method: &'static str,
    path: &'static str,
    content_type: String,
    body: Vec<u8>,
    status: u16,
    error: &'static str,
}

fn cases() -> Vec<Case> {
    let json = || "application/json".to_owned();
    let case =
        |class, who, method, path, content_type: String, body: Vec<u8>, status, error| Case {
            class,
            who,
            method,
            path,
            content_type,
            body,
            status,
            error,
        };
    let (truncated_type, mut truncated) = multipart(&PERMIT, "permit.pdf", b"%PDF-1.7 cut");
    truncated.truncate(truncated.len() - 30);
    let (big_type, big) = multipart(&PERMIT, "permit.pdf", &vec![b'%'; 11 * 1024 * 1024]);
    let (text_type, text) = multipart(&PERMIT, "permit.pdf", b"just some text, not a PDF");
    let (empty_type, empty) = multipart(&PERMIT, "permit.pdf", b"");
    let (script_type, script) = multipart(
        &PERMIT,
        "permit.pdf",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n",
    );
    let (launch_type, launch) = multipart(
        &PERMIT,
        "permit.pdf",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction << /S /L#61unch /F (cmd.exe) >> >> endobj\n%%EOF\n",
    );
    let (hidden_type, hidden) = multipart(
        &PERMIT,
        "permit.pdf",
        &pdf_tricks::script_in_object_stream(pdf_tricks::Encoding::AsciiHex),
    );
    let (unreadable_type, unreadable) = multipart(
        &PERMIT,
        "permit.pdf",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n",
    );
    let mut giant = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    giant.extend_from_slice(b"IHDR");
    giant.extend_from_slice(&65_535u32.to_be_bytes());
    giant.extend_from_slice(&65_535u32.to_be_bytes());
    giant.extend_from_slice(&[8, 2, 0, 0, 0]);
    let (giant_type, giant) = multipart(&PERMIT, "scan.png", &giant);
    let long_email = serde_json::json!({
        "email": format!("{}@example.ca", "x".repeat(15_000)),
        "password": "whatever it is",
    })
    .to_string()
    .into_bytes();
    let form = || "application/x-www-form-urlencoded".to_owned();
    let csv_header =
        "student_number,email,name,program,coop_program,coop1101,continuance_met,full_time\n";
    let mut huge_csv = csv_header.as_bytes().to_vec();
    while huge_csv.len() < 21 * 1024 * 1024 {
        huge_csv.extend_from_slice(b"300000001,x@example.ca,X,Diploma,true,none,true,true\n");
    }
    let mut bad_utf8_csv = csv_header.as_bytes().to_vec();
    bad_utf8_csv
        .extend_from_slice(b"300000001,x@example.ca,\xff\xfe,Diploma,true,none,true,true\n");
    vec![
        case("oversized body (70 KiB to the check)", As::Anyone, "POST", "/api/v1/check", json(), vec![b' '; 70 * 1024], 413, "too_large"),
        case("wrong content type (text/plain)", As::Anyone, "POST", "/api/v1/check", "text/plain".to_owned(), check_with("zone", "America/Vancouver"), 415, "unsupported_media_type"),
        case("malformed JSON", As::Anyone, "POST", "/api/v1/check", json(), b"{\"now\": ".to_vec(), 400, "unreadable_body"),
        case("invalid UTF-8 in JSON", As::Anyone, "POST", "/api/v1/check", json(), b"{\"zone\": \"\xff\xfe\"}".to_vec(), 400, "unreadable_body"),
        case("JSON nested 10,000 deep", As::Anyone, "POST", "/api/v1/check", json(), "[".repeat(10_000).into_bytes(), 400, "unreadable_body"),
        case("timestamp far in the future (year 9999)", As::Anyone, "POST", "/api/v1/check", json(), check_with("now", "9999-12-31T23:59:59Z"), 422, "invalid_case"),
        case("timestamp far in the past (year 1)", As::Anyone, "POST", "/api/v1/check", json(), check_with("now", "0001-01-01T00:00:00Z"), 422, "invalid_case"),
        case("unknown time zone", As::Anyone, "POST", "/api/v1/check", json(), check_with("zone", "Mars/Olympus_Mons"), 422, "invalid_case"),
        case("path-like zone name", As::Anyone, "POST", "/api/v1/check", json(), check_with("zone", "../../etc/passwd"), 422, "invalid_case"),
        case("truncated multipart upload", As::Student, "POST", "/api/v1/me/documents", truncated_type, truncated, 400, "unreadable_body"),
        case("upload as JSON instead of multipart", As::Student, "POST", "/api/v1/me/documents", json(), b"{}".to_vec(), 400, "unreadable_body"),
        case("upload over 10 MiB", As::Student, "POST", "/api/v1/me/documents", big_type, big, 413, "too_large"),
        case("a text file named .pdf", As::Student, "POST", "/api/v1/me/documents", text_type, text, 422, "invalid"),
        case("an empty file", As::Student, "POST", "/api/v1/me/documents", empty_type, empty, 422, "invalid"),
        case("PDF with an embedded script", As::Student, "POST", "/api/v1/me/documents", script_type, script, 422, "invalid"),
        case("PDF with an escaped launch action", As::Student, "POST", "/api/v1/me/documents", launch_type, launch, 422, "invalid"),
        case("PDF with a script in an ASCIIHex object stream", As::Student, "POST", "/api/v1/me/documents", hidden_type, hidden, 422, "invalid"),
        case("PDF whose structure cannot be read", As::Student, "POST", "/api/v1/me/documents", unreadable_type, unreadable, 422, "invalid"),
        case("PNG of 65,535 x 65,535 pixels", As::Student, "POST", "/api/v1/me/documents", giant_type, giant, 422, "invalid"),
        case("sign-in with a 15,000-character e-mail", As::Anyone, "POST", "/api/v1/session", json(), long_email, 422, "invalid"),
        case("page past any list (2^64 - 1)", As::Staff, "GET", "/api/v1/students?page=18446744073709551615", String::new(), Vec::new(), 422, "invalid"),
        case("unreadable server-function arguments", As::Anyone, "POST", "/api/app/find_students", form(), b"page=abc".to_vec(), 400, "unreadable_body"),
        case("CSV import over 20 MiB", As::Staff, "POST", "/api/v1/students/import", "text/csv".to_owned(), huge_csv, 413, "too_large"),
        case("CSV with invalid UTF-8", As::Staff, "POST", "/api/v1/students/import", "text/csv".to_owned(), bad_utf8_csv, 422, "invalid"),
        case("CSV with the wrong header", As::Staff, "POST", "/api/v1/students/import", "text/csv".to_owned(), b"id,name\n1,x\n".to_vec(), 422, "invalid"),
        case("page size out of range", As::Staff, "GET", "/api/v1/students?per_page=100000", String::new(), Vec::new(), 400, "unreadable_body"),
        case("unknown query parameter", As::Staff, "GET", "/api/v1/students?drop=table", String::new(), Vec::new(), 400, "unreadable_body"),
        case("id that is not a number", As::Staff, "GET", "/api/v1/students/abc", String::new(), Vec::new(), 400, "unreadable_body"),
        case("unknown JSON field", As::Student, "POST", "/api/v1/me/letter-requests", json(), br#"{"first_term_start":"2027-01-04","extending_study_permit":false,"privacy_notice":"x","admin":true}"#.to_vec(), 400, "unreadable_body"),
        case("date that does not exist (2027-02-30)", As::Student, "POST", "/api/v1/me/applications", json(), br#"{"for":"study_permit","submitted_at":"2027-02-30T10:00:00Z","application_number":"W123456789"}"#.to_vec(), 422, "invalid"),
        case("password reset for text that is not an address", As::Anyone, "POST", "/api/v1/password-reset", json(), br#"{"email":"ana at example"}"#.to_vec(), 422, "invalid"),
        case("password link that was never issued", As::Anyone, "POST", "/api/v1/password-reset/confirm", json(), br#"{"token":"x","password":"cedar lantern violet harbour"}"#.to_vec(), 422, "invalid"),
        case("import with invitations and no mail server", As::Staff, "POST", "/api/v1/students/import?invite=true", "text/csv".to_owned(), b"student_number,email,name,program,coop_program,coop1101,continuance_met,full_time\n300777,li@example.ca,Li,BBA,true,none,true,true\n".to_vec(), 422, "invalid"),
    ]
}

async fn rows(store: &Store) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "students",
        "documents",
        "files",
        "letter_requests",
        "applications",
    ] {
        let row = store
            .db()
            .query_one_raw(Statement::from_string(
                store.db().get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        out.push(row.try_get::<i64>("", "n").unwrap());
    }
    out
}

#[tokio::test]
async fn every_bad_input_gets_a_clear_4xx_and_writes_nothing() {
    let world = world().await;
    let before = rows(&world.store).await;
    let mut table = vec![
        "| input | request | answer | error code: message |".to_owned(),
        "| --- | --- | --- | --- |".to_owned(),
    ];
    let mut wrong = Vec::new();
    for c in cases() {
        let mut request = Request::builder()
            .method(c.method)
            .uri(c.path)
            .header(header::ORIGIN, support::ORIGIN);
        if !c.content_type.is_empty() {
            request = request.header(header::CONTENT_TYPE, &c.content_type);
        }
        request = match c.who {
            As::Anyone => request,
            As::Student => request.header(header::COOKIE, &world.cookie),
            As::Staff => request.header(header::AUTHORIZATION, &world.bearer),
        };
        let response = world
            .app
            .clone()
            .oneshot(request.body(Body::from(c.body)).unwrap())
            .await
            .unwrap();
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let code = body["error"].as_str().unwrap_or("").to_owned();
        let message = body["message"].as_str().unwrap_or("").to_owned();
        table.push(format!(
            "| {} | `{} {}` | {status} | `{code}`: {} |",
            c.class,
            c.method,
            c.path,
            message.replace('|', "\\|")
        ));
        if status != c.status || code != c.error || message.is_empty() {
            wrong.push(format!(
                "{}: got {status} {code:?} {message:?}, want {} {:?}",
                c.class, c.status, c.error
            ));
        }
    }
    eprintln!("{}", table.join("\n"));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(
        rows(&world.store).await,
        before,
        "bad input wrote something"
    );
    let _ = std::fs::remove_dir_all(&world.dir);
}
