//! Regimes (rules G1–G3): which law decides a student's placement, as effective-dated data.
//!
//! A change of law is a new row in [`REGIMES`], not a change to the rules' code.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The process that authorizes a co-op placement.
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
pub enum Regime {
    /// G1: a Co-op Work Permit (IRPR R205(c)(i); C32 post-secondary, C33 secondary).
    CoopWorkPermit,
    /// G2: a required placement under the study permit (from 2026-04-01, post-secondary).
    StudyPermitPlacement,
}

impl Regime {
    /// Both regimes, in G's order.
    pub const ALL: [Regime; 2] = [Regime::CoopWorkPermit, Regime::StudyPermitPlacement];

    /// The stable snake_case code of the contract.
    pub fn code(self) -> &'static str {
        match self {
            Regime::CoopWorkPermit => "coop_work_permit",
            Regime::StudyPermitPlacement => "study_permit_placement",
        }
    }

    /// The regime with this code.
    pub fn from_code(code: &str) -> Option<Regime> {
        Regime::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The rule that defines the regime.
    pub fn rule(self) -> crate::RuleId {
        match self {
            Regime::CoopWorkPermit => crate::RuleId::new("G1"),
            Regime::StudyPermitPlacement => crate::RuleId::new("G2"),
        }
    }
}

/// Level of study (G1, G3).
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
pub enum Level {
    /// College or university.
    PostSecondary,
    /// Secondary school (still C33 co-op work permits).
    Secondary,
}

impl Level {
    /// Both levels.
    pub const ALL: [Level; 2] = [Level::PostSecondary, Level::Secondary];

    /// The stable snake_case code (as in the contract and the database).
    pub fn code(self) -> &'static str {
        match self {
            Level::PostSecondary => "post_secondary",
            Level::Secondary => "secondary",
        }
    }

    /// The value with this code.
    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|v| v.code() == code)
    }
}

/// G3: follow the date, or a regime pinned by the deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegimeChoice {
    /// The regime in force on the student's today for their level.
    #[default]
    Auto,
    /// Always this regime (e.g. to run the guide's process as written).
    Pinned(Regime),
}

/// One row of the law: from `from` on, students of `level` are under `regime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegimeEntry {
    /// The students it applies to.
    pub level: Level,
    /// The first day it is in force.
    pub from: NaiveDate,
    /// The regime.
    pub regime: Regime,
}

const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => NaiveDate::MIN,
    }
}

/// The regimes in force over time, per level (G1, G2; IRCC notice of 2026-04-09).
pub const REGIMES: &[RegimeEntry] = &[
    RegimeEntry {
        level: Level::PostSecondary,
        from: NaiveDate::MIN,
        regime: Regime::CoopWorkPermit,
    },
    RegimeEntry {
        level: Level::PostSecondary,
        from: ymd(2026, 4, 1),
        regime: Regime::StudyPermitPlacement,
    },
    RegimeEntry {
        level: Level::Secondary,
        from: NaiveDate::MIN,
        regime: Regime::CoopWorkPermit,
    },
];

/// The regime in force on `today` for `level` under `table`: its latest row that has started.
pub fn regime_in_force(table: &[RegimeEntry], level: Level, today: NaiveDate) -> Regime {
    table
        .iter()
        .filter(|entry| entry.level == level && entry.from <= today)
        .max_by_key(|entry| entry.from)
        .map_or(Regime::CoopWorkPermit, |entry| entry.regime)
}

impl RegimeChoice {
    /// G3: the regime that applies on `today` to a student of `level`.
    pub fn resolve(self, level: Level, today: NaiveDate) -> Regime {
        match self {
            RegimeChoice::Auto => regime_in_force(REGIMES, level, today),
            RegimeChoice::Pinned(regime) => regime,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn post_secondary_changes_on_2026_04_01() {
        let auto = RegimeChoice::Auto;
        assert_eq!(
            auto.resolve(Level::PostSecondary, date("2026-03-31")),
            Regime::CoopWorkPermit
        );
        assert_eq!(
            auto.resolve(Level::PostSecondary, date("2026-04-01")),
            Regime::StudyPermitPlacement
        );
        assert_eq!(
            auto.resolve(Level::Secondary, date("2027-01-01")),
            Regime::CoopWorkPermit
        );
    }

    #[test]
    fn pinned_regime_wins() {
        let pinned = RegimeChoice::Pinned(Regime::CoopWorkPermit);
        assert_eq!(
            pinned.resolve(Level::PostSecondary, date("2027-01-01")),
            Regime::CoopWorkPermit
        );
    }

    #[test]
    fn a_new_law_is_a_new_row() {
        let mut table = REGIMES.to_vec();
        table.push(RegimeEntry {
            level: Level::Secondary,
            from: date("2030-01-01"),
            regime: Regime::StudyPermitPlacement,
        });
        assert_eq!(
            regime_in_force(&table, Level::Secondary, date("2029-12-31")),
            Regime::CoopWorkPermit
        );
        assert_eq!(
            regime_in_force(&table, Level::Secondary, date("2030-01-01")),
            Regime::StudyPermitPlacement
        );
    }
}
