//! What every router test shares.

use coop_app::account::server::AuthSettings;
use coop_store::service::sessions::SessionPolicy;

/// The origin the tests' requests come from.
pub const ORIGIN: &str = "http://coop.test";

/// Sessions as configured for a plain-http deployment at [`ORIGIN`].
pub fn auth_settings() -> AuthSettings {
    AuthSettings {
        policy: SessionPolicy::default(),
        secure: false,
        origin: ORIGIN.to_owned(),
    }
}
