//! The settings of the commands besides `serve`: users and tokens, demo data, import, the jobs
//! run by hand, backups and restores.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::shared::{ConfigError, DatabaseArgs, MailArgs, checked_public_url, origin_of};
use super::sso::{OnOff, SsoArgs};

/// `coop-permits files …`.
#[derive(Debug, Subcommand)]
pub enum FilesCommand {
    /// On PostgreSQL: move the uploaded files kept in the data folder's `files` into the
    /// database, so every instance serves them. Each file is checked against its record and
    /// moved in its own transaction; stop it at any time and run it again to resume.
    MoveToDatabase(FilesMoveArgs),
}

/// `files move-to-database`'s settings.
#[derive(Debug, Args)]
pub struct FilesMoveArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The file key the files are encrypted with (as for `serve`; else <data-dir>/file-key).
    #[arg(long, env = "COOP_FILE_KEY", hide_env_values = true)]
    pub file_key: Option<String>,
}

/// `coop-permits retention …`.
#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// One run of the retention job, the same code the server runs daily: remove uploaded files
    /// F2 no longer requires (a year after the last decision that used them), the personal data
    /// of students who left (a year after leaving and the last decision), and ended sessions.
    Run(RetentionRunArgs),
}

/// `retention run`'s settings.
#[derive(Debug, Args)]
pub struct RetentionRunArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The file key (as for `serve`): the files folder is the one it opens.
    #[arg(long, env = "COOP_FILE_KEY", hide_env_values = true)]
    pub file_key: Option<String>,
    /// The instant the run happens at (RFC 3339); default now.
    #[arg(long)]
    pub now: Option<String>,
    /// List what the run would remove (documents' files, leavers' personal data, with when each
    /// kept leaver's may go) and remove nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `backup`'s settings.
#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The archive to write (a tar file); written under another name first, so a backup cut
    /// short never has this name.
    pub file: PathBuf,
    /// Encrypt the whole archive (the database copy too, not only the files) with the file key:
    /// restore then needs the same key.
    #[arg(long)]
    pub encrypt: bool,
    /// The file key for --encrypt (else <data-dir>/file-key).
    #[arg(long, env = "COOP_FILE_KEY", hide_env_values = true)]
    pub file_key: Option<String>,
}

/// `restore`'s settings.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The archive `coop-permits backup` wrote.
    pub file: PathBuf,
    /// The file key, to check that every file decrypts (else <data-dir>/file-key when present).
    #[arg(long, env = "COOP_FILE_KEY", hide_env_values = true)]
    pub file_key: Option<String>,
}

/// `coop-permits reminders …`.
#[derive(Debug, Subcommand)]
pub enum RemindersCommand {
    /// One pass of the reminder job, the same code the server runs on its interval: deliver
    /// the reminders due (in the app, and by e-mail when SMTP is configured), once each.
    Run(ReminderRunArgs),
}

/// `reminders run`'s settings.
#[derive(Debug, Args)]
pub struct ReminderRunArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub mail: MailArgs,
    /// The instant the pass runs at (RFC 3339, e.g. 2026-12-01T16:00:00Z); default now. For
    /// operators replaying a day and for tests: time is never slept through.
    #[arg(long)]
    pub now: Option<String>,
}

/// `import`'s settings.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Only say what would change.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub invite: InviteArgs,
    /// The CSV file (UTF-8).
    pub file: PathBuf,
}

/// `--invite` on `user add` and `import`.
#[derive(Debug, Args)]
pub struct InviteArgs {
    /// E-mail an invitation: a one-time link to set a password, valid 7 days (for `import`, to
    /// every new student, who also gets an account). Needs --public-url and, for `import`,
    /// --smtp-url; without a mail server `user add` prints the link once, to hand over.
    #[arg(long)]
    pub invite: bool,
    #[command(flatten)]
    pub invitation: InvitationArgs,
}

impl InviteArgs {
    /// The deployment's settings an invitation needs, when `--invite` is given.
    pub fn settings(&self) -> Result<Option<coop_store::settings::AuthSettings>, ConfigError> {
        self.invite.then(|| self.invitation.settings()).transpose()
    }
}

/// Invitations from the command line: the e-mail's link points at the public URL, and says to
/// set a password or, with single sign-on only, to sign in with the institution's account (the
/// same settings as `serve`, so the same environment serves both).
#[derive(Debug, Args)]
pub struct InvitationArgs {
    /// The URL people reach the app at (e.g. https://coop.example.ca): the link's start.
    #[arg(long, env = "COOP_PUBLIC_URL")]
    pub public_url: Option<String>,
    #[command(flatten)]
    pub mail: MailArgs,
    #[command(flatten)]
    pub sso: SsoArgs,
}

