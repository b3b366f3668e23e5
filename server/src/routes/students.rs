//! Student records: `GET /api/v1/students` (staff: search, paged by the database),
//! `GET /api/v1/students/{id}` (staff, or the student themself — another student gets 404),
//! `GET /api/v1/me/status` (a student's own evaluation, from the stored record).

use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use coop_core::contract::ResultLine;
use coop_core::evaluate;
use coop_store::entity::student;
use coop_store::service::access::{
    Principal, require_staff, require_student, require_student_record,
};
use coop_store::service::{records, students};
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
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
    let (items, total) =
        students::search(state.store.db(), &query.q, query.page - 1, query.per_page).await?;
    Ok(Json(json!({
        "items": items.iter().map(record_json).collect::<Vec<_>>(),
        "total": total,
    })))
}

pub async fn get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    require_student_record(&principal, id)?;
    let model = students::get(state.store.db(), id).await?;
    Ok(Json(json!({
        "record": record_json(&model),
        "evaluation": evaluation_json(&state, &model).await?,
    })))
}

pub async fn my_status(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Value>, ApiError> {
    let (_, student_id) = require_student(&principal)?;
    let model = students::get(state.store.db(), student_id).await?;
    Ok(Json(evaluation_json(&state, &model).await?))
}
