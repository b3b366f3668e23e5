//! A person who signs in: a student (linked to their student record), staff or an admin. The
//! password hash is argon2id's PHC string; the model is never serialized or logged whole.

use coop_core::roles::Role;
use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Lower-case.
    #[sea_orm(unique)]
    pub email: String,
    pub name: String,
    pub role: Role,
    /// None until a password is set (an account used only through API tokens).
    pub password_hash: Option<String>,
    #[sea_orm(unique)]
    pub student_id: Option<i64>,
    pub disabled_at: Option<DateTimeUtc>,
    /// The last sign-in, by password or single sign-on.
    pub signed_in_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

// By hand, so a hash can never reach a log line through `{:?}`.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("student_id", &self.student_id)
            .field("disabled", &self.disabled_at.is_some())
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
