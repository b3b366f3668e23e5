//! What every command's settings share: the database, the mail server, the log format, the
//! error that names a bad setting.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per event, for log collectors.
    Json,
}

/// Where the data lives.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Folder for the SQLite database and uploaded files; created when missing.
    #[arg(long, env = "COOP_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Database URL: sqlite://PATH, or postgres://USER:PASSWORD@HOST/DB to share one database
    /// between several server instances. Default: sqlite://<data-dir>/coop-permits.db.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
}

impl DatabaseArgs {
    /// The URL to open.
    pub fn url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}",
                self.data_dir.join("coop-permits.db").display()
            ),
        }
    }
}

/// E-mail for reminders.
#[derive(Debug, Clone, Args)]
pub struct MailArgs {
    /// The SMTP server reminders are sent through: smtp://host:port (in the clear),
    /// smtp://host:port?tls=required (STARTTLS), smtps://user:password@host (TLS). Without it
    /// reminders are in the app only.
    #[arg(long, env = "COOP_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender, e.g. "Co-op Office <coop@example.ca>".
    #[arg(long, env = "COOP_MAIL_FROM")]
    pub mail_from: Option<String>,
}

impl MailArgs {
    /// The mailer, or None without `--smtp-url`.
    pub fn mailer(&self) -> Result<Option<crate::mail::SmtpMailer>, crate::mail::MailConfigError> {
        match self
            .smtp_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            None => Ok(None),
            Some(url) => crate::mail::SmtpMailer::new(url, self.mail_from.as_deref()).map(Some),
        }
    }
}

/// A setting that cannot be used.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{setting}: {problem}")]
pub struct ConfigError {
    /// The flag and variable.
    pub setting: &'static str,
    /// What is wrong.
    pub problem: String,
}

/// A public URL (`--public-url`), checked: http(s) with a host, no trailing slash.
pub fn checked_public_url(url: &str) -> Result<String, ConfigError> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| ConfigError {
            setting: "--public-url / COOP_PUBLIC_URL",
            problem: format!("{url:?} must start with http:// or https://"),
        })?;
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err(ConfigError {
            setting: "--public-url / COOP_PUBLIC_URL",
            problem: format!("{url:?} has no host"),
        });
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// A checked public URL's origin, `scheme://host[:port]` with the host in lower case (as
/// browsers send it).
pub fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split('/').next().unwrap_or(rest).to_ascii_lowercase();
    format!("{scheme}://{authority}")
}

/// Whether a site folder holds a built app (its `pkg/` with the wasm).
pub fn site_is_built(site_root: &Path) -> bool {
    site_root.join("pkg").is_dir()
}
