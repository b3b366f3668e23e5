//! Setting a password from a one-time link (an invitation or a reset): the password checked
//! against today's rules, the link used up (and the account's other open links with it), every
//! session of the account ended, audited — in one transaction, so a refused password leaves the
//! link usable.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, IntoActiveModel, Set};

use super::ServiceError;
use super::account_links;
use super::audit::{self, Actor, Change};
use super::passwords::{self, Password};
use super::sessions;
use super::snapshots;
use crate::entity::account_link::Purpose;
use crate::entity::user;
use crate::settings::AuthSettings;

/// Sets the password of the account a link names. Refused (`Forbidden`) while password sign-in
/// is off.
pub async fn set_password(
    db: &DatabaseConnection,
    settings: &AuthSettings,
    token: &str,
    password: &Password,
    now: DateTime<Utc>,
) -> Result<user::Model, ServiceError> {
    if !settings.password_sign_in {
        return Err(ServiceError::Forbidden);
    }
    crate::remembered::accounts_changed();
    let txn = crate::begin_write(db).await?;
    let (link, owner) = account_links::find_valid(&txn, token, now).await?;
    passwords::check_new(password, &[&owner.email, &owner.name]).map_err(|p| {
        ServiceError::Invalid {
            field: "password",
            message: p.to_string(),
        }
    })?;
    account_links::use_up(&txn, &link, now).await?;
    account_links::use_up_the_rest(&txn, owner.id, now).await?;
    let mut active = owner.clone().into_active_model();
    active.password_hash = Set(Some(passwords::hash(password)?));
    active.updated_at = Set(now);
    let after = active.update(&txn).await?;
    sessions::revoke_all(&txn, after.id, now).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor: &Actor::User(after.id),
            action: match link.purpose {
                Purpose::Invitation => "user.invitation_accept",
                Purpose::PasswordReset => "user.password_reset",
            },
            subject: format!("user:{}", after.id),
            // Never the hash: only that it changed.
            before: None,
            after: Some(snapshots::json(&snapshots::PasswordChanged {
                password: "changed",
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}
