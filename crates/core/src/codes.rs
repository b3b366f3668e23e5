//! Stable snake_case codes: the enums the contract, the API and the database all spell as a
//! code. A code is written once, on its enum (`code()`); reading one back goes through
//! [`parse`], so an unknown code is an error that names the enum, never a guess.
//!
//! With the `sea-orm` feature (the store's, never the browser's) each of these enums is also a
//! column type (`DeriveValueType` over [`parse`] and [`text`]): the store reads and writes
//! coop-core's own enums, and a row holding a code no release wrote fails to load.

/// An enum with a stable code per value.
pub trait Code: Copy + 'static {
    /// Every value.
    const ALL: &'static [Self];

    /// The value's code.
    fn code(self) -> &'static str;
}

/// A code that names no value of the enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code:?} is not a {of} code")]
pub struct UnknownCode {
    /// The enum it was read as.
    pub of: &'static str,
    /// What was read.
    pub code: String,
}

/// The value with this code.
pub fn parse<T: Code>(code: &str) -> Result<T, UnknownCode> {
    T::ALL
        .iter()
        .copied()
        .find(|v| v.code() == code)
        .ok_or_else(|| UnknownCode {
            of: short_name::<T>(),
            code: code.to_owned(),
        })
}

/// The code of a value (as a column stores it).
pub fn text<T: Code>(value: &T) -> &'static str {
    value.code()
}

fn short_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

/// `Code` for enums that already have `ALL` and `code()`.
macro_rules! codes {
    ($($t:ty),+ $(,)?) => {$(
        impl $crate::codes::Code for $t {
            const ALL: &'static [Self] = &<$t>::ALL;
            fn code(self) -> &'static str {
                <$t>::code(self)
            }
        }
    )+};
}

codes!(
    crate::case::Coop1101,
    crate::case::Decision,
    crate::case::DocumentFor,
    crate::letter_request::LetterRequestStatus,
    crate::regime::Level,
    crate::regime::Regime,
    crate::reminders::ReminderState,
    crate::review::ReviewStatus,
    crate::roles::Role,
    crate::status::DocumentState,
    crate::validation::DocumentKind,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Coop1101, Decision, DocumentFor};
    use crate::letter_request::LetterRequestStatus;
    use crate::reasons::Reason;
    use crate::regime::{Level, Regime};
    use crate::reminders::ReminderState;
    use crate::review::ReviewStatus;
    use crate::roles::Role;
    use crate::status::DocumentState;
    use crate::validation::DocumentKind;

    /// Every value's code reads back as itself, and is serde's name for it (the API and the
    /// database spell a value alike).
    fn round_trips<T: Code + PartialEq + std::fmt::Debug + serde::Serialize>() {
        for value in T::ALL {
            assert_eq!(parse::<T>(value.code()), Ok(*value));
            assert_eq!(
                serde_json::to_value(value).ok(),
                Some(serde_json::Value::String(value.code().to_owned())),
                "{value:?}"
            );
        }
    }

    #[test]
    fn every_code_reads_back_and_is_its_wire_name() {
        round_trips::<Coop1101>();
        round_trips::<Decision>();
        round_trips::<DocumentFor>();
        round_trips::<LetterRequestStatus>();
        round_trips::<Level>();
        round_trips::<Regime>();
        round_trips::<ReminderState>();
        round_trips::<ReviewStatus>();
        round_trips::<Role>();
        round_trips::<DocumentState>();
        round_trips::<DocumentKind>();
        round_trips::<Reason>();
    }

    #[test]
    fn an_unknown_code_names_its_enum() {
        let error = parse::<DocumentKind>("passport").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#""passport" is not a DocumentKind code"#
        );
    }
}
