//! Applications to IRCC (M1–M3): a student reports one (the guide's "please inform us") and
//! later IRCC's decision on it; staff and the demo put one on file. Each through the one write
//! path (`students::change`).

use chrono::{DateTime, Utc};
use coop_core::case::{Application, Decision, DocumentFor};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter, Set,
};

use super::ServiceError;
use super::audit::Actor;
use super::notices;
use super::records;
use super::snapshots;
use super::students::{self, Change};
use super::templates;
use crate::entity::application;

/// An application a student reports having made to IRCC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationReport {
    pub for_document: DocumentFor,
    pub submitted_at: DateTime<Utc>,
    /// As typed; checked against S9.
    pub application_number: String,
    /// The browser's idempotency key for this report, if it sent one.
    pub client_key: Option<String>,
}

/// A reported application, and whether it was made in time for the document on file (T4);
/// `None` when no such document is on file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub application: application::Model,
    pub timely: Option<bool>,
}

/// Staff (or the demo) put an application on file for a student, in a change of its own.
pub async fn put_on_file(
    db: &DatabaseConnection,
    student_id: i64,
    application: Application,
    number: Option<String>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<application::Model, ServiceError> {
    let mut record = students::change(db, student_id, None).await?;
    let model = add(&mut record, application, number, None, now).await?;
    record.finish(actor, now).await?;
    Ok(model)
}

/// Puts an application on file within an open change (`application.report`).
pub async fn add(
    record: &mut Change<'_>,
    application: Application,
    number: Option<String>,
    client_key: Option<String>,
    now: DateTime<Utc>,
) -> Result<application::Model, ServiceError> {
    let model = application::ActiveModel {
        id: NotSet,
        student_id: Set(record.student_id()),
        for_document: Set(application.for_document),
        submitted_at: Set(application.submitted_at),
        application_number: Set(number),
        decision: Set(application.decision),
        reported_at: Set(now),
        client_key: Set(client_key),
    }
    .insert(record.db())
    .await?;
    record.record(
        "application.report",
        None,
        Some(snapshots::json(&snapshots::ApplicationReported {
            application_id: model.id,
            for_document: model.for_document,
            submitted_at: model.submitted_at.to_rfc3339(),
            decision: model.decision,
        })),
    );
    Ok(model)
}

/// Whether `application` was made in time for the document it extends (T4), from what is on
/// file for its student; `None` without such a document.
async fn timeliness(
    db: &impl ConnectionTrait,
    student_id: i64,
    for_document: DocumentFor,
    submitted_at: DateTime<Utc>,
) -> Result<Option<bool>, ServiceError> {
    let on_file = records::load(db, student_id).await?;
    Ok(records::current(&on_file, for_document)
        .map(|d| coop_core::time::is_timely(submitted_at, d.expires_on)))
}

/// A student reports an application to IRCC: S9 checks the number; it cannot be dated in the
/// future. A late one (T4) tells the student so in the app.
pub async fn report(
    db: &DatabaseConnection,
    student_id: i64,
    report: ApplicationReport,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Reported, ServiceError> {
    let number = coop_core::validation::parse_application_number(&report.application_number)
        .map_err(|finding| ServiceError::Invalid {
            field: "application_number",
            message: format!("{} ({})", finding.code.message(), finding.code.rule()),
        })?;
    if report.submitted_at > now {
        return Err(ServiceError::Invalid {
            field: "submitted_at",
            message: "the submission time is in the future".to_owned(),
        });
    }
    if !coop_core::time::is_supported_date(report.submitted_at.date_naive()) {
        return Err(ServiceError::Invalid {
            field: "submitted_at",
            message: "the submission date is out of range".to_owned(),
        });
    }
    // The same report sent again (a draft sent after a lost answer) is answered with the first.
    if let Some(key) = report.client_key.as_deref() {
        let earlier = application::Entity::find()
            .filter(application::Column::StudentId.eq(student_id))
            .filter(application::Column::ClientKey.eq(key))
            .one(db)
            .await?;
        if let Some(application) = earlier {
            let timely = timeliness(
                db,
                student_id,
                report.for_document,
                application.submitted_at,
            )
            .await?;
            return Ok(Reported {
                application,
                timely,
            });
        }
    }
    let mut record = students::change(db, student_id, None).await?;
    let timely = timeliness(
        record.db(),
        student_id,
        report.for_document,
        report.submitted_at,
    )
    .await?;
    let application = add(
        &mut record,
        Application {
            for_document: report.for_document,
            submitted_at: report.submitted_at,
            decision: Decision::Pending,
        },
        Some(number.to_string()),
        report.client_key,
        now,
    )
    .await?;
    if timely == Some(false) {
        notices::notify_student(record.db(), student_id, &templates::application_late(), now)
            .await?;
    }
    record.finish(actor, now).await?;
    Ok(Reported {
        application,
        timely,
    })
}

/// The student records IRCC's decision on one of their pending applications; another student's
/// application is `NotFound`; a decided one is a `State` conflict.
pub async fn record_decision(
    db: &DatabaseConnection,
    student_id: i64,
    application_id: i64,
    decision: Decision,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<application::Model, ServiceError> {
    if decision == Decision::Pending {
        return Err(ServiceError::Invalid {
            field: "decision",
            message: "expected approved or refused".to_owned(),
        });
    }
    let mut record = students::change(db, student_id, None).await?;
    let before = application::Entity::find_by_id(application_id)
        .filter(application::Column::StudentId.eq(student_id))
        .one(record.db())
        .await?
        .ok_or(ServiceError::NotFound)?;
    if before.decision != Decision::Pending {
        return Err(ServiceError::State(format!(
            "IRCC's decision on this application is already recorded ({}).",
            before.decision.code()
        )));
    }
    let mut active = before.clone().into_active_model();
    active.decision = Set(decision);
    let after = active.update(record.db()).await?;
    let snapshot = |a: &application::Model| {
        snapshots::json(&snapshots::ApplicationDecision {
            application_id: a.id,
            decision: a.decision,
        })
    };
    record.record(
        "application.decide",
        Some(snapshot(&before)),
        Some(snapshot(&after)),
    );
    record.finish(actor, now).await?;
    Ok(after)
}
