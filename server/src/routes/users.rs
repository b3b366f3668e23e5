//! Admin only: users — the list (`?q=` searches e-mail and name), creating one (with a
//! generated password shown once, or an invitation), a staff account's role, disabling (their
//! sessions and tokens end at once) and enabling, and sending an invitation again. Each change
//! audited. An API token never manages users.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_api::Items;
use coop_api::accounts::{AdminUser, InvitationSent, NewUser, UserAnswer, UserChange};
use coop_store::service::access::{Principal, require_admin};
use coop_store::service::account_links;
use coop_store::service::audit::Actor;
use coop_store::service::passwords::{self, Password};
use coop_store::service::{invitations, users};
use coop_store::wire::accounts::{admin_user, admin_users};
use serde::Deserialize;
use utoipa::IntoParams;

use super::body::JsonBody;
use crate::error::ApiError;
use crate::state::AppState;

/// The users list's search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Part of an e-mail address or a name.
    #[serde(default)]
    q: String,
}

/// A user as the API answers, with their latest invitation.
async fn answer(
    state: &AppState,
    model: &coop_store::entity::user::Model,
) -> Result<AdminUser, ApiError> {
    let invitations = account_links::latest_invitations(state.store.db(), &[model.id]).await?;
    Ok(admin_user(model, invitations.get(&model.id)))
}

#[utoipa::path(
    get,
    path = "/api/v1/users",
    operation_id = "get_users",
    summary = "Every user (or those matching `q`), with their invitation",
    description = "Who: admin, signed in with a session (an API token never manages users or tokens).",
    params(UserQuery),
    responses(
        (status = 200, description = "OK", body = Items<AdminUser>),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn list_users(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<UserQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Items<AdminUser>>, ApiError> {
    require_admin(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    let db = state.store.db();
    let (found, _) = users::search(db, &query.q, 0, u64::from(u32::MAX)).await?;
    let ids: Vec<i64> = found.iter().map(|u| u.id).collect();
    let invitations = account_links::latest_invitations(db, &ids).await?;
    Ok(Json(Items {
        items: admin_users(&found, &invitations),
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/users",
    operation_id = "post_users",
    summary = "Create a user (a generated password shown once, or an invitation)",
    description = "Who: admin, signed in with a session (an API token never manages users or tokens). With `invite`, the user gets an e-mail with a one-time link to set a password (7 days); without a mail server the link is in the answer, once, to hand over.",
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
    let actor = Actor::User(admin.id);
    let now = chrono::Utc::now();
    let (password, generated) = match (body.password, body.invite) {
        (Some(p), _) => (Some(Password::new(p)), false),
        (None, true) => (None, false),
        (None, false) => (
            Some(passwords::generate().map_err(|e| ApiError::Internal(e.to_string()))?),
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
        password.as_ref(),
        &actor,
        now,
    )
    .await?;
    let invitation = if body.invite {
        Some(invite(&state, created.id, &actor, now).await)
    } else {
        None
    };
    let answer = UserAnswer {
        user: answer(&state, &created).await?,
        password: password
            .filter(|_| generated)
            .map(|p| p.expose().to_owned()),
        invitation,
    };
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// Invites a user just created: what was sent, or why it could not be (the account stays).
async fn invite(
    state: &AppState,
    id: i64,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> InvitationSent {
    match invitations::invite(
        state.store.db(),
        state.mail.mailer.as_deref(),
        &state.auth,
        id,
        actor,
        now,
    )
    .await
    {
        Ok(invited) => InvitationSent::from(&invited),
        Err(e) => InvitationSent::not_sent(e.to_string()),
    }
}

#[utoipa::path(
    patch,
    path = "/api/v1/users/{id}",
    operation_id = "patch_users_id",
    summary = "Change a staff account's role (staff or admin); its sessions end",
    description = "Who: admin, signed in with a session. A student's account stays a student's; the last enabled admin stays an admin.",
    params(("id" = i64, Path, description = "The record's id.")),
    request_body(content = UserChange, content_type = "application/json"),
    responses(
        (status = 200, description = "OK", body = UserAnswer),
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
pub async fn change_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<UserChange>,
) -> Result<Json<UserAnswer>, ApiError> {
    let admin = require_admin(&principal)?;
    let after = users::set_role(
        state.store.db(),
        id,
        body.role,
        &Actor::User(admin.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(UserAnswer {
        user: answer(&state, &after).await?,
        password: None,
        invitation: None,
    }))
}

/// Disables (`true`) or enables a user; the answer is the user after.
async fn set_disabled(
    state: &AppState,
    principal: &Principal,
    id: i64,
    disabled: bool,
) -> Result<Json<UserAnswer>, ApiError> {
    let admin = require_admin(principal)?;
    let after = users::set_disabled(
        state.store.db(),
        id,
        disabled,
        &Actor::User(admin.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(UserAnswer {
        user: answer(state, &after).await?,
        password: None,
        invitation: None,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/disable",
    operation_id = "post_users_id_disable",
    summary = "Disable a user and end their sessions",
    description = "Who: admin, signed in with a session (an API token never manages users or tokens). Not one's own account, nor the last enabled admin.",
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
    set_disabled(&state, &principal, id, true).await
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/enable",
    operation_id = "post_users_id_enable",
    summary = "Enable a disabled user again",
    description = "Who: admin, signed in with a session.",
    params(("id" = i64, Path, description = "The record's id.")),
    responses(
        (status = 200, description = "OK", body = UserAnswer),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn enable_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Json<UserAnswer>, ApiError> {
    set_disabled(&state, &principal, id, false).await
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/invitation",
    operation_id = "post_users_id_invitation",
    summary = "Send an invitation (again)",
    description = "Who: admin, signed in with a session. A new one-time link (7 days); without a mail server it is in the answer, once, to hand over.",
    params(("id" = i64, Path, description = "The record's id.")),
    responses(
        (status = 200, description = "OK", body = InvitationSent),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
        (status = 409, response = crate::routes::openapi::E409),
        (status = 503, response = crate::routes::openapi::E503),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn invite_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Json<InvitationSent>, ApiError> {
    let admin = require_admin(&principal)?;
    let invited = invitations::invite(
        state.store.db(),
        state.mail.mailer.as_deref(),
        &state.auth,
        id,
        &Actor::User(admin.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(InvitationSent::from(&invited)))
}
