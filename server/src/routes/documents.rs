//! A student's documents (S1–S8): `POST /api/v1/me/documents` (multipart: the typed fields and
//! the file), `GET /api/v1/me/documents`, `GET /api/v1/me/documents/{id}/file` (the student's
//! own, or staff) and `POST /api/v1/me/documents/{id}/withdraw`.

use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_api::Items;
use coop_api::documents::{
    DecidedDocument, Document, DocumentDecision, FindingLine, QueuedDocument, SubmittedDocument,
};
use coop_core::contract::{FieldError, parse_date};
use coop_core::validation::DocumentKind;
use coop_core::validation::{Code, MAX_FILE_BYTES};
use coop_store::service::ServiceError;
use coop_store::service::access::{Principal, readable_students, require_staff, require_student};
use coop_store::service::audit::Actor;
use coop_store::service::documents::{self, Upload};

use super::openapi::{DocumentForm, IdempotencyKey};
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

#[utoipa::path(
    post,
    path = "/api/v1/me/documents",
    operation_id = "post_me_documents",
    summary = "Submit a document (S1–S7)",
    description = "Who: student.",
    params(IdempotencyKey),
    request_body(content = DocumentForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored, waiting for review.", body = SubmittedDocument),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
        (status = 409, response = crate::routes::openapi::E409),
        (status = 413, response = crate::routes::openapi::E413),
        (status = 415, response = crate::routes::openapi::E415),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn submit(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let (user, student_id) = require_student(&principal)?;
    let client_key = super::body::idempotency_key(&headers)?;
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
    let body = SubmittedDocument {
        document: Document::from(&submitted.document),
        warnings: submitted.warnings.iter().map(FindingLine::of).collect(),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/me/documents",
    operation_id = "get_me_documents",
    summary = "The student's documents and their review status",
    description = "Who: student.",
    responses(
        (status = 200, description = "OK", body = Items<Document>),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Items<Document>>, ApiError> {
    let (_, student_id) = require_student(&principal)?;
    let documents = documents::list(state.store.db(), student_id).await?;
    Ok(Json(Items {
        items: documents.iter().map(Document::from).collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/me/documents/{id}/file",
    operation_id = "get_me_documents_id_file",
    summary = "A stored file, with its content type",
    description = "Who: the student (own) or staff.",
    params(("id" = i64, Path, description = "The record's id.")),
    responses(
        (status = 200, description = "The file.", content(
            (Vec<u8> = "application/pdf"),
            (Vec<u8> = "image/png"),
            (Vec<u8> = "image/jpeg"),
        )),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
    ),
    security(("session" = []), ("bearer" = [])),
)]
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

#[utoipa::path(
    post,
    path = "/api/v1/me/documents/{id}/withdraw",
    operation_id = "post_me_documents_id_withdraw",
    summary = "Withdraw a document still waiting for review",
    description = "Who: student.",
    params(("id" = i64, Path, description = "The record's id.")),
    responses(
        (status = 200, description = "OK", body = Document),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
        (status = 409, response = crate::routes::openapi::E409),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn withdraw(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Json<Document>, ApiError> {
    let (user, student_id) = require_student(&principal)?;
    let after = documents::withdraw(
        state.store.db(),
        student_id,
        id,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(Document::from(&after)))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    /// Only `submitted`: the documents waiting for review.
    #[param(value_type = Option<SubmittedOnly>)]
    status: Option<String>,
}

/// The one status the review queue lists.
#[derive(Debug, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmittedOnly {
    Submitted,
}

/// Staff: the documents waiting for review, oldest first, with the validators' findings.
#[utoipa::path(
    get,
    path = "/api/v1/documents",
    operation_id = "get_documents",
    summary = "The review queue",
    description = "Who: staff.",
    params(QueueQuery),
    responses(
        (status = 200, description = "OK", body = Items<QueuedDocument>),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn queue(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    axum::extract::Query(query): axum::extract::Query<QueueQuery>,
) -> Result<Json<Items<QueuedDocument>>, ApiError> {
    require_staff(&principal)?;
    if query.status.as_deref().is_some_and(|s| s != "submitted") {
        return Err(ApiError::InvalidInput(vec![field_error(
            "status",
            "invalid",
            "only the documents waiting for review (submitted) are listed here",
        )]));
    }
    let queued = documents::queue(state.store.db(), chrono::Utc::now()).await?;
    Ok(Json(Items {
        items: queued.iter().map(QueuedDocument::from).collect(),
    }))
}

/// Staff verify or reject a submitted document; the answer carries the student's evaluation.
#[utoipa::path(
    post,
    path = "/api/v1/documents/{id}/decision",
    operation_id = "post_documents_id_decision",
    summary = "Verify or reject a document (S8); re-evaluates (J)",
    description = "Who: staff.",
    params(("id" = i64, Path, description = "The record's id.")),
    request_body(content = DocumentDecision, content_type = "application/json"),
    responses(
        (status = 200, description = "OK", body = DecidedDocument),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
        (status = 409, response = crate::routes::openapi::E409),
        (status = 415, response = crate::routes::openapi::E415),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn decide(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
    super::body::JsonBody(body): super::body::JsonBody<DocumentDecision>,
) -> Result<Json<DecidedDocument>, ApiError> {
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
    Ok(Json(DecidedDocument {
        document: Document::from(&after),
        evaluation: super::students::evaluation_of(&state, &model).await?,
    }))
}

/// Staff remove a document's uploaded file at the student's request (`DELETE
/// /api/v1/documents/{id}/file`): 204, or 409 with F2's reason while the law keeps it.
#[utoipa::path(
    delete,
    path = "/api/v1/documents/{id}/file",
    operation_id = "delete_documents_id_file",
    summary = "Remove a document's file at the student's request (F2)",
    description = "Who: staff.",
    params(("id" = i64, Path, description = "The record's id.")),
    responses(
        (status = 204, description = "Removed."),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
        (status = 409, response = crate::routes::openapi::E409),
    ),
    security(("session" = []), ("bearer" = [])),
)]
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
