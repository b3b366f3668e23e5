//! S8: a submitted document is reviewed by staff — verified, or rejected with a reason — and
//! only a verified one counts; the student may withdraw it before review. The moves are written
//! once here for the server, the API and the pages.

use serde::Serialize;
use std::fmt;

/// Where a document's review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
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

    /// Whether the document still stands for its purpose on file (submitted or verified): a
    /// rejected or withdrawn one is as if it had never been sent.
    pub const fn on_file(self) -> bool {
        matches!(self, ReviewStatus::Submitted | ReviewStatus::Verified)
    }
}

/// Of the documents on file for one purpose (`facts`: each one's review status, expiry and the
/// order it was filed in), the one that stands for it: still on file, the latest expiry, then
/// the latest filed.
pub fn standing_document<T, D: Ord, N: Ord>(
    documents: impl IntoIterator<Item = T>,
    facts: impl Fn(&T) -> (ReviewStatus, D, N),
) -> Option<T> {
    documents
        .into_iter()
        .filter(|d| facts(d).0.on_file())
        .max_by(|a, b| {
            let (_, expires_a, filed_a) = facts(a);
            let (_, expires_b, filed_b) = facts(b);
            (expires_a, filed_a).cmp(&(expires_b, filed_b))
        })
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
        assert!(Submitted.on_file() && Verified.on_file());
        assert!(!Rejected.on_file() && !Withdrawn.on_file());
        for status in ReviewStatus::ALL {
            assert_eq!(ReviewStatus::from_code(status.code()), Some(status));
        }
    }

    #[test]
    fn the_standing_document_is_on_file_with_the_latest_expiry_then_the_latest_filed() {
        let facts = |d: &(ReviewStatus, u32, u32)| *d;
        let on_file = [
            (Verified, 2027, 1),
            (Rejected, 2030, 2),
            (Submitted, 2028, 3),
            (Withdrawn, 2031, 4),
            (Verified, 2028, 5),
        ];
        assert_eq!(standing_document(on_file, facts), Some((Verified, 2028, 5)));
        assert_eq!(standing_document([(Rejected, 2030, 1)], facts), None);
        assert_eq!(
            standing_document([(Submitted, 2026, 1), (Verified, 2025, 2)], facts),
            Some((Submitted, 2026, 1))
        );
    }
}
