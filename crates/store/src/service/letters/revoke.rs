//! Staff revoke an issued letter (it no longer stands, say the placement ended early or was
//! issued in error), and anyone holding a letter's code checks whether it still stands.

use chrono::{DateTime, Utc};
use coop_core::letter_request::{LetterRequestAction, LetterRequestStatus};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::request::snapshot;
use super::review::open;
use crate::entity::letter_request::{self, IssuedLetter};
use crate::service::ServiceError;
use crate::service::audit::Actor;
use crate::service::client_limit::ClientAddr;
use crate::service::notices;
use crate::service::password_reset::TooMany;
use crate::service::sessions::id_of;
use crate::service::student_facts;
use crate::service::templates;
use crate::settings::AuthSettings;

/// Staff revoke an approved letter, with the reason the student reads. The student's placement
/// letter (W2d) is withdrawn unless another issued letter still stands, so their standing is
/// recomputed at once; the letter's verification page says it is revoked, and when.
pub async fn revoke(
    db: &sea_orm::DatabaseConnection,
    request_id: i64,
    reason: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<letter_request::Model, ServiceError> {
    let reason = reason.trim();
    if !coop_core::text_limits::REFUSAL_REASON.fits(reason) {
        return Err(ServiceError::Invalid {
            field: "reason",
            message: "say why the letter no longer stands (at most 1000 characters)".to_owned(),
        });
    }
    let (mut record, before, status) = open(db, request_id, LetterRequestAction::Revoke).await?;
    let student_id = before.student_id;
    let mut active = before.clone().into_active_model();
    active.status = Set(status);
    active.revoked_at = Set(Some(now));
    active.revoked_reason = Set(Some(reason.to_owned()));
    let after = active.update(record.db()).await?;
    let still_standing = letter_request::Entity::find()
        .filter(letter_request::Column::StudentId.eq(student_id))
        .filter(letter_request::Column::Status.eq(LetterRequestStatus::Approved))
        .one(record.db())
        .await?
        .is_some();
    if !still_standing {
        student_facts::set_placement_letter(&mut record, false);
    }
    record.record(
        "letter_request.revoke",
        Some(snapshot(&before)),
        Some(snapshot(&after)),
    );
    notices::notify_student(
        record.db(),
        student_id,
        &templates::letter_revoked(reason),
        now,
    )
    .await?;
    record.finish(actor, now).await?;
    Ok(after)
}

/// What a letter's code confirms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub letter: IssuedLetter,
    /// When it was revoked; `None` while it stands.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The letter a verification code belongs to. `NotFound` for any code no issued letter printed
/// (including malformed ones), so a guess learns nothing; a client's unknown codes are limited
/// (`AuthSettings::verify_per_client`), though 128-bit codes cannot be guessed anyway.
pub async fn verify(
    db: &sea_orm::DatabaseConnection,
    settings: &AuthSettings,
    client: ClientAddr,
    code: &str,
) -> Result<Result<Verified, TooMany>, ServiceError> {
    let attempt = match settings
        .verify_per_client
        .reserve(client, std::time::Instant::now())
    {
        Ok(attempt) => attempt,
        Err(seconds) => {
            return Ok(Err(TooMany {
                retry_after_seconds: i64::try_from(seconds).unwrap_or(i64::MAX),
                what: "letter codes that match no letter",
            }));
        }
    };
    let found = lookup(db, code).await?;
    if found.is_some() {
        settings.verify_per_client.succeeded(attempt);
    }
    found.map(Ok).ok_or(ServiceError::NotFound)
}

async fn lookup(
    db: &sea_orm::DatabaseConnection,
    code: &str,
) -> Result<Option<Verified>, ServiceError> {
    let well_formed = (16..=64).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed {
        return Ok(None);
    }
    let Some(request) = letter_request::Entity::find()
        .filter(letter_request::Column::VerifyCodeHash.eq(id_of(code)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(letter) = request.issued else {
        return Ok(None);
    };
    Ok(match request.status {
        LetterRequestStatus::Approved => Some(Verified {
            letter,
            revoked_at: None,
        }),
        LetterRequestStatus::Revoked => Some(Verified {
            letter,
            revoked_at: request.revoked_at,
        }),
        _ => None,
    })
}
