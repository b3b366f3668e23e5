//! Single sign-on's side in the database: a sign-on under way (its `state`, `nonce` and PKCE
//! verifier, kept between the redirect to the provider and the callback, on whichever instance
//! the callback reaches, and used once), and the session it opens for the account the
//! provider's verified claims name. The protocol itself (discovery, the code exchange, the ID
//! token's signature, issuer, audience, expiry and nonce) is the server's `sso` module.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, DatabaseConnection, EntityTrait,
    QueryFilter, Set,
};

use super::ServiceError;
use super::audit::{self, Actor, Change};
use super::sessions::{self, SessionPolicy, id_of};
use super::sign_in::SignedIn;
use super::snapshots;
use super::users::{self, current_user};
use crate::entity::{sso_login, user};

pub use crate::settings::SSO_LOGIN_MINUTES as LOGIN_MINUTES;

/// A sign-on to remember until its callback.
#[derive(Debug)]
pub struct Pending<'a> {
    pub state: &'a str,
    pub nonce: &'a str,
    pub pkce_verifier: &'a str,
    /// A path on this site to go to afterwards.
    pub next: Option<&'a str>,
}

/// Remembers a sign-on sent to the provider; sign-ons older than a day are forgotten.
pub async fn begin(
    db: &DatabaseConnection,
    pending: Pending<'_>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    sso_login::Entity::delete_many()
        .filter(sso_login::Column::CreatedAt.lt(now - Duration::days(1)))
        .exec(db)
        .await?;
    sso_login::ActiveModel {
        id: NotSet,
        state_hash: Set(id_of(pending.state)),
        nonce: Set(pending.nonce.to_owned()),
        pkce_verifier: Set(pending.pkce_verifier.to_owned()),
        next: Set(pending.next.map(str::to_owned)),
        created_at: Set(now),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The sign-on a callback's `state` names, used up now; `None` for a state that is unknown,
/// used already (a replayed callback) or older than [`LOGIN_MINUTES`].
pub async fn take(
    db: &DatabaseConnection,
    state: &str,
    now: DateTime<Utc>,
) -> Result<Option<sso_login::Model>, ServiceError> {
    let hash = id_of(state);
    let taken = sso_login::Entity::update_many()
        .col_expr(sso_login::Column::UsedAt, Expr::value(now))
        .filter(sso_login::Column::StateHash.eq(&hash))
        .filter(sso_login::Column::UsedAt.is_null())
        .filter(sso_login::Column::CreatedAt.gt(now - Duration::minutes(LOGIN_MINUTES)))
        .exec(db)
        .await?;
    if taken.rows_affected != 1 {
        return Ok(None);
    }
    Ok(sso_login::Entity::find()
        .filter(sso_login::Column::StateHash.eq(hash))
        .one(db)
        .await?)
}

/// Who the provider says signed in (from its verified ID token).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub email: Option<String>,
    /// The provider's `email_verified`, when it says (absent: institutions' providers only
    /// release their own, verified, addresses).
    pub email_verified: Option<bool>,
    pub student_number: Option<String>,
}

/// Why single sign-on opened no session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No account of this office has that e-mail or student number.
    Unregistered,
    /// The account is disabled.
    Disabled,
    /// The provider does not vouch for the e-mail, and no student number names an account.
    Unverified,
}

/// Opens a session for the account `identity` names — the user with that verified e-mail, or
/// the student with that number — exactly as a password sign-in does (and audited alike).
pub async fn sign_in(
    db: &DatabaseConnection,
    identity: &Identity,
    id_token: String,
    policy: SessionPolicy,
    replacing: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Result<SignedIn, Refusal>, ServiceError> {
    let by_email = match (&identity.email, identity.email_verified) {
        (Some(email), verified) if verified != Some(false) => match users::normalize_email(email) {
            Ok(email) => users::find_by_email(db, &email).await?,
            Err(_) => None,
        },
        _ => None,
    };
    let by_number = match (&by_email, &identity.student_number) {
        (None, Some(number)) => match super::students::find_by_number(db, number.trim()).await? {
            Some(record) => {
                user::Entity::find()
                    .filter(user::Column::StudentId.eq(record.id))
                    .one(db)
                    .await?
            }
            None => None,
        },
        _ => None,
    };
    let Some(account) = by_email.or(by_number) else {
        refused(db, identity, now).await?;
        return Ok(Err(if identity.email_verified == Some(false) {
            Refusal::Unverified
        } else {
            Refusal::Unregistered
        }));
    };
    let Some(current) = current_user(&account) else {
        refused(db, identity, now).await?;
        return Ok(Err(Refusal::Disabled));
    };
    let txn = crate::begin_write(db).await?;
    if let Some(previous) = replacing {
        sessions::revoke(&txn, previous, now).await?;
    }
    let token = sessions::open_with(&txn, current.id, now, policy, Some(id_token)).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor: &Actor::User(current.id),
            action: "session.sign_in",
            subject: format!("user:{}", current.id),
            before: None,
            after: Some(snapshots::json(&snapshots::SignedInVia { via: "sso" })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(SignedIn {
        user: current,
        token,
    }))
}

/// A sign-on the office could not match to an account, in the history (the address only as its
/// SHA-256, as for failed password sign-ins).
async fn refused(
    db: &DatabaseConnection,
    identity: &Identity,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    audit::record(
        db,
        Change {
            at: now,
            actor: &Actor::Anonymous,
            action: "session.sso_refused",
            subject: "sign-in:unknown".to_owned(),
            before: None,
            after: Some(snapshots::json(&snapshots::SsoRefused {
                email_sha256: identity.email.as_deref().map(id_of),
                student_number_given: identity.student_number.is_some(),
            })),
        },
    )
    .await?;
    Ok(())
}
