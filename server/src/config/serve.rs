//! `serve`'s settings: where it listens and is reached, sessions, the privacy contact, the
//! institution on the letter, the file key, mail and the site folder.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use super::shared::{ConfigError, DatabaseArgs, MailArgs};

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
    #[arg(long, env = "COOP_SIGN_IN_FAILURES_PER_CLIENT", default_value_t = coop_store::settings::CLIENT_FAILURES, value_parser = clap::value_parser!(u32).range(1..=100_000))]
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
    /// E-mail for reminders, invitations and password resets.
    #[command(flatten)]
    pub mail: MailArgs,
    /// Single sign-on through the institution's OpenID provider.
    #[command(flatten)]
    pub sso: super::sso::SsoArgs,
    /// Minutes between two passes of the reminder job (R1, R2).
    #[arg(long, env = "COOP_REMINDER_INTERVAL_MINUTES", default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub reminder_interval_minutes: u32,
    /// The site folder built by cargo-leptos (pages' JavaScript, WebAssembly, CSS, icons).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
}

impl ServeArgs {
    /// The public URL, checked.
    pub fn public_url(&self) -> Result<String, ConfigError> {
        super::shared::checked_public_url(
            &self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", self.listen)),
        )
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
    pub fn auth(&self) -> Result<coop_store::settings::AuthSettings, ConfigError> {
        let origin = super::shared::origin_of(&self.public_url()?);
        let policy = coop_store::service::sessions::SessionPolicy {
            idle: chrono::Duration::minutes(i64::from(self.session_idle_minutes)),
            absolute: chrono::Duration::hours(i64::from(self.session_hours)),
        };
        let mut auth = coop_store::settings::AuthSettings::new(&origin, policy);
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
        auth.client_limit =
            std::sync::Arc::new(coop_store::service::client_limit::ClientLimit::new(
                self.sign_in_failures_per_client,
                coop_store::settings::CLIENT_WINDOW,
            ));
        auth.password_sign_in = self.sso.password_sign_in == super::sso::OnOff::On;
        auth.sso = self.sso.config()?.map(|sso| {
            std::sync::Arc::new(coop_store::settings::SsoPublic::new(
                &sso.name,
                &sso.client_id,
            ))
        });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Cli, Command};
    use clap::Parser;

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
    use crate::config::{Cli, Command};
    use clap::Parser;

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
