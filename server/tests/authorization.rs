//! The authorization matrix: every `/api/v1` endpoint and every server function, called as
//! anonymous, student A, student B (on A's ids), staff and admin, on a real SQLite database.
//! The expected status of each cell is in `MATRIX`; an endpoint or server function without a
//! row fails the test. Also: CSRF, the sign-in lockout over HTTP, and API tokens.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

#[path = "../../crates/core/tests/pdf_tricks/mod.rs"]
mod pdf_tricks;
mod support;

use std::collections::BTreeSet;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use coop_server::{AppState, routes};
use coop_store::Store;
use coop_store::service::access::Role;
use coop_store::service::audit::{self, Actor};
use coop_store::service::passwords::Password;
use coop_store::service::privacy::PrivacyNotice;
use coop_store::service::{
    applications, documents, letters, notices, reminders, sessions, students, tokens, users,
    work_terms,
};
use coop_store::vault::{FileKey, Vault};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use serde_json::{Value, json};
use tower::ServiceExt;

use support::{ORIGIN, auth_settings};

const PASSWORD: &str = "maple ferry quantum otter";

/// The verification codes of the world's two issued letters.
const VERIFY_CODE: &str = "matrix-letter-code-0001";
const VERIFY_CODE_2: &str = "matrix-letter-code-0002";

/// Who calls.
#[derive(Debug, Clone, Copy)]
enum Caller {
    Anonymous,
    StudentA,
    /// Student B, with A's ids in the path.
    StudentB,
    Staff,
    Admin,
}

const CALLERS: [Caller; 5] = [
    Caller::Anonymous,
    Caller::StudentA,
    Caller::StudentB,
    Caller::Staff,
    Caller::Admin,
];

/// One row: method, path (`{a}` is student A's record, `{victim}` a user to disable, `{token}`
/// an API token), body (`{unique}`: a value of its own per call), and the status for anonymous, A, B on A's ids, staff, admin.
type Row = (&'static str, &'static str, Body_, [u16; 5]);

