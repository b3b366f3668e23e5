//! Signing in: one answer for an unknown e-mail and a wrong password, and after
//! [`LOCKOUT_FAILURES`] attempts for one address within [`LOCKOUT_WINDOW`], no more tries until
//! the window passes. Attempts are rows in the database, so the lockout holds across instances.
//!
//! The lockout holds under any concurrency: each attempt reserves its row (count and insert under
//! a per-address lock) *before* its password is checked, so at most [`LOCKOUT_FAILURES`]
//! passwords are ever checked per window; an attempt refused by the lockout is a row too, and a
//! right password is refused when the window already holds the lockout's worth of other
//! attempts — a burst of guesses with the right password among them never signs in.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseBackend,
    DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, Statement,
};

use super::ServiceError;
use super::access::CurrentUser;
use super::audit::{self, Actor, Change};
use super::client_limit::ClientAddr;
use super::passwords::{self, Password};
use super::sessions::{self, SessionPolicy};
use super::snapshots;
use super::users;
use crate::entity::sign_in_failure;
use crate::settings::AuthSettings;

/// Failures that lock an address.
pub const LOCKOUT_FAILURES: u64 = 5;
/// The window they are counted in.
pub const LOCKOUT_WINDOW: Duration = Duration::minutes(15);
/// Attempts refused by the lockout are rows too (they keep a burst from signing in), up to this
/// many per address and window, so a flood cannot grow the table without bound.
const KEPT_ATTEMPTS: u64 = 4 * LOCKOUT_FAILURES;
/// The first key of the PostgreSQL advisory locks that serialize one address's attempts ("coop"
/// in ASCII, as the migration lock; the two-key form is a key space of its own).
const ADDRESS_LOCK: i32 = 0x636f_6f70;

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
    /// Too many failed sign-ins from one client address (counted by the server's edge).
    #[error("too many failed sign-ins from this client; try again in {retry_after_seconds} s")]
    TooManyFromClient {
        /// When to try again.
        retry_after_seconds: i64,
    },
    /// This deployment signs people in through the institution's provider only.
    #[error("password sign-in is off")]
    PasswordsOff,
    /// Our side failed.
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<sea_orm::DbErr> for SignInError {
    fn from(e: sea_orm::DbErr) -> SignInError {
        SignInError::Service(e.into())
    }
}

impl From<passwords::CheckUnavailable> for SignInError {
    fn from(e: passwords::CheckUnavailable) -> SignInError {
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

/// Checks the password and opens a session; the session, the end of the address's attempts and
/// the audit event are written in one transaction.
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
    // A malformed or overlong address is refused before anything is written (the audit log is
    // append-only: typed text must never reach it unchecked).
    let email = users::normalize_email(typed_email)?;
    let attempt = reserve(db, &email, now).await?;
    let account = users::find_by_email(db, &email).await?;
    // Verified even without an account, so both answers take as long.
    let matches = passwords::verify_off_workers(
        account.as_ref().and_then(|a| a.password_hash.clone()),
        password.clone(),
    )
    .await?;
    let user = account
        .as_ref()
        .filter(|_| matches)
        .and_then(users::current_user);
    let txn = crate::begin_write(db).await?;
    lock_address(&txn, &email).await?;
    let others = attempts_in_window(&txn, &email, now)
        .await?
        .into_iter()
        .filter(|a| a.id != attempt)
        .count();
    // The right password while the window already holds the lockout's worth of other
    // attempts (a burst in flight): locked, like the attempts after it.
    let burst = user.is_some() && others >= usize_of(LOCKOUT_FAILURES);
    let Some(user) = user.filter(|_| !burst) else {
        let failures = others + 1;
        let locked = failures >= usize_of(LOCKOUT_FAILURES);
        // An unknown address is never written to the append-only log: its SHA-256 stands for it,
        // so one typed address can still be followed through the history.
        let (subject, typed) = match &account {
            Some(a) => (format!("user:{}", a.id), None),
            None => ("sign-in:unknown".to_owned(), Some(sessions::id_of(&email))),
        };
        let after = snapshots::json(&snapshots::SignInFailed {
            failures,
            email_sha256: typed,
        });
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
                after: Some(after),
            },
        )
        .await?;
        txn.commit().await?;
        if burst {
            return Err(SignInError::TooManyAttempts {
                retry_after_seconds: LOCKOUT_WINDOW.num_seconds(),
            });
        }
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

/// Reserves an attempt for `email` before its password is checked: the row is counted and
/// written under the address's lock, so concurrent attempts cannot all see room. Returns the
/// row's id, or the lockout with when to try again.
async fn reserve(
    db: &DatabaseConnection,
    email: &str,
    now: DateTime<Utc>,
) -> Result<i64, SignInError> {
    let txn = crate::begin_write(db).await?;
    lock_address(&txn, email).await?;
    let recent = attempts_in_window(&txn, email, now).await?;
    let count = recent.len();
    if count >= usize_of(LOCKOUT_FAILURES) {
        // The lockout lifts when the attempts drop below the limit: the (count - limit + 1)th
        // oldest leaving the window.
        let lifts = recent
            .get(count - usize_of(LOCKOUT_FAILURES))
            .map_or(now, |a| a.at);
        let retry_after_seconds = (lifts + LOCKOUT_WINDOW - now).num_seconds().max(1);
        if count < usize_of(KEPT_ATTEMPTS) {
            insert_attempt(&txn, email, now).await?;
        }
        txn.commit().await?;
        return Err(SignInError::TooManyAttempts {
            retry_after_seconds,
        });
    }
    let id = insert_attempt(&txn, email, now).await?;
    // Attempts older than the window no longer count: drop them, so the table stays small.
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::Email.eq(email))
        .filter(sign_in_failure::Column::At.lte(now - LOCKOUT_WINDOW))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(id)
}

