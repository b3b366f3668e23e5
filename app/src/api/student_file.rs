//! A student's whole file for staff: reading it, changing the program record (J re-evaluated
//! at once), pausing reminders, sending a reminder again.

use coop_api::staff::{ProgramForm, StudentFileView};
use leptos::prelude::*;

use super::AppError;

/// Staff: a student's whole file.
#[server(prefix = "/api/app", endpoint = "student_file")]
pub async fn student_file(id: i64) -> Result<StudentFileView, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::{audit, letters, programs, records, reminders, students};
    use coop_store::wire::staff_pages::{self, FileParts};

    let principal = context::principal().await;
    require_staff(&principal)?;
    let store = context::store()?;
    let db = store.db();
    let model = students::get(db, id).await?;
    let on_file = records::load(db, id).await?;
    let evaluation = coop_core::evaluate(&records::case_of(&model, &on_file, chrono::Utc::now()));
    let requests = letters::list(db, id).await?;
    let history = audit::history(db, &format!("student:{id}"))
        .await
        .map_err(coop_store::service::ServiceError::from)?;
    let reminders = reminders::of_student(db, id).await?;
    let catalogue = programs::list(db).await?;
    let removable_from = coop_store::service::leavers::removable_from(db, &model).await?;
    Ok(staff_pages::student_file(
        &model,
        &FileParts {
            on_file: &on_file,
            evaluation: &evaluation,
            requests: &requests,
            history: &history,
            reminders: &reminders,
            catalogue: &catalogue,
            removable_from,
        },
    ))
}

/// Staff record the day a student left (an empty date: they did not), for F2.
#[server(prefix = "/api/app", endpoint = "record_leaving")]
pub async fn record_leaving(
    id: i64,
    #[server(default)] left_on: Option<String>,
) -> Result<String, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;
    use coop_store::service::{ServiceError, leavers};

    let principal = context::principal().await;
    let staff = require_staff(&principal)?;
    let store = context::store()?;
    let left_on =
        match left_on.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(text) => Some(chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(
                |_| ServiceError::Invalid {
                    field: "left_on",
                    message: format!("{text:?} is not a date such as 2027-04-30"),
                },
            )?),
        };
    let after = leavers::record_leaving(
        store.db(),
        id,
        left_on,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(match after.left_on {
        Some(day) => format!(
            "Recorded: left on {} (F2).",
            coop_core::datetime_text::date_words(day)
        ),
        None => "Recorded: the student has not left.".to_owned(),
    })
}

/// Staff pause a student's R1 reminders with a reason, or resume them (no reason).
#[server(prefix = "/api/app", endpoint = "pause_reminders")]
pub async fn pause_reminders(
    id: i64,
    #[server(default)] reason: Option<String>,
) -> Result<String, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;
    use coop_store::service::student_facts;

    let principal = context::principal().await;
    let staff = require_staff(&principal)?;
    let store = context::store()?;
    let reason = reason.filter(|r| !r.trim().is_empty());
    let after = student_facts::set_reminders_paused(
        store.db(),
        id,
        reason.as_deref(),
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(if after.reminders_paused {
        "Reminders are paused for this student (R1).".to_owned()
    } else {
        "Reminders are on again for this student (R1).".to_owned()
    })
}

/// Staff send a delivered reminder again by hand (R2): e-mailed again when SMTP is
/// configured, a new message in the student's app, recorded in the history.
#[server(prefix = "/api/app", endpoint = "resend_reminder")]
pub async fn resend_reminder(id: i64) -> Result<String, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;
    use coop_store::service::reminders;
    use coop_store::settings::OfficeMail;

    let principal = context::principal().await;
    let staff = require_staff(&principal)?;
    let store = context::store()?;
    let mail = context::provided::<OfficeMail>()?;
    let row = reminders::resend(
        store.db(),
        mail.mailer.as_deref(),
        id,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(match row.sent_to.filter(|_| mail.mailer.is_some()) {
        Some(to) => format!("Sent again: by e-mail to {to} and in the student's app (R2)."),
        None => "Sent again in the student's app (R2); no e-mail is configured.".to_owned(),
    })
}

/// Staff change the program record (the form's `record[…]`; `version` is the one the form
/// showed: when the record changed since, nothing is written).
#[server(prefix = "/api/app", endpoint = "update_student")]
pub async fn update_student(
    id: i64,
    #[server(default)] version: Option<i64>,
    record: ProgramForm,
) -> Result<String, AppError> {
    use super::context;
    use coop_core::case::{Coop1101, Level};
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;
    use coop_store::service::student_facts::{self, ProgramChange};

    let principal = context::principal().await;
    let staff = require_staff(&principal)?;
    let yes_no = |field: &'static str, words: &str, value: &str| match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(AppError::invalid(
            field,
            format!("{words}: choose yes or no."),
        )),
    };
    let change = ProgramChange {
        coop_program: Some(yes_no(
            "coop_program",
            "Co-op program",
            &record.coop_program,
        )?),
        coop1101: Some(Coop1101::from_code(&record.coop1101).ok_or_else(|| {
            AppError::invalid(
                "coop1101",
                "COOP 1101: choose none, registered or completed.",
            )
        })?),
        continuance_met: Some(yes_no(
            "continuance_met",
            "Continuance",
            &record.continuance_met,
        )?),
        full_time: Some(yes_no("full_time", "Full-time", &record.full_time)?),
        level: Some(Level::from_code(&record.level).ok_or_else(|| {
            AppError::invalid("level", "Level: choose post-secondary or secondary.")
        })?),
        program: Some(record.program),
        // The form's select: empty is "not in the catalogue".
        program_code: Some(Some(record.program_code.trim().to_owned()).filter(|c| !c.is_empty())),
        notes: Some(record.notes),
        expected_version: version,
    };
    let store = context::store()?;
    let after = student_facts::update_program(
        store.db(),
        id,
        change,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(if Some(after.version) == version {
        "Nothing changed.".to_owned()
    } else {
        "Saved. The student's status was re-evaluated (J).".to_owned()
    })
}
