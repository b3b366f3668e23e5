//! A request for the co-op letter (L) and the only moves it can make: the student withdraws a
//! pending request; staff approve or reject it, and may later revoke a letter they issued. Written once here so the server, the API and the
//! pages cannot disagree on what is allowed.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a letter request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(
        value_type = "String",
        from_str = "crate::codes::parse",
        to_str = "crate::codes::text"
    )
)]
pub enum LetterRequestStatus {
    /// Waiting for the co-op office (one at a time per student).
    Pending,
    /// The office issued the letter.
    Approved,
    /// The office declined, with a reason.
    Rejected,
    /// The student took it back before a decision.
    Withdrawn,
    /// The office issued the letter and later revoked it, with a reason: it no longer stands.
    Revoked,
}

/// Something done to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterRequestAction {
    /// By the student.
    Withdraw,
    /// By staff.
    Approve,
    /// By staff, with a reason.
    Reject,
    /// By staff, with a reason, of an issued letter.
    Revoke,
}

/// A move the request's status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this request is {from} and cannot be {action}")]
pub struct NotAllowed {
    pub from: LetterRequestStatus,
    pub action: LetterRequestAction,
}

impl LetterRequestStatus {
    /// Every status, for readers of stored values.
    pub const ALL: [LetterRequestStatus; 5] = [
        LetterRequestStatus::Pending,
        LetterRequestStatus::Approved,
        LetterRequestStatus::Rejected,
        LetterRequestStatus::Withdrawn,
        LetterRequestStatus::Revoked,
    ];

    /// The stable code stored and sent (`pending`, …).
    pub const fn code(self) -> &'static str {
        match self {
            LetterRequestStatus::Pending => "pending",
            LetterRequestStatus::Approved => "approved",
            LetterRequestStatus::Rejected => "rejected",
            LetterRequestStatus::Withdrawn => "withdrawn",
            LetterRequestStatus::Revoked => "revoked",
        }
    }

    /// The status of a stored code.
    pub fn from_code(code: &str) -> Option<LetterRequestStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status after `action`, or why it is not allowed: a pending request is withdrawn,
    /// approved or rejected; an issued letter may be revoked; nothing else moves.
    pub fn after(self, action: LetterRequestAction) -> Result<LetterRequestStatus, NotAllowed> {
        match (self, action) {
            (LetterRequestStatus::Pending, LetterRequestAction::Withdraw) => {
                Ok(LetterRequestStatus::Withdrawn)
            }
            (LetterRequestStatus::Pending, LetterRequestAction::Approve) => {
                Ok(LetterRequestStatus::Approved)
            }
            (LetterRequestStatus::Pending, LetterRequestAction::Reject) => {
                Ok(LetterRequestStatus::Rejected)
            }
            (LetterRequestStatus::Approved, LetterRequestAction::Revoke) => {
                Ok(LetterRequestStatus::Revoked)
            }
            (from, action) => Err(NotAllowed { from, action }),
        }
    }

    /// A student's sentence about the request.
    pub const fn describe(self) -> &'static str {
        match self {
            LetterRequestStatus::Pending => "Waiting for the co-op office to review it.",
            LetterRequestStatus::Approved => "The co-op office issued your letter.",
            LetterRequestStatus::Rejected => "The co-op office did not issue the letter.",
            LetterRequestStatus::Withdrawn => "You withdrew this request.",
            LetterRequestStatus::Revoked => {
                "The co-op office revoked the letter it issued: it no longer stands (W2d)."
            }
        }
    }
}

impl fmt::Display for LetterRequestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for LetterRequestAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LetterRequestAction::Withdraw => "withdrawn",
            LetterRequestAction::Approve => "approved",
            LetterRequestAction::Reject => "rejected",
            LetterRequestAction::Revoke => "revoked",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::LetterRequestAction::*;
    use super::LetterRequestStatus::*;
    use super::*;

    #[test]
    fn a_pending_request_is_decided_and_only_an_issued_letter_is_revoked() {
        assert_eq!(Pending.after(Withdraw), Ok(Withdrawn));
        assert_eq!(Pending.after(Approve), Ok(Approved));
        assert_eq!(Pending.after(Reject), Ok(Rejected));
        assert_eq!(Approved.after(Revoke), Ok(Revoked));
        assert!(Pending.after(Revoke).is_err());
        for from in [Approved, Rejected, Withdrawn, Revoked] {
            for action in [Withdraw, Approve, Reject] {
                assert_eq!(from.after(action), Err(NotAllowed { from, action }));
            }
        }
        for from in [Rejected, Withdrawn, Revoked] {
            assert_eq!(
                from.after(Revoke),
                Err(NotAllowed {
                    from,
                    action: Revoke
                })
            );
        }
        assert_eq!(
            Approved.after(Withdraw).unwrap_err().to_string(),
            "this request is approved and cannot be withdrawn"
        );
    }

    #[test]
    fn codes_round_trip() {
        for status in LetterRequestStatus::ALL {
            assert_eq!(LetterRequestStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(LetterRequestStatus::from_code("Pending"), None);
    }
}