impl InvitationArgs {
    /// The deployment's settings an invitation needs.
    pub fn settings(&self) -> Result<coop_store::settings::AuthSettings, ConfigError> {
        let url = self.public_url.as_deref().ok_or_else(|| ConfigError {
            setting: "--public-url / COOP_PUBLIC_URL",
            problem: "an invitation needs the URL the app is reached at, for its link".to_owned(),
        })?;
        let mut settings = coop_store::settings::AuthSettings::new(
            &origin_of(&checked_public_url(url)?),
            coop_store::service::sessions::SessionPolicy::default(),
        );
        settings.password_sign_in = self.sso.password_sign_in == OnOff::On;
        settings.sso = self.sso.config()?.map(|sso| {
            std::sync::Arc::new(coop_store::settings::SsoPublic::new(
                &sso.name,
                &sso.client_id,
            ))
        });
        Ok(settings)
    }
}

/// `coop-permits user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user. The password is read from standard input (first line) when it is piped;
    /// otherwise one is generated and printed once.
    Add(UserAddArgs),
    /// Disable a user: they cannot sign in, and their sessions and tokens end at once.
    Disable(UserEmailArgs),
    /// Set a new password (read from standard input, or generated and printed once); the
    /// user's sessions end.
    ResetPassword(UserEmailArgs),
    /// Send a user an invitation (again): a new one-time link to set a password, valid 7 days.
    Invite(UserInviteArgs),
}

/// `user invite`'s settings.
#[derive(Debug, Args)]
pub struct UserInviteArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The user's e-mail address.
    #[arg(long)]
    pub email: String,
    #[command(flatten)]
    pub invitation: InvitationArgs,
}

/// `user add`'s settings.
#[derive(Debug, Args)]
pub struct UserAddArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The e-mail address they sign in with.
    #[arg(long)]
    pub email: String,
    /// student, staff or admin.
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// Their name (default: the part of the e-mail before @).
    #[arg(long)]
    pub name: Option<String>,
    /// A student's number (required for students): their existing record is linked, or a new
    /// one is created.
    #[arg(long)]
    pub student_number: Option<String>,
    #[command(flatten)]
    pub invite: InviteArgs,
}

/// A command about one user.
#[derive(Debug, Args)]
pub struct UserEmailArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The user's e-mail address.
    #[arg(long)]
    pub email: String,
}

/// A role on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Sees only their own records.
    Student,
    /// Co-op office staff: all students, decisions.
    Staff,
    /// Staff who also manage users and API tokens.
    Admin,
}

/// `coop-permits token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token for a staff or admin user; it is printed once and stored only hashed.
    Create(TokenCreateArgs),
    /// Revoke a token by its id.
    Revoke(TokenRevokeArgs),
}

/// `token create`'s settings.
#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The staff or admin user the token acts as.
    #[arg(long)]
    pub email: String,
    /// What it is for (e.g. "career portal").
    #[arg(long, default_value = "integration")]
    pub name: String,
    /// Days until it expires (at most 366).
    #[arg(long, default_value_t = coop_store::service::tokens::DEFAULT_DAYS, value_parser = clap::value_parser!(u32).range(1..=366))]
    pub days: u32,
}

/// `token revoke`'s settings.
#[derive(Debug, Args)]
pub struct TokenRevokeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The token's id (printed by `token create`).
    #[arg(long)]
    pub id: i64,
}

/// `demo`'s settings.
#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Also make sure this many generated students exist (numbered from 300000000, without
    /// accounts, for load tests and simulations; at most 1000000).
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    pub students: Option<u64>,
}

impl UserCommand {
    /// The database the command works on.
    pub fn database(&self) -> &DatabaseArgs {
        match self {
            UserCommand::Add(args) => &args.database,
            UserCommand::Disable(args) | UserCommand::ResetPassword(args) => &args.database,
            UserCommand::Invite(args) => &args.database,
        }
    }
}

impl TokenCommand {
    /// The database the command works on.
    pub fn database(&self) -> &DatabaseArgs {
        match self {
            TokenCommand::Create(args) => &args.database,
            TokenCommand::Revoke(args) => &args.database,
        }
    }
}
