//! F2: how long an uploaded document is kept. Information used for a decision about a student is
//! kept at least one year after that decision (FIPPA s. 31); after that, a document no longer
//! needed may be removed.
//!
//! A document is used by decisions for as long as the rules read it: a verified document is
//! read by every evaluation (J, W, M) while it is the student's current one of its kind, and an
//! expired study permit still decides restoration (M2) for 90 days after its expiry. So its last
//! use is the earliest of the day a newer verified document of its kind replaced it and the end
//! of that window; a rejected document was last used by the rejection (S8); a withdrawn one by
//! nobody, so only its submission counts.

use chrono::{DateTime, Duration, Months, NaiveDate, Utc};

use crate::review::ReviewStatus;
use crate::status::RESTORATION_DAYS;
use crate::time;

/// What F2 needs to know of one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub status: ReviewStatus,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub expires_on: NaiveDate,
    /// When a newer verified document of the same kind was verified (the rules read that one
    /// from then on).
    pub replaced_at: Option<DateTime<Utc>>,
}

/// The last moment a decision used the document; `None` while it may still be used (a document
/// waiting for review, or the current verified one within its window).
pub fn last_used(doc: &Held, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match doc.status {
        ReviewStatus::Submitted => None,
        ReviewStatus::Withdrawn => Some(doc.decided_at.unwrap_or(doc.submitted_at)),
        ReviewStatus::Rejected => Some(doc.decided_at.unwrap_or(doc.submitted_at)),
        ReviewStatus::Verified => {
            let window_ends = time::deadline_utc(time::add_days(doc.expires_on, RESTORATION_DAYS));
            let last = match doc.replaced_at {
                Some(replaced) => replaced.min(window_ends),
                None => window_ends,
            };
            (last <= now).then_some(last)
        }
    }
}

/// F2: the earliest moment the document may be removed (one year after its last use), or
/// `None` while it is still in use.
pub fn removable_from(doc: &Held, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let last = last_used(doc, now)?;
    Some(
        last.checked_add_months(Months::new(12))
            .unwrap_or(last + Duration::days(366)),
    )
}

/// F2: whether the document may be removed at `now`; `Err` with the moment it may (or `None`
/// while it is in use) otherwise.
pub fn may_remove(doc: &Held, now: DateTime<Utc>) -> Result<(), Option<DateTime<Utc>>> {
    match removable_from(doc, now) {
        Some(from) if from <= now => Ok(()),
        other => Err(other),
    }
}

/// F2 for a student who left the institution: their personal data is no longer needed once a
/// year has passed since the later of the end of their leaving day (UTC) and the last decision
/// about them (a document or letter decided or revoked) — the moment it may be removed.
pub fn leaver_removable_from(
    left_on: NaiveDate,
    last_decision: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    let left = time::deadline_utc(left_on);
    let last = last_decision.map_or(left, |decided| decided.max(left));
    last.checked_add_months(Months::new(12))
        .unwrap_or(last + Duration::days(366))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn verified(expires: &str) -> Held {
        Held {
            status: ReviewStatus::Verified,
            submitted_at: at("2025-01-10T12:00:00Z"),
            decided_at: Some(at("2025-01-11T12:00:00Z")),
            expires_on: NaiveDate::parse_from_str(expires, "%Y-%m-%d").unwrap(),
            replaced_at: None,
        }
    }

    #[test]
    fn a_current_document_is_kept_through_restoration_and_a_year_after() {
        let doc = verified("2026-01-31");
        // The M2 window ends at the T4 deadline of D + 90 days (2026-05-01): midnight UTC.
        assert_eq!(last_used(&doc, at("2026-05-01T23:59:59Z")), None);
        let last = at("2026-05-02T00:00:00Z");
        assert_eq!(last_used(&doc, at("2026-06-01T00:00:00Z")), Some(last));
        assert_eq!(
            may_remove(&doc, at("2027-05-01T23:59:59Z")),
            Err(Some(at("2027-05-02T00:00:00Z")))
        );
        assert_eq!(may_remove(&doc, at("2027-05-02T00:00:00Z")), Ok(()));
    }

    #[test]
    fn a_replaced_document_counts_from_its_replacement() {
        let mut doc = verified("2030-01-31");
        doc.replaced_at = Some(at("2026-03-01T10:00:00Z"));
        assert_eq!(
            removable_from(&doc, at("2026-06-01T00:00:00Z")),
            Some(at("2027-03-01T10:00:00Z"))
        );
        assert!(may_remove(&doc, at("2027-03-01T09:59:59Z")).is_err());
        assert_eq!(may_remove(&doc, at("2027-03-01T10:00:00Z")), Ok(()));
    }

    #[test]
    fn rejected_withdrawn_and_waiting_documents() {
        let mut doc = verified("2030-01-31");
        doc.status = ReviewStatus::Rejected;
        assert_eq!(
            removable_from(&doc, at("2025-02-01T00:00:00Z")),
            Some(at("2026-01-11T12:00:00Z"))
        );
        doc.status = ReviewStatus::Withdrawn;
        doc.decided_at = None;
        assert_eq!(
            removable_from(&doc, at("2025-02-01T00:00:00Z")),
            Some(at("2026-01-10T12:00:00Z"))
        );
        doc.status = ReviewStatus::Submitted;
        assert_eq!(may_remove(&doc, at("2040-01-01T00:00:00Z")), Err(None));
    }

    #[test]
    fn a_leaver_is_kept_a_year_after_leaving_or_the_last_decision_whichever_is_later() {
        let left = NaiveDate::from_ymd_opt(2027, 4, 30).unwrap();
        // Counted from the end of the leaving day, UTC.
        assert_eq!(
            leaver_removable_from(left, None),
            at("2028-05-01T00:00:00Z")
        );
        assert_eq!(
            leaver_removable_from(left, Some(at("2027-01-15T10:00:00Z"))),
            at("2028-05-01T00:00:00Z")
        );
        // A decision after leaving (a letter revoked) starts the year again.
        assert_eq!(
            leaver_removable_from(left, Some(at("2027-06-03T17:30:00Z"))),
            at("2028-06-03T17:30:00Z")
        );
        // 29 February has no day a year later: the month's last day.
        assert_eq!(
            leaver_removable_from(
                NaiveDate::from_ymd_opt(2027, 2, 27).unwrap(),
                Some(at("2028-02-29T12:00:00Z"))
            ),
            at("2029-02-28T12:00:00Z")
        );
    }
}
