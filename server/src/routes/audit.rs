//! `GET /api/v1/audit?subject=student:42` (staff): the append-only history of one subject.

use axum::extract::{Query, State};
use axum::{Extension, Json};
use coop_store::service::access::{Principal, require_staff};
use coop_store::service::audit;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    subject: String,
}

pub async fn history(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    require_staff(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    let events = audit::history(state.store.db(), &query.subject)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(json!({
        "items": events.iter().map(|e| json!({
            "id": e.id,
            "at": e.at.to_rfc3339(),
            "actor": e.actor,
            "action": e.action,
            "subject": e.subject,
            "before": e.before,
            "after": e.after,
        })).collect::<Vec<_>>(),
    })))
}
