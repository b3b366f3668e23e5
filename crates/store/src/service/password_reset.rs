//! "Forgot your password?": an address gets an e-mail with a one-time link (1 hour) when it
//! belongs to an enabled account; every request gets the same answer, as fast, so neither the
//! answer nor its timing tells anyone whether an address is known (the e-mail goes after the
//! answer). Limited per client and per address (in memory on each instance), and per account in
//! the database (at most three e-mails an hour across instances).

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::DatabaseConnection;

use super::ServiceError;
use super::account_links;
use super::audit::{self, Actor, Change};
use super::client_limit::ClientAddr;
use super::notices::{DynMailer, Mailer};
use super::templates;
use super::users;
use crate::entity::account_link::Purpose;
use crate::settings::{AuthSettings, RESET_PER_ADDRESS};

/// What a request did, for the log and the tests (the person is told the same either way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    /// The link is recorded and its e-mail on its way (sent in the background; a failure is
    /// logged).
    Sent,
    /// No e-mail: unknown address, disabled account, passwords off, the account's hourly
    /// allowance used, no mail server, or the mail server refused.
    Nothing,
}

/// Too many requests from this client or for this address: when to try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooMany {
    pub retry_after_seconds: i64,
    /// What there were too many of, in words ("password reset requests").
    pub what: &'static str,
}

impl TooMany {
    /// The refusal as the API words it (429 with `Retry-After`).
    pub fn answer(&self) -> crate::wire::errors::Answer {
        crate::wire::errors::Answer {
            status: 429,
            body: coop_api::ErrorBody::new(
                "too_many_attempts",
                format!(
                    "Too many {}; try again in {} minutes.",
                    self.what,
                    (self.retry_after_seconds + 59) / 60
                ),
            ),
            retry_after_seconds: Some(self.retry_after_seconds),
        }
    }
}

/// Handles a request for `email` from `client`.
pub async fn request(
    db: &DatabaseConnection,
    mailer: Option<&Arc<dyn DynMailer>>,
    settings: &AuthSettings,
    email: &str,
    client: ClientAddr,
    now: DateTime<Utc>,
) -> Result<Result<Requested, TooMany>, ServiceError> {
    let email = users::normalize_email(email)?;
    let instant = std::time::Instant::now();
    let too_many = |seconds: u64| TooMany {
        retry_after_seconds: i64::try_from(seconds).unwrap_or(i64::MAX),
        what: "password reset requests",
    };
    // Every request counts, whatever it finds.
    if let Err(seconds) = settings.reset_per_client.reserve(client, instant) {
        return Ok(Err(too_many(seconds)));
    }
    if let Err(seconds) = settings
        .reset_per_address
        .reserve_key(super::sessions::id_of(&email), instant)
    {
        return Ok(Err(too_many(seconds)));
    }
    let Some(user) = users::find_by_email(db, &email).await? else {
        return Ok(Ok(Requested::Nothing));
    };
    if user.disabled_at.is_some() || !settings.password_sign_in {
        return Ok(Ok(Requested::Nothing));
    }
    let Some(mailer) = mailer else {
        tracing::warn!(
            user.id = user.id,
            "password reset asked, but no mail server is configured (--smtp-url)"
        );
        return Ok(Ok(Requested::Nothing));
    };
    let txn = crate::begin_write(db).await?;
    let recent = account_links::count_since(
        &txn,
        user.id,
        Purpose::PasswordReset,
        now - Duration::hours(1),
    )
    .await?;
    if recent >= u64::from(RESET_PER_ADDRESS) {
        return Ok(Ok(Requested::Nothing));
    }
    let issued = account_links::issue(
        &txn,
        user.id,
        Purpose::PasswordReset,
        Some(&user.email),
        now,
    )
    .await?;
    let link = settings.page_url(&format!("/reset-password?token={}", issued.token));
    let message = templates::password_reset(&user.email, &user.name, &link, issued.link.expires_at);
    audit::record(
        &txn,
        Change {
            at: now,
            actor: &Actor::Anonymous,
            action: "user.password_reset_request",
            subject: format!("user:{}", user.id),
            before: None,
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    // After the answer: a known address must not answer slower than an unknown one.
    let mailer = Arc::clone(mailer);
    let user_id = user.id;
    tokio::spawn(async move {
        if let Err(error) = mailer.send(&message).await {
            tracing::error!(user.id = user_id, error = %error, "the password reset e-mail could not be sent");
        }
    });
    Ok(Ok(Requested::Sent))
}
