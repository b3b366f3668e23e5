//! E-mail over SMTP (lettre): the reminder job's mailer, configured by `--smtp-url` and
//! `--mail-from`. Each message goes as plain text with an HTML alternative.

use coop_store::service::notices::Mailer;
use coop_store::service::templates::Message;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// An SMTP connection pool and the sender address.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpMailer {
    // The URL may hold a password: never print the transport.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

/// Why the mail settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error(
        "--smtp-url / COOP_SMTP_URL: {0} (e.g. smtp://127.0.0.1:2525 or smtps://user:pass@mail.example.ca)"
    )]
    Url(String),
    #[error(
        "--mail-from / COOP_MAIL_FROM: {0:?} is not an address such as \"Co-op Office <coop@example.ca>\""
    )]
    From(String),
    #[error("--mail-from / COOP_MAIL_FROM is required with --smtp-url")]
    NoFrom,
}

impl SmtpMailer {
    /// The mailer for `url` (`smtp://host:port` in the clear, `smtp://…?tls=required` with
    /// STARTTLS, `smtps://user:pass@host` over TLS), sending as `from`.
    pub fn new(url: &str, from: Option<&str>) -> Result<SmtpMailer, MailConfigError> {
        let from = from.ok_or(MailConfigError::NoFrom)?;
        let from: Mailbox = from
            .parse()
            .map_err(|_| MailConfigError::From(from.to_owned()))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailConfigError::Url(e.to_string()))?
            .build();
        Ok(SmtpMailer { transport, from })
    }
}

impl Mailer for SmtpMailer {
    async fn send(&self, message: &Message) -> Result<(), String> {
        let to: Mailbox = message
            .to
            .parse()
            .map_err(|e| format!("the address {:?} cannot be used: {e}", message.to))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                message.text.clone(),
                message.html.clone(),
            ))
            .map_err(|e| e.to_string())?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}
