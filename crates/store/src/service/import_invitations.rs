//! Inviting the students an import created (design.md: "new ones created with an invitation"):
//! each gets a student account tied to their record and the invitation e-mail. It runs after the
//! import has committed, so a mail server that stops answering leaves the imported records in
//! place; every new student left without an invitation is reported by line, to invite again
//! from the users page.

use chrono::{DateTime, Utc};
use coop_core::roles::Role;
use sea_orm::DatabaseConnection;

use super::ServiceError;
use super::audit::Actor;
use super::import::{FieldError, Outcome, Report};
use super::invitations;
use super::notices::DynMailer;
use super::students;
use super::users::{self, NewUser};
use crate::settings::AuthSettings;

/// Imports `bytes` (as `import::import`), then, with `mailer`, opens an account for every new
/// student and invites them. Asking for invitations without a mail server is refused before
/// anything is written.
pub async fn import_and_invite(
    db: &DatabaseConnection,
    bytes: &[u8],
    invite: Option<(Option<&dyn DynMailer>, &AuthSettings)>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Report, ServiceError> {
    let inviting = match invite {
        None => None,
        Some((Some(mailer), settings)) => Some((mailer, settings)),
        Some((None, _)) => {
            return Err(ServiceError::Invalid {
                field: "invite",
                message: "invitations go by e-mail, and no mail server is configured (--smtp-url): import without invitations, then invite each student from the users page, or configure mail".to_owned(),
            });
        }
    };
    let mut report = super::import::import(db, bytes, actor, now).await?;
    if let Some((mailer, settings)) = inviting {
        invite_created(db, mailer, settings, &mut report, actor, now).await?;
    }
    Ok(report)
}

/// Opens an account for, and invites, every student `report` created; counts them in
/// `report.invited` and reports each one left out in `report.invitation_problems`.
pub async fn invite_created(
    db: &DatabaseConnection,
    mailer: &dyn DynMailer,
    settings: &AuthSettings,
    report: &mut Report,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let created: Vec<(u64, String)> = report
        .lines
        .iter()
        .filter(|l| l.outcome == Outcome::Create)
        .map(|l| (l.line, l.student_number.clone()))
        .collect();
    let mut mail_down: Option<String> = None;
    for (line, number) in created {
        let problem = |message: String| FieldError {
            line,
            field: "email".to_owned(),
            message,
        };
        if let Some(why) = &mail_down {
            report
                .invitation_problems
                .push(problem(format!("not invited: {why}")));
            continue;
        }
        match invite_one(db, mailer, settings, &number, actor, now).await {
            Ok(()) => report.invited += 1,
            // The mail server is down: the rest would fail the same way, each after a timeout.
            Err(ServiceError::Unavailable(why)) => {
                report
                    .invitation_problems
                    .push(problem(format!("not invited: {why}")));
                mail_down = Some(
                    "the mail server did not answer for an earlier line; send the invitation from the users page"
                        .to_owned(),
                );
            }
            Err(ServiceError::Db(e)) => return Err(ServiceError::Db(e)),
            Err(other) => report
                .invitation_problems
                .push(problem(format!("not invited: {}", in_words(&other)))),
        }
    }
    Ok(())
}

/// The account for student `number` (their record's e-mail and name), and its invitation.
async fn invite_one(
    db: &DatabaseConnection,
    mailer: &dyn DynMailer,
    settings: &AuthSettings,
    number: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let student = students::find_by_number(db, number)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let user = users::create(
        db,
        NewUser {
            email: student.email.clone(),
            name: student.name.clone(),
            role: Role::Student,
            student_number: Some(student.student_number.clone()),
        },
        None,
        actor,
        now,
    )
    .await?;
    invitations::invite(db, Some(mailer), settings, user.id, actor, now).await?;
    Ok(())
}

/// Why one student could not be invited, for the report.
fn in_words(error: &ServiceError) -> String {
    match error {
        ServiceError::Conflict { field: "email" } => {
            "an account with this e-mail address already exists".to_owned()
        }
        ServiceError::Conflict { .. } => "this student already has an account".to_owned(),
        ServiceError::NotFound => "the record was removed before its invitation".to_owned(),
        other => other.to_string(),
    }
}
