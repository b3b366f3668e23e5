//! Applications to IRCC a student reports (M1-M3): the report and IRCC's decision.

use super::*;

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

/// A student reports an application to IRCC (the guide's "please inform us"): S9 checks the
/// number; it cannot be dated in the future. Written with its audit event in one transaction.
pub async fn report_application(
    db: &sea_orm::DatabaseConnection,
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
            let on_file = load(db, student_id).await?;
            let timely = current(&on_file, report.for_document)
                .map(|d| coop_core::time::is_timely(application.submitted_at, d.expires_on));
            return Ok(Reported {
                application,
                timely,
            });
        }
    }
    let txn = crate::begin_write(db).await?;
    let on_file = load(&txn, student_id).await?;
    let timely = current(&on_file, report.for_document)
        .map(|d| coop_core::time::is_timely(report.submitted_at, d.expires_on));
    let application = insert_application(
        &txn,
        student_id,
        Application {
            for_document: report.for_document,
            submitted_at: report.submitted_at,
            decision: Decision::Pending,
        },
        Some(number.to_string()),
        report.client_key,
        actor,
        now,
    )
    .await?;
    if timely == Some(false) {
        crate::service::reminders::notify_student(
            &txn,
            student_id,
            "application_late",
            "Your application was after the deadline",
            coop_core::explain::timeliness(Some(false)),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Reported {
        application,
        timely,
    })
}

/// The student records IRCC's decision on one of their pending applications; another student's
/// application is `NotFound`; a decided one is a `State` conflict.
pub async fn record_decision(
    db: &sea_orm::DatabaseConnection,
    student_id: i64,
    application_id: i64,
    decision: Decision,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<application::Model, ServiceError> {
    use sea_orm::IntoActiveModel;
    let code = match decision {
        Decision::Approved => "approved",
        Decision::Refused => "refused",
        Decision::Pending => {
            return Err(ServiceError::Invalid {
                field: "decision",
                message: "expected approved or refused".to_owned(),
            });
        }
    };
    let txn = crate::begin_write(db).await?;
    let before = application::Entity::find_by_id(application_id)
        .filter(application::Column::StudentId.eq(student_id))
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if before.decision != "pending" {
        return Err(ServiceError::State(format!(
            "IRCC's decision on this application is already recorded ({}).",
            before.decision
        )));
    }
    let mut active = before.clone().into_active_model();
    active.decision = Set(code.to_owned());
    let after = active.update(&txn).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "application.decide",
            subject: format!("student:{student_id}"),
            before: Some(snapshots::json(&snapshots::ApplicationDecision {
                application_id: before.id,
                decision: &before.decision,
            })),
            after: Some(snapshots::json(&snapshots::ApplicationDecision {
                application_id: after.id,
                decision: &after.decision,
            })),
        },
    )
    .await?;
    crate::service::standings::after_change(&txn, student_id, now).await?;
    txn.commit().await?;
    Ok(after)
}
