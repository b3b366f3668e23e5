//! S8: a submitted document is reviewed by staff — verified, or rejected with a reason — and
//! only a verified one counts; the student may withdraw it before review. The moves are written
//! once here for the server, the API and the pages.

use serde::Serialize;
use std::fmt;

/// Where a document's review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    Submitted,
    Verified,
    Rejected,
    Withdrawn,
}

/// Something done to a document under review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    /// Staff: the document is genuine and its typed fields match it.
    Verify,
    /// Staff, with a reason.
    Reject,
    /// The student, before review.
    Withdraw,
}

/// A move the status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this document is {from} and cannot be {action}")]
pub struct NotAllowed {
    pub from: ReviewStatus,
    pub action: ReviewAction,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 4] = [
        ReviewStatus::Submitted,
        ReviewStatus::Verified,
        ReviewStatus::Rejected,
        ReviewStatus::Withdrawn,
    ];

    /// The stable code stored and sent.
    pub const fn code(self) -> &'static str {
        match self {
            ReviewStatus::Submitted => "submitted",
            ReviewStatus::Verified => "verified",
            ReviewStatus::Rejected => "rejected",
            ReviewStatus::Withdrawn => "withdrawn",
        }
    }

    /// The status of a stored code.
    pub fn from_code(code: &str) -> Option<ReviewStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status after `action`: only a submitted document moves (S8).
    pub fn after(self, action: ReviewAction) -> Result<ReviewStatus, NotAllowed> {
        match (self, action) {
            (ReviewStatus::Submitted, ReviewAction::Verify) => Ok(ReviewStatus::Verified),
            (ReviewStatus::Submitted, ReviewAction::Reject) => Ok(ReviewStatus::Rejected),
            (ReviewStatus::Submitted, ReviewAction::Withdraw) => Ok(ReviewStatus::Withdrawn),
            (from, action) => Err(NotAllowed { from, action }),
        }
    }

    /// S8: whether the document counts for the rules.
    pub const fn counts(self) -> bool {
        matches!(self, ReviewStatus::Verified)
    }
}

impl fmt::Display for ReviewStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for ReviewAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReviewAction::Verify => "verified",
            ReviewAction::Reject => "rejected",
            ReviewAction::Withdraw => "withdrawn",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::ReviewAction::*;
    use super::ReviewStatus::*;
    use super::*;

    #[test]
    fn only_a_submitted_document_moves() {
        assert_eq!(Submitted.after(Verify), Ok(Verified));
        assert_eq!(Submitted.after(Reject), Ok(Rejected));
        assert_eq!(Submitted.after(Withdraw), Ok(Withdrawn));
        for from in [Verified, Rejected, Withdrawn] {
            for action in [Verify, Reject, Withdraw] {
                assert_eq!(from.after(action), Err(NotAllowed { from, action }));
            }
        }
        assert_eq!(
            Verified.after(Withdraw).unwrap_err().to_string(),
            "this document is verified and cannot be withdrawn"
        );
        assert!(Verified.counts() && !Submitted.counts());
        for status in ReviewStatus::ALL {
            assert_eq!(ReviewStatus::from_code(status.code()), Some(status));
        }
    }
}
