//! The staff overview's counts and the expiring-documents report.

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::case::DocumentFor;
use coop_core::reasons::Reason;
use coop_core::status::DocumentState;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use super::query::{Shape, StudentQuery, expiring, filtered, office_today};
use crate::entity::{student, student_standing};
use crate::remembered::{self, Remembered};
use crate::service::ServiceError;
use crate::service::standings;

/// The staff home's counts, each the size of a list `list` gives with one filter.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Counts {
    pub students: u64,
    pub cleared: u64,
    pub not_cleared: u64,
    pub expiring_30: u64,
    pub expiring_60: u64,
    pub expiring_90: u64,
    /// R1: a document expiring within 7 days (the staff's weekly digest).
    pub expiring_7: u64,
    pub maintained: u64,
    pub restoration: u64,
    pub out_of_status: u64,
    /// V2.
    pub study_permit_ends_before_work: u64,
    /// W2c.
    pub no_on_campus_condition: u64,
    /// W2f: in a catalogued program that does not qualify.
    pub program_not_eligible: u64,
    /// No program in the catalogue on file (W2f not decided).
    pub program_not_on_file: u64,
}

/// The queries behind each count (the same filters as the lists they link to).
pub fn count_queries() -> [(&'static str, StudentQuery); 14] {
    let q = StudentQuery::default;
    [
        ("students", q()),
        (
            "cleared",
            StudentQuery {
                cleared: Some(true),
                ..q()
            },
        ),
        (
            "not_cleared",
            StudentQuery {
                cleared: Some(false),
                ..q()
            },
        ),
        (
            "expiring_7",
            StudentQuery {
                expiring_within_days: Some(7),
                ..q()
            },
        ),
        (
            "expiring_30",
            StudentQuery {
                expiring_within_days: Some(30),
                ..q()
            },
        ),
        (
            "expiring_60",
            StudentQuery {
                expiring_within_days: Some(60),
                ..q()
            },
        ),
        (
            "expiring_90",
            StudentQuery {
                expiring_within_days: Some(90),
                ..q()
            },
        ),
        (
            "maintained",
            StudentQuery {
                state: Some(DocumentState::Maintained),
                ..q()
            },
        ),
        (
            "restoration",
            StudentQuery {
                state: Some(DocumentState::Restoration),
                ..q()
            },
        ),
        (
            "out_of_status",
            StudentQuery {
                state: Some(DocumentState::OutOfStatus),
                ..q()
            },
        ),
        (
            "study_permit_ends_before_work",
            StudentQuery {
                extend_study_permit: Some(true),
                ..q()
            },
        ),
        (
            "no_on_campus_condition",
            StudentQuery {
                reason: Some(Reason::NoOnCampusWorkCondition),
                ..q()
            },
        ),
        (
            "program_not_eligible",
            StudentQuery {
                reason: Some(Reason::ProgramNotEligible),
                ..q()
            },
        ),
        (
            "program_not_on_file",
            StudentQuery {
                program_on_file: Some(false),
                ..q()
            },
        ),
    ]
}

/// [`counts`], from `kept` when this instance counted them less than `remembered::BOUND` ago
/// for the same office date and nothing was written through it since: an office of advisors
/// opening the overview at once costs one count, not one each.
pub async fn counts_kept(
    db: &impl ConnectionTrait,
    kept: &Remembered<NaiveDate, Counts>,
    now: DateTime<Utc>,
) -> Result<Counts, ServiceError> {
    standings::refresh_due(db, now).await?;
    let today = office_today(now);
    kept.get_or_fill(today, remembered::BOUND, || count_all(db, today))
        .await
}

/// Every count of the staff home.
pub async fn counts(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Counts, ServiceError> {
    standings::refresh_due(db, now).await?;
    count_all(db, office_today(now)).await
}

async fn count_all(db: &impl ConnectionTrait, today: NaiveDate) -> Result<Counts, ServiceError> {
    let mut out = Counts::default();
    for (name, query) in count_queries() {
        let n = filtered(&query, today, db.get_database_backend(), Shape::Joined)
            .count(db)
            .await?;
        let slot = match name {
            "students" => &mut out.students,
            "cleared" => &mut out.cleared,
            "not_cleared" => &mut out.not_cleared,
            "expiring_7" => &mut out.expiring_7,
            "expiring_30" => &mut out.expiring_30,
            "expiring_60" => &mut out.expiring_60,
            "expiring_90" => &mut out.expiring_90,
            "maintained" => &mut out.maintained,
            "restoration" => &mut out.restoration,
            "out_of_status" => &mut out.out_of_status,
            "study_permit_ends_before_work" => &mut out.study_permit_ends_before_work,
            "program_not_eligible" => &mut out.program_not_eligible,
            "program_not_on_file" => &mut out.program_not_on_file,
            _ => &mut out.no_on_campus_condition,
        };
        *slot = n;
    }
    Ok(out)
}

/// One row of the expiry report: a document expiring in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiring {
    pub student: student::Model,
    pub document: DocumentFor,
    pub expires: NaiveDate,
    /// The document's state today.
    pub state: DocumentState,
}

/// Documents expiring from today (Vancouver) to `within_days` ahead, soonest first.
pub async fn expiring_documents(
    db: &impl ConnectionTrait,
    within_days: u32,
    now: DateTime<Utc>,
) -> Result<Vec<Expiring>, ServiceError> {
    standings::refresh_due(db, now).await?;
    let today = office_today(now);
    let last = today
        .checked_add_days(chrono::Days::new(u64::from(within_days)))
        .unwrap_or(today);
    let rows = student::Entity::find()
        .inner_join(student_standing::Entity)
        .filter(expiring(today, within_days))
        .select_also(student_standing::Entity)
        .order_by_asc(student::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for (student, standing) in rows {
        let Some(standing) = standing else { continue };
        let both = [
            (
                DocumentFor::StudyPermit,
                standing.study_expires,
                standing.study_state,
            ),
            (
                DocumentFor::CoopWorkPermit,
                standing.coop_expires,
                standing.coop_state,
            ),
        ];
        for (document, expires, state) in both {
            if let Some(expires) = expires.filter(|d| *d >= today && *d <= last) {
                out.push(Expiring {
                    student: student.clone(),
                    document,
                    expires,
                    state,
                });
            }
        }
    }
    out.sort_by(|a, b| (a.expires, &a.student.name).cmp(&(b.expires, &b.student.name)));
    Ok(out)
}
