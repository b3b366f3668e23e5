//! Server-side sessions: the cookie carries a random token, the database its SHA-256, so any
//! instance can check it and a copy of the table opens nothing. Idle and absolute expiry;
//! revoked by sign-out, a password reset or disabling the user.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use sha2::{Digest, Sha256};

use super::ServiceError;
use super::passwords::random_token;
use crate::entity::{session, user};

/// How long a session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Ends after this long without a request.
    pub idle: Duration,
    /// Ends this long after sign-in, however active.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> SessionPolicy {
        SessionPolicy {
            idle: Duration::minutes(60),
            absolute: Duration::hours(12),
        }
    }
}

/// `last_seen_at` is written at most this often, so reading pages is not a write per request.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// The stored id of a token (hex SHA-256).
pub fn id_of(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens a session for a user; returns the token for the cookie (shown nowhere else).
pub async fn open(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> Result<String, ServiceError> {
    open_with(db, user_id, now, policy, None).await
}

/// [`open`], keeping the provider's ID token of a single sign-on (for signing out there too);
/// the user's last sign-in is now.
pub async fn open_with(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
    policy: SessionPolicy,
    id_token: Option<String>,
) -> Result<String, ServiceError> {
    user::Entity::update_many()
        .col_expr(user::Column::SignedInAt, Expr::value(now))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    let token = random_token(32)?;
    session::ActiveModel {
        id: Set(id_of(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + policy.absolute),
        revoked_at: Set(None),
        id_token: Set(id_token),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The live session of a token and its (enabled) user; `None` for anything expired, revoked,
/// idle too long or unknown.
pub async fn resolve(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> Result<Option<(session::Model, user::Model)>, ServiceError> {
    let Some(found) = session::Entity::find_by_id(id_of(token)).one(db).await? else {
        return Ok(None);
    };
    if found.revoked_at.is_some()
        || now >= found.expires_at
        || now - found.last_seen_at >= policy.idle
    {
        return Ok(None);
    }
    let Some(owner) = user::Entity::find_by_id(found.user_id).one(db).await? else {
        return Ok(None);
    };
    if owner.disabled_at.is_some() {
        return Ok(None);
    }
    let found = if now - found.last_seen_at >= TOUCH_EVERY {
        let mut active = found.into_active_model();
        active.last_seen_at = Set(now);
        active.update(db).await?
    } else {
        found
    };
    Ok(Some((found, owner)))
}

/// Revokes one session (sign-out). Revoking twice is harmless.
pub async fn revoke(
    db: &impl ConnectionTrait,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    crate::remembered::accounts_changed();
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every session of a user.
pub async fn revoke_all(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    crate::remembered::accounts_changed();
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Signs a user out: revokes the session (when the request came with one) and audits it, in one
/// transaction. Returns the provider's ID token when the session was opened by single sign-on,
/// so the caller can end the provider's session too.
pub async fn sign_out(
    db: &DatabaseConnection,
    user_id: i64,
    session_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<String>, ServiceError> {
    let txn = crate::begin_write(db).await?;
    let mut id_token = None;
    if let Some(session_id) = session_id {
        id_token = session::Entity::find_by_id(session_id)
            .one(&txn)
            .await?
            .and_then(|s| s.id_token);
        revoke(&txn, session_id, now).await?;
    }
    super::audit::record(
        &txn,
        super::audit::Change {
            at: now,
            actor: &super::audit::Actor::User(user_id),
            action: "session.sign_out",
            subject: format!("user:{user_id}"),
            before: None,
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    // Again after the commit: a request that read the session in between must not keep it.
    crate::remembered::accounts_changed();
    Ok(id_token)
}
