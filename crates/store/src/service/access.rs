//! Who is asking, and the one check per role that every server function and handler makes
//! first. Authorization lives here, in the service layer, not in the UI.

use super::ServiceError;

pub use coop_api::accounts::Role;

/// A signed-in user, as a request sees them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The student record of a student.
    pub student_id: Option<i64>,
}

/// How a request was authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// No (valid) session or token.
    Anonymous,
    /// A browser session (the cookie): state-changing requests must be same-origin.
    Session {
        user: CurrentUser,
        /// The session's id (the SHA-256 of its token), for signing out.
        session_id: String,
    },
    /// An API token (`Authorization: Bearer`).
    Token { user: CurrentUser, token_id: i64 },
}

impl Principal {
    /// The id of the browser session the request came with, if it came with one.
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Principal::Session { session_id, .. } => Some(session_id),
            Principal::Anonymous | Principal::Token { .. } => None,
        }
    }

    /// The user, if any.
    pub fn user(&self) -> Option<&CurrentUser> {
        match self {
            Principal::Anonymous => None,
            Principal::Session { user, .. } | Principal::Token { user, .. } => Some(user),
        }
    }
}

/// Anyone signed in (401 otherwise).
pub fn require_signed_in(principal: &Principal) -> Result<&CurrentUser, ServiceError> {
    principal.user().ok_or(ServiceError::Unauthenticated)
}

/// A student with a student record: their user and record id (403 for staff, 401 anonymous).
pub fn require_student(principal: &Principal) -> Result<(&CurrentUser, i64), ServiceError> {
    let user = require_signed_in(principal)?;
    match (user.role, user.student_id) {
        (Role::Student, Some(student_id)) => Ok((user, student_id)),
        _ => Err(ServiceError::Forbidden),
    }
}

/// Staff or admin (403 for students, 401 anonymous).
pub fn require_staff(principal: &Principal) -> Result<&CurrentUser, ServiceError> {
    let user = require_signed_in(principal)?;
    match user.role {
        Role::Staff | Role::Admin => Ok(user),
        Role::Student => Err(ServiceError::Forbidden),
    }
}

/// An admin signed in with a session (403 for everyone else signed in, 401 anonymous). An API
/// token never manages users or tokens, whoever holds it: a leaked token must not be able to
/// mint another, or make an admin.
pub fn require_admin(principal: &Principal) -> Result<&CurrentUser, ServiceError> {
    let user = require_signed_in(principal)?;
    if matches!(principal, Principal::Token { .. }) {
        return Err(ServiceError::Forbidden);
    }
    match user.role {
        Role::Admin => Ok(user),
        Role::Staff | Role::Student => Err(ServiceError::Forbidden),
    }
}

/// Staff, or the student whose record `student_id` is; another student gets `NotFound`, so a
/// record's existence is never revealed to someone it does not belong to.
pub fn require_student_record(
    principal: &Principal,
    student_id: i64,
) -> Result<&CurrentUser, ServiceError> {
    let user = require_signed_in(principal)?;
    match user.role {
        Role::Staff | Role::Admin => Ok(user),
        Role::Student if user.student_id == Some(student_id) => Ok(user),
        Role::Student => Err(ServiceError::NotFound),
    }
}

/// Whose records the caller may read: `None` for staff (every student's), the student's own
/// record id for a student. A student without a record is refused.
pub fn readable_students(principal: &Principal) -> Result<Option<i64>, ServiceError> {
    let user = require_signed_in(principal)?;
    match (user.role, user.student_id) {
        (Role::Staff | Role::Admin, _) => Ok(None),
        (Role::Student, Some(student_id)) => Ok(Some(student_id)),
        (Role::Student, None) => Err(ServiceError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_role(role: Role, student_id: Option<i64>) -> Principal {
        Principal::Session {
            user: CurrentUser {
                id: 1,
                email: "a@example.ca".into(),
                name: "A".into(),
                role,
                student_id,
            },
            session_id: "s".into(),
        }
    }

    #[test]
    fn each_role_gets_what_it_may() {
        let anonymous = Principal::Anonymous;
        let student = as_role(Role::Student, Some(7));
        let staff = as_role(Role::Staff, None);
        let admin = as_role(Role::Admin, None);
        assert!(matches!(
            require_signed_in(&anonymous),
            Err(ServiceError::Unauthenticated)
        ));
        assert!(matches!(
            require_staff(&anonymous),
            Err(ServiceError::Unauthenticated)
        ));
        assert_eq!(require_student(&student).unwrap().1, 7);
        assert!(matches!(
            require_student(&staff),
            Err(ServiceError::Forbidden)
        ));
        assert!(matches!(
            require_staff(&student),
            Err(ServiceError::Forbidden)
        ));
        assert!(require_staff(&admin).is_ok());
        assert!(matches!(
            require_admin(&staff),
            Err(ServiceError::Forbidden)
        ));
        assert!(require_student_record(&student, 7).is_ok());
        assert!(matches!(
            require_student_record(&student, 8),
            Err(ServiceError::NotFound)
        ));
        assert!(require_student_record(&staff, 8).is_ok());
        for role in [Role::Student, Role::Staff, Role::Admin] {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
    }
}
