//! A student's record: the program facts staff own (co-op program, COOP 1101, continuance,
//! full-time, level, placement letter) and the student's own zone.

use coop_core::case::Coop1101;
use coop_core::regime::Level;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "students")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub student_number: String,
    #[sea_orm(unique)]
    pub email: String,
    pub name: String,
    /// The program and credential as the office's records name it (free text).
    pub program: String,
    /// The program in the catalogue (W2f's facts); none: not on file.
    pub program_code: Option<String>,
    pub coop_program: bool,
    /// L2.
    pub coop1101: Coop1101,
    pub continuance_met: bool,
    pub full_time: bool,
    /// G1, G3.
    pub level: Level,
    pub placement_letter: bool,
    pub uci: Option<String>,
    /// IANA zone (T2).
    pub zone: String,
    /// Incremented by every change: cached evaluations are keyed by it.
    pub version: i64,
    /// Staff's notes on the student (never shown to the student's rules).
    pub notes: String,
    /// Staff paused R1 reminders for this student (with the reason below).
    pub reminders_paused: bool,
    pub reminders_paused_reason: Option<String>,
    /// When the student left the institution, as staff recorded it (F2 counts from it).
    pub left_on: Option<Date>,
    /// When the retention job removed their personal data (the record stays, de-identified).
    pub personal_data_removed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
