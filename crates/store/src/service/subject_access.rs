//! Subject access (FIPPA s. 5): everything the office holds about one student, as a zip of
//! `data.json` and the stored files themselves. The student's own copy leaves out staff's notes
//! (in the record and in its history); staff's copy has them. Every query is by this student's
//! id or their accounts, so nothing of another student is ever in it; each export is audited.

use std::io::Write;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::{Value, json};

use super::ServiceError;
use super::audit::{self, Actor};
use super::files;
use crate::entity::{
    application, audit_event, consent, document, letter_request, notice, program, reminder,
    student, user, work_term,
};
use crate::vault::Vault;

/// Whose copy it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The student's own (staff notes left out).
    Student,
    /// Staff's full copy.
    Staff,
}

/// An export: the zip's bytes and a file name for it.
#[derive(Debug)]
pub struct Export {
    pub file_name: String,
    pub zip: Vec<u8>,
}

/// The format of `data.json`, raised when its shape changes.
pub const FORMAT: u32 = 1;

/// One file of the export: its path in the zip and its bytes.
struct Attached {
    path: String,
    bytes: Vec<u8>,
}

/// Builds the export of `student_id` for `audience`, and records it in the student's history.
pub async fn export(
    db: &DatabaseConnection,
    vault: &Vault,
    student_id: i64,
    audience: Audience,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Export, ServiceError> {
    let record = student::Entity::find_by_id(student_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut attached = Vec::new();
    let data = collect(db, vault, &record, audience, now, &mut attached).await?;
    let text = serde_json::to_vec_pretty(&data)
        .map_err(|e| ServiceError::Internal(format!("cannot write data.json: {e}")))?;
    let zip = write_zip(&text, &attached)
        .map_err(|e| ServiceError::Internal(format!("cannot write the export: {e}")))?;
    audit::record(
        db,
        audit::Change {
            at: now,
            actor,
            action: "student.export",
            subject: format!("student:{student_id}"),
            before: None,
            after: Some(json!({
                "audience": match audience { Audience::Student => "student", Audience::Staff => "staff" },
                "files": attached.len(),
            })),
        },
    )
    .await?;
    Ok(Export {
        file_name: format!(
            "coop-permits-{}-{}.zip",
            record.student_number,
            now.format("%Y-%m-%d")
        ),
        zip,
    })
}

async fn collect(
    db: &DatabaseConnection,
    vault: &Vault,
    record: &student::Model,
    audience: Audience,
    now: DateTime<Utc>,
    attached: &mut Vec<Attached>,
) -> Result<Value, ServiceError> {
    let id = record.id;
    // The record's history, read once: the whole of it, and each document's part of it.
    let events = audit::history(db, &format!("student:{id}")).await?;
    let accounts = user::Entity::find()
        .filter(user::Column::StudentId.eq(id))
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?;
    let account_ids: Vec<i64> = accounts.iter().map(|u| u.id).collect();
    let program = match &record.program_code {
        Some(code) => program::Entity::find_by_id(code.clone()).one(db).await?,
        None => None,
    };

    let mut documents = Vec::new();
    for d in document::Entity::find()
        .filter(document::Column::StudentId.eq(id))
        .order_by_asc(document::Column::Id)
        .all(db)
        .await?
    {
        let file = attach(
            db,
            vault,
            d.file_id,
            &format!("document-{}", d.id),
            attached,
        )
        .await?;
        documents.push(json!({
            "id": d.id,
            "kind": d.kind,
            "number": d.number,
            "uci": d.uci,
            "issued_on": d.issued_on,
            "expires_on": d.expires_on,
            "on_campus_work": d.on_campus_work,
            "status": d.status,
            "reason": d.reason,
            "submitted_at": d.submitted_at,
            "decided_at": d.decided_at,
            "file": file,
            "review_history": history_of(&events, Some(d.id), audience),
        }));
    }

    let mut letters = Vec::new();
    for l in letter_request::Entity::find()
        .filter(letter_request::Column::StudentId.eq(id))
        .order_by_asc(letter_request::Column::Id)
        .all(db)
        .await?
    {
        let file = attach(
            db,
            vault,
            l.letter_file_id,
            &format!("letter-{}", l.id),
            attached,
        )
        .await?;
        letters.push(json!({
            "id": l.id,
            "status": l.status,
            "first_term_start": l.first_term_start,
            "extending_study_permit": l.extending_study_permit,
            "notice_version": l.notice_version,
            "requested_at": l.requested_at,
            "decided_at": l.decided_at,
            "reason": l.reason,
            "issued_letter": l.issued,
            "letter_file": file,
            "revoked_at": l.revoked_at,
            "revoked_reason": l.revoked_reason,
        }));
    }

    let applications: Vec<Value> = application::Entity::find()
        .filter(application::Column::StudentId.eq(id))
        .order_by_asc(application::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| {
            json!({
                "id": a.id,
                "for": a.for_document,
                "submitted_at": a.submitted_at,
                "application_number": a.application_number,
                "decision": a.decision,
                "reported_at": a.reported_at,
            })
        })
        .collect();
    let work_terms: Vec<Value> = work_term::Entity::find()
        .filter(work_term::Column::StudentId.eq(id))
        .order_by_asc(work_term::Column::StartOn)
        .all(db)
        .await?
        .into_iter()
        .map(|t| json!({"start_on": t.start_on, "end_on": t.end_on, "employer": t.employer}))
        .collect();
    let reminders: Vec<Value> = reminder::Entity::find()
        .filter(reminder::Column::StudentId.eq(id))
        .order_by_asc(reminder::Column::DueOn)
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            json!({
                "document_id": r.document_id,
                "for": r.for_document,
                "due_on": r.due_on,
                "days_before": r.days_before,
                "expires": r.expires,
                "state": r.state,
                "sent_at": r.sent_at,
                "sent_to": r.sent_to,
                "channels": r.channels,
            })
        })
        .collect();
    // The student's own messages; staff's copy adds the notices staff received about them.
    let mut to_whom = Condition::any().add(notice::Column::UserId.is_in(account_ids.clone()));
    if audience == Audience::Staff {
        to_whom = to_whom.add(notice::Column::StudentId.eq(id));
    }
    let messages: Vec<Value> = notice::Entity::find()
        .filter(to_whom)
        .order_by_asc(notice::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|n| {
            json!({
                "to_student": account_ids.contains(&n.user_id),
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "created_at": n.created_at,
                "read_at": n.read_at,
            })
        })
        .collect();
    let consents: Vec<Value> = consent::Entity::find()
        .filter(consent::Column::UserId.is_in(account_ids.clone()))
        .order_by_asc(consent::Column::AcceptedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|c| json!({"notice_version": c.notice_version, "accepted_at": c.accepted_at}))
        .collect();

    let mut fields = json!({
        "student_number": record.student_number,
        "email": record.email,
        "name": record.name,
        "program": record.program,
        "program_code": record.program_code,
        "coop_program": record.coop_program,
        "coop1101": record.coop1101,
        "continuance_met": record.continuance_met,
        "full_time": record.full_time,
        "level": record.level,
        "placement_letter": record.placement_letter,
        "uci": record.uci,
        "zone": record.zone,
        "reminders_paused": record.reminders_paused,
        "reminders_paused_reason": record.reminders_paused_reason,
        "left_on": record.left_on,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    });
    if audience == Audience::Staff
        && let Some(object) = fields.as_object_mut()
    {
        object.insert("staff_notes".to_owned(), json!(record.notes));
    }
    Ok(json!({
        "format": FORMAT,
        "exported_at": now,
        "copy_for": match audience { Audience::Student => "the student", Audience::Staff => "co-op staff" },
        "about": "Everything the co-op office holds about this student in coop-permits (FIPPA s. 5). The files folder holds the stored documents and letters themselves.",
        "record": fields,
        "accounts": accounts.iter().map(|u| json!({
            "email": u.email,
            "name": u.name,
            "role": u.role,
            "created_at": u.created_at,
            "signed_in_at": u.signed_in_at,
            "disabled_at": u.disabled_at,
        })).collect::<Vec<_>>(),
        "program": program.map(|p| json!({
            "code": p.code,
            "name": p.name,
            "credential": p.credential,
            "months": p.months,
            "work_months": p.work_months,
            "placement_required": p.placement_required,
            "language_or_preparatory": p.language_or_preparatory,
        })),
        "documents": documents,
        "letter_requests": letters,
        "applications": applications,
        "work_terms": work_terms,
        "reminders": reminders,
        "messages": messages,
        "consents": consents,
        "history": history_of(&events, None, audience),
    }))
}

