//! Admin only: users (`GET`/`POST /api/v1/users`, `POST /api/v1/users/{id}/disable`) and staff
//! API tokens (`GET`/`POST /api/v1/tokens`, `DELETE /api/v1/tokens/{id}`). Secrets — a
//! generated password, a new token — appear once, in the creating response.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_store::entity::{api_token, user};
use coop_store::service::access::{Principal, Role, require_admin};
use coop_store::service::audit::Actor;
use coop_store::service::passwords::{self, Password};
use coop_store::service::{tokens, users};
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::JsonBody;
use crate::error::ApiError;
use crate::state::AppState;

fn user_json(model: &user::Model) -> Value {
    json!({
        "id": model.id,
        "email": model.email,
        "name": model.name,
        "role": model.role,
        "student_id": model.student_id,
        "disabled": model.disabled_at.is_some(),
    })
}

fn token_json(model: &api_token::Model) -> Value {
    json!({
        "id": model.id,
        "user_id": model.user_id,
        "name": model.name,
        "created_at": model.created_at.to_rfc3339(),
        "last_used_at": model.last_used_at.map(|t| t.to_rfc3339()),
        "revoked": model.revoked_at.is_some(),
        "expires_at": tokens::expires_at(model).to_rfc3339(),
        "expired": tokens::expires_at(model) <= chrono::Utc::now(),
    })
}

pub async fn list_users(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Value>, ApiError> {
    require_admin(&principal)?;
    let all = users::list(state.store.db()).await?;
    Ok(Json(
        json!({ "items": all.iter().map(user_json).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    email: String,
    name: String,
    role: Role,
    #[serde(default)]
    student_number: Option<String>,
    /// Omitted: one is generated and returned once.
    #[serde(default)]
    password: Option<String>,
}

pub async fn create_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    JsonBody(body): JsonBody<NewUserBody>,
) -> Result<Response, ApiError> {
    let admin = require_admin(&principal)?;
    let (password, generated) = match body.password {
        Some(p) => (Password::new(p), false),
        None => (
            passwords::generate().map_err(|e| ApiError::Internal(e.to_string()))?,
            true,
        ),
    };
    let created = users::create(
        state.store.db(),
        users::NewUser {
            email: body.email,
            name: body.name,
            role: body.role,
            student_number: body.student_number,
        },
        Some(&password),
        &Actor::User(admin.id),
        chrono::Utc::now(),
    )
    .await?;
    let answer = if generated {
        json!({ "user": user_json(&created), "password": password.expose() })
    } else {
        json!({ "user": user_json(&created) })
    };
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

pub async fn disable_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let admin = require_admin(&principal)?;
    let db = state.store.db();
    let target = users::get(db, id).await?;
    let after = users::disable(
        db,
        &target.email,
        &Actor::User(admin.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(json!({ "user": user_json(&after) })))
}

pub async fn list_tokens(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Value>, ApiError> {
    require_admin(&principal)?;
    let all = tokens::list(state.store.db()).await?;
    Ok(Json(
        json!({ "items": all.iter().map(token_json).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTokenBody {
    email: String,
    name: String,
    /// 1 to 366; 90 when left out.
    #[serde(default = "default_days")]
    expires_in_days: u32,
}

fn default_days() -> u32 {
    tokens::DEFAULT_DAYS
}

pub async fn create_token(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    JsonBody(body): JsonBody<NewTokenBody>,
) -> Result<Response, ApiError> {
    let admin = require_admin(&principal)?;
    let (model, secret) = tokens::create(
        state.store.db(),
        &body.email,
        &body.name,
        body.expires_in_days,
        &Actor::User(admin.id),
        chrono::Utc::now(),
    )
    .await?;
    let answer = json!({ "token": secret, "id": model.id, "details": token_json(&model) });
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let admin = require_admin(&principal)?;
    tokens::revoke(
        state.store.db(),
        id,
        &Actor::User(admin.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
