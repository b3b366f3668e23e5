//! Staff's list of students: the query (filters, sort) and one page of it, filtered, sorted and
//! paged by the database over the stored standings.
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::reasons::Reason;
use coop_core::regime::Regime;
use coop_core::status::DocumentState;
use sea_orm::DatabaseBackend;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use crate::entity::{student, student_standing};
use crate::remembered::{self, Remembered};
use crate::service::ServiceError;
use crate::service::standings;

/// How a list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// By name (then id).
    #[default]
    Name,
    /// By student number.
    Number,
    /// By the earliest expiry on file, soonest first (none last).
    Expiry,
}

impl Sort {
    /// The `sort` parameter's values.
    pub fn from_code(code: &str) -> Option<Sort> {
        match code {
            "name" => Some(Sort::Name),
            "number" => Some(Sort::Number),
            "expiry" => Some(Sort::Expiry),
            _ => None,
        }
    }
}

/// A staff list's filters; `None` (or empty) filters nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudentQuery {
    /// Part of a name, number or e-mail, any case.
    pub q: String,
    /// J.
    pub cleared: Option<bool>,
    /// Either document in this state.
    pub state: Option<DocumentState>,
    /// G3.
    pub regime: Option<Regime>,
    /// One of the J reasons (e.g. W2c `no_on_campus_work_condition`).
    pub reason: Option<Reason>,
    /// V2.
    pub extend_study_permit: Option<bool>,
    /// A document expiring from today (Vancouver) to this many days ahead.
    pub expiring_within_days: Option<u32>,
    /// W2f's facts on file: `Some(false)` finds the students whose program is not in the
    /// catalogue (W2f not decided for them).
    pub program_on_file: Option<bool>,
    pub sort: Sort,
}

/// A list's filters as text — the API's query parameters, the page's address; an empty value
/// is a filter not given.
#[derive(Debug, Clone, Copy, Default)]
pub struct FilterText<'a> {
    pub q: &'a str,
    /// `cleared` or `not_cleared`.
    pub job_access: &'a str,
    /// A `DocumentState` code.
    pub state: &'a str,
    /// A `Regime` code.
    pub regime: &'a str,
    /// A J reason code.
    pub reason: &'a str,
    /// `true` or `false`.
    pub extend_study_permit: &'a str,
    /// 0 to 3650.
    pub expiring_within_days: &'a str,
    /// `on_file` or `not_on_file`: the student's program in the catalogue.
    pub program: &'a str,
    /// `name`, `number` or `expiry`.
    pub sort: &'a str,
}

impl StudentQuery {
    /// The query the text names; a value that names nothing is refused with its field.
    pub fn parse(text: &FilterText<'_>) -> Result<StudentQuery, ServiceError> {
        fn given(value: &str) -> Option<&str> {
            Some(value.trim()).filter(|v| !v.is_empty())
        }
        fn bad(field: &'static str, message: String) -> ServiceError {
            ServiceError::Invalid { field, message }
        }
        let cleared = match given(text.job_access) {
            None => None,
            Some("cleared") => Some(true),
            Some("not_cleared") => Some(false),
            Some(other) => {
                return Err(bad(
                    "job_access",
                    format!("cleared or not_cleared, not {other:?}"),
                ));
            }
        };
        let state = given(text.state)
            .map(|code| {
                DocumentState::from_code(code).ok_or_else(|| {
                    bad(
                        "state",
                        format!(
                            "{code:?} is not a document state; one of {}",
                            DocumentState::ALL.map(DocumentState::code).join(", ")
                        ),
                    )
                })
            })
            .transpose()?;
        let regime = given(text.regime)
            .map(|code| {
                Regime::from_code(code).ok_or_else(|| {
                    bad(
                        "regime",
                        format!("coop_work_permit or study_permit_placement, not {code:?}"),
                    )
                })
            })
            .transpose()?;
        let reason = given(text.reason)
            .map(|code| {
                Reason::from_code(code)
                    .ok_or_else(|| bad("reason", format!("{code:?} is not a reason code")))
            })
            .transpose()?;
        let extend_study_permit = match given(text.extend_study_permit) {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(other) => {
                return Err(bad(
                    "extend_study_permit",
                    format!("true or false, not {other:?}"),
                ));
            }
        };
        let expiring_within_days = given(text.expiring_within_days)
            .map(|days| {
                days.parse::<u32>()
                    .ok()
                    .filter(|d| *d <= 3650)
                    .ok_or_else(|| bad("expiring_within_days", "0 to 3650 days".to_owned()))
            })
            .transpose()?;
        let program_on_file = match given(text.program) {
            None => None,
            Some("on_file") => Some(true),
            Some("not_on_file") => Some(false),
            Some(other) => {
                return Err(bad(
                    "program",
                    format!("on_file or not_on_file, not {other:?}"),
                ));
            }
        };
        let sort = match given(text.sort) {
            None => Sort::Name,
            Some(code) => Sort::from_code(code)
                .ok_or_else(|| bad("sort", format!("name, number or expiry, not {code:?}")))?,
        };
        Ok(StudentQuery {
            q: text.q.to_owned(),
            cleared,
            state,
            regime,
            reason,
            extend_study_permit,
            expiring_within_days,
            program_on_file,
            sort,
        })
    }
}

