//! Users, API tokens, the signed-in user and the privacy notice, as the API shows them.

use coop_api::accounts::{AdminUser, SessionUser, Token};

use crate::entity::{api_token, user};
use crate::service::tokens;

impl From<&user::Model> for AdminUser {
    fn from(model: &user::Model) -> AdminUser {
        AdminUser {
            id: model.id,
            email: model.email.clone(),
            name: model.name.clone(),
            role: model.role,
            student_id: model.student_id,
            disabled: model.disabled_at.is_some(),
        }
    }
}

impl From<&api_token::Model> for Token {
    fn from(model: &api_token::Model) -> Token {
        let expires_at = tokens::expires_at(model);
        Token {
            id: model.id,
            user_id: model.user_id,
            name: model.name.clone(),
            created_at: model.created_at,
            last_used_at: model.last_used_at,
            revoked: model.revoked_at.is_some(),
            expires_at,
            expired: expires_at <= chrono::Utc::now(),
        }
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
