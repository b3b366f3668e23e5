//! What every router test shares.

use coop_store::service::sessions::SessionPolicy;
use coop_store::settings::AuthSettings;

/// The origin the tests' requests come from.
pub const ORIGIN: &str = "http://coop.test";

/// Sessions as configured for a plain-http deployment at [`ORIGIN`].
pub fn auth_settings() -> AuthSettings {
    AuthSettings::new(ORIGIN, SessionPolicy::default())
}

/// The institution the letter states in tests.
pub fn institution() -> coop_store::service::letters::Institution {
    coop_store::service::letters::Institution {
        name: "Example Polytechnic University".to_owned(),
        address: vec![
            "12666 72 Avenue".to_owned(),
            "Surrey, BC V3W 2M8".to_owned(),
        ],
        dli_number: "O19319227452".to_owned(),
        signatory_name: "Pat Advisor".to_owned(),
        signatory_title: "Manager, Co-operative Education".to_owned(),
    }
}
