//! Student records: `GET /api/v1/students` (staff: search, paged by the database),
//! `GET /api/v1/students/{id}` (staff, or the student themself — another student gets 404),
//! `GET /api/v1/me/status` (a student's own evaluation, from the stored record).

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_core::contract::ResultLine;
use coop_core::evaluate;
use coop_store::entity::student;
use coop_store::service::access::{
    Principal, require_staff, require_student, require_student_record,
};
use coop_store::service::audit::Actor;
use coop_store::service::student_list::{self, FilterText, Listed, StudentQuery};
use coop_store::service::students::ProgramChange;
use coop_store::service::{import, records, students};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::AppState;

/// A record as the API shows it: its snapshot (as the audit log keeps it) and its id.
pub fn record_json(model: &student::Model) -> Value {
    let mut record = students::snapshot(model);
    if let Value::Object(fields) = &mut record {
        fields.insert("id".to_owned(), json!(model.id));
    }
    record
}

/// The student's evaluation now, from their record and everything on file.
pub async fn evaluation_json(state: &AppState, model: &student::Model) -> Result<Value, ApiError> {
    let case = records::case_for(state.store.db(), model, chrono::Utc::now()).await?;
    let evaluation = evaluate(&case);
    serde_json::to_value(ResultLine {
        id: None,
        evaluation: &evaluation,
    })
    .map_err(|e| ApiError::Internal(e.to_string()))
}

/// The filters of a staff list (api.md), as given in the query string.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    /// `cleared` or `not_cleared`.
    job_access: Option<String>,
    /// A document state code (`valid`, `expiring_soon`, `maintained`, …).
    state: Option<String>,
    /// `coop_work_permit` or `study_permit_placement`.
    regime: Option<String>,
    /// A J reason code (e.g. `no_on_campus_work_condition`).
    reason: Option<String>,
    /// V2.
    extend_study_permit: Option<bool>,
    expiring_within_days: Option<u32>,
    /// `name`, `number` or `expiry`.
    sort: Option<String>,
    #[serde(default = "first_page")]
    page: u64,
    #[serde(default = "default_per_page")]
    per_page: u64,
}

fn first_page() -> u64 {
    1
}
fn default_per_page() -> u64 {
    50
}

fn bad(field: &str, message: String) -> ApiError {
    ApiError::InvalidInput(vec![coop_core::contract::FieldError {
        field: Some(field.to_owned()),
        code: "invalid",
        message,
    }])
}

impl ListQuery {
    fn filters(&self) -> Result<StudentQuery, ApiError> {
        let extend = self
            .extend_study_permit
            .map(|v| v.to_string())
            .unwrap_or_default();
        let days = self
            .expiring_within_days
            .map(|v| v.to_string())
            .unwrap_or_default();
        Ok(StudentQuery::parse(&FilterText {
            q: &self.q,
            job_access: self.job_access.as_deref().unwrap_or(""),
            state: self.state.as_deref().unwrap_or(""),
            regime: self.regime.as_deref().unwrap_or(""),
            reason: self.reason.as_deref().unwrap_or(""),
            extend_study_permit: &extend,
            expiring_within_days: &days,
            sort: self.sort.as_deref().unwrap_or(""),
        })?)
    }
}

fn listed_json(listed: &Listed) -> Value {
    let mut item = record_json(&listed.student);
    if let Value::Object(fields) = &mut item {
        let s = &listed.standing;
        fields.insert(
            "standing".to_owned(),
            json!({
                "cleared": s.cleared,
                "regime": s.regime,
                "study_permit": {"state": s.study_state, "expires": s.study_expires},
                "coop_work_permit": {"state": s.coop_state, "expires": s.coop_expires},
                "extend_study_permit": s.extend_study_permit,
                "reasons": s.reasons.split(',').filter(|r| !r.is_empty()).collect::<Vec<_>>(),
            }),
        );
    }
    item
}

pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    require_staff(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    if query.page == 0 || !(1..=500).contains(&query.per_page) {
        return Err(ApiError::Unreadable(
            "page starts at 1; per_page is 1 to 500.".to_owned(),
        ));
    }
    let filters = query.filters()?;
    let (items, total) = student_list::list(
        state.store.db(),
        &filters,
        query.page - 1,
        query.per_page,
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(json!({
        "items": items.iter().map(listed_json).collect::<Vec<_>>(),
        "total": total,
    })))
}

/// A cell a spreadsheet shows as text: one starting like a formula gets a leading `'`.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// A CSV download: UTF-8 with a byte-order mark (so spreadsheets read it as UTF-8) and a header.
fn csv_response(
    filename: &str,
    header: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<Response, ApiError> {
    let mut writer = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let internal = |e: csv::Error| ApiError::Internal(e.to_string());
    writer.write_record(header).map_err(internal)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|c| cell(c)))
            .map_err(internal)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Staff: the filtered list (every page) as CSV.
pub async fn export(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    require_staff(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    let filters = query.filters()?;
    let (items, _) =
        student_list::list(state.store.db(), &filters, 0, 200_000, chrono::Utc::now()).await?;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows = items
        .iter()
        .map(|l| {
            let (s, t) = (&l.student, &l.standing);
            vec![
                s.student_number.clone(),
                s.email.clone(),
                s.name.clone(),
                s.program.clone(),
                s.coop_program.to_string(),
                s.coop1101.clone(),
                s.continuance_met.to_string(),
                s.full_time.to_string(),
                if t.cleared { "cleared" } else { "not_cleared" }.to_owned(),
                t.regime.clone(),
                t.study_state.clone(),
                date(t.study_expires),
                t.coop_state.clone(),
                date(t.coop_expires),
                t.reasons.trim_matches(',').replace(',', " "),
            ]
        })
        .collect();
    csv_response(
        "students.csv",
        // The import's columns first, so an export can be edited and imported back.
        &[
            import::HEADER.as_slice(),
            &[
                "job_access",
                "regime",
                "study_permit_state",
                "study_permit_expires",
                "coop_work_permit_state",
                "coop_work_permit_expires",
                "reasons",
            ],
        ]
        .concat(),
        rows,
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpiringQuery {
    #[serde(default = "ninety")]
    within_days: u32,
}

fn ninety() -> u32 {
    90
}

/// Staff: one row per document expiring from today (Vancouver) to `within_days` ahead.
pub async fn expiring_csv(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<ExpiringQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    require_staff(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    if query.within_days > 3650 {
        return Err(bad("within_days", "at most 3650".to_owned()));
    }
    let now = chrono::Utc::now();
    let today = coop_core::time::Zone::default().today(now);
    let rows = student_list::expiring_documents(state.store.db(), query.within_days, now)
        .await?
        .into_iter()
        .map(|r| {
            vec![
                r.student.student_number.clone(),
                r.student.name.clone(),
                r.student.email.clone(),
                r.document.to_owned(),
                r.expires.to_string(),
                coop_core::time::days_left(r.expires, today).to_string(),
                coop_core::datetime_text::utc_seconds(&coop_core::time::deadline_utc(r.expires)),
                r.state,
            ]
        })
        .collect();
    csv_response(
        &format!("expiring-within-{}-days.csv", query.within_days),
        &[
            "student_number",
            "name",
            "email",
            "document",
            "expires_on",
            "days_left",
            "deadline_utc",
            "state",
        ],
        rows,
    )
}

/// A student's whole file: the record, the evaluation now, documents, letter requests,
/// applications, work terms and the history of every change.
pub async fn get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    require_student_record(&principal, id)?;
    // Staff notes and the office's history (which names staff) are for staff; a student reading
    // their own file gets the rest.
    let staff = require_staff(&principal).is_ok();
    let db = state.store.db();
    let model = students::get(db, id).await?;
    let on_file = records::load(db, id).await?;
    let requests = coop_store::service::letters::list(db, id).await?;
    let history = if staff {
        coop_store::service::audit::history(db, &format!("student:{id}"))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?
    } else {
        Vec::new()
    };
    let mut record = record_json(&model);
    if let (false, Value::Object(fields)) = (staff, &mut record) {
        fields.remove("notes");
    }
    let mut file = json!({
        "record": record,
        "evaluation": evaluation_json(&state, &model).await?,
        "documents": on_file.documents.iter().map(super::documents::document_json).collect::<Vec<_>>(),
        "letter_requests": requests.iter().map(super::letters::request_json).collect::<Vec<_>>(),
        "applications": on_file.applications.iter().map(|a| json!({
            "id": a.id,
            "for": a.for_document,
            "submitted_at": a.submitted_at,
            "application_number": a.application_number,
            "decision": a.decision,
        })).collect::<Vec<_>>(),
        "work_terms": on_file.work_terms.iter().map(|t| json!({
            "id": t.id, "start": t.start_on, "end": t.end_on, "employer": t.employer,
        })).collect::<Vec<_>>(),
        "history": history.iter().map(super::audit::event_json).collect::<Vec<_>>(),
    });
    if let (false, Value::Object(fields)) = (staff, &mut file) {
        fields.remove("history");
    }
    Ok(Json(file))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody {
    program: Option<String>,
    coop_program: Option<bool>,
    /// `none`, `registered` or `completed`.
    coop1101: Option<String>,
    continuance_met: Option<bool>,
    full_time: Option<bool>,
    /// `post_secondary` or `secondary`.
    level: Option<String>,
    notes: Option<String>,
    /// The record's `version` the editor saw (optional): 409 when it changed since.
    version: Option<i64>,
}

/// Staff change the program record; the answer is the record and the evaluation after it.
pub async fn update(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
    super::body::JsonBody(body): super::body::JsonBody<UpdateBody>,
) -> Result<Json<Value>, ApiError> {
    let staff = require_staff(&principal)?;
    let coop1101 = match body.coop1101.as_deref() {
        None => None,
        Some(code) => Some(coop_core::case::Coop1101::from_code(code).ok_or_else(|| {
            bad(
                "coop1101",
                format!("none, registered or completed, not {code:?}"),
            )
        })?),
    };
    let level = match body.level.as_deref() {
        None => None,
        Some(code) => Some(coop_core::case::Level::from_code(code).ok_or_else(|| {
            bad(
                "level",
                format!("post_secondary or secondary, not {code:?}"),
            )
        })?),
    };
    let after = students::update_program(
        state.store.db(),
        id,
        ProgramChange {
            program: body.program,
            coop_program: body.coop_program,
            coop1101,
            continuance_met: body.continuance_met,
            full_time: body.full_time,
            level,
            notes: body.notes,
            expected_version: body.version,
        },
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(json!({
        "record": record_json(&after),
        "evaluation": evaluation_json(&state, &after).await?,
    })))
}

/// Import bodies above this are refused with 413 (100,000 students fit).
pub const IMPORT_BODY_LIMIT: usize = 20 * 1024 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Only say what would happen.
    #[serde(default)]
    dry_run: bool,
}

/// Staff import students from CSV (`text/csv` body): the report of every line; with
/// `?dry_run=true` nothing is written.
pub async fn import(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<ImportQuery>, axum::extract::rejection::QueryRejection>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let staff = require_staff(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("text/csv") {
        return Err(ApiError::UnsupportedMediaType);
    }
    let db = state.store.db();
    let report = if query.dry_run {
        import::preview(db, &body).await?
    } else {
        import::import(db, &body, &Actor::User(staff.id), chrono::Utc::now()).await?
    };
    serde_json::to_value(report)
        .map(Json)
        .map_err(|e| ApiError::Internal(e.to_string()))
}

pub async fn my_status(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Value>, ApiError> {
    let (_, student_id) = require_student(&principal)?;
    let model = students::get(state.store.db(), student_id).await?;
    Ok(Json(evaluation_json(&state, &model).await?))
}
