//! A student's documents (S1–S8): `POST /api/v1/me/documents` (multipart: the typed fields and
//! the file), `GET /api/v1/me/documents`, `GET /api/v1/me/documents/{id}/file` (the student's
//! own, or staff) and `POST /api/v1/me/documents/{id}/withdraw`.

use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_core::contract::{FieldError, parse_date};
use coop_core::validation::{Code, MAX_FILE_BYTES};
use coop_store::entity::document;
use coop_store::service::ServiceError;
use coop_store::service::access::{Principal, readable_students, require_staff, require_student};
use coop_store::service::audit::Actor;
use coop_store::service::documents::{self, Upload};
use coop_store::service::records::DocumentKind;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::AppState;

/// The largest request: the file (S7) and room for the form's other fields.
pub const DOCUMENT_BODY_LIMIT: usize = (MAX_FILE_BYTES as usize) + 64 * 1024;

/// The form as it arrived, every part optional until checked.
#[derive(Default)]
struct Parts {
    kind: Option<String>,
    number: Option<String>,
    uci: Option<String>,
    issued_on: Option<String>,
    expires_on: Option<String>,
    on_campus_work: Option<String>,
    file: Option<Vec<u8>>,
}

fn field_error(field: &str, code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: Some(field.to_owned()),
        code,
        message: message.into(),
    }
}

async fn read_parts(mut multipart: Multipart) -> Result<Parts, ApiError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge {
                limit: DOCUMENT_BODY_LIMIT,
            }
        } else {
            ApiError::Unreadable(format!(
                "The multipart body cannot be read: {}",
                e.body_text()
            ))
        }
    };
    let mut parts = Parts::default();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            parts.file = Some(field.bytes().await.map_err(unreadable)?.to_vec());
            continue;
        }
        let slot = match name.as_str() {
            "kind" => &mut parts.kind,
            "number" => &mut parts.number,
            "uci" => &mut parts.uci,
            "issued_on" => &mut parts.issued_on,
            "expires_on" => &mut parts.expires_on,
            "on_campus_work" => &mut parts.on_campus_work,
            _ => {
                return Err(ApiError::InvalidInput(vec![field_error(
                    &name,
                    "unknown_field",
                    "not a field of a document submission",
                )]));
            }
        };
        *slot = Some(field.text().await.map_err(unreadable)?);
    }
    Ok(parts)
}

/// Reads a document submission's multipart body into an upload: every part's presence and shape
/// is checked here, the rules by the service. Public for the fuzz target (`crates/fuzz`).
pub async fn read_upload(multipart: Multipart) -> Result<Upload, ApiError> {
    upload_of(read_parts(multipart).await?)
}

/// [`read_upload`] on a raw multipart body with its boundary, through axum's extractor as the
/// route receives it: the fuzz target and its corpus replay test feed it bytes.
pub async fn read_upload_body(boundary: &str, body: Vec<u8>) -> Result<Upload, ApiError> {
    use axum::extract::FromRequest;
    let request = axum::http::Request::post("/api/v1/me/documents")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .map_err(|e| ApiError::Unreadable(format!("not a request: {e}")))?;
    let multipart = Multipart::from_request(request, &())
        .await
        .map_err(|e| ApiError::Unreadable(e.body_text()))?;
    read_upload(multipart).await
}

