//! A student's situation as the rules see it: typed, already validated, no JSON.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

// A student's level is the law table's key (regime.rs); the case names it from there.
pub use crate::regime::Level;
use crate::regime::RegimeChoice;
use crate::time::Zone;

/// Everything the rules need to decide, at the instant `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The moment of evaluation (never read from a clock inside the rules).
    pub now: DateTime<Utc>,
    /// The student's zone (T2).
    pub zone: Zone,
    /// G3.
    pub regime: RegimeChoice,
    /// P1.
    pub processing: ProcessingMonths,
    /// The student's standing.
    pub student: Student,
    /// The program's facts for W2f; `None` when the office offers only eligible programs.
    pub program: Option<Program>,
    /// The study permit on file.
    pub study_permit: Option<StudyPermit>,
    /// The co-op work permit or IRCC approval letter on file.
    pub coop_work_permit: Option<CoopWorkPermit>,
    /// Applications made to IRCC since the documents on file were issued.
    pub applications: Vec<Application>,
    /// Planned or current work terms.
    pub work_terms: Vec<WorkTerm>,
}

/// P1: the processing-time range in months, `1 <= min <= max <= 24`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessingMonths {
    min: u32,
    max: u32,
}

/// A processing range outside `1 <= min <= max <= 24`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("processing months must be [min, max] with 1 <= min <= max <= 24, got [{min}, {max}]")]
pub struct InvalidProcessingMonths {
    /// The minimum given.
    pub min: i64,
    /// The maximum given.
    pub max: i64,
}

impl ProcessingMonths {
    /// The longest range accepted.
    pub const LIMIT: u32 = 24;
    /// The KPU guide's 3 to 5 months (P1).
    pub const DEFAULT: ProcessingMonths = ProcessingMonths { min: 3, max: 5 };

    /// A range, checked.
    pub fn new(min: i64, max: i64) -> Result<ProcessingMonths, InvalidProcessingMonths> {
        let err = InvalidProcessingMonths { min, max };
        let min_u = u32::try_from(min).map_err(|_| err)?;
        let max_u = u32::try_from(max).map_err(|_| err)?;
        if 1 <= min_u && min_u <= max_u && max_u <= Self::LIMIT {
            Ok(ProcessingMonths {
                min: min_u,
                max: max_u,
            })
        } else {
            Err(err)
        }
    }

    /// Fewest months.
    pub fn min(self) -> u32 {
        self.min
    }

    /// Most months.
    pub fn max(self) -> u32 {
        self.max
    }
}

impl Default for ProcessingMonths {
    fn default() -> ProcessingMonths {
        ProcessingMonths::DEFAULT
    }
}

/// The student's standing in the program (staff own these facts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Student {
    /// L1, J1.
    pub coop_program: bool,
    /// L2.
    pub coop1101: Coop1101,
    /// J2: program continuance requirements met (decided by staff).
    pub continuance_met: bool,
    /// G3.
    pub level: Level,
    /// W2e: full-time (KPU: 9 credits or more).
    pub full_time: bool,
    /// W2d: the office has issued the placement letter.
    pub placement_letter: bool,
    /// M4: still in Canada.
    pub in_canada: bool,
}

impl Student {
    /// A student with the contract's defaults for everything but the three required facts.
    pub fn new(coop_program: bool, coop1101: Coop1101, continuance_met: bool) -> Student {
        Student {
            coop_program,
            coop1101,
            continuance_met,
            level: Level::PostSecondary,
            full_time: true,
            placement_letter: false,
            in_canada: true,
        }
    }
}

/// COOP 1101 (L2).
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
pub enum Coop1101 {
    /// Neither registered nor completed.
    None,
    /// Registered in the course.
    Registered,
    /// Completed the course.
    Completed,
}

impl Coop1101 {
    /// Every value.
    pub const ALL: [Coop1101; 3] = [Coop1101::None, Coop1101::Registered, Coop1101::Completed];

    /// The stable snake_case code (as in the contract and the database).
    pub fn code(self) -> &'static str {
        match self {
            Coop1101::None => "none",
            Coop1101::Registered => "registered",
            Coop1101::Completed => "completed",
        }
    }

    /// The value with this code.
    pub fn from_code(code: &str) -> Option<Coop1101> {
        Coop1101::ALL.into_iter().find(|v| v.code() == code)
    }
}

/// W2f: the program's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Program {
    /// Leads to a degree, diploma or certificate.
    pub credential: bool,
    /// Length in months.
    pub months: u32,
    /// Months of work placement.
    pub work_months: u32,
    /// The placement is a required part of the program.
    pub placement_required: bool,
    /// Language training, general interest or preparatory.
    pub language_or_preparatory: bool,
}

