//! Reason codes: why a letter, a work authorization or job access is refused.
//!
//! Variants are declared in rule order (L1, L2, J2, the G1 co-op permit reasons, W2a–W2f), and a
//! [`Reasons`] set iterates in declaration order, so every list comes out in rule order and without
//! duplicates by construction — and without allocating, which keeps evaluation cheap.

use serde::ser::{Serialize, SerializeSeq, Serializer};

use crate::RuleId;

macro_rules! reasons {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, [$($rule:literal),+];)+) => {
        /// A reason code; its snake_case code is stable.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Reason {
            $($(#[$doc])* $variant,)+
        }

        impl Reason {
            /// Every reason, in rule order.
            pub const ALL: &'static [Reason] = &[$(Reason::$variant,)+];

            /// The stable snake_case code.
            pub const fn code(self) -> &'static str {
                match self {
                    $(Reason::$variant => $code,)+
                }
            }

            /// The rules that give this reason, the defining one first.
            pub const fn rules(self) -> &'static [RuleId] {
                match self {
                    $(Reason::$variant => const { &[$(RuleId::new($rule)),+] },)+
                }
            }
        }
    };
}

reasons! {
    /// L1, J1: not in the Co-op program.
    NotInCoopProgram = "not_in_coop_program", ["L1", "J1"];
    /// L2: neither registered in nor completed COOP 1101.
    Coop1101NotRegistered = "coop1101_not_registered", ["L2"];
    /// J2: program continuance requirements not met.
    ContinuanceNotMet = "continuance_not_met", ["J2"];
    /// W1 under G1: no co-op work permit or approval letter on file.
    NoCoopWorkPermit = "no_coop_work_permit", ["W1"];
    /// W1, S8: the co-op work permit is not verified by staff.
    CoopWorkPermitUnverified = "coop_work_permit_unverified", ["W1", "S8"];
    /// W1, M2, M3, M4: the co-op work permit no longer authorizes work.
    CoopWorkPermitExpired = "coop_work_permit_expired", ["W1", "M2"];
    /// W1, M2: the co-op work permit is in restoration (no work until restored).
    CoopWorkPermitRestoration = "coop_work_permit_restoration", ["W1", "M2"];
    /// W1, M3: the extension of the co-op work permit was refused.
    CoopWorkPermitRefused = "coop_work_permit_refused", ["W1", "M3"];
    /// W2a, J4, L3: no study permit valid today or held under maintained status.
    StudyPermitNotValid = "study_permit_not_valid", ["W2a", "J4", "L3"];
    /// W2b, S8: the study permit is not verified by staff.
    StudyPermitUnverified = "study_permit_unverified", ["W2b", "S8"];
    /// W2c: the study permit has no on-campus work condition.
    NoOnCampusWorkCondition = "no_on_campus_work_condition", ["W2c"];
    /// W2d: the office has not issued the placement letter.
    NoPlacementLetter = "no_placement_letter", ["W2d"];
    /// W2e: not studying full-time.
    NotFullTime = "not_full_time", ["W2e"];
    /// W2f: the program does not qualify for a placement under the study permit.
    ProgramNotEligible = "program_not_eligible", ["W2f"];
}

impl Reason {
    /// The reason with this code.
    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.iter().copied().find(|r| r.code() == code)
    }

    /// The rule that defines the reason.
    pub fn rule(self) -> RuleId {
        match self.rules().first() {
            Some(rule) => *rule,
            None => RuleId::new("J"),
        }
    }

    fn bit(self) -> u32 {
        1 << (self as u8)
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl crate::codes::Code for Reason {
    const ALL: &'static [Self] = Reason::ALL;
    fn code(self) -> &'static str {
        Reason::code(self)
    }
}

impl<'de> serde::Deserialize<'de> for Reason {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Reason, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        crate::codes::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// A set of reasons that iterates in rule order. Written (and stored, as a JSON column) as an
/// array of codes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "sea-orm", derive(sea_orm::FromJsonQueryResult))]
pub struct Reasons(u32);

impl Reasons {
    /// No reasons.
    pub const NONE: Reasons = Reasons(0);

    /// Adds a reason (a reason already present is not repeated).
    pub fn add(&mut self, reason: Reason) {
        self.0 |= reason.bit();
    }

    /// Adds `reason` when `failed` holds.
    pub fn add_if(&mut self, failed: bool, reason: Reason) {
        if failed {
            self.add(reason);
        }
    }

    /// Adds every reason of `other`.
    pub fn extend(&mut self, other: Reasons) {
        self.0 |= other.0;
    }

    /// Whether there are none.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether `reason` is present.
    pub fn contains(self, reason: Reason) -> bool {
        self.0 & reason.bit() != 0
    }

    /// How many.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The reasons in rule order.
    pub fn iter(self) -> impl Iterator<Item = Reason> {
        Reason::ALL
            .iter()
            .copied()
            .filter(move |r| self.contains(*r))
    }

    /// The reasons in rule order, as a vector.
    pub fn to_vec(self) -> Vec<Reason> {
        self.iter().collect()
    }
}

impl FromIterator<Reason> for Reasons {
    fn from_iter<I: IntoIterator<Item = Reason>>(iter: I) -> Reasons {
        let mut set = Reasons::NONE;
        for reason in iter {
            set.add(reason);
        }
        set
    }
}

impl std::fmt::Debug for Reasons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.iter().map(Reason::code))
            .finish()
    }
}

impl Serialize for Reasons {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for reason in self.iter() {
            seq.serialize_element(reason.code())?;
        }
        seq.end()
    }
}

impl<'de> serde::Deserialize<'de> for Reasons {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Reasons, D::Error> {
        let list = Vec::<Reason>::deserialize(deserializer)?;
        Ok(list.into_iter().collect())
    }
}

// The set is written as an array of codes (check-format.md), so it is described as one.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Reasons {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
        let codes: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
        ArrayBuilder::new()
            .items(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(codes)),
            )
            .description(Some("Reason codes, in rule order (check-format.md)."))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Reasons {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_iterate_in_rule_order_without_duplicates() {
        let mut set = Reasons::NONE;
        set.add(Reason::StudyPermitNotValid);
        set.add(Reason::NotInCoopProgram);
        set.add(Reason::StudyPermitNotValid);
        assert_eq!(
            set.to_vec(),
            vec![Reason::NotInCoopProgram, Reason::StudyPermitNotValid]
        );
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        for reason in Reason::ALL {
            assert_eq!(Reason::from_code(reason.code()), Some(*reason));
            assert!(!reason.rules().is_empty());
        }
        assert!(Reason::ALL.len() <= 32, "Reasons is a u32 bit set");
    }

    #[test]
    fn serializes_as_codes() {
        let set: Reasons = [Reason::NotFullTime, Reason::NoPlacementLetter]
            .into_iter()
            .collect();
        assert_eq!(
            serde_json::to_string(&set).unwrap(),
            r#"["no_placement_letter","not_full_time"]"#
        );
    }
}