/// One listed student with their standing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub student: student::Model,
    pub standing: student_standing::Model,
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub(super) fn expiring(today: NaiveDate, days: u32) -> Condition {
    let last = today
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(today);
    Condition::any()
        .add(student_standing::Column::StudyExpires.between(today, last))
        .add(student_standing::Column::CoopExpires.between(today, last))
}

/// What a text search looks in: the migration that indexes it uses the same expression.
const SEARCH_TEXT: &str =
    "lower(students.name || ' ' || students.student_number || ' ' || students.email)";

/// `text` as a GLOB pattern matching it anywhere (`*`, `?` and `[` taken literally).
fn glob_anywhere(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('*');
    for c in text.chars() {
        match c {
            '*' | '?' | '[' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out.push('*');
    out
}

impl StudentQuery {
    /// Whether the list reads the stored standings (a filter on them, or the expiry order);
    /// without, the students' own indexes answer alone.
    fn reads_standings(&self) -> bool {
        self.cleared.is_some()
            || self.state.is_some()
            || self.regime.is_some()
            || self.reason.is_some()
            || self.extend_study_permit.is_some()
            || self.expiring_within_days.is_some()
            || self.sort == Sort::Expiry
    }
}

/// How a filtered list is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// Counted, or a page of few matches: the standings joined, so their indexes pick the rows.
    Joined,
    /// A page of many matches in name or number order: the students' index walked in that order,
    /// each student's standing looked up by key, until the page is full (no sort of all the
    /// matches; SQLite would otherwise sort all 60,000 "not cleared" for a page of 25).
    Walked,
}

pub(super) fn filtered(
    query: &StudentQuery,
    today: NaiveDate,
    backend: DatabaseBackend,
    shape: Shape,
) -> Select<student::Entity> {
    use student_standing::Column as S;
    let mut select = student::Entity::find();
    let q = query.q.trim().to_lowercase();
    if !q.is_empty() && q.bytes().all(|b| b.is_ascii_digit()) {
        // Digits are the start of a student number: a range of its unique index.
        let mut end = q.clone();
        end.push(char::from(b'9' + 1));
        select = select.filter(
            Condition::all()
                .add(student::Column::StudentNumber.gte(q.clone()))
                .add(student::Column::StudentNumber.lt(end)),
        );
    } else if !q.is_empty() {
        // Through the trigram index of migration 000013 (SQLite: its FTS5 table; PostgreSQL: a
        // GIN index on the same expression).
        select = select.filter(match backend {
            DatabaseBackend::Sqlite => Expr::cust_with_values(
                "students.id IN (SELECT rowid FROM students_search WHERE text GLOB ?)",
                [glob_anywhere(&q)],
            ),
            _ => Expr::cust_with_values(
                format!("{SEARCH_TEXT} LIKE $1 ESCAPE '\\'"),
                [format!("%{}%", escape_like(&q))],
            ),
        });
    }
    match query.program_on_file {
        Some(true) => select = select.filter(student::Column::ProgramCode.is_not_null()),
        Some(false) => select = select.filter(student::Column::ProgramCode.is_null()),
        None => {}
    }
    let mut standing = Condition::all();
    if let Some(cleared) = query.cleared {
        standing = standing.add(S::Cleared.eq(cleared));
    }
    if let Some(state) = query.state {
        standing = standing.add(
            Condition::any()
                .add(S::StudyState.eq(state))
                .add(S::CoopState.eq(state)),
        );
    }
    if let Some(regime) = query.regime {
        standing = standing.add(S::Regime.eq(regime));
    }
    if let Some(reason) = query.reason {
        // The stored array's text holds each code between quotes (and no code holds another's
        // quoted form).
        standing = standing.add(
            Expr::col((student_standing::Entity, S::Reasons))
                .cast_as("text")
                .like(format!("%\"{}\"%", reason.code())),
        );
    }
    if let Some(v2) = query.extend_study_permit {
        standing = standing.add(S::ExtendStudyPermit.eq(v2));
    }
    if let Some(days) = query.expiring_within_days {
        standing = standing.add(expiring(today, days));
    }
    // Every student has a standing (written with the record), so without a question about
    // standings they are left out: a page by name walks only the name index.
    if !query.reads_standings() {
        return select;
    }
    if shape == Shape::Walked && query.sort != Sort::Expiry {
        let of_student = Query::select()
            .expr(Expr::val(1))
            .from(student_standing::Entity)
            .and_where(
                Expr::col((student_standing::Entity, S::StudentId))
                    .equals((student::Entity, student::Column::Id)),
            )
            .cond_where(standing)
            .to_owned();
        return select.filter(Expr::exists(of_student));
    }
    select.inner_join(student_standing::Entity).filter(standing)
}

/// The office's "today" for expiry windows: Vancouver's date.
pub(super) fn office_today(now: DateTime<Utc>) -> NaiveDate {
    coop_core::time::Zone::default().today(now)
}

/// The earlier of a standing's two expiries (either may be missing), in SQL both databases read.
const EARLIEST: &str = "(CASE WHEN student_standings.study_expires IS NULL THEN student_standings.coop_expires WHEN student_standings.coop_expires IS NULL OR student_standings.study_expires < student_standings.coop_expires THEN student_standings.study_expires ELSE student_standings.coop_expires END)";

/// From this many matches a page walks the order's index rather than sorting the matches: at
/// 100,000 students a page of 25 then looks at no more than about 500 of them.
const WALK_FROM: u64 = 5_000;

/// A page (from 0) of students matching `query`, and how many match in all.
pub async fn list(
    db: &impl ConnectionTrait,
    query: &StudentQuery,
    page: u64,
    per_page: u64,
    now: DateTime<Utc>,
) -> Result<(Vec<Listed>, u64), ServiceError> {
    let start = crate::service::paging::offset(page, per_page)?;
    list_with(db, None, query, None, start, per_page, now).await
}

/// [`list`], with what this instance counted or read of the same list less than
/// `remembered::BOUND` ago, if nothing was written through it since: the total (paging through a
/// list of 40,000 does not count the 40,000 again for every page) and, for a deep page in name or
/// number order, where it starts — the page is then read by keyset from the remembered student
/// before it (`starts`), not by an `OFFSET` that walks every skipped row.
pub async fn list_kept(
    db: &impl ConnectionTrait,
    kept: ListMemory<'_>,
    query: &StudentQuery,
    page: u64,
    per_page: u64,
    now: DateTime<Utc>,
) -> Result<(Vec<Listed>, u64), ServiceError> {
    let start = crate::service::paging::offset(page, per_page)?;
    if start >= STEP
        && let Some(column) = keyset_column(query.sort)
    {
        let key = list_key(office_today(now), query);
        let starts = kept
            .starts
            .get_or_fill(key, remembered::BOUND, || {
                every_step(db, query, column, now)
            })
            .await?;
        let block = usize::try_from(start / STEP).unwrap_or(usize::MAX);
        if let Some((value, id)) = starts.get(block - 1) {
            let key = (column, value.clone(), *id);
            return list_with(
                db,
                Some(kept.totals),
                query,
                Some(key),
                start % STEP,
                per_page,
                now,
            )
            .await;
        }
    }
    list_with(db, Some(kept.totals), query, None, start, per_page, now).await
}

/// What an instance remembers of staff lists (`Caches::lists`): totals, and where deep pages
/// start.
#[derive(Debug, Clone, Copy)]
pub struct ListMemory<'a> {
    pub totals: &'a Remembered<String, u64>,
    pub starts: &'a Remembered<String, Arc<Vec<(String, i64)>>>,
}

