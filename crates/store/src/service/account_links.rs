//! One-time links to set a password: an invitation (a new account's first password, 7 days) or
//! a password reset (1 hour). The token is random (256 bits), e-mailed once and kept only as its
//! SHA-256; a link works once, before it expires, and only while its account is enabled.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::ServiceError;
use super::passwords::random_token;
use super::sessions::id_of;
use crate::entity::account_link::{self, Purpose};
use crate::entity::user;

/// How long an invitation's link works.
pub const INVITATION_DAYS: i64 = 7;
/// How long a password reset's link works.
pub const RESET_MINUTES: i64 = 60;

impl Purpose {
    /// How long a link of this purpose works.
    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::Invitation => Duration::days(INVITATION_DAYS),
            Purpose::PasswordReset => Duration::minutes(RESET_MINUTES),
        }
    }
}

/// A link just made: the token (for the e-mail, never stored) and its row.
#[derive(Debug)]
pub struct Issued {
    pub token: String,
    pub link: account_link::Model,
}

/// Makes a link for `user_id` (with the caller's transaction); `sent_to` is the address it goes
/// to, when e-mailed.
pub async fn issue(
    db: &impl ConnectionTrait,
    user_id: i64,
    purpose: Purpose,
    sent_to: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Issued, ServiceError> {
    let token = random_token(32)?;
    let link = account_link::ActiveModel {
        id: NotSet,
        user_id: Set(user_id),
        purpose: Set(purpose),
        token_hash: Set(id_of(&token)),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
        used_at: Set(None),
        sent_to: Set(sent_to.map(str::to_owned)),
    }
    .insert(db)
    .await?;
    Ok(Issued { token, link })
}

/// Why a link does not set a password.
const NOT_VALID: &str = "This link does not work any more: it was used already, has expired, or was never ours. Ask for a new one (\"Forgot your password?\" on the sign-in page), or ask the co-op office to invite you again.";

/// The link a token names and its account, if the link still works at `now` (unused, not
/// expired, the account enabled); nothing is used up.
pub async fn find_valid(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(account_link::Model, user::Model), ServiceError> {
    let not_valid = || ServiceError::Invalid {
        field: "token",
        message: NOT_VALID.to_owned(),
    };
    let link = account_link::Entity::find()
        .filter(account_link::Column::TokenHash.eq(id_of(token.trim())))
        .one(db)
        .await?
        .filter(|l| l.used_at.is_none() && l.expires_at > now)
        .ok_or_else(not_valid)?;
    let owner = user::Entity::find_by_id(link.user_id)
        .one(db)
        .await?
        .filter(|u| u.disabled_at.is_none())
        .ok_or_else(not_valid)?;
    Ok((link, owner))
}

/// Uses a link up (with the caller's transaction): of two requests with the same token at once,
/// one wins and the other is refused.
pub async fn use_up(
    db: &impl ConnectionTrait,
    link: &account_link::Model,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let used = account_link::Entity::update_many()
        .col_expr(account_link::Column::UsedAt, Expr::value(now))
        .filter(account_link::Column::Id.eq(link.id))
        .filter(account_link::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if used.rows_affected == 1 {
        Ok(())
    } else {
        Err(ServiceError::Invalid {
            field: "token",
            message: NOT_VALID.to_owned(),
        })
    }
}

/// Ends every other link of user `user_id` still open (with the caller's transaction): once a
/// password is set, an older reset e-mail or invitation lying in a mailbox no longer works.
pub async fn use_up_the_rest(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    account_link::Entity::update_many()
        .col_expr(account_link::Column::UsedAt, Expr::value(now))
        .filter(account_link::Column::UserId.eq(user_id))
        .filter(account_link::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// How many links of `purpose` were made for a user since `since` (the per-address limit).
pub async fn count_since(
    db: &impl ConnectionTrait,
    user_id: i64,
    purpose: Purpose,
    since: DateTime<Utc>,
) -> Result<u64, ServiceError> {
    Ok(account_link::Entity::find()
        .filter(account_link::Column::UserId.eq(user_id))
        .filter(account_link::Column::Purpose.eq(purpose))
        .filter(account_link::Column::CreatedAt.gt(since))
        .count(db)
        .await?)
}

/// Each user's latest invitation (of the users given).
pub async fn latest_invitations(
    db: &impl ConnectionTrait,
    user_ids: &[i64],
) -> Result<HashMap<i64, account_link::Model>, ServiceError> {
    let mut out = HashMap::new();
    for ids in user_ids.chunks(5000) {
        for link in account_link::Entity::find()
            .filter(account_link::Column::UserId.is_in(ids.to_vec()))
            .filter(account_link::Column::Purpose.eq(Purpose::Invitation))
            .order_by_asc(account_link::Column::CreatedAt)
            .all(db)
            .await?
        {
            out.insert(link.user_id, link);
        }
    }
    Ok(out)
}