#[derive(Debug, Clone, Copy)]
enum Body_ {
    None,
    Json(&'static str),
    Form(&'static str),
    /// A valid study permit upload (multipart), with a file of its own each time.
    Document,
    /// A CSV body (`text/csv`).
    Csv(&'static str),
}

const MATRIX: &[Row] = &[
    (
        "POST",
        "/api/v1/check",
        Body_::Json(
            r#"{"now":"2026-11-27T12:00:00Z","student":{"coop_program":true,"coop1101":"completed","continuance_met":true}}"#,
        ),
        [200, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/api/v1/session",
        Body_::Json(r#"{"email":"matrix@example.ca","password":"maple ferry quantum otter"}"#),
        [200, 200, 200, 200, 200],
    ),
    (
        "DELETE",
        "/api/v1/session",
        Body_::None,
        [401, 204, 204, 204, 204],
    ),
    ("GET", "/api/v1/me", Body_::None, [401, 200, 200, 200, 200]),
    (
        "GET",
        "/api/v1/me/status",
        Body_::None,
        [401, 200, 200, 403, 403],
    ),
    (
        "POST",
        "/api/v1/me/applications",
        Body_::Json(
            r#"{"for":"study_permit","submitted_at":"2026-11-20T16:30:00-07:00","application_number":"W123456789"}"#,
        ),
        [401, 201, 201, 403, 403],
    ),
    (
        "PATCH",
        "/api/v1/me/applications/{app}",
        Body_::Json(r#"{"decision":"approved"}"#),
        [401, 200, 404, 403, 403],
    ),
    (
        "POST",
        "/api/v1/me/documents",
        Body_::Document,
        [401, 201, 201, 403, 403],
    ),
    (
        "GET",
        "/api/v1/me/documents",
        Body_::None,
        [401, 200, 200, 403, 403],
    ),
    // A's document: staff read its file; B, on its id, gets 404.
    (
        "GET",
        "/api/v1/me/documents/{doc}/file",
        Body_::None,
        [401, 200, 404, 200, 200],
    ),
    (
        "POST",
        "/api/v1/me/documents/{doc}/withdraw",
        Body_::None,
        [401, 200, 404, 403, 403],
    ),
    (
        "GET",
        "/api/v1/documents?status=submitted",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    // A second document of A's: staff verify it, then admin finds it reviewed (409).
    (
        "POST",
        "/api/v1/documents/{rdoc}/decision",
        Body_::Json(r#"{"decision":"verify"}"#),
        [401, 403, 403, 200, 409],
    ),
    (
        "GET",
        "/api/v1/privacy-notice",
        Body_::None,
        [200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/openapi.json",
        Body_::None,
        [200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/me/letter-requests",
        Body_::None,
        [401, 200, 200, 403, 403],
    ),
    // A's issued letter: A and staff download it; B, on its id, gets 404.
    (
        "GET",
        "/api/v1/me/letter-requests/{issued}/letter.pdf",
        Body_::None,
        [401, 200, 404, 200, 200],
    ),
    // A's pending request: A withdraws it, then B on its id gets 404.
    (
        "POST",
        "/api/v1/me/letter-requests/{letter}/withdraw",
        Body_::None,
        [401, 200, 404, 403, 403],
    ),
    (
        "POST",
        "/api/v1/me/letter-requests",
        Body_::Json(
            r#"{"first_term_start":"2999-05-04","extending_study_permit":false,"privacy_notice":"{notice}"}"#,
        ),
        [401, 201, 201, 403, 403],
    ),
    (
        "GET",
        "/api/v1/letter-requests?status=pending",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    // C's pending request: staff reject it, then admin finds it decided (409).
    (
        "POST",
        "/api/v1/letter-requests/{pending}/decision",
        Body_::Json(r#"{"decision":"reject","reason":"COOP 1101 is not registered yet."}"#),
        [401, 403, 403, 200, 409],
    ),
    // Anyone verifies a letter by its code; a code no letter printed is 404 for everyone.
    (
        "GET",
        "/api/v1/letters/verify/{vcode}",
        Body_::None,
        [200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/letters/verify/{nocode}",
        Body_::None,
        [404, 404, 404, 404, 404],
    ),
    // A's issued letter: staff revoke it, then admin finds it revoked (409).
    (
        "POST",
        "/api/v1/letter-requests/{issued}/revoke",
        Body_::Json(r#"{"reason":"The placement ended early."}"#),
        [401, 403, 403, 200, 409],
    ),
    (
        "GET",
        "/api/v1/programs",
        Body_::None,
        [200, 200, 200, 200, 200],
    ),
    // Staff add the program; admin then finds the code taken (409).
    (
        "POST",
        "/api/v1/programs",
        Body_::Json(
            r#"{"code":"MATRIX","name":"Matrix Program","credential":true,"months":24,"work_months":8,"placement_required":true,"language_or_preparatory":false}"#,
        ),
        [401, 403, 403, 201, 409],
    ),
    (
        "PATCH",
        "/api/v1/programs/{program}",
        Body_::Json(r#"{"months":36}"#),
        [401, 403, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/programs.csv",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/v1/programs/import?dry_run=true",
        Body_::Csv(
            "code,name,credential,months,work_months,placement_required,language_or_preparatory\nDRY,Dry Run,true,12,4,true,false\n",
        ),
        [401, 403, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/overview",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/students",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/students.csv?job_access=not_cleared",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/v1/students/import?dry_run=true",
        Body_::Csv(
            "student_number,email,name,program,coop_program,coop1101,continuance_met,full_time\n9001,new@example.ca,New Student,BBA,true,none,true,true\n",
        ),
        [401, 403, 403, 200, 200],
    ),
    (
        "PATCH",
        "/api/v1/students/{a}",
        Body_::Json(r#"{"notes":"Seen at the drop-in."}"#),
        [401, 403, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/reports/expiring.csv?within_days=90",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/students/{a}",
        Body_::None,
        [401, 200, 404, 200, 200],
    ),
    (
        "GET",
        "/api/v1/me/export",
        Body_::None,
        [401, 200, 200, 403, 403],
    ),
    (
        "PUT",
        "/api/v1/students/{a}/leaving",
        Body_::Json(r#"{"left_on":"2026-06-30"}"#),
        [401, 403, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/students/{a}/export",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/audit?subject=student:{a}",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/users",
        Body_::None,
        [401, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/v1/users",
        Body_::Json(r#"{"email":"new@example.ca","name":"New Staff","role":"staff"}"#),
        [401, 403, 403, 403, 201],
    ),
    (
        "POST",
        "/api/v1/users/{victim}/disable",
        Body_::None,
        [401, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/v1/users/{victim}/enable",
        Body_::None,
        [401, 403, 403, 403, 200],
    ),
    (
        "PATCH",
        "/api/v1/users/{victim}",
        Body_::Json(r#"{"role":"admin"}"#),
        [401, 403, 403, 403, 200],
    ),
    // Without a mail server the admin gets the link to hand over.
    (
        "POST",
        "/api/v1/users/{victim}/invitation",
        Body_::None,
        [401, 403, 403, 403, 200],
    ),
    // Anyone may ask; everyone gets the same answer.
    (
        "POST",
        "/api/v1/password-reset",
        Body_::Json(r#"{"email":"nobody-{unique}@example.ca"}"#),
        [202, 202, 202, 202, 202],
    ),
    // A token nobody was sent: a clear 422 for everyone.
    (
        "POST",
        "/api/v1/password-reset/confirm",
        Body_::Json(r#"{"token":"never-issued","password":"cedar lantern violet harbour"}"#),
        [422, 422, 422, 422, 422],
    ),
    (
        "GET",
        "/api/v1/tokens",
        Body_::None,
        [401, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/v1/tokens",
        Body_::Json(r#"{"email":"staff@example.ca","name":"portal"}"#),
        [401, 403, 403, 403, 201],
    ),
    (
        "DELETE",
        "/api/v1/tokens/{token}",
        Body_::None,
        [401, 403, 403, 403, 204],
    ),
    (
        "POST",
        "/api/app/sign_in",
        Body_::Form(
            "credentials%5Bemail%5D=matrix%40example.ca&credentials%5Bpassword%5D=maple+ferry+quantum+otter",
        ),
        [200, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/api/app/sign_out",
        Body_::None,
        [401, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/api/app/my_status",
        Body_::None,
        [401, 200, 200, 403, 403],
    ),
    (
        "POST",
        "/api/app/find_students",
        Body_::Form("filters%5Bq%5D=&filters%5Bjob_access%5D=not_cleared&page=1"),
        [401, 403, 403, 200, 200],
    ),
    // A's document waits for review: F2 keeps it (409 with the reason) for staff and admin.
    (
        "DELETE",
        "/api/v1/documents/{doc}/file",
        Body_::None,
        [401, 403, 403, 409, 409],
    ),
    (
        "GET",
        "/api/v1/reminders?student={a}&from=2026-01-01",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/v1/reminders/{reminder}/resend",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/app/resend_reminder",
        Body_::Form("id={reminder}"),
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/app/record_leaving",
        Body_::Form("id={a}&left_on="),
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/app/pause_reminders",
        Body_::Form("id={a}&reason=Graduated+in+December"),
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/app/my_notices",
        Body_::None,
        [401, 200, 200, 200, 200],
    ),
    // Nobody's notice: 404 for everyone signed in (another user's is the same).
    (
        "POST",
        "/api/app/mark_notice_read",
        Body_::Form("id=999999"),
        [401, 404, 404, 404, 404],
    ),
    (
        "POST",
        "/api/app/staff_counts",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/app/letter_queue",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    // D's pending request: staff reject it, then admin finds it decided (409).
    (
        "POST",
        "/api/app/decide_letter",
        Body_::Form(
            "form%5Bid%5D={pending2}&form%5Bdecision%5D=reject&form%5Breason%5D=Not+in+Co-op+yet",
        ),
        [401, 403, 403, 200, 409],
    ),
    (
        "POST",
        "/api/app/student_file",
        Body_::Form("id={a}"),
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/app/update_student",
        Body_::Form(
            "id={a}&record%5Bprogram%5D=BBA&record%5Bcoop_program%5D=true&record%5Bcoop1101%5D=registered&record%5Bcontinuance_met%5D=true&record%5Bfull_time%5D=true&record%5Blevel%5D=post_secondary&record%5Bnotes%5D=",
        ),
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/app/import_students",
        Body_::Form(
            "csv=student_number%2Cemail%2Cname%2Cprogram%2Ccoop_program%2Ccoop1101%2Ccontinuance_met%2Cfull_time%0A&commit=false",
        ),
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/app/audit_search",
        Body_::Form(
            "filters%5Bactor%5D=&filters%5Baction%5D=student&filters%5Bstudent%5D=1001&filters%5Bfrom%5D=&filters%5Bto%5D=",
        ),
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/app/report_application",
        Body_::Form(
            "form%5Bfor_document%5D=study_permit&form%5Bwhen%5D=utc_date&form%5Bsubmitted_local%5D=&form%5Bsubmitted_utc_date%5D=2026-11-20&form%5Bapplication_number%5D=W123456789",
        ),
        [401, 200, 200, 403, 403],
    ),
    (
        "POST",
        "/api/app/my_record",
        Body_::None,
        [401, 200, 200, 403, 403],
    ),
    (
        "POST",
        "/api/app/set_my_zone",
        Body_::Form("zone=Asia%2FTokyo"),
        [401, 200, 200, 403, 403],
    ),
    (
        "POST",
        "/api/app/add_my_work_term",
        Body_::Form("term%5Bstart%5D=2027-05-01&term%5Bend%5D=2027-08-31&term%5Bemployer%5D="),
        [401, 200, 200, 403, 403],
    ),
    // A's work term: B's id is in the body, and B gets 404.
    (
        "POST",
        "/api/app/remove_my_work_term",
        Body_::Form("id={term}"),
        [401, 200, 404, 403, 403],
    ),
    (
        "POST",
        "/api/app/my_letter_requests",
        Body_::None,
        [401, 200, 200, 403, 403],
    ),
    // A withdraws the request A made through the API row above (B, on its id, gets 404); then
    // A may ask again, while B still has that row's request waiting: one at a time (409).
    (
        "POST",
        "/api/app/withdraw_letter_request",
        Body_::Form("id={letter2}"),
        [401, 200, 404, 403, 403],
    ),
    (
        "POST",
        "/api/app/request_letter",
        Body_::Form(
            "form%5Bfirst_term_start%5D=2999-09-07&form%5Backnowledged%5D=on&form%5Bprivacy_notice%5D={notice}",
        ),
        [401, 200, 409, 403, 403],
    ),
    (
        "POST",
        "/api/app/my_applications",
        Body_::None,
        [401, 200, 200, 403, 403],
    ),
    // A's pending application of the world (the API's PATCH row decided it: B 404, A 409).
    (
        "POST",
        "/api/app/record_my_decision",
        Body_::Form("id={app}&decision=refused"),
        [401, 409, 404, 403, 403],
    ),
    (
        "POST",
        "/api/app/document_queue",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    // The world's reviewable document was verified by the API row above: 409 for staff.
    (
        "POST",
        "/api/app/decide_document",
        Body_::Form("form%5Bid%5D={rdoc}&form%5Bdecision%5D=verify"),
        [401, 403, 403, 409, 409],
    ),
    (
        "POST",
        "/api/app/my_documents",
        Body_::None,
        [401, 200, 200, 403, 403],
    ),
    // A's document from the API's upload row: A withdraws it; B, on its id, gets 404.
    (
        "POST",
        "/api/app/withdraw_my_document",
        Body_::Form("id={doc2}"),
        [401, 200, 404, 403, 403],
    ),
    (
        "POST",
        "/api/app/who_am_i",
        Body_::None,
        [200, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/api/app/sign_in_options",
        Body_::None,
        [200, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/api/app/forgot_password",
        Body_::Form("email=nobody-{unique}%40example.ca"),
        [200, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/api/app/set_password",
        Body_::Form("form%5Btoken%5D=never-issued&form%5Bpassword%5D=cedar+lantern+violet+harbour"),
        [422, 422, 422, 422, 422],
    ),
    (
        "POST",
        "/api/app/find_users",
        Body_::Form("q=example&page=1"),
        [401, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/app/invite_new_user",
        Body_::Form(
            "form%5Bemail%5D=invited%40example.ca&form%5Bname%5D=Invited+Staff&form%5Brole%5D=staff&form%5Bstudent_number%5D=",
        ),
        [401, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/app/reinvite_user",
        Body_::Form("id={victim}"),
        [401, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/app/set_user_role",
        Body_::Form("id={victim}&role=staff"),
        [401, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/app/set_user_disabled",
        Body_::Form("id={victim}&disabled=true"),
        [401, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/app/list_api_tokens",
        Body_::None,
        [401, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/app/create_api_token",
        Body_::Form("form%5Bemail%5D=staff%40example.ca&form%5Bname%5D=career+portal"),
        [401, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/app/revoke_api_token",
        Body_::Form("id={token}"),
        [401, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/app/list_programs",
        Body_::None,
        [401, 403, 403, 200, 200],
    ),
    // Staff add the program; admin then finds the code taken (409).
    (
        "POST",
        "/api/app/save_program",
        Body_::Form(
            "entry%5Bcode%5D=MATRIXSF&entry%5Bname%5D=Matrix+SF&entry%5Bcredential%5D=true&entry%5Bmonths%5D=24&entry%5Bwork_months%5D=8&entry%5Bplacement_required%5D=true&entry%5Blanguage_or_preparatory%5D=false&adding=true",
        ),
        [401, 403, 403, 200, 409],
    ),
    (
        "POST",
        "/api/app/import_programs",
        Body_::Form(
            "csv=code%2Cname%2Ccredential%2Cmonths%2Cwork_months%2Cplacement_required%2Clanguage_or_preparatory%0ADRY%2CDry+Run%2Ctrue%2C12%2C4%2Ctrue%2Cfalse%0A",
        ),
        [401, 403, 403, 200, 200],
    ),
    // A's second issued letter: staff revoke it, then admin finds it revoked (409).
    (
        "POST",
        "/api/app/revoke_letter",
        Body_::Form("id={issued2}&reason=Issued+in+error."),
        [401, 403, 403, 200, 409],
    ),
];

struct World {
    app: Router,
    store: Store,
    student_a: i64,
    victim: i64,
    token: i64,
    /// A pending application of student A's.
    application: i64,
    /// A work term of student A's.
    term: i64,
    /// A pending letter request of student A's (for the API's withdraw row).
    letter: i64,
    /// An approved letter request of student A's, with its issued letter.
    issued: i64,
    /// Another, for the server function that revokes.
    issued2: i64,
    /// A submitted document of student A's, with its file.
    doc: i64,
    /// Another of A's, for staff to review.
    rdoc: i64,
    /// Pending letter requests of students C and D, for staff to decide.
    pending: i64,
    pending2: i64,
    /// A reminder delivered to student C.
    reminder: i64,
    dir: std::path::PathBuf,
}

impl Drop for World {
    // Every test's database and files go when its world does, passed or failed.
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn world() -> World {
    let dir = std::env::temp_dir().join(format!("coop-authz-{}", uuid::Uuid::new_v4()));
    let store = Store::open_and_migrate(&format!("sqlite://{}/coop.db", dir.display()))
        .await
        .unwrap();
    let db = store.db();
    let now = chrono::Utc::now();
    let password = Password::new(PASSWORD);
    let add = |email: &'static str, role: Role, number: Option<&'static str>| {
        let password = password.clone();
        async move {
            users::create(
                db,
                users::NewUser {
                    email: email.to_owned(),
                    name: email.to_owned(),
                    role,
                    student_number: number.map(str::to_owned),
                },
                Some(&password),
                &Actor::Cli,
                now,
            )
            .await
            .unwrap()
        }
    };
    // Students in the Co-op program registered in COOP 1101, so they may request the letter (L).
    for number in ["1001", "1002", "1003", "1004"] {
        let mut record =
            students::NewStudent::enrolled(number, &format!("{number}@example.ca"), number);
        record.coop_program = true;
        record.coop1101 = coop_core::case::Coop1101::Registered;
        students::create(db, record, &Actor::Cli, now)
            .await
            .unwrap();
    }
    let a = add("a@example.ca", Role::Student, Some("1001")).await;
    add("b@example.ca", Role::Student, Some("1002")).await;
    let c = add("c@example.ca", Role::Student, Some("1003")).await;
    let d = add("d@example.ca", Role::Student, Some("1004")).await;
    add("staff@example.ca", Role::Staff, None).await;
    add("admin@example.ca", Role::Admin, None).await;
    add("matrix@example.ca", Role::Staff, None).await;
    let victim = add("victim@example.ca", Role::Staff, None).await;
    let (token, _) = tokens::create(
        db,
        "staff@example.ca",
        "old",
        tokens::DEFAULT_DAYS,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    let application = applications::put_on_file(
        db,
        a.student_id.unwrap(),
        coop_core::case::Application {
            for_document: coop_core::case::DocumentFor::StudyPermit,
            submitted_at: now,
            decision: coop_core::case::Decision::Pending,
        },
        None,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    let term = work_terms::plan(
        db,
        a.student_id.unwrap(),
        coop_core::case::WorkTerm {
            start: chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            end: chrono::NaiveDate::from_ymd_opt(2027, 4, 30).unwrap(),
        },
        None,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    let notice = PrivacyNotice::default();
    let vault = Vault::new(dir.join("files"), &FileKey::generate().unwrap());
    let ask = || letters::NewLetterRequest {
        first_term_start: chrono::NaiveDate::from_ymd_opt(2999, 1, 4).unwrap(),
        extending_study_permit: false,
        notice_version: notice.version(),
        client_key: None,
    };
    let issued = letters::request(db, &notice, a.id, a.student_id.unwrap(), ask(), now)
        .await
        .unwrap();
    let issuing = coop_store::settings::LetterIssuing {
        vault: vault.clone(),
        institution: Some(support::institution()),
        site: ORIGIN.to_owned(),
    };
    let stated = |code: &str| letters::Stated {
        code: code.to_owned(),
        letter: coop_store::entity::letter_request::IssuedLetter {
            institution: "Example University".to_owned(),
            student_name: "1001".to_owned(),
            program: "Bachelor of Business Administration".to_owned(),
            work_term_start: chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            work_term_end: chrono::NaiveDate::from_ymd_opt(2027, 4, 30).unwrap(),
            issued_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        },
    };
    letters::issue(
        db,
        &issuing,
        issued.id,
        b"%PDF-1.7 A's letter",
        Some(stated(VERIFY_CODE)),
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    // A second issued letter, for the server function's revoke row.
    let issued2 = letters::request(db, &notice, a.id, a.student_id.unwrap(), ask(), now)
        .await
        .unwrap();
    letters::issue(
        db,
        &issuing,
        issued2.id,
        b"%PDF-1.7 A's second letter",
        Some(stated(VERIFY_CODE_2)),
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    let letter = letters::request(
        db,
        &notice,
        a.id,
        a.student_id.unwrap(),
        letters::NewLetterRequest {
            first_term_start: chrono::NaiveDate::from_ymd_opt(2999, 1, 4).unwrap(),
            extending_study_permit: false,
            notice_version: notice.version(),
            client_key: None,
        },
        now,
    )
    .await
    .unwrap();
    let doc = documents::submit(
        db,
        &vault,
        a.student_id.unwrap(),
        documents::Upload {
            kind: coop_core::validation::DocumentKind::StudyPermit,
            number: "F123456789".to_owned(),
            uci: "1234-5678".to_owned(),
            issued_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 4).unwrap(),
            expires_on: chrono::NaiveDate::from_ymd_opt(2999, 1, 4).unwrap(),
            on_campus_work: true,
            bytes: pdf_tricks::page("the world's study permit"),
            client_key: None,
        },
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    let rdoc = documents::submit(
        db,
        &vault,
        a.student_id.unwrap(),
        documents::Upload {
            kind: coop_core::validation::DocumentKind::CoopWorkPermit,
            number: "U123456789".to_owned(),
            uci: "1234-5678".to_owned(),
            issued_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 4).unwrap(),
            expires_on: chrono::NaiveDate::from_ymd_opt(2998, 1, 4).unwrap(),
            on_campus_work: false,
            bytes: pdf_tricks::page("the world's co-op work permit"),
            client_key: None,
        },
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    // C's study permit expires in 30 days: the job delivers R1's D-30 reminder, for staff to
    // list and send again.
    documents::put_on_file(
        db,
        c.student_id.unwrap(),
        documents::NewDocument {
            kind: coop_core::validation::DocumentKind::StudyPermit,
            number: "F100300300".to_owned(),
            uci: None,
            issued_on: None,
            expires_on: coop_core::time::Zone::vancouver().today(now) + chrono::Duration::days(30),
            on_campus_work: true,
            review: coop_core::review::ReviewStatus::Verified,
        },
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    let runner = reminders::Runner {
        name: "matrix".to_owned(),
        lease: chrono::Duration::minutes(10),
    };
    let pass = reminders::run_pass(db, None::<&dyn notices::DynMailer>, &runner, now)
        .await
        .unwrap();
    assert_eq!(pass.delivered, 1, "C's D-30 reminder");
    let reminder = reminders::of_student(db, c.student_id.unwrap())
        .await
        .unwrap()
        .first()
        .unwrap()
        .id;
    let leptos = LeptosOptions::builder()
        .output_name("coop-permits")
        .site_root(dir.display().to_string())
        .build();
    let mut pending = Vec::new();
    for who in [&c, &d] {
        let request = letters::request(db, &notice, who.id, who.student_id.unwrap(), ask(), now)
            .await
            .unwrap();
        pending.push(request.id);
    }
    let app = routes::router(AppState::new(coop_server::state::Shared {
        store: store.clone(),
        auth: auth_settings(),
        leptos,
        privacy: Default::default(),
        institution: Some(support::institution()),
        vault,
        mail: Default::default(),
        service_worker: None,
        sso: None,
    }));
    World {
        app,
        student_a: a.student_id.unwrap(),
        victim: victim.id,
        token: token.id,
        application: application.id,
        term: term.id,
        letter: letter.id,
        issued: issued.id,
        issued2: issued2.id,
        doc: doc.document.id,
        rdoc: rdoc.document.id,
        pending: pending.first().copied().unwrap(),
        pending2: pending.get(1).copied().unwrap(),
        reminder,
        store,
        dir,
    }
}

impl World {
    /// A fresh session cookie for a caller (rows that sign out or in must not spoil the next).
    async fn cookie(&self, caller: Caller) -> Option<String> {
        let email = match caller {
            Caller::Anonymous => return None,
            Caller::StudentA => "a@example.ca",
            Caller::StudentB => "b@example.ca",
            Caller::Staff => "staff@example.ca",
            Caller::Admin => "admin@example.ca",
        };
        let user = users::find_by_email(self.store.db(), email)
            .await
            .unwrap()
            .unwrap();
        let token = sessions::open(
            self.store.db(),
            user.id,
            chrono::Utc::now(),
            auth_settings().policy,
        )
        .await
        .unwrap();
        Some(format!("coop_session={token}"))
    }

    /// Student A's newest letter request: the one A made through the API's row.
    async fn letter_of_a_after_api_rows(&self) -> i64 {
        letters::list(self.store.db(), self.student_a)
            .await
            .unwrap()
            .first()
            .map(|r| r.id)
            .unwrap()
    }

    fn path(&self, template: &str) -> String {
        template
            .replace("{a}", &self.student_a.to_string())
            .replace("{victim}", &self.victim.to_string())
            .replace("{token}", &self.token.to_string())
            .replace("{app}", &self.application.to_string())
            .replace("{term}", &self.term.to_string())
            .replace("{letter}", &self.letter.to_string())
            .replace("{issued}", &self.issued.to_string())
            .replace("{issued2}", &self.issued2.to_string())
            .replace("{vcode}", VERIFY_CODE)
            .replace("{nocode}", "no-letter-has-this-code")
            .replace("{program}", "MATRIX")
            .replace("{doc}", &self.doc.to_string())
            .replace("{rdoc}", &self.rdoc.to_string())
            .replace("{reminder}", &self.reminder.to_string())
            .replace("{pending}", &self.pending.to_string())
            .replace("{pending2}", &self.pending2.to_string())
            .replace("{notice}", &PrivacyNotice::default().version())
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, Value, axum::http::HeaderMap) {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            headers,
        )
    }
}

fn request(method: &str, path: &str, body: Body_, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri(path)
        .header(header::ORIGIN, ORIGIN);
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    match body {
        Body_::None => builder.body(Body::empty()),
        Body_::Json(text) => builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(text)),
        Body_::Form(text) => builder
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(text)),
        Body_::Csv(text) => builder
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(text)),
        Body_::Document => {
            let (content_type, body) = document_upload(
                &[
                    ("kind", "study_permit"),
                    ("number", "F123456789"),
                    ("uci", "1234-5678"),
                    ("issued_on", "2026-01-04"),
                    ("expires_on", "2999-01-04"),
                    ("on_campus_work", "true"),
                ],
                &pdf_tricks::page(&uuid::Uuid::new_v4().to_string()),
            );
            builder
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
        }
    }
    .unwrap()
}

/// A `multipart/form-data` body with these text fields and a file part; returns its content type.
fn document_upload(fields: &[(&str, &str)], file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "coop-boundary-7d1f";
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
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"permit.pdf\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `{unique}` in a body: a value of its own each time (an address for the password-reset rows,
/// which are limited per address).
fn unique(text: &str) -> String {
    text.replace("{unique}", &uuid::Uuid::new_v4().simple().to_string())
}

#[tokio::test]
async fn every_route_answers_each_role_as_the_matrix_says() {
    let world = world().await;
    // The matrix names every endpoint and server function, and nothing else.
    let served: BTreeSet<String> = routes::api_endpoints()
        .iter()
        .map(|(method, path)| format!("{method} {path}"))
        .chain(server_fn::axum::server_fn_paths().map(|(path, method)| format!("{method} {path}")))
        .collect();
    let rows: BTreeSet<String> = MATRIX
        .iter()
        .map(|(method, path, _, _)| {
            let route = path.split('?').next().unwrap();
            let route = [
                "{a}",
                "{victim}",
                "{token}",
                "{app}",
                "{letter}",
                "{doc}",
                "{issued}",
                "{rdoc}",
                "{pending}",
                "{reminder}",
            ]
            .iter()
            .fold(route.to_owned(), |r, id| r.replace(id, "{id}"));
            let route = ["{vcode}", "{nocode}", "{program}"]
                .iter()
                .fold(route, |r, code| r.replace(code, "{code}"));
            format!("{method} {route}")
        })
        .collect();
    assert_eq!(served, rows, "every route needs exactly one row in MATRIX");

    let mut wrong = Vec::new();
    for (method, template, body, expected) in MATRIX {
        for (caller, want) in CALLERS.iter().zip(expected) {
            let cookie = world.cookie(*caller).await;
            let path = world.path(template);
            let body = match body {
                Body_::Form(text) if text.contains("{doc2}") => {
                    let doc = documents::list(world.store.db(), world.student_a)
                        .await
                        .unwrap()
                        .first()
                        .map(|d| d.id)
                        .unwrap();
                    Body_::Form(Box::leak(
                        text.replace("{doc2}", &doc.to_string()).into_boxed_str(),
                    ))
                }
                Body_::Form(text) if text.contains("{letter2}") => {
                    // The request made by this caller's API row (B's own; B sends A's).
                    let letter = world.letter_of_a_after_api_rows().await;
                    Body_::Form(Box::leak(
                        text.replace("{letter2}", &letter.to_string())
                            .into_boxed_str(),
                    ))
                }
                Body_::Form(text) => {
                    Body_::Form(Box::leak(unique(&world.path(text)).into_boxed_str()))
                }
                Body_::Json(text) => {
                    Body_::Json(Box::leak(unique(&world.path(text)).into_boxed_str()))
                }
                other => *other,
            };
            let (status, answer, _) = world
                .send(request(method, &path, body, cookie.as_deref()))
                .await;
            if status.as_u16() != *want {
                wrong.push(format!(
                    "{method} {path} as {caller:?}: {status} (want {want}) {answer}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "cells that differ:\n{}", wrong.join("\n"));
    std::fs::remove_dir_all(&world.dir).unwrap();
}

#[tokio::test]
async fn state_changes_with_the_cookie_must_come_from_the_app() {
    let world = world().await;
    let cookie = world.cookie(Caller::Admin).await.unwrap();
    let body = r#"{"email":"csrf@example.ca","name":"x","role":"staff"}"#;
    let post = |origin: Option<&str>, referer: Option<&str>| {
        let mut builder = Request::post("/api/v1/users")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(origin) = origin {
            builder = builder.header(header::ORIGIN, origin);
        }
        if let Some(referer) = referer {
            builder = builder.header(header::REFERER, referer);
        }
        builder.body(Body::from(body)).unwrap()
    };
    for (origin, referer) in [
        (Some("https://evil.example"), None),
        (None, None),
        (None, Some("https://evil.example/page")),
        (Some("null"), None),
    ] {
        let (status, answer, _) = world.send(post(origin, referer)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{origin:?} {referer:?}");
        assert_eq!(answer["error"], "csrf");
    }
    // Server functions too.
    let (status, _, _) = world
        .send(
            Request::post("/api/app/sign_out")
                .header(header::COOKIE, &cookie)
                .header(header::ORIGIN, "https://evil.example")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nothing was created by the refused requests; a same-origin one (by Referer) works.
    assert!(
        users::find_by_email(world.store.db(), "csrf@example.ca")
            .await
            .unwrap()
            .is_none()
    );
    let (status, _, _) = world
        .send(post(None, Some(&format!("{ORIGIN}/account"))))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    std::fs::remove_dir_all(&world.dir).unwrap();
}

#[tokio::test]
async fn sign_in_over_http_sets_a_cookie_and_locks_after_five_failures() {
    let world = world().await;
    let sign_in = |password: &str| {
        request(
            "POST",
            "/api/v1/session",
            Body_::Json(Box::leak(
                format!(r#"{{"email":"a@example.ca","password":"{password}"}}"#).into_boxed_str(),
            )),
            None,
        )
    };
    let (status, answer, headers) = world.send(sign_in(PASSWORD)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["user"]["role"], "student");
    let cookie = headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("coop_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
    assert!(!cookie.contains("Secure"), "plain http: no Secure flag");
    let session = cookie.split(';').next().unwrap().to_owned();
    let (status, me, headers) = world
        .send(request("GET", "/api/v1/me", Body_::None, Some(&session)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    // A signed-in user's pages are never stored (the back button after signing out); anyone
    // else's may be, asked about again at each load (so a new build is seen).
    let (_, _, page) = world
        .send(request("GET", "/", Body_::None, Some(&session)))
        .await;
    assert_eq!(page.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let (_, _, page) = world.send(request("GET", "/", Body_::None, None)).await;
    assert_eq!(page.get(header::CACHE_CONTROL).unwrap(), "no-cache");
    assert_eq!(me["student"]["student_number"], "1001");
    // Sign-out revokes it on the server: the same cookie no longer works.
    let (status, _, headers) = world
        .send(request(
            "DELETE",
            "/api/v1/session",
            Body_::None,
            Some(&session),
        ))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let (status, _, _) = world
        .send(request("GET", "/api/v1/me", Body_::None, Some(&session)))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, unknown, _) = world
        .send(request(
            "POST",
            "/api/v1/session",
            Body_::Json(r#"{"email":"nobody@example.ca","password":"x"}"#),
            None,
        ))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for _ in 0..5 {
        let (status, wrong, _) = world.send(sign_in("not the password")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            wrong, unknown,
            "the same answer for an unknown e-mail and a wrong password"
        );
    }
    let (status, answer, headers) = world.send(sign_in(PASSWORD)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answer["error"], "too_many_attempts");
    assert!(headers.get(header::RETRY_AFTER).is_some());
    let a = users::find_by_email(world.store.db(), "a@example.ca")
        .await
        .unwrap()
        .unwrap();
    let trail = audit::history(world.store.db(), &format!("user:{}", a.id))
        .await
        .unwrap();
    assert!(trail.iter().any(|e| e.action == "session.locked"));
    // Bad bodies get clear errors.
    let (status, answer, _) = world
        .send(request(
            "POST",
            "/api/v1/session",
            Body_::Json(r#"{"email":"a@example.ca","password":"x","extra":1}"#),
            None,
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(answer["message"].as_str().unwrap().contains("extra"));
    std::fs::remove_dir_all(&world.dir).unwrap();
}

#[tokio::test]
async fn api_tokens_act_as_their_staff_user_until_revoked() {
    let world = world().await;
    let (_, secret) = tokens::create(
        world.store.db(),
        "staff@example.ca",
        "portal",
        tokens::DEFAULT_DAYS,
        &Actor::Cli,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let with = |secret: &str| {
        Request::get("/api/v1/students")
            .header(header::AUTHORIZATION, format!("Bearer {secret}"))
            .body(Body::empty())
            .unwrap()
    };
    let (status, answer, _) = world.send(with(&secret)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["total"], 4);
    let (status, answer, _) = world.send(with("coop_not-a-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer["error"], "invalid_token");
    // A token needs no Origin: it is not a cookie a browser sends on its own.
    let (status, _, _) = world
        .send(
            Request::post("/api/v1/check")
                .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    users::disable(
        world.store.db(),
        "staff@example.ca",
        &Actor::Cli,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let (status, _, _) = world.send(with(&secret)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    std::fs::remove_dir_all(&world.dir).unwrap();
}

/// T4 through the API: 16:30 Vancouver time on the expiry date is timely, 17:30 is not (BC is on
/// UTC-7 all year from 2026-11-01); a bad number or a future time is refused by field; IRCC's
/// decision is recorded once.
#[tokio::test]
async fn a_student_reports_an_application_and_its_decision() {
    let world = world().await;
    let db = world.store.db();
    // Student B: A already has an application (the matrix's), which would be the latest.
    let b = users::find_by_email(db, "b@example.ca")
        .await
        .unwrap()
        .unwrap();
    let student_b = b.student_id.unwrap();
    documents::put_on_file(
        db,
        student_b,
        documents::NewDocument {
            kind: coop_core::validation::DocumentKind::StudyPermit,
            number: "F123456789".to_owned(),
            uci: None,
            issued_on: None,
            expires_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            on_campus_work: true,
            review: coop_core::review::ReviewStatus::Verified,
        },
        &Actor::Cli,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let cookie = world.cookie(Caller::StudentB).await.unwrap();
    let report = |at: &str, number: &str| {
        request(
            "POST",
            "/api/v1/me/applications",
            Body_::Json(Box::leak(
                format!(r#"{{"for":"study_permit","submitted_at":"{at}","application_number":"{number}"}}"#)
                    .into_boxed_str(),
            )),
            Some(&cookie),
        )
    };
    let (status, timely, _) = world
        .send(report("2026-11-20T16:30:00-07:00", "W123456781"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{timely}");
    assert_eq!(timely["timely"], true);
    // Timely and pending: maintained status (M1).
    assert_eq!(timely["status"]["study_permit"]["state"], "maintained");
    // An hour later is past midnight UTC: late, and the latest application decides (M2).
    let (status, late, _) = world
        .send(report("2026-11-20T17:30:00-07:00", "W123456780"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{late}");
    assert_eq!(late["timely"], false);
    assert_eq!(late["status"]["study_permit"]["state"], "restoration");
    for (at, number, field) in [
        ("2026-11-20T16:30:00-07:00", "123", "application_number"),
        ("2099-01-01T00:00:00Z", "W123456782", "submitted_at"),
        ("yesterday", "W123456783", "submitted_at"),
    ] {
        let (status, answer, _) = world.send(report(at, number)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["fields"][0]["field"], field, "{answer}");
    }
    let id = timely["id"].as_i64().unwrap();
    let decide = |decision: &str| {
        request(
            "PATCH",
            Box::leak(format!("/api/v1/me/applications/{id}").into_boxed_str()),
            Body_::Json(Box::leak(
                format!(r#"{{"decision":"{decision}"}}"#).into_boxed_str(),
            )),
            Some(&cookie),
        )
    };
    let (status, answer, _) = world.send(decide("maybe")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let (status, answer, _) = world.send(decide("approved")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["decision"], "approved");
    let (status, _, _) = world.send(decide("refused")).await;
    assert_eq!(status, StatusCode::CONFLICT, "a decision is recorded once");
    let trail = audit::history(db, &format!("student:{student_b}"))
        .await
        .unwrap();
    assert!(trail.iter().any(|e| e.action == "application.decide"));
    std::fs::remove_dir_all(&world.dir).unwrap();
}

#[tokio::test]
async fn a_student_requests_the_letter_over_the_api() {
    let world = world().await;
    let db = world.store.db();
    let notice = PrivacyNotice::default();
    let send = |cookie: String, path: &'static str, body: Option<String>| {
        let body = body.map_or(Body_::None, |b| Body_::Json(Box::leak(b.into_boxed_str())));
        world.send(request("POST", path, body, Some(&cookie)))
    };
    let ask = |version: &str, start: &str| {
        Some(format!(
            r#"{{"first_term_start":"{start}","extending_study_permit":true,"privacy_notice":"{version}"}}"#
        ))
    };

    // The notice is public, and its version is what a request acknowledges.
    let (status, shown, _) = world
        .send(request("GET", "/api/v1/privacy-notice", Body_::None, None))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["version"], notice.version());
    assert!(shown["authority"].as_str().unwrap().contains("26(c)"));

    // A student outside the Co-op program: refused with L1 and L2, in order.
    users::create(
        db,
        users::NewUser {
            email: "outside@example.ca".to_owned(),
            name: "Outside".to_owned(),
            role: Role::Student,
            student_number: Some("1999".to_owned()),
        },
        Some(&Password::new(PASSWORD)),
        &Actor::Cli,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let outsider = users::find_by_email(db, "outside@example.ca")
        .await
        .unwrap()
        .unwrap();
    let token = sessions::open(db, outsider.id, chrono::Utc::now(), auth_settings().policy)
        .await
        .unwrap();
    let (status, refused, _) = send(
        format!("coop_session={token}"),
        "/api/v1/me/letter-requests",
        ask(&notice.version(), "2999-01-04"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"], "not_eligible");
    let codes: Vec<&str> = refused["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["not_in_coop_program", "coop1101_not_registered"]);
    assert_eq!(refused["reasons"][0]["rule"], "L1");

    // Student B (eligible): a stale notice and a bad date are refused by field.
    let b = world.cookie(Caller::StudentB).await.unwrap();
    for (body, field) in [
        (
            ask("2020-01-01.000000000000", "2999-01-04"),
            "privacy_notice",
        ),
        (ask(&notice.version(), "next May"), "first_term_start"),
    ] {
        let (status, answer, _) = send(b.clone(), "/api/v1/me/letter-requests", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["fields"][0]["field"], field, "{answer}");
    }
    let (status, created, _) = send(
        b.clone(),
        "/api/v1/me/letter-requests",
        ask(&notice.version(), "2999-01-04"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "pending");
    let (status, again, _) = send(
        b.clone(),
        "/api/v1/me/letter-requests",
        ask(&notice.version(), "2999-01-04"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert!(again["message"].as_str().unwrap().contains("already have"));
    let id = created["id"].as_i64().unwrap();
    let withdraw = Box::leak(format!("/api/v1/me/letter-requests/{id}/withdraw").into_boxed_str());
    let (status, withdrawn, _) = send(b.clone(), withdraw, None).await;
    assert_eq!(status, StatusCode::OK, "{withdrawn}");
    assert_eq!(withdrawn["status"], "withdrawn");
    let (status, twice, _) = send(b.clone(), withdraw, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{twice}");
    let (status, listed, _) = world
        .send(request(
            "GET",
            "/api/v1/me/letter-requests",
            Body_::None,
            Some(&b),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed["items"][0]["id"], id);
    assert_eq!(listed["items"][0]["privacy_notice"], notice.version());
}

#[tokio::test]
async fn a_student_submits_a_document_over_the_api() {
    let world = world().await;
    let b = world.cookie(Caller::StudentB).await.unwrap();
    let fields = [
        ("kind", "study_permit"),
        ("number", "F 987 654 321"),
        ("uci", "12-3456-7890"),
        ("issued_on", "2026-01-04"),
        ("expires_on", "2999-01-04"),
        ("on_campus_work", "true"),
    ];
    let upload = |fields: &[(&str, &str)], file: &[u8]| {
        let (content_type, body) = document_upload(fields, file);
        Request::builder()
            .method("POST")
            .uri("/api/v1/me/documents")
            .header(header::ORIGIN, ORIGIN)
            .header(header::COOKIE, &b)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    };
    // A PNG header for an 800 x 600 image.
    let png = [
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13][..],
        b"IHDR",
        &800u32.to_be_bytes(),
        &600u32.to_be_bytes(),
        &[8, 2, 0, 0, 0, 7, 7, 7],
    ]
    .concat();

    let (status, created, _) = world.send(upload(&fields, &png)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "submitted");
    assert_eq!(created["number"], "F987654321");
    assert_eq!(created["warnings"], serde_json::json!([]));
    let id = created["id"].as_i64().unwrap();

    // The file comes back as stored, typed by its content, sandboxed.
    let response = world
        .app
        .clone()
        .oneshot(request(
            "GET",
            &format!("/api/v1/me/documents/{id}/file"),
            Body_::None,
            Some(&b),
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "image/png");
    assert!(
        response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(bytes.as_ref(), png);

    // The same file again: recognised (409).
    let (status, again, _) = world.send(upload(&fields, &png)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");

    // Every rule's finding, by field and code, at once.
    let bad = [
        ("kind", "study_permit"),
        ("number", "12"),
        ("uci", "1"),
        ("issued_on", "2026-05-01"),
        ("expires_on", "2026-01-01"),
    ];
    let (status, refused, _) = world.send(upload(&bad, &pdf_tricks::page("other"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let codes: Vec<&str> = refused["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "invalid_document_number",
            "invalid_uci",
            "expiry_before_issue",
            "document_expired"
        ]
    );
    // Judged by content, not by name.
    let (status, text, _) = world.send(upload(&fields, b"just text")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(text["fields"][0]["code"], "unsupported_file_type");
    // Missing parts and unknown fields are named.
    let (status, missing, _) = world.send(upload(&[("kind", "passport")], &png)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let named: Vec<&str> = missing["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(named, ["kind", "issued_on", "expires_on"]);
    let (status, unknown, _) = world.send(upload(&[("passport", "x")], &png)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown["fields"][0]["code"], "unknown_field");
    // Over 10 MiB: 413, and nothing was stored.
    let mut huge = b"%PDF-1.7 ".to_vec();
    huge.resize(10 * 1024 * 1024 + 1, b'x');
    let (status, too_large, _) = world.send(upload(&fields, &huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{too_large}");
    // A truncated body is unreadable (400), never a 5xx.
    let (content_type, mut body) = document_upload(&fields, &png);
    body.truncate(body.len() - 30);
    let truncated = Request::builder()
        .method("POST")
        .uri("/api/v1/me/documents")
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, &b)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let (status, answer, _) = world.send(truncated).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");

    let (_, listed, _) = world
        .send(request(
            "GET",
            "/api/v1/me/documents",
            Body_::None,
            Some(&b),
        ))
        .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
}

#[tokio::test]
async fn an_idempotency_key_makes_a_resent_submission_one() {
    let world = world().await;
    let b = world.cookie(Caller::StudentB).await.unwrap();
    let report = |key: &str| {
        Request::builder()
            .method("POST")
            .uri("/api/v1/me/applications")
            .header(header::ORIGIN, ORIGIN)
            .header(header::COOKIE, &b)
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", key)
            .body(Body::from(
                r#"{"for":"study_permit","submitted_at":"2026-11-20T16:30:00-07:00","application_number":"W123456789"}"#,
            ))
            .unwrap()
    };
    let (status, first, _) = world.send(report("draft-42")).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, again, _) = world.send(report("draft-42")).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_eq!(first["id"], again["id"]);
    let (status, other, _) = world.send(report("draft-43")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_ne!(other["id"], first["id"]);
    let (status, bad, _) = world.send(report("not a key!")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["fields"][0]["field"], "idempotency_key");
}

#[tokio::test]
async fn a_student_downloads_the_issued_letter() {
    let world = world().await;
    let a = world.cookie(Caller::StudentA).await.unwrap();
    let (status, listed, _) = world
        .send(request(
            "GET",
            "/api/v1/me/letter-requests",
            Body_::None,
            Some(&a),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let url = format!("/api/v1/me/letter-requests/{}/letter.pdf", world.issued);
    let issued = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == world.issued)
        .unwrap();
    assert_eq!(issued["status"], "approved");
    assert_eq!(issued["letter"], url.as_str());
    let response = world
        .app
        .clone()
        .oneshot(request("GET", &url, Body_::None, Some(&a)))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/pdf");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert!(bytes.starts_with(b"%PDF-"));
    // A request without a letter has nothing to download.
    let pending = format!("/api/v1/me/letter-requests/{}/letter.pdf", world.letter);
    let (status, _, _) = world
        .send(request("GET", &pending, Body_::None, Some(&a)))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Staff record a student's leaving (F2): a date after today is refused on its field; a past one
/// is kept, and the answer says from when the personal data may go; `null` takes it back.
#[tokio::test]
async fn staff_record_a_leaving_and_learn_when_f2_lets_the_data_go() {
    let world = world().await;
    let staff = world.cookie(Caller::Staff).await.unwrap();
    let path = world.path("/api/v1/students/{a}/leaving");
    let put = |body: &'static str| request("PUT", &path, Body_::Json(body), Some(&staff));
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2)).date_naive();
    let future = format!(r#"{{"left_on":"{tomorrow}"}}"#);
    let (status, refused, _) = world
        .send(request(
            "PUT",
            &path,
            Body_::Json(future.leak()),
            Some(&staff),
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["fields"][0]["field"], "left_on", "{refused}");
    let (status, refused, _) = world.send(put(r#"{"left_on":"30 June"}"#)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    let (status, left, _) = world.send(put(r#"{"left_on":"2026-06-30"}"#)).await;
    assert_eq!(status, StatusCode::OK, "{left}");
    assert_eq!(left["left_on"], "2026-06-30");
    assert_eq!(left["removed_at"], Value::Null);
    // A's letter was decided today, after leaving: the year counts from that decision.
    let from = chrono::DateTime::parse_from_rfc3339(left["removable_from"].as_str().unwrap())
        .unwrap()
        .to_utc();
    assert!(
        from > chrono::Utc::now() + chrono::Duration::days(364),
        "{left}"
    );
    let (status, back, _) = world.send(put(r#"{"left_on":null}"#)).await;
    assert_eq!(status, StatusCode::OK, "{back}");
    assert_eq!(back["removable_from"], Value::Null);
    let history = audit::history(world.store.db(), &format!("student:{}", world.student_a))
        .await
        .unwrap();
    assert_eq!(
        history
            .iter()
            .filter(|e| e.action == "student.left")
            .count(),
        2
    );
}

/// The entries of a zip: name and bytes.
fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        out.insert(entry.name().unwrap().into_owned(), content);
    }
    out
}

/// Subject access (FIPPA s. 5): a student's export holds their record, their documents with the
/// files themselves, their letters, history — no staff notes, nothing of another student;
/// staff's export of them has the notes; both are in the student's history.
#[tokio::test]
async fn a_student_exports_everything_held_about_them_and_nothing_of_another() {
    let world = world().await;
    let a = world.cookie(Caller::StudentA).await.unwrap();
    let b = world.cookie(Caller::StudentB).await.unwrap();
    let staff = world.cookie(Caller::Staff).await.unwrap();
    // Staff keep a private note on A; B uploads a file of their own.
    let (status, _, _) = world
        .send(request(
            "PATCH",
            &world.path("/api/v1/students/{a}"),
            Body_::Json(r#"{"notes":"Private: called about a family matter."}"#),
            Some(&staff),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let b_file = pdf_tricks::page("belongs to student B only");
    let (content_type, body) = document_upload(
        &[
            ("kind", "study_permit"),
            ("number", "F555444333"),
            ("uci", "12-3456-7890"),
            ("issued_on", "2026-01-04"),
            ("expires_on", "2999-01-04"),
            ("on_campus_work", "true"),
        ],
        &b_file,
    );
    let uploaded = Request::post("/api/v1/me/documents")
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, &b)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let (status, created, _) = world.send(uploaded).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");

    let (status, headers, bytes) = raw_get(&world, &a, "/api/v1/me/export").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/zip");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"coop-permits-1001-")
    );
    let entries = unzip(&bytes);
    let data: Value = serde_json::from_slice(&entries["data.json"]).unwrap();
    assert_eq!(data["record"]["student_number"], "1001");
    assert!(data["record"].get("staff_notes").is_none());
    let documents = data["documents"].as_array().unwrap();
    assert!(!documents.is_empty());
    // Every document's file is in the zip, byte for byte what the file endpoint serves.
    let mut files = 0;
    for d in documents {
        if let Some(path) = d["file"]["path"].as_str() {
            let (_, _, served) = raw_get(
                &world,
                &a,
                &format!("/api/v1/me/documents/{}/file", d["id"]),
            )
            .await;
            assert_eq!(entries[path], served, "{path}");
            files += 1;
        }
    }
    assert!(files > 0, "{data}");
    let issued = data["letter_requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == world.issued)
        .unwrap();
    assert!(entries[issued["letter_file"]["path"].as_str().unwrap()].starts_with(b"%PDF-"));
    assert!(!data["history"].as_array().unwrap().is_empty());
    // Nothing of staff's note, nothing of B, anywhere in it.
    for (name, content) in &entries {
        let text = String::from_utf8_lossy(content);
        for foreign in [
            "family matter",
            "b@example.ca",
            "F555444333",
            "belongs to student B",
        ] {
            assert!(!text.contains(foreign), "{foreign:?} in {name}");
        }
        assert_ne!(content, &b_file, "B's file in A's export as {name}");
    }

    // Staff's export of A has the note; each export is in A's history.
    let (status, _, bytes) =
        raw_get(&world, &staff, &world.path("/api/v1/students/{a}/export")).await;
    assert_eq!(status, StatusCode::OK);
    let data: Value = serde_json::from_slice(&unzip(&bytes)["data.json"]).unwrap();
    assert_eq!(
        data["record"]["staff_notes"],
        "Private: called about a family matter."
    );
    let history = audit::history(world.store.db(), &format!("student:{}", world.student_a))
        .await
        .unwrap();
    let exports: Vec<&str> = history
        .iter()
        .filter(|e| e.action == "student.export")
        .filter_map(|e| e.after.as_ref()?["audience"].as_str())
        .collect();
    assert_eq!(exports, ["student", "staff"]);
    // Staff exporting a student who does not exist: 404.
    let (status, _, _) = raw_get(&world, &staff, "/api/v1/students/999999/export").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// GET as a caller: the status, the headers and the raw bytes (CSV and PDF are not JSON).
async fn raw_get(
    world: &World,
    cookie: &str,
    path: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = world
        .app
        .clone()
        .oneshot(
            Request::get(path)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, bytes)
}

/// Staff see what was sent to whom and when, and send a reminder again (recorded).
#[tokio::test]
async fn staff_list_and_resend_reminders_over_the_api() {
    let world = world().await;
    let staff = world.cookie(Caller::Staff).await.unwrap();
    let get = |path: &str| request("GET", path, Body_::None, Some(&staff));
    let (status, list, _) = world
        .send(get("/api/v1/reminders?from=2026-01-01&per_page=10"))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1);
    let item = &list["items"][0];
    assert_eq!(item["id"], world.reminder);
    assert_eq!(item["student"]["student_number"], "1003");
    assert_eq!(
        (&item["state"], &item["days_before"], &item["resends"]),
        (&json!("sent"), &json!(30), &json!(0))
    );
    assert_eq!(item["channels"], json!(["in_app"]));

    let resend = |id: i64| {
        request(
            "POST",
            &format!("/api/v1/reminders/{id}/resend"),
            Body_::None,
            Some(&staff),
        )
    };
    let (status, again, _) = world.send(resend(world.reminder)).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["resends"], 1);
    assert!(again["resent_at"].is_string());
    let (_, history, _) = world
        .send(get("/api/v1/audit?action=reminder.resend"))
        .await;
    assert_eq!(history["total"], 1, "{history}");

    let (status, missing, _) = world.send(resend(999_999)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
    let (status, bad, _) = world.send(get("/api/v1/reminders?from=soon")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    assert!(
        bad["message"].as_str().unwrap().contains("from is a date"),
        "{bad}"
    );
    let (_, none, _) = world.send(get("/api/v1/reminders?to=2000-01-01")).await;
    assert_eq!(none["total"], 0);
}

/// The staff API end to end: a letter approved only once the record can state what it must,
/// the PDF read back; program edits re-evaluate and are audited; lists filter; CSV in and out.
#[tokio::test]
async fn staff_run_the_office_through_the_api() {
    let world = world().await;
    let staff = world.cookie(Caller::Staff).await.unwrap();
    let a = world.student_a;
    let json_request = |method: &str, path: String, body: Value| {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::ORIGIN, ORIGIN)
            .header(header::COOKIE, &staff)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    // The queue shows A's pending request with A's evaluation beside it.
    let (status, queue, _) = world
        .send(json_request(
            "GET",
            "/api/v1/letter-requests".to_owned(),
            Value::Null,
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    let item = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == world.letter)
        .unwrap();
    assert_eq!(item["student"]["student_number"], "1001");
    assert!(item["evaluation"]["job_access"]["cleared"].is_boolean());

    // A's record has no program yet: the letter cannot state it (409), nothing issued.
    let decide = |decision: &str| {
        json_request(
            "POST",
            format!("/api/v1/letter-requests/{}/decision", world.letter),
            json!({"decision": decision, "reason": "The work term is not confirmed."}),
        )
    };
    let (status, refused, _) = world.send(decide("approve")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused.to_string().contains("program"));

    // Staff keep the programs: one two-thirds work (W2f fails), one that qualifies.
    for (code, months, work) in [("HOSP", 12, 8), ("DCIS", 24, 8)] {
        let (status, created, _) = world
            .send(json_request(
                "POST",
                "/api/v1/programs".to_owned(),
                json!({"code": code, "name": if code == "DCIS" { "Diploma in Computer Information Systems".to_owned() } else { format!("Program {code}") }, "credential": true, "months": months, "work_months": work, "placement_required": true, "language_or_preparatory": false}),
            ))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
    }
    let (status, listed, _) = world
        .send(json_request(
            "GET",
            "/api/v1/programs".to_owned(),
            Value::Null,
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed["items"][0]["code"], "DCIS");
    // In the program that fails W2f, the letter cannot be approved: 422, program_not_eligible.
    let (status, patched, _) = world
        .send(json_request(
            "PATCH",
            format!("/api/v1/students/{a}"),
            json!({"program_code": "hosp"}),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["record"]["program_code"], "HOSP");
    let reasons = patched["evaluation"]["job_access"]["reasons"].to_string();
    assert!(reasons.contains("program_not_eligible"), "{reasons}");
    let (status, refused, _) = world.send(decide("approve")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"], "not_eligible");
    assert!(
        refused.to_string().contains("program_not_eligible"),
        "{refused}"
    );

    // Staff set the program (A stays part-time): re-evaluated, audited before and after.
    let (status, patched, _) = world
        .send(json_request(
            "PATCH",
            format!("/api/v1/students/{a}"),
            json!({"program": "Diploma in Computer Information Systems", "program_code": "DCIS", "full_time": false}),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["record"]["full_time"], false);
    let reasons = patched["evaluation"]["job_access"]["reasons"].to_string();
    assert!(reasons.contains("not_full_time"), "{reasons}");
    let (status, bad, _) = world
        .send(json_request(
            "PATCH",
            format!("/api/v1/students/{a}"),
            json!({"coop1101": "maybe"}),
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let (_, stale, _) = world
        .send(json_request(
            "PATCH",
            format!("/api/v1/students/{a}"),
            json!({"notes": "x", "version": 1}),
        ))
        .await;
    assert!(stale.to_string().contains("changed since"), "{stale}");

    let (status, approved, _) = world.send(decide("approve")).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    let (status, headers, pdf) = raw_get(
        &world,
        &world.cookie(Caller::StudentA).await.unwrap(),
        approved["letter"].as_str().unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Work Placement Letter",
        "student number 1001",
        "part-time",
        "Diploma in Computer Information Systems",
        "4 January 2027 to 30 April 2027",
        "O19319227452",
        "Pat Advisor",
        "8 of its 24 months",
        "http://coop.test/verify/",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    // The address the letter prints answers valid, with nothing else personal; revoked once
    // staff revoke it.
    let code: String = text
        .split("/verify/")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let verify = || {
        Request::get(format!("/api/v1/letters/verify/{code}"))
            .body(Body::empty())
            .unwrap()
    };
    let (status, verified, _) = world.send(verify()).await;
    assert_eq!(status, StatusCode::OK, "{verified}");
    assert_eq!(verified["status"], "valid");
    assert_eq!(
        verified["program"],
        "Diploma in Computer Information Systems"
    );
    assert_eq!(verified["work_term"]["start"], "2027-01-04");
    let shown = verified.to_string();
    assert!(
        !shown.contains("1001@") && !shown.contains("student_number"),
        "{shown}"
    );
    let (status, revoked, _) = world
        .send(json_request(
            "POST",
            format!("/api/v1/letter-requests/{}/revoke", world.letter),
            json!({"reason": "The employer withdrew the placement."}),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    assert_eq!(revoked["status"], "revoked");
    // The page the QR code opens (now saying revoked): a document of its own, no script.
    let page = world
        .app
        .clone()
        .oneshot(
            Request::get(format!("/verify/{code}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let policy = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.starts_with("default-src 'none'") && !policy.contains("script"),
        "{policy}"
    );
    let html = String::from_utf8(
        page.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(html.contains("data-verification=\"revoked\""), "{html}");
    assert!(html.contains("Diploma in Computer Information Systems") && !html.contains("1001@"));
    let unknown = world
        .app
        .clone()
        .oneshot(
            Request::get("/verify/AAAAAAAAAAAAAAAAAAAAAA")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let (_, verified, _) = world.send(verify()).await;
    assert_eq!(verified["status"], "revoked");
    assert!(verified["revoked_on"].is_string(), "{verified}");
    let (status, again, _) = world.send(decide("reject")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");

    // The history shows who changed what, before and after.
    let (status, history, _) = world
        .send(json_request(
            "GET",
            format!("/api/v1/audit?subject=student:{a}&action=student.update"),
            Value::Null,
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{history}");
    let row = &history["items"][0];
    assert_eq!(row["before"]["program"], "");
    assert_eq!(
        row["after"]["program"],
        "Diploma in Computer Information Systems"
    );
    assert!(row["actor"].as_str().unwrap().starts_with("user:"));
    let (status, _, _) = world
        .send(json_request(
            "GET",
            "/api/v1/audit?from=yesterday".to_owned(),
            Value::Null,
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Lists filter in the database; a bad filter is named.
    let (_, listed, _) = world
        .send(json_request(
            "GET",
            "/api/v1/students?reason=no_placement_letter&sort=number".to_owned(),
            Value::Null,
        ))
        .await;
    // A has the letter now (W2d); the other three do not.
    let numbers: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["student_number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["1002", "1003", "1004"], "{listed}");
    let (status, bad, _) = world
        .send(json_request(
            "GET",
            "/api/v1/students?state=lost".to_owned(),
            Value::Null,
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");

    // CSV in: a preview writes nothing; the import writes the valid line only.
    let csv = "student_number,email,name,program,coop_program,coop1101,continuance_met,full_time\n2001,not-an-address,Bad Email,BBA,true,none,true,true\n2002,ok@example.ca,=HYPERLINK(\"x\"),BBA,true,completed,true,true\n";
    let import = |dry: bool| {
        Request::post(format!("/api/v1/students/import?dry_run={dry}"))
            .header(header::ORIGIN, ORIGIN)
            .header(header::COOKIE, &staff)
            .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
            .body(Body::from(csv))
            .unwrap()
    };
    let (status, preview, _) = world.send(import(true)).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(
        (preview["created"].clone(), preview["invalid"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(preview["errors"][0]["line"], 2);
    assert_eq!(preview["errors"][0]["field"], "email");
    let (_, report, _) = world.send(import(false)).await;
    assert_eq!(report["imported"], true);
    let (_, again, _) = world.send(import(false)).await;
    assert_eq!(
        (again["created"].clone(), again["unchanged"].clone()),
        (json!(0), json!(1))
    );

    // CSV out: UTF-8 with a BOM and a header; a cell that looks like a formula stays text.
    let (status, headers, bytes) = raw_get(&world, &staff, "/api/v1/students.csv?q=2002").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.starts_with("\u{feff}student_number,email,name,"),
        "{text}"
    );
    assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
    let (status, _, bytes) = raw_get(
        &world,
        &staff,
        "/api/v1/reports/expiring.csv?within_days=90",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        String::from_utf8(bytes)
            .unwrap()
            .contains("student_number,name,email,document,expires_on,days_left,deadline_utc,state")
    );
    std::fs::remove_dir_all(&world.dir).unwrap();
}
