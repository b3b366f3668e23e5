//! Typed configuration: flags with `COOP_*` environment fallbacks, read once at start; a bad
//! value stops the program with a message that names the setting.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

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

/// `coop-permits retention …`.
#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// One run of the retention job, the same code the server runs daily: remove uploaded files
    /// F2 no longer requires (a year after the last decision that used them) and ended sessions.
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

/// `import`'s settings.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Only say what would change.
    #[arg(long)]
    pub dry_run: bool,
    /// The CSV file (UTF-8).
    pub file: PathBuf,
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

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per event, for log collectors.
    Json,
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

/// `serve`'s settings.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The database.
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address and port to listen on.
    #[arg(long, env = "COOP_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,
    /// The URL people reach the app at (e.g. https://coop.example.ca); cookies are Secure when
    /// it is https. Default: http://<listen>.
    #[arg(long, env = "COOP_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Failed sign-ins one client address may make in 15 minutes (on top of the lockout of an
    /// account after 5). Behind a reverse proxy, set --client-ip-header so clients are told
    /// apart.
    #[arg(long, env = "COOP_SIGN_IN_FAILURES_PER_CLIENT", default_value_t = coop_app::account::server::CLIENT_FAILURES, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub sign_in_failures_per_client: u32,
    /// The header a trusted reverse proxy puts the client's address in (e.g. X-Forwarded-For;
    /// its last entry is taken, the one the proxy added). Without it, the connection's peer.
    #[arg(long, env = "COOP_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,
    /// Minutes without a request after which a session ends.
    #[arg(long, env = "COOP_SESSION_IDLE_MINUTES", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub session_idle_minutes: u32,
    /// Hours after sign-in at which a session ends, however active.
    #[arg(long, env = "COOP_SESSION_HOURS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=720))]
    pub session_hours: u32,
    /// The title of the person who answers questions about the collection of personal
    /// information (FIPPA s. 27(2)), shown in the collection notice.
    #[arg(long, env = "COOP_PRIVACY_CONTACT_TITLE")]
    pub privacy_contact_title: Option<String>,
    /// That person's business address.
    #[arg(long, env = "COOP_PRIVACY_CONTACT_ADDRESS")]
    pub privacy_contact_address: Option<String>,
    /// That person's business telephone number.
    #[arg(long, env = "COOP_PRIVACY_CONTACT_PHONE")]
    pub privacy_contact_phone: Option<String>,
    /// The institution's legal name, printed on the co-op letter (L). The letter can be issued
    /// only when all five institution settings are given.
    #[arg(long, env = "COOP_INSTITUTION_NAME")]
    pub institution_name: Option<String>,
    /// Its postal address for the letterhead; lines separated by `;`.
    #[arg(long, env = "COOP_INSTITUTION_ADDRESS")]
    pub institution_address: Option<String>,
    /// Its designated learning institution number from IRCC (e.g. O19319227452).
    #[arg(long, env = "COOP_DLI_NUMBER")]
    pub dli_number: Option<String>,
    /// Who signs the letter for the co-op office.
    #[arg(long, env = "COOP_LETTER_SIGNATORY_NAME")]
    pub letter_signatory_name: Option<String>,
    /// Their title, e.g. "Manager, Co-operative Education".
    #[arg(long, env = "COOP_LETTER_SIGNATORY_TITLE")]
    pub letter_signatory_title: Option<String>,
    /// The key uploaded files are encrypted with: 32 bytes in base64 (`openssl rand -base64 32`).
    /// Without it a key is generated once into <data-dir>/file-key (fine on a laptop; production
    /// supplies its own and keeps it apart from the data's backups). Files stay readable only
    /// with the key they were stored with; another key is refused at start.
    #[arg(long, env = "COOP_FILE_KEY", hide_env_values = true)]
    pub file_key: Option<String>,
    /// E-mail for reminders.
    #[command(flatten)]
    pub mail: MailArgs,
    /// Minutes between two passes of the reminder job (R1, R2).
    #[arg(long, env = "COOP_REMINDER_INTERVAL_MINUTES", default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub reminder_interval_minutes: u32,
    /// The site folder built by cargo-leptos (pages' JavaScript, WebAssembly, CSS, icons).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
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