/// The stored file `file_id` put in the export as `files/<stem>.<ext>`; its path and type.
async fn attach(
    db: &impl ConnectionTrait,
    vault: &Vault,
    file_id: Option<i64>,
    stem: &str,
    attached: &mut Vec<Attached>,
) -> Result<Value, ServiceError> {
    let Some(file_id) = file_id else {
        return Ok(Value::Null);
    };
    let (content_type, bytes) = files::read(db, vault, file_id).await?;
    let extension = match content_type.as_str() {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        _ => "bin",
    };
    let path = format!("files/{stem}.{extension}");
    let size = bytes.len();
    attached.push(Attached {
        path: path.clone(),
        bytes,
    });
    Ok(json!({"path": path, "content_type": content_type, "size": size}))
}

/// The history of the student's record (or of one of their documents) from `events` (the
/// record's, oldest first); in the student's copy, staff notes are taken out of every snapshot.
fn history_of(
    events: &[audit_event::Model],
    document_id: Option<i64>,
    audience: Audience,
) -> Vec<Value> {
    events
        .iter()
        .filter(|e| match document_id {
            None => true,
            Some(d) => names_document(e, d),
        })
        .map(|e| {
            let clean = |v: &Option<Value>| match audience {
                Audience::Staff => v.clone(),
                Audience::Student => v.clone().map(without_notes),
            };
            json!({
                "at": e.at,
                "by": e.actor,
                "action": e.action,
                "before": clean(&e.before),
                "after": clean(&e.after),
            })
        })
        .collect()
}

fn names_document(event: &audit_event::Model, document_id: i64) -> bool {
    event.action.starts_with("document.")
        && [&event.before, &event.after]
            .into_iter()
            .flatten()
            .any(|v| {
                v.get("document_id").and_then(Value::as_i64) == Some(document_id)
                    || v.get("id").and_then(Value::as_i64) == Some(document_id)
            })
}

fn without_notes(mut value: Value) -> Value {
    if let Some(object) = value.as_object_mut() {
        object.remove("notes");
    }
    value
}

fn write_zip(data: &[u8], attached: &[Attached]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600);
    zip.start_file("data.json", options)?;
    zip.write_all(data)?;
    for file in attached {
        // Scans and PDFs are compressed already.
        zip.start_file(
            file.path.as_str(),
            options.compression_method(zip::CompressionMethod::Stored),
        )?;
        zip.write_all(&file.bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}
