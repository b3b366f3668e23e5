//! A one-time link e-mailed to a person: an invitation to set a first password, or a password
//! reset. Only the SHA-256 of its token is kept; it is used once, before it expires.

use sea_orm::entity::prelude::*;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum Purpose {
    /// A new account's first password (7 days).
    #[sea_orm(string_value = "invitation")]
    Invitation,
    /// A forgotten password (1 hour).
    #[sea_orm(string_value = "password_reset")]
    PasswordReset,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub purpose: Purpose,
    /// Hex SHA-256 of the token the link carries.
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    /// The address it was e-mailed to (none when handed over by an admin instead).
    pub sent_to: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
