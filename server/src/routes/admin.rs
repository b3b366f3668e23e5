//! Admin only: users (`GET`/`POST /api/v1/users`, `POST /api/v1/users/{id}/disable`) and staff
//! API tokens (`GET`/`POST /api/v1/tokens`, `DELETE /api/v1/tokens/{id}`). Secrets — a
//! generated password, a new token — appear once, in the creating response.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_api::Items;
use coop_api::accounts::{AdminUser, CreatedToken, NewToken, NewUser, Token, UserAnswer};
use coop_store::service::access::{Principal, require_admin};
use coop_store::service::audit::Actor;
use coop_store::service::passwords::{self, Password};
use coop_store::service::{tokens, users};

use super::body::JsonBody;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/users",
    operation_id = "get_users",
    summary = "Every user",
    description = "Who: admin, signed in with a session (an API token never manages users or tokens).",
    responses(
        (status = 200, description = "OK", body = Items<AdminUser>),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn list_users(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Items<AdminUser>>, ApiError> {
    require_admin(&principal)?;
    let all = users::list(state.store.db()).await?;
    Ok(Json(Items {
        items: all.iter().map(AdminUser::from).collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/users",
    operation_id = "post_users",
    summary = "Create a user",
    description = "Who: admin, signed in with a session (an API token never manages users or tokens).",
    request_body(content = NewUser, content_type = "application/json"),
    responses(
        (status = 201, description = "Created.", body = UserAnswer),
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
pub async fn create_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    JsonBody(body): JsonBody<NewUser>,
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
    let answer = UserAnswer {
        user: AdminUser::from(&created),
        password: generated.then(|| password.expose().to_owned()),
    };
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/disable",
    operation_id = "post_users_id_disable",
    summary = "Disable a user and end their sessions",
    description = "Who: admin, signed in with a session (an API token never manages users or tokens).",
    params(("id" = i64, Path, description = "The record's id.")),
    responses(
        (status = 200, description = "OK", body = UserAnswer),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
        (status = 409, response = crate::routes::openapi::E409),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn disable_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Json<UserAnswer>, ApiError> {
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
    Ok(Json(UserAnswer {
        user: AdminUser::from(&after),
        password: None,
    }))
}

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
        items: all.iter().map(Token::from).collect(),
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
    let answer = CreatedToken {
        token: secret,
        id: model.id,
        details: Token::from(&model),
    };
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
