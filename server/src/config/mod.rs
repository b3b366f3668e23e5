//! Typed configuration: flags with `COOP_*` environment fallbacks, read once at start; a bad
//! value stops the program with a message that names the setting.
//!
//! By concern: the command line and what every command shares here; `serve`'s settings in
//! `serve`; the other commands' settings in `commands`.

mod commands;
mod serve;
mod shared;
mod sso;

use clap::{Parser, Subcommand};

pub use commands::*;
pub use serve::ServeArgs;
pub use shared::*;
pub use sso::{OnOff, SsoArgs, SsoConfig};

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
    /// Manage where uploaded files are kept.
    #[command(subcommand)]
    Files(FilesCommand),
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
