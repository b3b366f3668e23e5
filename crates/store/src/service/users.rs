//! Users: created (a student's with their student record), disabled, given a new password; each
//! change audited in its transaction. Password hashes never leave this module's callers' hands
//! except as `user::Model`, whose Debug hides them.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::ServiceError;
use super::access::{CurrentUser, Role};
use super::audit::{self, Actor, Change};
use super::passwords::{self, Password};
use super::snapshots;
use super::{sessions, students};
use crate::entity::{api_token, user};

/// A user to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Required for a student: an existing record with this number is linked, otherwise one is
    /// created (program facts empty until staff set them).
    pub student_number: Option<String>,
}

/// An e-mail address trimmed and lower-cased, or why it cannot be one.
pub fn normalize_email(text: &str) -> Result<String, ServiceError> {
    let email = text.trim().to_lowercase();
    let invalid = |message: &str| ServiceError::Invalid {
        field: "email",
        message: message.to_owned(),
    };
    if email.is_empty() {
        return Err(invalid("an e-mail address is required"));
    }
    if email.len() > 254 || email.chars().any(char::is_whitespace) {
        return Err(invalid("not an e-mail address"));
    }
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && domain.contains('.') && !domain.contains('@') =>
        {
            Ok(email)
        }
        _ => Err(invalid("expected an address such as name@example.ca")),
    }
}

/// The request-side view of a stored user (None when disabled).
pub fn current_user(model: &user::Model) -> Option<CurrentUser> {
    if model.disabled_at.is_some() {
        return None;
    }
    Some(CurrentUser {
        id: model.id,
        email: model.email.clone(),
        name: model.name.clone(),
        role: model.role,
        student_id: model.student_id,
    })
}

fn snapshot(model: &user::Model) -> serde_json::Value {
    snapshots::json(&snapshots::User {
        email: &model.email,
        name: &model.name,
        role: model.role,
        student_id: model.student_id,
        disabled: model.disabled_at.is_some(),
    })
}