/// Which list a remembered total or set of starting points belongs to: its filters and sort on
/// the office's date.
fn list_key(today: NaiveDate, query: &StudentQuery) -> String {
    format!("{today}|{query:?}")
}

/// How many students a remembered starting point stands for.
pub const STEP: u64 = 1_000;

/// The column of a keyset in this order (name or number; then the id).
fn keyset_column(sort: Sort) -> Option<student::Column> {
    match sort {
        Sort::Name => Some(student::Column::Name),
        Sort::Number => Some(student::Column::StudentNumber),
        Sort::Expiry => None,
    }
}

/// The last student of every full block of [`STEP`] in the list's order: `[k]` is the student at
/// position `(k + 1) * STEP - 1`, after whom block `k + 1` starts. One read of the order's keys
/// (through its index), for every deep page of this list until a write or the bound.
async fn every_step(
    db: &impl ConnectionTrait,
    query: &StudentQuery,
    column: student::Column,
    now: DateTime<Utc>,
) -> Result<Arc<Vec<(String, i64)>>, ServiceError> {
    standings::refresh_due(db, now).await?;
    let select = filtered(
        query,
        office_today(now),
        db.get_database_backend(),
        Shape::Walked,
    );
    let keys: Vec<(String, i64)> = select
        .order_by_asc(column)
        .order_by_asc(student::Column::Id)
        .select_only()
        .column(column)
        .column(student::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let step = usize::try_from(STEP).unwrap_or(usize::MAX);
    Ok(Arc::new(
        keys.into_iter().skip(step - 1).step_by(step).collect(),
    ))
}

/// The page after the student `after` in the list's order (name or number): keyset paging,
/// through the order's index however deep the page (an `OFFSET` walks every skipped row). The
/// total is [`list_kept`]'s.
pub async fn list_after(
    db: &impl ConnectionTrait,
    kept: ListMemory<'_>,
    query: &StudentQuery,
    after: i64,
    per_page: u64,
    now: DateTime<Utc>,
) -> Result<(Vec<Listed>, u64), ServiceError> {
    let bad = |message: &str| ServiceError::Invalid {
        field: "after",
        message: message.to_owned(),
    };
    let anchor: Option<(String, String)> = student::Entity::find_by_id(after)
        .select_only()
        .column(student::Column::Name)
        .column(student::Column::StudentNumber)
        .into_tuple()
        .one(db)
        .await?;
    let (name, number) = anchor.ok_or_else(|| bad("no student has this id"))?;
    let key = match query.sort {
        Sort::Name => (student::Column::Name, name, after),
        Sort::Number => (student::Column::StudentNumber, number, after),
        Sort::Expiry => {
            return Err(bad(
                "follows the name or number order; with sort=expiry, use page",
            ));
        }
    };
    list_with(db, Some(kept.totals), query, Some(key), 0, per_page, now).await
}

async fn list_with(
    db: &impl ConnectionTrait,
    totals: Option<&Remembered<String, u64>>,
    query: &StudentQuery,
    after: Option<(student::Column, String, i64)>,
    start: u64,
    per_page: u64,
    now: DateTime<Utc>,
) -> Result<(Vec<Listed>, u64), ServiceError> {
    standings::refresh_due(db, now).await?;
    let today = office_today(now);
    let backend = db.get_database_backend();
    let select = filtered(query, today, backend, Shape::Joined);
    let total = match totals {
        Some(totals) => {
            let key = list_key(today, query);
            totals
                .get_or_fill(key, remembered::BOUND, || select.clone().count(db))
                .await?
        }
        None => select.clone().count(db).await?,
    };
    // Many matches: walk the order's index (see `Shape`); few: let their indexes find them.
    let shape = if total >= WALK_FROM {
        Shape::Walked
    } else {
        Shape::Joined
    };
    let mut select = filtered(query, today, backend, shape);
    if let Some((column, value, id)) = after {
        select = select.filter(
            Expr::tuple([
                Expr::col((student::Entity, column)),
                Expr::col((student::Entity, student::Column::Id)),
            ])
            .gt(Expr::tuple([Expr::val(value), Expr::val(id)])),
        );
    }
    let ordered = match query.sort {
        Sort::Name => select.order_by_asc(student::Column::Name),
        Sort::Number => select.order_by_asc(student::Column::StudentNumber),
        // The earlier of both expiries; students with none last.
        Sort::Expiry => select
            .order_by_asc(Expr::cust(format!(
                "CASE WHEN {EARLIEST} IS NULL THEN 1 ELSE 0 END"
            )))
            .order_by_asc(Expr::cust(EARLIEST)),
    };
    let per_page = Ord::max(per_page, 1);
    // The page's ids first, from the indexes alone (a deep page skips index entries, not
    // whole rows), then those rows.
    let ids: Vec<i64> = ordered
        .order_by_asc(student::Column::Id)
        .select_only()
        .column(student::Column::Id)
        .offset(start)
        .limit(per_page)
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok((Vec::new(), total));
    }
    let mut rows: HashMap<i64, Listed> = student::Entity::find()
        .filter(student::Column::Id.is_in(ids.clone()))
        .find_also_related(student_standing::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(student, standing)| {
            standing.map(|standing| (student.id, Listed { student, standing }))
        })
        .collect();
    let items = ids.iter().filter_map(|id| rows.remove(id)).collect();
    Ok((items, total))
}
