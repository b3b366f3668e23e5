//! Admin only: staff API tokens (`GET`/`POST /api/v1/tokens`, `DELETE /api/v1/tokens/{id}`).
//! A new token's secret appears once, in the creating response.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_api::Items;
use coop_api::accounts::{CreatedToken, NewToken, Token};
use coop_store::service::access::{Principal, require_admin};
use coop_store::service::audit::Actor;
use coop_store::service::tokens;

use super::body::JsonBody;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/tokens",
    operation_id = "get_tokens",
    summary = "API tokens",
    description = "Who: admin, signed in with a session.",
    responses(
        (status = 200, description = "OK", body = Items<Token>),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn list_tokens(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Items<Token>>, ApiError> {
    require_admin(&principal)?;
    let all = tokens::list(state.store.db()).await?;
    Ok(Json(Items {
        items: all
            .iter()
            .map(|(model, email)| coop_store::wire::accounts::token(model, email))
            .collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/tokens",
    operation_id = "post_tokens",
    summary = "Create an API token for a staff integration (shown once)",
    description = "Who: admin, signed in with a session (an API token never manages tokens or users).",
    request_body(content = NewToken, content_type = "application/json"),
    responses(
        (status = 201, description = "Created.", body = CreatedToken),
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
pub async fn create_token(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    JsonBody(body): JsonBody<NewToken>,
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
    let answer = coop_store::wire::accounts::created_token(&model, secret, &body.email);
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

#[utoipa::path(
    delete,
    path = "/api/v1/tokens/{id}",
    operation_id = "delete_tokens_id",
    summary = "Revoke a token",
    description = "Who: admin.",
    params(("id" = i64, Path, description = "The record's id.")),
    responses(
        (status = 204, description = "Revoked."),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
    ),
    security(("session" = []), ("bearer" = [])),
)]
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
