//! A single sign-on under way: created when the browser is sent to the institution's provider,
//! used once by the callback that brings it back (on any instance).

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sso_logins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Hex SHA-256 of the `state` sent to the provider.
    #[sea_orm(unique)]
    pub state_hash: String,
    /// The ID token must carry it back.
    pub nonce: String,
    /// PKCE's code verifier.
    pub pkce_verifier: String,
    /// Where to go after signing in (a path on this site).
    pub next: Option<String>,
    pub created_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
}

// By hand: the verifier and nonce never reach a log line.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoLogin")
            .field("id", &self.id)
            .field("next", &self.next)
            .field("used", &self.used_at.is_some())
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