/// The typed fields checked for presence and shape (the rules are checked by the service).
fn upload_of(parts: Parts) -> Result<Upload, ApiError> {
    let mut errors = Vec::new();
    let kind = match parts.kind.as_deref().map(str::trim) {
        Some("study_permit") => Some(DocumentKind::StudyPermit),
        Some("coop_work_permit") => Some(DocumentKind::CoopWorkPermit),
        Some("approval_letter") => Some(DocumentKind::ApprovalLetter),
        _ => {
            errors.push(field_error(
                "kind",
                "invalid",
                "expected study_permit, coop_work_permit or approval_letter (S1)",
            ));
            None
        }
    };
    let mut date = |field: &str, value: &Option<String>| {
        let parsed = value.as_deref().map(str::trim).and_then(parse_date);
        if parsed.is_none() {
            errors.push(field_error(field, "invalid", "expected a date YYYY-MM-DD"));
        }
        parsed
    };
    let issued_on = date("issued_on", &parts.issued_on);
    let expires_on = date("expires_on", &parts.expires_on);
    let on_campus_work = match parts.on_campus_work.as_deref().map(str::trim) {
        None | Some("" | "false") => false,
        Some("true" | "on") => true,
        Some(_) => {
            errors.push(field_error(
                "on_campus_work",
                "invalid",
                "expected true or false",
            ));
            false
        }
    };
    if parts.file.is_none() {
        errors.push(field_error(
            "file",
            "required",
            "attach the document as a PDF, PNG or JPEG (S7)",
        ));
    }
    match (kind, issued_on, expires_on, parts.file) {
        (Some(kind), Some(issued_on), Some(expires_on), Some(bytes)) if errors.is_empty() => {
            Ok(Upload {
                kind,
                number: parts.number.unwrap_or_default(),
                uci: parts.uci.unwrap_or_default(),
                issued_on,
                expires_on,
                on_campus_work,
                bytes,
                client_key: None,
            })
        }
        _ => Err(ApiError::InvalidInput(errors)),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let (user, student_id) = require_student(&principal)?;
    let client_key = super::idempotency_key(&headers)?;
    let mut upload = read_upload(multipart).await?;
    upload.client_key = client_key;
    let submitted = documents::submit(
        state.store.db(),
        &state.vault,
        student_id,
        upload,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| match e {
        ServiceError::Findings(findings)
            if findings.iter().any(|f| f.code == Code::FileTooLarge) =>
        {
            ApiError::TooLarge {
                limit: DOCUMENT_BODY_LIMIT,
            }
        }
        other => other.into(),
    })?;
    let warnings: Vec<Value> = submitted
        .warnings
        .iter()
        .map(|w| {
            json!({
                "field": w.field,
                "code": w.code.code(),
                "rule": w.code.rule().as_str(),
                "message": w.code.message(),
            })
        })
        .collect();
    let mut body = document_json(&submitted.document);
    if let Some(fields) = body.as_object_mut() {
        fields.insert("warnings".to_owned(), Value::Array(warnings));
    }
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Value>, ApiError> {
    let (_, student_id) = require_student(&principal)?;
    let documents = documents::list(state.store.db(), student_id).await?;
    Ok(Json(json!({
        "items": documents.iter().map(document_json).collect::<Vec<_>>(),
    })))
}

pub async fn file(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let scope = readable_students(&principal)?;
    let (content_type, bytes) =
        documents::file_of(state.store.db(), &state.vault, scope, id).await?;
    // A PDF is a download, never shown inside this site: no browser shows a PDF in a sandboxed
    // frame (Chromium refuses one under `sandbox`, whatever it allows), and unsandboxed its
    // viewer would run beside the app's pages. Images are shown, under a CSP sandbox. Both are
    // served with their judged type and nosniff, so neither can be read as a page of this site.
    let (policy, disposition) = if content_type == "application/pdf" {
        (
            "sandbox; default-src 'none'; frame-ancestors 'none'",
            format!("attachment; filename=\"document-{id}.pdf\""),
        )
    } else {
        (
            "sandbox; default-src 'none'; frame-ancestors 'self'",
            format!("inline; filename=\"document-{id}\""),
        )
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_SECURITY_POLICY, policy.to_owned()),
            (header::X_FRAME_OPTIONS, "SAMEORIGIN".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from(bytes),
    )
        .into_response())
}

pub async fn withdraw(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let (user, student_id) = require_student(&principal)?;
    let after = documents::withdraw(
        state.store.db(),
        student_id,
        id,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(document_json(&after)))
}

pub fn document_json(model: &document::Model) -> Value {
    json!({
        "id": model.id,
        "kind": model.kind,
        "number": model.number,
        "uci": model.uci,
        "issued_on": model.issued_on,
        "expires_on": model.expires_on,
        "on_campus_work": model.on_campus_work,
        "status": model.status,
        "reason": model.reason,
        "submitted_at": model.submitted_at,
        "decided_at": model.decided_at,
        "file": model.file_id.map(|_| format!("/api/v1/me/documents/{}/file", model.id)),
    })
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    status: Option<String>,
}

/// Staff: the documents waiting for review, oldest first, with the validators' findings.
pub async fn queue(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    axum::extract::Query(query): axum::extract::Query<QueueQuery>,
) -> Result<Json<Value>, ApiError> {
    require_staff(&principal)?;
    if query.status.as_deref().is_some_and(|s| s != "submitted") {
        return Err(ApiError::InvalidInput(vec![field_error(
            "status",
            "invalid",
            "only the documents waiting for review (submitted) are listed here",
        )]));
    }
    let queued = documents::queue(state.store.db(), chrono::Utc::now()).await?;
    Ok(Json(json!({
        "items": queued
            .iter()
            .map(|q| {
                let mut item = document_json(&q.document);
                if let Some(fields) = item.as_object_mut() {
                    fields.insert(
                        "student".to_owned(),
                        json!({
                            "id": q.student.id,
                            "name": q.student.name,
                            "student_number": q.student.student_number,
                        }),
                    );
                    fields.insert(
                        "findings".to_owned(),
                        q.findings
                            .iter()
                            .map(|f| json!({"field": f.field, "code": f.code.code(), "rule": f.code.rule().as_str(), "message": f.code.message(), "warning": f.code.is_warning()}))
                            .collect(),
                    );
                }
                item
            })
            .collect::<Vec<_>>(),
    })))
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    decision: String,
    reason: Option<String>,
}

/// Staff verify or reject a submitted document; the answer carries the student's evaluation.
pub async fn decide(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
    super::body::JsonBody(body): super::body::JsonBody<DecisionBody>,
) -> Result<Json<Value>, ApiError> {
    let staff = require_staff(&principal)?;
    let verdict = match body.decision.as_str() {
        "verify" => documents::Verdict::Verify,
        "reject" => documents::Verdict::Reject(body.reason.unwrap_or_default()),
        _ => {
            return Err(ApiError::InvalidInput(vec![field_error(
                "decision",
                "invalid",
                "expected verify or reject",
            )]));
        }
    };
    let after = documents::decide(
        state.store.db(),
        id,
        verdict,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    let model = coop_store::service::students::get(state.store.db(), after.student_id).await?;
    Ok(Json(json!({
        "document": document_json(&after),
        "evaluation": super::students::evaluation_json(&state, &model).await?,
    })))
}

/// Staff remove a document's uploaded file at the student's request (`DELETE
/// /api/v1/documents/{id}/file`): 204, or 409 with F2's reason while the law keeps it.
pub async fn remove_file(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let staff = require_staff(&principal)?;
    coop_store::service::retention::remove_on_request(
        state.store.db(),
        &state.vault,
        id,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
