//! A real institution signs in (issue 18):
//! - `account_links`: one-time links e-mailed to a person — an invitation to set a first password
//!   (7 days) or a password reset (1 hour) — kept only as the SHA-256 of their token, each used
//!   once;
//! - `sso_logins`: a single sign-on under way (OpenID Connect), between the redirect to the
//!   institution's provider and its callback, on whichever instance the callback reaches: the
//!   `state` (hashed), the `nonce` and the PKCE verifier, each used once;
//! - `sessions.id_token`: the provider's ID token of a session opened by single sign-on, so
//!   signing out can end the provider's session too;
//! - `users.signed_in_at`: when the user last signed in (an invitation is accepted once they
//!   have).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AccountLinks {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    SentTo,
}

#[derive(DeriveIden)]
enum SsoLogins {
    Table,
    Id,
    StateHash,
    Nonce,
    PkceVerifier,
    Next,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    IdToken,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    SignedInAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountLinks::Table)
                    .col(big_pk_auto(AccountLinks::Id))
                    .col(big_integer(AccountLinks::UserId))
                    .col(string(AccountLinks::Purpose))
                    .col(string_uniq(AccountLinks::TokenHash))
                    .col(timestamp_with_time_zone(AccountLinks::CreatedAt))
                    .col(timestamp_with_time_zone(AccountLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AccountLinks::UsedAt))
                    .col(string_null(AccountLinks::SentTo))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccountLinks::Table, AccountLinks::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_account_links_user")
                    .table(AccountLinks::Table)
                    .col(AccountLinks::UserId)
                    .col(AccountLinks::Purpose)
                    .col(AccountLinks::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SsoLogins::Table)
                    .col(big_pk_auto(SsoLogins::Id))
                    .col(string_uniq(SsoLogins::StateHash))
                    .col(string(SsoLogins::Nonce))
                    .col(string(SsoLogins::PkceVerifier))
                    .col(string_null(SsoLogins::Next))
                    .col(timestamp_with_time_zone(SsoLogins::CreatedAt))
                    .col(timestamp_with_time_zone_null(SsoLogins::UsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(text_null(Sessions::IdToken))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Users::SignedInAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::SignedInAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .drop_column(Sessions::IdToken)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(SsoLogins::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AccountLinks::Table).to_owned())
            .await
    }
}
