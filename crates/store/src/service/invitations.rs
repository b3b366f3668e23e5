//! Invitations: an account the office opened gets an e-mail with a one-time link to set its
//! first password (7 days), or — when people sign in only through the institution's provider — a
//! note to sign in with that account. Without a mail server, the link is handed to the admin
//! instead, once, to pass on. Staff see whether it was accepted, and can send it again.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::ServiceError;
use super::account_links::{self, Issued};
use super::audit::{self, Actor, Change};
use super::notices::{DynMailer, Mailer};
use super::snapshots;
use super::templates;
use super::users;
use crate::entity::account_link::Purpose;
use crate::settings::AuthSettings;

/// What an invitation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invited {
    /// The address it was e-mailed to.
    pub sent_to: Option<String>,
    /// Without a mail server: the link to hand over (shown once).
    pub link: Option<String>,
    /// When the link stops working (none with single sign-on only).
    pub expires_at: Option<DateTime<Utc>>,
}

/// Invites user `user_id`: a new link (earlier ones keep working until they expire), e-mailed
/// when a mailer is given; audited as `user.invite`. When the e-mail cannot be sent, nothing is
/// recorded (503).
pub async fn invite(
    db: &DatabaseConnection,
    mailer: Option<&dyn DynMailer>,
    settings: &AuthSettings,
    user_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Invited, ServiceError> {
    let user = users::get(db, user_id).await?;
    if user.disabled_at.is_some() {
        return Err(ServiceError::State(
            "This account is disabled: enable it before inviting its owner.".to_owned(),
        ));
    }
    let txn = crate::begin_write(db).await?;
    let sso_name = settings.sso.as_ref().map(|s| s.name.as_str());
    // The invitation is recorded either way (staff see it sent, and accepted once its owner
    // signs in); with single sign-on only there is no password to set, so its link goes nowhere
    // and the e-mail says how to sign in instead.
    let sent_to = mailer.is_some().then_some(user.email.as_str());
    let Issued { token, link } =
        account_links::issue(&txn, user.id, Purpose::Invitation, sent_to, now).await?;
    let link = settings.password_sign_in.then(|| {
        (
            settings.page_url(&format!("/set-password?token={token}")),
            link.expires_at,
        )
    });
    let mut invited = Invited {
        sent_to: None,
        link: None,
        expires_at: link.as_ref().map(|(_, expires)| *expires),
    };
    match mailer {
        Some(mailer) => {
            let message = templates::invitation(
                &user.email,
                &user.name,
                &settings.origin,
                link.as_ref().map(|(url, expires)| (url.as_str(), *expires)),
                sso_name,
            );
            mailer.send(&message).await.map_err(|error| {
                ServiceError::Unavailable(format!(
                    "The invitation to {} could not be sent ({error}); nothing was recorded. Send it again when the mail server answers.",
                    user.email
                ))
            })?;
            invited.sent_to = Some(user.email.clone());
        }
        None => invited.link = link.map(|(url, _)| url),
    }
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "user.invite",
            subject: format!("user:{}", user.id),
            before: None,
            after: Some(snapshots::json(&snapshots::Invitation {
                sent_to: invited.sent_to.as_deref(),
                expires_at: invited.expires_at.map(|at| at.to_rfc3339()),
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(invited)
}

/// Whether an invitation was accepted: its link used, or its owner signed in since.
pub fn accepted(
    invitation: Option<&crate::entity::account_link::Model>,
    user: &crate::entity::user::Model,
) -> Option<bool> {
    let invitation = invitation?;
    Some(
        invitation.used_at.is_some()
            || user
                .signed_in_at
                .is_some_and(|at| at >= invitation.created_at),
    )
}
