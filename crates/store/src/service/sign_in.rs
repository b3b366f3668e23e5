//! Signing in: one answer for an unknown e-mail and a wrong password, and after
//! [`LOCKOUT_FAILURES`] failures for one address within [`LOCKOUT_WINDOW`], no more tries until
//! the window passes. Failures are rows in the database, so the lockout holds across instances.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::ServiceError;
use super::access::CurrentUser;
use super::audit::{self, Actor, Change};
use super::passwords::{self, Password};
use super::sessions::{self, SessionPolicy};
use super::users;
use crate::entity::sign_in_failure;

/// Failures that lock an address.
pub const LOCKOUT_FAILURES: u64 = 5;
/// The window they are counted in.
pub const LOCKOUT_WINDOW: Duration = Duration::minutes(15);

/// Why a sign-in failed.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Unknown e-mail, wrong password or disabled account: one answer for all.
    #[error("the e-mail address or password is not right")]
    InvalidCredentials,
    /// Locked for this address until the window passes.
    #[error("too many failed sign-ins for this account; try again in {retry_after_seconds} s")]
    TooManyAttempts {
        /// When to try again.
        retry_after_seconds: i64,
    },
    /// Our side failed.
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<sea_orm::DbErr> for SignInError {
    fn from(e: sea_orm::DbErr) -> SignInError {
        SignInError::Service(e.into())
    }
}

/// A successful sign-in: the user and the new session's token (a fresh one each time, so a
/// token planted before sign-in is never promoted).
pub struct SignedIn {
    pub user: CurrentUser,
    pub token: String,
}

// By hand: the token is the session itself and never goes to a log.
impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn")
            .field("user", &self.user)
            .field("token", &"***")
            .finish()
    }
}

/// Checks the password and opens a session; the session, the failure count and the audit event
/// are written in one transaction.
pub async fn sign_in(
    db: &DatabaseConnection,
    typed_email: &str,
    password: &Password,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> Result<SignedIn, SignInError> {
    sign_in_replacing(db, typed_email, password, now, policy, None).await
}

/// [`sign_in`] from a client that already holds a session (`replacing`, its id): on success
/// that session ends in the same transaction, so a sign-in always replaces the session id.
pub async fn sign_in_replacing(
    db: &DatabaseConnection,
    typed_email: &str,
    password: &Password,
    now: DateTime<Utc>,
    policy: SessionPolicy,
    replacing: Option<&str>,
) -> Result<SignedIn, SignInError> {
    let email = typed_email.trim().to_lowercase();
    let since = now - LOCKOUT_WINDOW;
    let recent = sign_in_failure::Entity::find()
        .filter(sign_in_failure::Column::Email.eq(&email))
        .filter(sign_in_failure::Column::At.gt(since))
        .order_by_asc(sign_in_failure::Column::At);
    let failures = recent.clone().count(db).await?;
    if failures >= LOCKOUT_FAILURES {
        let oldest = recent.one(db).await?.map_or(now, |f| f.at);
        let retry_after_seconds = (oldest + LOCKOUT_WINDOW - now).num_seconds().max(1);
        return Err(SignInError::TooManyAttempts {
            retry_after_seconds,
        });
    }
    let account = users::find_by_email(db, &email).await?;
    // Verified even without an account, so both answers take as long.
    let matches = passwords::verify(
        account.as_ref().and_then(|a| a.password_hash.as_deref()),
        password,
    );
    let user = account
        .as_ref()
        .filter(|_| matches)
        .and_then(users::current_user);
    let txn = crate::begin_write(db).await?;
    let Some(user) = user else {
        sign_in_failure::ActiveModel {
            id: NotSet,
            email: Set(email.clone()),
            at: Set(now),
        }
        .insert(&txn)
        .await?;
        // Failures older than the window no longer count: drop them, so the table stays small.
        sign_in_failure::Entity::delete_many()
            .filter(sign_in_failure::Column::Email.eq(&email))
            .filter(sign_in_failure::Column::At.lte(since))
            .exec(&txn)
            .await?;
        let subject = account
            .as_ref()
            .map_or_else(|| format!("sign-in:{email}"), |a| format!("user:{}", a.id));
        let locked = failures + 1 >= LOCKOUT_FAILURES;
        audit::record(
            &txn,
            Change {
                at: now,
                actor: &Actor::Anonymous,
                action: if locked {
                    "session.locked"
                } else {
                    "session.sign_in_failed"
                },
                subject,
                before: None,
                after: Some(serde_json::json!({ "failures": failures + 1 })),
            },
        )
        .await?;
        txn.commit().await?;
        return Err(SignInError::InvalidCredentials);
    };
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::Email.eq(&email))
        .exec(&txn)
        .await?;
    if let Some(previous) = replacing {
        sessions::revoke(&txn, previous, now).await?;
    }
    let token = sessions::open(&txn, user.id, now, policy).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor: &Actor::User(user.id),
            action: "session.sign_in",
            subject: format!("user:{}", user.id),
            before: None,
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(SignedIn { user, token })
}
