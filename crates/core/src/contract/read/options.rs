//! The words each choice field of a case accepts, and what an absent (or `null`) field means:
//! shared by both readers (the full one over a JSON tree and the direct one over the body's
//! bytes) so they cannot drift apart.

use crate::case::{Coop1101, CoopDocumentKind, Decision, DocumentFor, Level};
use crate::regime::{Regime, RegimeChoice};

/// `regime` (G3).
pub(super) const REGIME: &[(&str, RegimeChoice)] = &[
    ("auto", RegimeChoice::Auto),
    (
        "coop_work_permit",
        RegimeChoice::Pinned(Regime::CoopWorkPermit),
    ),
    (
        "study_permit_placement",
        RegimeChoice::Pinned(Regime::StudyPermitPlacement),
    ),
];

/// `student.coop1101` (L2).
pub(super) const COOP1101: &[(&str, Coop1101)] = &[
    ("none", Coop1101::None),
    ("registered", Coop1101::Registered),
    ("completed", Coop1101::Completed),
];

/// `student.level` (G3).
pub(super) const LEVEL: &[(&str, Level)] = &[
    ("post_secondary", Level::PostSecondary),
    ("secondary", Level::Secondary),
];

/// `coop_work_permit.kind`.
pub(super) const COOP_DOCUMENT_KIND: &[(&str, CoopDocumentKind)] = &[
    ("coop_work_permit", CoopDocumentKind::CoopWorkPermit),
    ("approval_letter", CoopDocumentKind::ApprovalLetter),
];

/// `applications[].for`.
pub(super) const DOCUMENT_FOR: &[(&str, DocumentFor)] = &[
    ("coop_work_permit", DocumentFor::CoopWorkPermit),
    ("study_permit", DocumentFor::StudyPermit),
];

/// `applications[].decision`.
pub(super) const DECISION: &[(&str, Decision)] = &[
    ("pending", Decision::Pending),
    ("approved", Decision::Approved),
    ("refused", Decision::Refused),
];

/// `regime` when absent.
pub(super) const DEFAULT_REGIME: RegimeChoice = RegimeChoice::Auto;
/// `student.level` when absent.
pub(super) const DEFAULT_LEVEL: Level = Level::PostSecondary;
/// `student.full_time` when absent.
pub(super) const DEFAULT_FULL_TIME: bool = true;
/// `student.placement_letter` when absent.
pub(super) const DEFAULT_PLACEMENT_LETTER: bool = false;
/// `student.in_canada` when absent.
pub(super) const DEFAULT_IN_CANADA: bool = true;
/// `study_permit.verified` and `coop_work_permit.verified` when absent.
pub(super) const DEFAULT_VERIFIED: bool = false;
/// `study_permit.on_campus_work` when absent.
pub(super) const DEFAULT_ON_CAMPUS_WORK: bool = false;
/// `coop_work_permit.kind` when absent.
pub(super) const DEFAULT_COOP_DOCUMENT_KIND: CoopDocumentKind = CoopDocumentKind::CoopWorkPermit;

/// The choice a word names, if it is one of `options`.
pub(super) fn lookup<T: Copy>(options: &[(&str, T)], word: &str) -> Option<T> {
    options
        .iter()
        .find(|(code, _)| *code == word)
        .map(|(_, choice)| *choice)
}
