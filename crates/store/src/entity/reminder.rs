//! One R1 reminder claimed for delivery (R2): unique per document and due date; `state` and
//! `sent_at` say when it was delivered, or that a later one superseded it.

use coop_core::case::DocumentFor;
use coop_core::reminders::ReminderState;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reminders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub student_id: i64,
    pub document_id: i64,
    pub for_document: DocumentFor,
    pub due_on: Date,
    /// D minus `due_on` (R1: 120, 90, 60, 30, 14, 7, 1 or 0).
    pub days_before: i32,
    /// The expiry date D it is about.
    pub expires: Date,
    /// When the claim was made (or renewed by a retry).
    pub claimed_at: DateTimeUtc,
    /// Which runner claimed it.
    pub claimed_by: String,
    pub sent_at: Option<DateTimeUtc>,
    /// Where it was delivered: `in_app`, `in_app,email` (empty until sent).
    pub channels: String,
    /// Pending until delivered (`sent`) or made moot by a later reminder (`superseded`).
    pub state: ReminderState,
    pub attempts: i32,
    /// Why the last e-mail attempt failed (shown to staff).
    pub last_error: Option<String>,
    /// The staff user who last sent it again by hand.
    pub resent_by: Option<i64>,
    /// The address it was e-mailed to (none when in the app only).
    pub sent_to: Option<String>,
    /// When staff last sent it again by hand.
    pub resent_at: Option<DateTimeUtc>,
    /// How many times staff sent it again.
    pub resends: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
