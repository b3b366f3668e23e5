//! Single sign-on with the institution's OpenID provider: the authorization code flow with
//! PKCE, `state` and `nonce`; the provider found by discovery; the ID token checked — signature
//! against the provider's keys (JWKS), issuer, audience, expiry and nonce — by the
//! `openidconnect` crate. Which account it names is the store's (`service::sso`).
//!
//! The provider's metadata and keys are fetched when first needed and kept for an hour (again
//! at once when a token's signature does not check, in case the keys rotated). HTTP never
//! follows redirects (server-side request forgery).

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, ProviderMetadataWithLogout, RedirectUrl, Scope, TokenResponse,
};
use tokio::sync::RwLock;

use crate::config::SsoConfig;
use coop_store::service::sso::Identity;
use coop_store::settings::SsoPublic;

/// How long the provider's metadata and keys are kept.
const METADATA_TTL: Duration = Duration::from_secs(60 * 60);

/// Why single sign-on could not go on.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// The provider could not be reached or answered something unreadable.
    #[error("the sign-in service could not be reached: {0}")]
    Provider(String),
    /// The provider's answer did not check (token, signature, nonce …).
    #[error("the sign-in could not be verified: {0}")]
    Unverified(String),
}

/// A sign-on started: where to send the browser, and what to remember until the callback.
#[derive(Debug)]
pub struct Started {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// What a verified callback says.
#[derive(Debug)]
pub struct Verified {
    pub identity: Identity,
    /// The ID token as received (the hint for signing out at the provider).
    pub id_token: String,
}

/// The provider as discovered.
struct Discovered {
    metadata: ProviderMetadataWithLogout,
    at: Instant,
}

/// This app as an OpenID client of the institution's provider.
pub struct Sso {
    config: SsoConfig,
    redirect: RedirectUrl,
    http: openidconnect::reqwest::Client,
    discovered: RwLock<Option<Discovered>>,
    public: Arc<SsoPublic>,
}

impl std::fmt::Debug for Sso {
    // The client secret never reaches a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sso")
            .field("issuer", &self.config.issuer)
            .field("client_id", &self.config.client_id)
            .field("redirect", &self.redirect.as_str())
            .finish_non_exhaustive()
    }
}

impl Sso {
    /// The client for `config`, its callback under `public_url`; `public` is what the app's
    /// pages read of it (the provider's sign-out address is recorded there once discovered).
    pub fn new(config: SsoConfig, public_url: &str, public: Arc<SsoPublic>) -> anyhow::Result<Sso> {
        let redirect = RedirectUrl::new(format!("{public_url}/auth/oidc/callback"))?;
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(15))
            .build()?;
        Ok(Sso {
            config,
            redirect,
            http,
            discovered: RwLock::new(None),
            public,
        })
    }

    /// The button's label.
    pub fn name(&self) -> &str {
        &self.config.name
    }

    /// The provider's metadata and keys: kept for an hour, fetched again when `fresh`.
    async fn metadata(&self, fresh: bool) -> Result<ProviderMetadataWithLogout, SsoError> {
        if !fresh
            && let Some(d) = self.discovered.read().await.as_ref()
            && d.at.elapsed() < METADATA_TTL
        {
            return Ok(d.metadata.clone());
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone())
            .map_err(|e| SsoError::Provider(e.to_string()))?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| SsoError::Provider(error_chain(&e)))?;
        self.public.set_end_session(
            metadata
                .additional_metadata()
                .end_session_endpoint
                .as_ref()
                .map(|url| url.to_string()),
        );
        *self.discovered.write().await = Some(Discovered {
            metadata: metadata.clone(),
            at: Instant::now(),
        });
        Ok(metadata)
    }

    /// Discovers the provider now (at start), so its sign-out address is known before anyone
    /// signs in; a provider that does not answer yet is tried again at the first sign-in.
    pub async fn warm_up(&self) {
        if let Err(e) = self.metadata(true).await {
            tracing::warn!(issuer = %self.config.issuer, error = %e, "single sign-on: the provider did not answer at start; it is asked again at the first sign-in");
        }
    }

    fn client(
        &self,
        metadata: ProviderMetadataWithLogout,
    ) -> openidconnect::core::CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    > {
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            self.config.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// Starts a sign-on: the provider's authorization URL with a new `state`, `nonce` and PKCE
    /// challenge.
    pub async fn start(&self) -> Result<Started, SsoError> {
        let client = self.client(self.metadata(false).await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".to_owned()))
            .add_scope(Scope::new("profile".to_owned()))
            .set_pkce_challenge(challenge);
        if self.config.student_number_claim.is_some() {
            // A provider that releases the student number behind a scope of its own does so for
            // the `student` scope; one that does not know it ignores it.
            request = request.add_scope(Scope::new("student".to_owned()));
        }
        let (url, state, nonce) = request.url();
        Ok(Started {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Finishes a sign-on: the code exchanged (with the PKCE verifier) for tokens, the ID token
    /// verified, and who it names read from its claims.
    pub async fn finish(
        &self,
        code: &str,
        nonce: &str,
        pkce_verifier: &str,
    ) -> Result<Verified, SsoError> {
        let metadata = self.metadata(false).await?;
        let client = self.client(metadata);
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| SsoError::Provider(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|e| SsoError::Unverified(error_chain(&e)))?;
        let id_token = tokens
            .id_token()
            .ok_or_else(|| SsoError::Unverified("the provider sent no ID token".to_owned()))?
            .clone();
        let nonce = Nonce::new(nonce.to_owned());
        let checked = id_token
            .claims(&client.id_token_verifier(), &nonce)
            .map(|_| ());
        if let Err(first) = checked {
            // The provider may have rotated its keys since they were fetched: once more with
            // fresh ones.
            let client = self.client(self.metadata(true).await?);
            id_token
                .claims(&client.id_token_verifier(), &nonce)
                .map_err(|_| SsoError::Unverified(error_chain(&first)))?;
        }
        let raw = id_token.to_string();
        let claims = payload(&raw)?;
        let text = |name: &str| match claims.get(name) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let email_verified = match claims.get("email_verified") {
            Some(serde_json::Value::Bool(b)) => Some(*b),
            Some(serde_json::Value::String(s)) => Some(s.eq_ignore_ascii_case("true")),
            _ => None,
        };
        Ok(Verified {
            identity: Identity {
                email: text(&self.config.email_claim),
                email_verified,
                student_number: self.config.student_number_claim.as_deref().and_then(text),
            },
            id_token: raw,
        })
    }
}

/// The claims of an ID token the `openidconnect` crate has already verified: its payload,
/// read for the claims the deployment names (e-mail, student number), whatever they are called.
fn payload(id_token: &str) -> Result<serde_json::Map<String, serde_json::Value>, SsoError> {
    let part = id_token
        .split('.')
        .nth(1)
        .ok_or_else(|| SsoError::Unverified("the ID token is not a JWT".to_owned()))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| SsoError::Unverified(format!("the ID token's payload: {e}")))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| SsoError::Unverified(format!("the ID token's payload: {e}")))
}

/// An error with its causes, for the log.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
