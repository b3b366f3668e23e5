//! The words each choice field of a case accepts, shared by both readers (the full one over a
//! JSON tree and the direct one over the body's bytes) so they cannot drift apart.

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

/// The choice a word names, if it is one of `options`.
pub(super) fn lookup<T: Copy>(options: &[(&str, T)], word: &str) -> Option<T> {
    options
        .iter()
        .find(|(code, _)| *code == word)
        .map(|(_, choice)| *choice)
}
