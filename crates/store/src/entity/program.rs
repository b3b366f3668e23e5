//! A program of the institution's catalogue: its code, its name and W2f's facts.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programs")]
pub struct Model {
    /// "BBA": capitals, digits, `-`, `_`, `.` (coop_core::programs::normalize_code).
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    /// Leads to a degree, diploma or certificate.
    pub credential: bool,
    pub months: i32,
    pub work_months: i32,
    pub placement_required: bool,
    /// Language training, general interest or preparatory.
    pub language_or_preparatory: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// W2f's facts, as coop-core reads them.
    pub fn facts(&self) -> coop_core::case::Program {
        coop_core::case::Program {
            credential: self.credential,
            months: u32::try_from(self.months).unwrap_or(0),
            work_months: u32::try_from(self.work_months).unwrap_or(0),
            placement_required: self.placement_required,
            language_or_preparatory: self.language_or_preparatory,
        }
    }
}
