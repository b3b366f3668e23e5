//! Single sign-on's settings (OpenID Connect): the institution's provider, this app's client
//! registration there, the button's label, which claims name the account, and whether password
//! sign-in stays on beside it.

use clap::{Args, ValueEnum};

use super::shared::ConfigError;

/// Single sign-on through the institution's OpenID provider.
#[derive(Debug, Clone, Args)]
pub struct SsoArgs {
    /// The provider's issuer URL (its discovery document is <issuer>/.well-known/openid-configuration),
    /// e.g. https://login.microsoftonline.com/<tenant>/v2.0. Register the redirect URI
    /// <public-url>/auth/oidc/callback with the provider.
    #[arg(long, env = "COOP_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// This app's client id at the provider.
    #[arg(long, env = "COOP_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// This app's client secret at the provider.
    #[arg(long, env = "COOP_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
    /// The sign-in button's label: "Sign in with <name>", e.g. "KPU account".
    #[arg(
        long,
        env = "COOP_OIDC_NAME",
        default_value = "your institution's account"
    )]
    pub oidc_name: String,
    /// The ID token's claim holding the person's e-mail address (`email`; Entra ID often
    /// `preferred_username` or `upn`).
    #[arg(long, env = "COOP_OIDC_EMAIL_CLAIM", default_value = "email")]
    pub oidc_email_claim: String,
    /// The ID token's claim holding a student's student number, when the provider releases one
    /// (matched when the e-mail matches no account).
    #[arg(long, env = "COOP_OIDC_STUDENT_NUMBER_CLAIM")]
    pub oidc_student_number_claim: Option<String>,
    /// Password sign-in: `on`, or `off` for single sign-on only (needs the provider).
    #[arg(long, env = "COOP_PASSWORD_SIGN_IN", value_enum, default_value_t = OnOff::On)]
    pub password_sign_in: OnOff,
}

/// A setting that is on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

/// Single sign-on as configured: everything the server needs to talk to the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub name: String,
    pub email_claim: String,
    pub student_number_claim: Option<String>,
}

impl SsoArgs {
    /// The configured single sign-on, `None` without an issuer; an error naming the setting for
    /// an incomplete one, or for passwords off without a provider.
    pub fn config(&self) -> Result<Option<SsoConfig>, ConfigError> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let Some(issuer) = given(&self.oidc_issuer) else {
            if self.password_sign_in == OnOff::Off {
                return Err(ConfigError {
                    setting: "--password-sign-in / COOP_PASSWORD_SIGN_IN",
                    problem: "off needs single sign-on: set --oidc-issuer, --oidc-client-id and --oidc-client-secret".to_owned(),
                });
            }
            return Ok(None);
        };
        if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
            return Err(ConfigError {
                setting: "--oidc-issuer / COOP_OIDC_ISSUER",
                problem: format!("{issuer:?} must be an http(s) URL"),
            });
        }
        let client_id = given(&self.oidc_client_id).ok_or(ConfigError {
            setting: "--oidc-client-id / COOP_OIDC_CLIENT_ID",
            problem: "single sign-on needs the client id this app is registered with".to_owned(),
        })?;
        let name = self.oidc_name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(ConfigError {
                setting: "--oidc-name / COOP_OIDC_NAME",
                problem: "give a short label for the button (1 to 60 characters)".to_owned(),
            });
        }
        Ok(Some(SsoConfig {
            issuer: issuer.trim_end_matches('/').to_owned(),
            client_id,
            client_secret: given(&self.oidc_client_secret),
            name: name.to_owned(),
            email_claim: self.oidc_email_claim.trim().to_owned(),
            student_number_claim: given(&self.oidc_student_number_claim),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Cli, Command};
    use clap::Parser;

    fn sso(args: &[&str]) -> SsoArgs {
        let cli = Cli::try_parse_from(["coop-permits", "serve"].iter().chain(args)).unwrap();
        match cli.command {
            Command::Serve(args) => args.sso,
            _ => panic!("serve expected"),
        }
    }

    #[test]
    fn single_sign_on_is_off_until_an_issuer_is_given() {
        assert_eq!(sso(&[]).config(), Ok(None));
        let on = sso(&[
            "--oidc-issuer",
            "https://login.example.ca/",
            "--oidc-client-id",
            "coop",
            "--oidc-name",
            "KPU account",
        ])
        .config()
        .unwrap()
        .unwrap();
        assert_eq!(on.issuer, "https://login.example.ca");
        assert_eq!(on.email_claim, "email");
    }

    #[test]
    fn incomplete_settings_name_what_is_missing() {
        let no_client = sso(&["--oidc-issuer", "https://login.example.ca"]).config();
        assert!(no_client.unwrap_err().setting.contains("client-id"));
        let passwords_off = sso(&["--password-sign-in", "off"]).config();
        assert!(
            passwords_off
                .unwrap_err()
                .setting
                .contains("password-sign-in")
        );
    }
}
