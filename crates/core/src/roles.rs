//! Who a signed-in person is to the office (api.md "Roles"): a student sees and changes only
//! their own records; staff read every student and decide requests and documents; an admin is
//! staff who also manages users and API tokens.

use serde::{Deserialize, Serialize};

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(
        value_type = "String",
        from_str = "crate::codes::parse",
        to_str = "crate::codes::text"
    )
)]
pub enum Role {
    /// Sees and changes only their own records.
    Student,
    /// Reads all students; decides requests and documents.
    Staff,
    /// Staff, and also manages users and API tokens.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 3] = [Role::Student, Role::Staff, Role::Admin];

    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            Role::Student => "student",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    /// A role from its code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Staff or admin: reads every student's records.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Staff | Role::Admin)
    }
}