async fn insert_attempt(
    txn: &DatabaseTransaction,
    email: &str,
    now: DateTime<Utc>,
) -> Result<i64, sea_orm::DbErr> {
    Ok(sign_in_failure::ActiveModel {
        id: NotSet,
        email: Set(email.to_owned()),
        at: Set(now),
    }
    .insert(txn)
    .await?
    .id)
}

/// The address's attempts that still count, oldest first (at most [`KEPT_ATTEMPTS`] are kept).
async fn attempts_in_window(
    txn: &DatabaseTransaction,
    email: &str,
    now: DateTime<Utc>,
) -> Result<Vec<sign_in_failure::Model>, sea_orm::DbErr> {
    sign_in_failure::Entity::find()
        .filter(sign_in_failure::Column::Email.eq(email))
        .filter(sign_in_failure::Column::At.gt(now - LOCKOUT_WINDOW))
        .order_by_asc(sign_in_failure::Column::At)
        .order_by_asc(sign_in_failure::Column::Id)
        .limit(KEPT_ATTEMPTS + 1)
        .all(txn)
        .await
}

/// Serializes one address's attempts until the transaction ends. SQLite's writing transactions
/// already exclude each other (`begin_write` takes the write lock at BEGIN); on PostgreSQL, an
/// advisory lock on the address's hash, so other addresses never wait.
async fn lock_address(txn: &DatabaseTransaction, email: &str) -> Result<(), sea_orm::DbErr> {
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, hashtext($2))",
            [ADDRESS_LOCK.into(), email.into()],
        ))
        .await?;
    }
    Ok(())
}

fn usize_of(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Signs in through either door (`/api/v1/session` and the app's server function): the
/// per-client limit first, then the store's per-address lockout and the password check.
pub async fn sign_in_from(
    db: &sea_orm::DatabaseConnection,
    settings: &AuthSettings,
    client: ClientAddr,
    email: &str,
    password: &Password,
    replacing: Option<&str>,
) -> Result<SignedIn, SignInError> {
    if !settings.password_sign_in {
        return Err(SignInError::PasswordsOff);
    }
    let attempt = settings
        .client_limit
        .reserve(client, std::time::Instant::now())
        .map_err(|seconds| SignInError::TooManyFromClient {
            retry_after_seconds: i64::try_from(seconds).unwrap_or(i64::MAX),
        })?;
    let signed_in = sign_in_replacing(
        db,
        email,
        password,
        chrono::Utc::now(),
        settings.policy,
        replacing,
    )
    .await?;
    settings.client_limit.succeeded(attempt);
    Ok(signed_in)
}
