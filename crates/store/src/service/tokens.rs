//! Staff API tokens for integrations (`Authorization: Bearer coop_…`): created by an admin or
//! the command line for a staff or admin user, shown once, stored as their SHA-256, revocable,
//! and expiring (90 days unless said otherwise, a year at most). A token acts as staff: it
//! reads, decides, imports and exports, and never manages users or tokens (`access`).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::ServiceError;
use super::audit::{self, Actor, Change};
use super::passwords::random_token;
use super::sessions::id_of;
use super::snapshots;
use super::users;
use crate::entity::{api_token, user};

/// Every token starts so, which makes a leaked one easy to find in logs and code.
pub const PREFIX: &str = "coop_";
/// Days a token lives unless its creator says otherwise.
pub const DEFAULT_DAYS: u32 = 90;
/// The longest a token may live.
pub const MAX_DAYS: u32 = 366;

/// When a token stops working.
pub fn expires_at(token: &api_token::Model) -> DateTime<Utc> {
    token
        .expires_at
        .unwrap_or(token.created_at + Duration::days(i64::from(DEFAULT_DAYS)))
}

/// Creates a token for a staff or admin user, living `days` (1 to [`MAX_DAYS`]); returns it
/// with the secret (shown only now).
pub async fn create(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    days: u32,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(api_token::Model, String), ServiceError> {
    let email = users::normalize_email(email)?;
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(ServiceError::Invalid {
            field: "expires_in_days",
            message: format!("a token lives 1 to {MAX_DAYS} days (a year at most)"),
        });
    }
    let name = name.trim();
    let limit = coop_core::text_limits::TOKEN_NAME;
    if !limit.fits(name) {
        return Err(ServiceError::Invalid {
            field: "name",
            message: format!(
                "say what the token is for, in 1 to {} characters",
                limit.max_chars
            ),
        });
    }
    crate::remembered::accounts_changed();
    let txn = crate::begin_write(db).await?;
    let owner = users::find_by_email(&txn, &email)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !owner.role.is_staff() || owner.disabled_at.is_some() {
        return Err(ServiceError::Invalid {
            field: "email",
            message: "API tokens are for enabled staff and admin users".to_owned(),
        });
    }
    let secret = format!("{PREFIX}{}", random_token(32)?);
    let model = api_token::ActiveModel {
        id: NotSet,
        user_id: Set(owner.id),
        name: Set(name.to_owned()),
        token_hash: Set(id_of(&secret)),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
        expires_at: Set(Some(now + Duration::days(i64::from(days)))),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "token.create",
            subject: format!("token:{}", model.id),
            before: None,
            after: Some(snapshots::json(&snapshots::TokenCreated {
                user_id: owner.id,
                name: &model.name,
                expires_at: expires_at(&model).to_rfc3339(),
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((model, secret))
}

/// Revokes a token by id.
pub async fn revoke(
    db: &DatabaseConnection,
    id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<api_token::Model, ServiceError> {
    crate::remembered::accounts_changed();
    let txn = crate::begin_write(db).await?;
    let before = api_token::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut active = before.clone().into_active_model();
    active.revoked_at = Set(Some(before.revoked_at.unwrap_or(now)));
    let after = active.update(&txn).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "token.revoke",
            subject: format!("token:{id}"),
            before: Some(snapshots::json(&snapshots::TokenRevoked {
                revoked: before.revoked_at.is_some(),
            })),
            after: Some(snapshots::json(&snapshots::TokenRevoked { revoked: true })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Every token (never their secrets), newest first.
pub async fn list(
    db: &DatabaseConnection,
) -> Result<Vec<(api_token::Model, String)>, ServiceError> {
    let all = api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?;
    let mut ids: Vec<i64> = all.iter().map(|t| t.user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut emails = std::collections::HashMap::new();
    for chunk in ids.chunks(5000) {
        for owner in user::Entity::find()
            .filter(user::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            emails.insert(owner.id, owner.email);
        }
    }
    Ok(all
        .into_iter()
        .map(|t| {
            let email = emails.get(&t.user_id).cloned().unwrap_or_default();
            (t, email)
        })
        .collect())
}

/// The live token and its enabled staff or admin user, for a bearer secret.
pub async fn resolve(
    db: &DatabaseConnection,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<(api_token::Model, user::Model)>, ServiceError> {
    if !secret.starts_with(PREFIX) {
        return Ok(None);
    }
    let Some(found) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(id_of(secret)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if found.revoked_at.is_some() || now >= expires_at(&found) {
        return Ok(None);
    }
    let Some(owner) = user::Entity::find_by_id(found.user_id).one(db).await? else {
        return Ok(None);
    };
    if owner.disabled_at.is_some() || !owner.role.is_staff() {
        return Ok(None);
    }
    let stale = found
        .last_used_at
        .is_none_or(|at| now - at >= Duration::seconds(60));
    let found = if stale {
        let mut active = found.into_active_model();
        active.last_used_at = Set(Some(now));
        active.update(db).await?
    } else {
        found
    };
    Ok(Some((found, owner)))
}
