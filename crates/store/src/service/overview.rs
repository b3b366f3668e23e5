//! The staff overview: the review queues and the students' counts, read the same way for the
//! staff page and for `GET /api/v1/overview`.

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::letter_request::LetterRequestStatus;
use sea_orm::ConnectionTrait;

use super::ServiceError;
use super::student_list::{self, Counts};
use super::{documents, letters};
use crate::remembered::Remembered;

/// What the overview shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub students: Counts,
    /// Letter requests waiting for review.
    pub letters_waiting: u64,
    /// Submitted documents waiting for verification.
    pub documents_waiting: u64,
}

/// The queues counted now; the students' counts through `student_list::counts_kept`.
pub async fn office(
    db: &impl ConnectionTrait,
    kept: &Remembered<NaiveDate, Counts>,
    now: DateTime<Utc>,
) -> Result<Office, ServiceError> {
    Ok(Office {
        students: student_list::counts_kept(db, kept, now).await?,
        letters_waiting: letters::count(db, LetterRequestStatus::Pending).await?,
        documents_waiting: documents::count_waiting(db).await?,
    })
}