/// Creates a user (and a student's record) with `password`, checked against the policy;
/// without one the account cannot sign in until a password is set.
pub async fn create(
    db: &DatabaseConnection,
    new: NewUser,
    password: Option<&Password>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<user::Model, ServiceError> {
    let email = normalize_email(&new.email)?;
    let name = coop_core::text_limits::PERSON_NAME
        .check(&new.name)?
        .unwrap_or_default();
    let password_hash = match password {
        Some(password) => {
            passwords::check_new(password, &[&email, &name]).map_err(|p| {
                ServiceError::Invalid {
                    field: "password",
                    message: p.to_string(),
                }
            })?;
            Some(passwords::hash(password)?)
        }
        None => None,
    };
    let number = new.student_number.map(|n| n.trim().to_owned());
    if new.role == Role::Student && number.as_deref().is_none_or(str::is_empty) {
        return Err(ServiceError::Invalid {
            field: "student_number",
            message: "a student needs their student number".to_owned(),
        });
    }
    crate::remembered::accounts_changed();
    let txn = crate::begin_write(db).await?;
    if find_by_email(&txn, &email).await?.is_some() {
        return Err(ServiceError::Conflict { field: "email" });
    }
    let student_id = match (new.role, number) {
        (Role::Student, Some(number)) => {
            Some(student_for(&txn, &number, &email, &name, actor, now).await?)
        }
        _ => None,
    };
    let model = user::ActiveModel {
        id: NotSet,
        email: Set(email),
        name: Set(name),
        role: Set(new.role),
        password_hash: Set(password_hash),
        student_id: Set(student_id),
        disabled_at: Set(None),
        signed_in_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "user.create",
            subject: format!("user:{}", model.id),
            before: None,
            after: Some(snapshot(&model)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// The student record with this number (which no other user may hold), or a new one.
async fn student_for(
    txn: &sea_orm::DatabaseTransaction,
    number: &str,
    email: &str,
    name: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i64, ServiceError> {
    let existing = students::find_by_number(txn, number).await?;
    if let Some(existing) = existing {
        let taken = user::Entity::find()
            .filter(user::Column::StudentId.eq(existing.id))
            .one(txn)
            .await?;
        if taken.is_some() {
            return Err(ServiceError::Conflict {
                field: "student_number",
            });
        }
        return Ok(existing.id);
    }
    let record = students::create_within(
        txn,
        students::NewStudent::enrolled(number, email, name),
        actor,
        now,
    )
    .await?;
    Ok(record.id)
}

/// A user by e-mail (normalized by the caller).
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await
}

/// A user by id.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<user::Model, ServiceError> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Every user, by e-mail.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<user::Model>, ServiceError> {
    Ok(user::Entity::find()
        .order_by_asc(user::Column::Email)
        .all(db)
        .await?)
}

async fn by_email_or_404(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<user::Model, ServiceError> {
    let email = normalize_email(email)?;
    find_by_email(db, &email)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Disables a user: their sessions and API tokens are revoked at once. The last enabled admin
/// stays enabled.
pub async fn disable(
    db: &DatabaseConnection,
    email: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<user::Model, ServiceError> {
    crate::remembered::accounts_changed();
    let txn = crate::begin_write(db).await?;
    let before = by_email_or_404(&txn, email).await?;
    keep_an_admin(&txn, &before).await?;
    let mut active = before.clone().into_active_model();
    active.disabled_at = Set(Some(before.disabled_at.unwrap_or(now)));
    active.updated_at = Set(now);
    let after = active.update(&txn).await?;
    sessions::revoke_all(&txn, after.id, now).await?;
    api_token::Entity::update_many()
        .col_expr(
            api_token::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(api_token::Column::UserId.eq(after.id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "user.disable",
            subject: format!("user:{}", after.id),
            before: Some(snapshot(&before)),
            after: Some(snapshot(&after)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Gives a user a new password (checked against the policy); their sessions are revoked.
pub async fn set_password(
    db: &DatabaseConnection,
    email: &str,
    password: &Password,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<user::Model, ServiceError> {
    crate::remembered::accounts_changed();
    let txn = crate::begin_write(db).await?;
    let before = by_email_or_404(&txn, email).await?;
    passwords::check_new(password, &[&before.email, &before.name]).map_err(|p| {
        ServiceError::Invalid {
            field: "password",
            message: p.to_string(),
        }
    })?;
    let mut active = before.clone().into_active_model();
    active.password_hash = Set(Some(passwords::hash(password)?));
    active.updated_at = Set(now);
    let after = active.update(&txn).await?;
    sessions::revoke_all(&txn, after.id, now).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "user.password_reset",
            subject: format!("user:{}", after.id),
            // Never the hash: only that it changed.
            before: None,
            after: Some(snapshots::json(&snapshots::PasswordChanged {
                password: "changed",
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// A page (from 0) of users whose e-mail or name contains `query` (case-insensitively), by
/// e-mail; and how many match.
pub async fn search(
    db: &impl ConnectionTrait,
    query: &str,
    page: u64,
    per_page: u64,
) -> Result<(Vec<user::Model>, u64), ServiceError> {
    use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
    use sea_orm::{Condition, PaginatorTrait};
    super::paging::offset(page, per_page)?;
    let mut select = user::Entity::find();
    let query = query.trim().to_lowercase();
    if !query.is_empty() {
        let pattern = format!(
            "%{}%",
            query
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let like = |column: user::Column| {
            Expr::expr(Func::lower(Expr::col(column)))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
        };
        select = select.filter(
            Condition::any()
                .add(like(user::Column::Email))
                .add(like(user::Column::Name)),
        );
    }
    let paginator = select
        .order_by_asc(user::Column::Email)
        .order_by_asc(user::Column::Id)
        .paginate(db, Ord::max(per_page, 1));
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page).await?;
    Ok((items, total))
}

/// Refuses a change that would leave no enabled admin (nobody could manage users any more).
async fn keep_an_admin(
    txn: &impl ConnectionTrait,
    leaving: &user::Model,
) -> Result<(), ServiceError> {
    use sea_orm::PaginatorTrait;
    if leaving.role != Role::Admin || leaving.disabled_at.is_some() {
        return Ok(());
    }
    let admins = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin))
        .filter(user::Column::DisabledAt.is_null())
        .count(txn)
        .await?;
    if admins <= 1 {
        return Err(ServiceError::State(
            "This is the only enabled admin: make another user an admin first.".to_owned(),
        ));
    }
    Ok(())
}

/// An admin changes a user's role between staff and admin (a student's account stays a
/// student's: it holds their record).
pub async fn set_role(
    db: &DatabaseConnection,
    id: i64,
    role: Role,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<user::Model, ServiceError> {
    crate::remembered::accounts_changed();
    let txn = crate::begin_write(db).await?;
    let before = get(&txn, id).await?;
    if before.role == role {
        return Ok(before);
    }
    if before.role == Role::Student || role == Role::Student {
        return Err(ServiceError::Invalid {
            field: "role",
            message: "a student's account stays a student's, and staff cannot become students: choose staff or admin for a staff account".to_owned(),
        });
    }
    keep_an_admin(&txn, &before).await?;
    let mut active = before.clone().into_active_model();
    active.role = Set(role);
    active.updated_at = Set(now);
    let after = active.update(&txn).await?;
    // What the user's sessions may do changed: they sign in again.
    sessions::revoke_all(&txn, after.id, now).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "user.role",
            subject: format!("user:{}", after.id),
            before: Some(snapshot(&before)),
            after: Some(snapshot(&after)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Disables (`disabled` true: their sessions and API tokens revoked at once) or enables a user
/// by id. An admin cannot disable themself, nor the last enabled admin.
pub async fn set_disabled(
    db: &DatabaseConnection,
    id: i64,
    disabled: bool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<user::Model, ServiceError> {
    if disabled && *actor == Actor::User(id) {
        return Err(ServiceError::State(
            "You cannot disable your own account.".to_owned(),
        ));
    }
    if disabled {
        let email = get(db, id).await?.email;
        return disable(db, &email, actor, now).await;
    }
    crate::remembered::accounts_changed();
    let txn = crate::begin_write(db).await?;
    let before = get(&txn, id).await?;
    if before.disabled_at.is_none() {
        return Ok(before);
    }
    let mut active = before.clone().into_active_model();
    active.disabled_at = Set(None);
    active.updated_at = Set(now);
    let after = active.update(&txn).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "user.enable",
            subject: format!("user:{}", after.id),
            before: Some(snapshot(&before)),
            after: Some(snapshot(&after)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}