impl ServeArgs {
    /// The public URL, checked.
    pub fn public_url(&self) -> Result<String, ConfigError> {
        let url = self
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen));
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
}

impl ServeArgs {
    /// The collection notice with the configured contact (placeholders for what is not set).
    pub fn privacy_notice(&self) -> coop_store::service::privacy::PrivacyNotice {
        use coop_store::service::privacy::{PrivacyContact, PrivacyNotice};
        let default = PrivacyContact::default();
        let given = |value: &Option<String>, fallback: String| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map_or(fallback, str::to_owned)
        };
        PrivacyNotice::new(PrivacyContact {
            title: given(&self.privacy_contact_title, default.title),
            address: given(&self.privacy_contact_address, default.address),
            phone: given(&self.privacy_contact_phone, default.phone),
        })
    }

    /// The institution as the letter states it: `Ok(None)` when none of its settings is given
    /// (letters cannot be issued yet), an error naming what is missing when only some are.
    pub fn institution(
        &self,
    ) -> Result<Option<coop_store::service::letters::Institution>, ConfigError> {
        let given = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let fields = [
            (
                "--institution-name / COOP_INSTITUTION_NAME",
                given(&self.institution_name),
            ),
            (
                "--institution-address / COOP_INSTITUTION_ADDRESS",
                given(&self.institution_address),
            ),
            ("--dli-number / COOP_DLI_NUMBER", given(&self.dli_number)),
            (
                "--letter-signatory-name / COOP_LETTER_SIGNATORY_NAME",
                given(&self.letter_signatory_name),
            ),
            (
                "--letter-signatory-title / COOP_LETTER_SIGNATORY_TITLE",
                given(&self.letter_signatory_title),
            ),
        ];
        let missing: Vec<&str> = fields
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(name, _)| *name)
            .collect();
        if missing.len() == fields.len() {
            return Ok(None);
        }
        let [name, address, dli, signatory, title] = fields.map(|(_, v)| v);
        match (name, address, dli, signatory, title) {
            (
                Some(name),
                Some(address),
                Some(dli_number),
                Some(signatory_name),
                Some(signatory_title),
            ) => Ok(Some(coop_store::service::letters::Institution {
                name,
                address: address
                    .split(';')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
                dli_number,
                signatory_name,
                signatory_title,
            })),
            _ => Err(ConfigError {
                setting: "institution",
                problem: format!(
                    "the letter needs all five institution settings; missing: {}",
                    missing.join(", ")
                ),
            }),
        }
    }

    /// Sessions and the CSRF origin, from the public URL and the session settings.
    pub fn auth(&self) -> Result<coop_app::account::server::AuthSettings, ConfigError> {
        let url = self.public_url()?;
        let (scheme, rest) = url.split_once("://").unwrap_or(("http", &url));
        let authority = rest.split('/').next().unwrap_or(rest).to_ascii_lowercase();
        let policy = coop_store::service::sessions::SessionPolicy {
            idle: chrono::Duration::minutes(i64::from(self.session_idle_minutes)),
            absolute: chrono::Duration::hours(i64::from(self.session_hours)),
        };
        let mut auth = coop_app::account::server::AuthSettings::new(
            &format!("{scheme}://{authority}"),
            policy,
        );
        // Without a public URL, a server on loopback is this machine's own: the names of
        // loopback reach it as well (a browser at localhost beside 127.0.0.1).
        if self.public_url.is_none() && self.listen.ip().is_loopback() {
            let port = self.listen.port();
            auth.aliases = ["127.0.0.1", "localhost", "[::1]"]
                .iter()
                .map(|host| format!("http://{host}:{port}"))
                .filter(|alias| *alias != auth.origin)
                .collect();
        }
        auth.client_limit = std::sync::Arc::new(coop_app::account::client_limit::ClientLimit::new(
            self.sign_in_failures_per_client,
            coop_app::account::server::CLIENT_WINDOW,
        ));
        auth.client_ip_header = match &self.client_ip_header {
            None => None,
            Some(name) => {
                Some(
                    http::HeaderName::try_from(name.trim()).map_err(|_| ConfigError {
                        setting: "--client-ip-header / COOP_CLIENT_IP_HEADER",
                        problem: format!("{name:?} is not a header name"),
                    })?,
                )
            }
        };
        Ok(auth)
    }
}

