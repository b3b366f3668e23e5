//! Sessions, users and API tokens.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::students::StudentRecord;

/// A user's role (coop-core's).
pub use coop_core::roles::Role;

/// The signed-in user, as the session shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = User))]
pub struct SessionUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// `POST /api/v1/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

/// The answer to signing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedIn {
    pub user: SessionUser,
}

/// `GET /api/v1/me`: the user and, for a student, their record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: SessionUser,
    pub student: Option<StudentRecord>,
}

/// A user as an administrator sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The student record of a student.
    pub student_id: Option<i64>,
    pub disabled: bool,
    /// The last sign-in, by password or single sign-on.
    #[serde(with = "crate::time_text::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub signed_in_at: Option<DateTime<Utc>>,
    /// The latest invitation, when the user was invited.
    pub invitation: Option<InvitationStatus>,
}

/// Where a user's latest invitation stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationStatus {
    #[serde(with = "crate::time_text")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub sent_at: DateTime<Utc>,
    /// When its link stops working.
    #[serde(with = "crate::time_text")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: DateTime<Utc>,
    /// The link was used, or the user signed in since.
    pub accepted: bool,
    /// The address it was e-mailed to (none when an admin handed the link over).
    pub sent_to: Option<String>,
}

/// An invitation just sent: e-mailed, or (without a mail server) its link, shown this once for
/// the admin to hand over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationSent {
    pub sent_to: Option<String>,
    pub link: Option<String>,
    #[serde(with = "crate::time_text::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub expires_at: Option<DateTime<Utc>>,
    /// Why it was not sent, when it could not be (the account exists: send it again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

impl InvitationSent {
    /// An invitation that could not go, and why.
    pub fn not_sent(problem: String) -> InvitationSent {
        InvitationSent {
            sent_to: None,
            link: None,
            expires_at: None,
            problem: Some(problem),
        }
    }
}

/// `PATCH /api/v1/users/{id}`: a staff account's role (staff or admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    pub role: Role,
}

/// `POST /api/v1/password-reset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// `POST /api/v1/password-reset/confirm`: the token from an e-mailed link (a reset or an
/// invitation) and the new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    pub token: String,
    pub password: String,
}

/// How people sign in on this deployment (the sign-in page asks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInOptions {
    /// E-mail and password.
    pub password: bool,
    /// Single sign-on's button label ("KPU account"), when configured.
    pub sso: Option<String>,
}

/// `POST /api/v1/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Required for a student.
    #[serde(default)]
    pub student_number: Option<String>,
    /// Without one (and without `invite`) a strong password is generated and shown once.
    #[serde(default)]
    pub password: Option<String>,
    /// Send an invitation instead of setting a password: an e-mail with a one-time link to set
    /// one (with single sign-on only, a note to sign in with the institution's account).
    #[serde(default)]
    pub invite: bool,
}

/// A user created (with the generated password, shown this once) or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserAnswer {
    pub user: AdminUser,
    /// The generated password, when none was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The invitation, when one was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation: Option<InvitationSent>,
}

/// An API token (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Token {
    pub id: i64,
    pub user_id: i64,
    /// The staff or admin user it acts as.
    pub user_email: String,
    pub name: String,
    #[serde(with = "crate::time_text")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::time_text::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked: bool,
    /// When the token stops working (90 days after creation unless set, a year at most).
    #[serde(with = "crate::time_text")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: DateTime<Utc>,
    pub expired: bool,
}

/// `POST /api/v1/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// The staff or admin user it acts as.
    pub email: String,
    pub name: String,
    /// Days until it expires (1 to 366; 90 when absent).
    #[serde(default = "default_token_days")]
    pub expires_in_days: u32,
}

/// A token lasts this many days unless its creator says otherwise.
pub const DEFAULT_TOKEN_DAYS: u32 = 90;

fn default_token_days() -> u32 {
    DEFAULT_TOKEN_DAYS
}

/// A token created: its secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedToken {
    /// The bearer secret; only its hash is kept.
    pub token: String,
    pub id: i64,
    pub details: Token,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn token_times_are_written_with_an_offset_and_read_back() {
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 17, 0, 0).unwrap();
        let token = Token {
            id: 1,
            user_id: 2,
            user_email: "staff@coop.example".to_owned(),
            name: "sis".to_owned(),
            created_at: at,
            last_used_at: None,
            revoked: false,
            expires_at: at + chrono::Duration::days(90),
            expired: false,
        };
        let value = serde_json::to_value(&token).unwrap();
        assert_eq!(value["created_at"], "2026-12-03T17:00:00+00:00");
        assert_eq!(value["last_used_at"], serde_json::Value::Null);
        assert_eq!(serde_json::from_value::<Token>(value).unwrap(), token);
    }

    #[test]
    fn a_new_token_lasts_ninety_days_unless_told() {
        let token: NewToken = serde_json::from_str(r#"{"email":"a@b.c","name":"x"}"#).unwrap();
        assert_eq!(token.expires_in_days, DEFAULT_TOKEN_DAYS);
        assert!(
            serde_json::from_str::<NewToken>(r#"{"email":"a","name":"x","admin":true}"#).is_err()
        );
    }

    #[test]
    fn roles_codes_round_trip_and_match_serde() {
        for role in [Role::Student, Role::Staff, Role::Admin] {
            assert_eq!(Role::from_code(role.code()), Some(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.code());
        }
        assert_eq!(Role::from_code("root"), None);
    }
}