/// The study permit on file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StudyPermit {
    /// Valid through this date (T3).
    pub expires: NaiveDate,
    /// S8: verified by staff.
    pub verified: bool,
    /// W2c: carries an on-campus work condition.
    pub on_campus_work: bool,
}

/// The co-op work permit (IMM 1442) or the IRCC approval letter (IMM 5754) on file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoopWorkPermit {
    /// Which of the two.
    pub kind: CoopDocumentKind,
    /// Valid through this date (T3).
    pub expires: NaiveDate,
    /// S8: verified by staff.
    pub verified: bool,
}

/// S1: the two documents that carry a co-op work authorization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoopDocumentKind {
    /// The permit itself (IMM 1442).
    CoopWorkPermit,
    /// IRCC's approval letter (IMM 5754), before the permit arrives.
    ApprovalLetter,
}

/// Which document an application or a status is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
pub enum DocumentFor {
    /// The co-op work permit (listed first wherever both appear).
    CoopWorkPermit,
    /// The study permit.
    StudyPermit,
}

impl DocumentFor {
    /// Both, co-op work permit first.
    pub const ALL: [DocumentFor; 2] = [DocumentFor::CoopWorkPermit, DocumentFor::StudyPermit];

    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            DocumentFor::CoopWorkPermit => "coop_work_permit",
            DocumentFor::StudyPermit => "study_permit",
        }
    }

    /// The document in words, for a sentence ("your study permit").
    pub const fn words(self) -> &'static str {
        match self {
            DocumentFor::CoopWorkPermit => "co-op work permit",
            DocumentFor::StudyPermit => "study permit",
        }
    }
}

/// An application made to IRCC (to extend a document, or for a first permit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Application {
    /// The document it applies for.
    pub for_document: DocumentFor,
    /// When it was submitted (IRCC stamps it in UTC: T4).
    pub submitted_at: DateTime<Utc>,
    /// IRCC's decision so far.
    pub decision: Decision,
}

/// IRCC's decision on an application (M3).
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
pub enum Decision {
    /// Not decided yet.
    Pending,
    /// Approved: a new document follows.
    Approved,
    /// Refused.
    Refused,
}

impl Decision {
    /// Every decision.
    pub const ALL: [Decision; 3] = [Decision::Pending, Decision::Approved, Decision::Refused];

    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Approved => "approved",
            Decision::Refused => "refused",
        }
    }
}

/// A work term, inclusive dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkTerm {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
}

/// A work term that ends before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the work term ends ({end}) before it starts ({start})")]
pub struct EndsBeforeStart {
    /// The first day given.
    pub start: NaiveDate,
    /// The last day given.
    pub end: NaiveDate,
}

impl WorkTerm {
    /// A work term, checked: it may not end before it starts.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<WorkTerm, EndsBeforeStart> {
        if end < start {
            Err(EndsBeforeStart { start, end })
        } else {
            Ok(WorkTerm { start, end })
        }
    }
}

impl Case {
    /// A case with the contract's defaults: Vancouver, regime by date, 3–5 months, no documents.
    pub fn new(now: DateTime<Utc>, student: Student) -> Case {
        Case {
            now,
            zone: Zone::vancouver(),
            regime: RegimeChoice::Auto,
            processing: ProcessingMonths::DEFAULT,
            student,
            program: None,
            study_permit: None,
            coop_work_permit: None,
            applications: Vec::new(),
            work_terms: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for v in [Coop1101::None, Coop1101::Registered, Coop1101::Completed] {
            assert_eq!(Coop1101::from_code(v.code()), Some(v));
            assert_eq!(serde_json::to_value(v).unwrap(), v.code());
        }
        for v in [Level::PostSecondary, Level::Secondary] {
            assert_eq!(Level::from_code(v.code()), Some(v));
            assert_eq!(serde_json::to_value(v).unwrap(), v.code());
        }
        assert_eq!(Coop1101::from_code("maybe"), None);
    }

    #[test]
    fn processing_months_bounds() {
        assert!(ProcessingMonths::new(3, 5).is_ok());
        assert!(ProcessingMonths::new(1, 1).is_ok());
        assert!(ProcessingMonths::new(24, 24).is_ok());
        assert!(ProcessingMonths::new(0, 5).is_err());
        assert!(ProcessingMonths::new(5, 3).is_err());
        assert!(ProcessingMonths::new(3, 25).is_err());
        assert!(ProcessingMonths::new(-1, 5).is_err());
        assert!(ProcessingMonths::new(i64::MAX, i64::MAX).is_err());
    }
}
