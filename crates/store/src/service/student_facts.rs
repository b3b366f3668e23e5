//! The facts kept on a student's record: what staff set (program and its place in the
//! catalogue, co-op program, COOP 1101,
//! continuance, full-time, level, notes), the placement letter the office issued (W2d), the
//! student's own zone (T2), and the pause of their reminders. Each change goes through the one
//! write path (`students::change`): audited with the record before and after, the standing
//! recomputed.

use chrono::{DateTime, Utc};
use coop_core::case::{Coop1101, Level};
use sea_orm::{DatabaseConnection, DatabaseTransaction};

use super::ServiceError;
use super::audit::Actor;
use super::snapshots;
use super::students::{self, NewStudent};
use crate::entity::student;

/// What staff change on a student's program record; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgramChange {
    /// Program and credential as the office's records name it.
    pub program: Option<String>,
    /// The program in the catalogue (W2f): `Some(None)` takes it off.
    pub program_code: Option<Option<String>>,
    /// L1, J1.
    pub coop_program: Option<bool>,
    /// L2.
    pub coop1101: Option<Coop1101>,
    /// J2.
    pub continuance_met: Option<bool>,
    /// W2e.
    pub full_time: Option<bool>,
    /// G3.
    pub level: Option<Level>,
    /// Staff's notes.
    pub notes: Option<String>,
    /// The record's version the editor saw: when it changed since, nothing is written (409).
    pub expected_version: Option<i64>,
}

impl ProgramChange {
    /// Every field an import line sets (the program code only when the file has its column).
    pub fn from_import(new: &NewStudent, program_code: Option<Option<String>>) -> ProgramChange {
        ProgramChange {
            program: Some(new.program.clone()),
            program_code,
            coop_program: Some(new.coop_program),
            coop1101: Some(new.coop1101),
            continuance_met: Some(new.continuance_met),
            full_time: Some(new.full_time),
            level: None,
            notes: None,
            expected_version: None,
        }
    }

    fn check(&self) -> Result<(), ServiceError> {
        if let Some(program) = &self.program
            && (program.trim().is_empty()
                || program.chars().count() > coop_core::text_limits::PROGRAM.max_chars)
        {
            return Err(ServiceError::Invalid {
                field: "program",
                message: "give the program and credential, at most 200 characters".to_owned(),
            });
        }
        if let Some(notes) = &self.notes
            && notes.chars().count() > coop_core::text_limits::NOTES.max_chars
        {
            return Err(ServiceError::Invalid {
                field: "notes",
                message: "notes are at most 5000 characters".to_owned(),
            });
        }
        Ok(())
    }

    /// The catalogue's form of the code to set (checked against the catalogue).
    async fn resolve_code(
        &mut self,
        db: &impl sea_orm::ConnectionTrait,
    ) -> Result<(), ServiceError> {
        if let Some(Some(code)) = &self.program_code {
            let found = super::programs::require(db, code).await?;
            self.program_code = Some(Some(found.code));
        }
        Ok(())
    }

    /// `record` with this change's fields applied.
    fn applied_to(self, record: &student::Model) -> student::Model {
        let mut wanted = record.clone();
        if let Some(code) = self.program_code {
            wanted.program_code = code;
        }
        if let Some(program) = self.program {
            program.trim().clone_into(&mut wanted.program);
        }
        if let Some(v) = self.coop_program {
            wanted.coop_program = v;
        }
        if let Some(v) = self.coop1101 {
            wanted.coop1101 = v;
        }
        if let Some(v) = self.continuance_met {
            wanted.continuance_met = v;
        }
        if let Some(v) = self.full_time {
            wanted.full_time = v;
        }
        if let Some(v) = self.level {
            wanted.level = v;
        }
        if let Some(notes) = self.notes {
            notes.trim().clone_into(&mut wanted.notes);
        }
        wanted
    }
}

/// Staff change the program record (`student.update`).
pub async fn update_program(
    db: &DatabaseConnection,
    id: i64,
    mut change: ProgramChange,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    change.check()?;
    let mut record = students::change(db, id, change.expected_version).await?;
    change.resolve_code(record.db()).await?;
    let wanted = change.applied_to(record.before());
    record.set_fields("student.update", wanted);
    record.finish(actor, now).await
}

/// An import line's values for a known student (`student.import`), with the import's
/// transaction: written only where a value differs.
pub async fn import_line(
    txn: &DatabaseTransaction,
    id: i64,
    line: &NewStudent,
    program_code: Option<Option<String>>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    let mut change = ProgramChange::from_import(line, program_code);
    change.check()?;
    let mut record = students::change_within(txn, id, None).await?;
    change.resolve_code(record.db()).await?;
    let mut wanted = change.applied_to(record.before());
    line.name.clone_into(&mut wanted.name);
    line.email.clone_into(&mut wanted.email);
    record.set_fields("student.import", wanted);
    record.finish(actor, now).await
}

/// Records that the office issued (or withdrew) the placement letter (W2d), in a change of its
/// own (a letter issued outside the app, the demo).
pub async fn record_placement_letter(
    db: &DatabaseConnection,
    id: i64,
    issued: bool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    let mut record = students::change(db, id, None).await?;
    set_placement_letter(&mut record, issued);
    record.finish(actor, now).await
}

/// Records that the office issued (or withdrew) the placement letter (W2d), within a change
/// already open (the letter's issue).
pub fn set_placement_letter(record: &mut students::Change<'_>, issued: bool) {
    let wanted = student::Model {
        placement_letter: issued,
        ..record.before().clone()
    };
    record.set_fields("student.placement_letter", wanted);
}

/// A student sets their own zone (T2): an IANA name of the bundled release, stored in its
/// canonical spelling.
pub async fn set_zone(
    db: &DatabaseConnection,
    id: i64,
    zone: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    let canonical =
        coop_core::time::canonical_zone_name(zone.trim()).ok_or_else(|| ServiceError::Invalid {
            field: "zone",
            message: format!(
                "{:?} is not a time zone; choose one such as America/Vancouver (T2)",
                zone.trim()
            ),
        })?;
    let mut record = students::change(db, id, None).await?;
    let wanted = student::Model {
        zone: canonical.to_owned(),
        ..record.before().clone()
    };
    record.set_fields("student.zone", wanted);
    record.finish(actor, now).await
}

/// Staff pause (with a reason) or resume a student's R1 reminders.
pub async fn set_reminders_paused(
    db: &DatabaseConnection,
    id: i64,
    reason: Option<&str>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    let reason = reason.map(str::trim);
    if reason.is_some_and(|r| !coop_core::text_limits::PAUSE_REASON.fits(r)) {
        return Err(ServiceError::Invalid {
            field: "reason",
            message: "say why reminders are paused (at most 500 characters)".to_owned(),
        });
    }
    let mut record = students::change(db, id, None).await?;
    let before = record.before().clone();
    let snapshot = |paused: bool, reason: Option<&str>| {
        snapshots::json(&snapshots::RemindersPause {
            reminders_paused: paused,
            reason,
        })
    };
    record.record(
        if reason.is_some() {
            "student.reminders_pause"
        } else {
            "student.reminders_resume"
        },
        Some(snapshot(
            before.reminders_paused,
            before.reminders_paused_reason.as_deref(),
        )),
        Some(snapshot(reason.is_some(), reason)),
    );
    // The pause is not one of the record's audited fields: written here, recorded above.
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let mut active = before.into_active_model();
    active.reminders_paused = Set(reason.is_some());
    active.reminders_paused_reason = Set(reason.map(str::to_owned));
    active.update(record.db()).await?;
    record.finish(actor, now).await
}
