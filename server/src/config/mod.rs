//! Typed configuration: flags with `COOP_*` environment fallbacks, read once at start; a bad
//! value stops the program with a message that names the setting.
//!
//! By concern: the command line and what every command shares here; `serve`'s settings in
//! `serve`; the other commands' settings in `commands`.

mod commands;
mod serve;

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use commands::*;
pub use serve::ServeArgs;

/// coop-permits: co-op work authorization for a university co-op office and its students.
#[derive(Debug, Parser)]
#[command(name = "coop-permits", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Log lines as human-readable text or as JSON (one object per line).
    #[arg(long, env = "COOP_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app and the API (migrating the database first).
    Serve(Box<ServeArgs>),
    /// Apply pending database migrations, then exit.
    Migrate(DatabaseArgs),
    /// Add, disable or reset the password of a user.
    #[command(subcommand)]
    User(UserCommand),
    /// Create or revoke a staff API token (used as `Authorization: Bearer <token>`).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Load the demo accounts and students (idempotent) and print the demo sign-ins.
    Demo(DemoArgs),
    /// Run the reminder job (R1, R2) by hand.
    #[command(subcommand)]
    Reminders(RemindersCommand),
    /// Import students from a CSV file (the columns of README's "Importing students"): every
    /// error by line and field; the valid lines in one transaction.
    Import(ImportArgs),
    /// Run the retention job (F2) by hand.
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// Write a backup: one archive with the database (SQLite; PostgreSQL is dumped with pg_dump,
    /// see README) and every uploaded file as stored, encrypted. Never the file key.
    Backup(BackupArgs),
    /// Restore a backup into a new data folder, checking every file and record first.
    Restore(RestoreArgs),
    /// Inspect the PDF on standard input for active content (S7) and print `clean`, `active` or
    /// `uncheckable`, within limits on memory and CPU time: the server runs this for every
    /// uploaded PDF, in a child process of its own.
    #[command(name = "inspect-pdf", hide = true)]
    InspectPdf,
}

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
#[derive(Debug, thiserror::Error)]
#[error("{setting}: {problem}")]
pub struct ConfigError {
    /// The flag and variable.
    pub setting: &'static str,
    /// What is wrong.
    pub problem: String,
}

/// Whether a site folder holds a built app (its `pkg/` with the wasm).
pub fn site_is_built(site_root: &Path) -> bool {
    site_root.join("pkg").is_dir()
}
