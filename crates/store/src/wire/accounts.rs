//! Users, API tokens, the signed-in user and the privacy notice, as the API shows them.

use std::collections::HashMap;

use coop_api::accounts::{
    AdminUser, CreatedToken, InvitationSent, InvitationStatus, SessionUser, Token,
};

use crate::entity::{account_link, api_token, user};
use crate::service::invitations::{self, Invited};
use crate::service::tokens;

/// A user as an admin sees them, with their latest invitation (when they were invited).
pub fn admin_user(model: &user::Model, invitation: Option<&account_link::Model>) -> AdminUser {
    AdminUser {
        id: model.id,
        email: model.email.clone(),
        name: model.name.clone(),
        role: model.role,
        student_id: model.student_id,
        disabled: model.disabled_at.is_some(),
        signed_in_at: model.signed_in_at,
        invitation: invitation.map(|link| InvitationStatus {
            sent_at: link.created_at,
            expires_at: link.expires_at,
            accepted: invitations::accepted(Some(link), model).unwrap_or(false),
            sent_to: link.sent_to.clone(),
        }),
    }
}

/// Users as an admin sees them, each with their latest invitation.
pub fn admin_users(
    users: &[user::Model],
    invitations: &HashMap<i64, account_link::Model>,
) -> Vec<AdminUser> {
    users
        .iter()
        .map(|u| admin_user(u, invitations.get(&u.id)))
        .collect()
}

impl From<&Invited> for InvitationSent {
    fn from(invited: &Invited) -> InvitationSent {
        InvitationSent {
            sent_to: invited.sent_to.clone(),
            link: invited.link.clone(),
            expires_at: invited.expires_at,
            problem: None,
        }
    }
}

/// A token just made, its secret shown this once; `email` is the owner's as the admin gave it
/// (the token was made, so it names that user).
pub fn created_token(model: &api_token::Model, secret: String, email: &str) -> CreatedToken {
    let owner = crate::service::users::normalize_email(email).unwrap_or_else(|_| email.to_owned());
    CreatedToken {
        token: secret,
        id: model.id,
        details: token(model, &owner),
    }
}

/// A token as the API shows it, with the e-mail of the user it acts as.
pub fn token(model: &api_token::Model, user_email: &str) -> Token {
    let expires_at = tokens::expires_at(model);
    Token {
        id: model.id,
        user_id: model.user_id,
        user_email: user_email.to_owned(),
        name: model.name.clone(),
        created_at: model.created_at,
        last_used_at: model.last_used_at,
        revoked: model.revoked_at.is_some(),
        expires_at,
        expired: expires_at <= chrono::Utc::now(),
    }
}

impl From<&crate::service::access::CurrentUser> for SessionUser {
    fn from(user: &crate::service::access::CurrentUser) -> SessionUser {
        SessionUser {
            id: user.id,
            email: user.email.clone(),
            name: user.name.clone(),
            role: user.role,
        }
    }
}

impl From<&crate::service::privacy::PrivacyNotice> for coop_api::letters::PrivacyNotice {
    fn from(notice: &crate::service::privacy::PrivacyNotice) -> coop_api::letters::PrivacyNotice {
        use crate::service::privacy::PrivacyNotice;
        coop_api::letters::PrivacyNotice {
            version: notice.version(),
            purpose: PrivacyNotice::PURPOSE.to_owned(),
            authority: PrivacyNotice::AUTHORITY.to_owned(),
            contact: coop_api::letters::NoticeContact {
                title: notice.contact.title.clone(),
                address: notice.contact.address.clone(),
                phone: notice.contact.phone.clone(),
            },
        }
    }
}
