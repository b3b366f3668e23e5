//! A student's standing as `coop-core` last computed it (see `service::standings`): a cache
//! for lists and counts, trusted only while `version` matches the student's and `fresh_until`
//! is in the future. Never the source of a decision.

use coop_core::reasons::Reasons;
use coop_core::regime::Regime;
use coop_core::status::DocumentState;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "student_standings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub student_id: i64,
    /// The student's `version` it was computed from.
    pub version: i64,
    /// The start of the first day (in the student's zone) on which it may differ.
    pub fresh_until: DateTimeUtc,
    /// J.
    pub cleared: bool,
    /// G3.
    pub regime: Regime,
    pub study_state: DocumentState,
    pub coop_state: DocumentState,
    /// The expiry of the document that counts, when one is on file.
    pub study_expires: Option<Date>,
    pub coop_expires: Option<Date>,
    /// V2.
    pub extend_study_permit: bool,
    /// J's reasons, a JSON array of codes in rule order.
    #[sea_orm(column_type = "JsonBinary")]
    pub reasons: Reasons,
    pub evaluated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::student::Entity",
        from = "Column::StudentId",
        to = "super::student::Column::Id"
    )]
    Student,
}

impl Related<super::student::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Student.def()
    }
}

// The student's side of the relation lives here, so that the student entity knows nothing of
// its standing.
impl Related<Entity> for super::student::Entity {
    fn to() -> RelationDef {
        Relation::Student.def().rev()
    }
}

impl ActiveModelBehavior for ActiveModel {}