/// Whether a site folder holds a built app (its `pkg/` with the wasm).
pub fn site_is_built(site_root: &Path) -> bool {
    site_root.join("pkg").is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve(args: &[&str]) -> ServeArgs {
        let cli = Cli::try_parse_from(["coop-permits", "serve"].iter().chain(args)).unwrap();
        match cli.command {
            Command::Serve(args) => *args,
            _ => panic!("serve expected"),
        }
    }

    #[test]
    fn defaults() {
        let args = serve(&[]);
        assert_eq!(args.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(args.database.url(), "sqlite://./data/coop-permits.db");
        assert_eq!(args.public_url().unwrap(), "http://127.0.0.1:3000");
    }

    #[test]
    fn the_institution_is_all_or_nothing() {
        assert_eq!(serve(&[]).institution().ok(), Some(None));
        let partial = serve(&["--institution-name", "Example University"]).institution();
        assert!(partial.is_err_and(|e| e.problem.contains("--dli-number")));
        let full = serve(&[
            "--institution-name",
            "Example University",
            "--institution-address",
            "1 Main St; Surrey, BC V3W 2M8",
            "--dli-number",
            "O19319227452",
            "--letter-signatory-name",
            "Pat Advisor",
            "--letter-signatory-title",
            "Manager, Co-op",
        ])
        .institution()
        .unwrap()
        .unwrap();
        assert_eq!(full.address, ["1 Main St", "Surrey, BC V3W 2M8"]);
    }

    #[test]
    fn the_privacy_contact_comes_from_configuration() {
        assert!(serve(&[]).privacy_notice().is_placeholder());
        let notice = serve(&[
            "--privacy-contact-title",
            "Manager, Co-operative Education",
            "--privacy-contact-address",
            "1 University Way, Vancouver BC",
            "--privacy-contact-phone",
            " ",
        ])
        .privacy_notice();
        assert_eq!(notice.contact.title, "Manager, Co-operative Education");
        assert_eq!(notice.contact.address, "1 University Way, Vancouver BC");
        // A blank value is not a contact: the placeholder stays, so the warning does too.
        assert_eq!(
            notice.contact.phone,
            coop_store::service::privacy::PrivacyContact::default().phone
        );
        assert_ne!(notice.version(), serve(&[]).privacy_notice().version());
    }

    #[test]
    fn bad_values_name_their_setting() {
        assert!(Cli::try_parse_from(["coop-permits", "serve", "--listen", "nowhere"]).is_err());
        let err = serve(&["--public-url", "coop.example.ca"])
            .public_url()
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("--public-url / COOP_PUBLIC_URL")
        );
        assert_eq!(
            serve(&["--public-url", "https://coop.example.ca/"])
                .public_url()
                .unwrap(),
            "https://coop.example.ca"
        );
    }
}

#[cfg(test)]
mod auth_tests {
    use super::*;

    #[test]
    fn cookies_are_secure_behind_https() {
        let cli = Cli::try_parse_from([
            "coop-permits",
            "serve",
            "--public-url",
            "https://coop.example.ca/",
            "--session-idle-minutes",
            "30",
        ])
        .unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("serve expected")
        };
        let auth = args.auth().unwrap();
        assert!(auth.secure);
        assert_eq!(auth.origin, "https://coop.example.ca");
        assert_eq!(auth.policy.idle, chrono::Duration::minutes(30));
        let cookie = auth.session_cookie("t").unwrap();
        let cookie = cookie.to_str().unwrap();
        assert!(cookie.starts_with("__Host-coop_session=t;"));
        for part in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
        assert!(Cli::try_parse_from(["coop-permits", "serve", "--session-hours", "0"]).is_err());
    }
}

impl UserCommand {
    /// The database the command works on.
    pub fn database(&self) -> &DatabaseArgs {
        match self {
            UserCommand::Add(args) => &args.database,
            UserCommand::Disable(args) | UserCommand::ResetPassword(args) => &args.database,
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
