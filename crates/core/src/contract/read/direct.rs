//! The common case read straight from a body's bytes, without a JSON tree first: the hot path of
//! `POST /api/v1/check` (BENCHMARKS.md "The check endpoint, fifth session").
//!
//! It takes only cases the full reader accepts, and reads them as it does. A body it cannot take
//! as it stands — not an object, a field missing, unknown or given twice, a value of the wrong
//! kind or out of range, a string with an escape in it — gives `None`, and the full reader (over
//! a `serde_json::Value`) then reads it and names what is wrong. Both share the words of every
//! choice (`options`) and the date, instant and zone parsers; tests hold them to the same answer
//! on every vector and on generated cases.

use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use super::options::*;
use crate::case::{
    Application, Case, CoopWorkPermit, ProcessingMonths, Program, Student, StudyPermit, WorkTerm,
};
use crate::datetime_text;
use crate::ids::CaseId;
use crate::time::{self, Zone};

/// A JSON object's fields, each `None` when absent or `null` (the full reader treats `null` as
/// absent). Only an object is taken — serde's derive would also take a list of the fields in
/// order, which the contract does not — and a field that is unknown or given twice is refused.
macro_rules! object {
    ($name:ident<$a:lifetime> { $($field:ident: $ty:ty = $key:literal),+ $(,)? }) => {
        struct $name<$a> {
            $($field: Option<$ty>,)+
            text: PhantomData<&$a str>,
        }

        impl<$a> $name<$a> {
            #[cfg(test)]
            const KEYS: &'static [&'static str] = &[$($key),+];
        }

        impl<'de: $a, $a> Deserialize<'de> for $name<$a> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Fields<$a>(PhantomData<&$a str>);

                impl<'de: $a, $a> Visitor<'de> for Fields<$a> {
                    type Value = $name<$a>;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("an object")
                    }

                    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<$name<$a>, M::Error> {
                        // The outer `Some`: the key has been seen.
                        $(let mut $field: Option<Option<$ty>> = None;)+
                        while let Some(key) = map.next_key::<&'de str>()? {
                            match key {
                                $($key => {
                                    if $field.is_some() {
                                        return Err(de::Error::duplicate_field($key));
                                    }
                                    $field = Some(map.next_value()?);
                                })+
                                other => return Err(de::Error::unknown_field(other, &[])),
                            }
                        }
                        Ok($name { $($field: $field.flatten(),)+ text: PhantomData })
                    }
                }

                deserializer.deserialize_map(Fields(PhantomData))
            }
        }
    };
}

object!(CaseFields<'a> {
    id: &'a str = "id",
    now: &'a str = "now",
    zone: &'a str = "zone",
    regime: &'a str = "regime",
    processing_months: [i64; 2] = "processing_months",
    student: StudentFields<'a> = "student",
    program: ProgramFields<'a> = "program",
    study_permit: StudyPermitFields<'a> = "study_permit",
    coop_work_permit: CoopPermitFields<'a> = "coop_work_permit",
    applications: Vec<ApplicationFields<'a>> = "applications",
    work_terms: Vec<WorkTermFields<'a>> = "work_terms",
});

object!(StudentFields<'a> {
    coop_program: bool = "coop_program",
    coop1101: &'a str = "coop1101",
    continuance_met: bool = "continuance_met",
    level: &'a str = "level",
    full_time: bool = "full_time",
    placement_letter: bool = "placement_letter",
    in_canada: bool = "in_canada",
});

object!(ProgramFields<'a> {
    credential: bool = "credential",
    months: u64 = "months",
    work_months: u64 = "work_months",
    placement_required: bool = "placement_required",
    language_or_preparatory: bool = "language_or_preparatory",
});

object!(StudyPermitFields<'a> {
    expires: &'a str = "expires",
    verified: bool = "verified",
    on_campus_work: bool = "on_campus_work",
});

object!(CoopPermitFields<'a> {
    kind: &'a str = "kind",
    expires: &'a str = "expires",
    verified: bool = "verified",
});

object!(ApplicationFields<'a> {
    for_document: &'a str = "for",
    submitted_at: &'a str = "submitted_at",
    decision: &'a str = "decision",
});

object!(WorkTermFields<'a> {
    start: &'a str = "start",
    end: &'a str = "end",
});

/// The case in `body`, when the full reader would accept it; `None` leaves the body to it.
pub(super) fn read(body: &[u8]) -> Option<(Option<CaseId>, Case)> {
    let fields: CaseFields<'_> = serde_json::from_slice(body).ok()?;
    let case = Case {
        now: instant(fields.now?)?,
        zone: match fields.zone {
            None => Zone::vancouver(),
            Some(name) => Zone::named(name).ok()?,
        },
        regime: choice(REGIME, fields.regime, DEFAULT_REGIME)?,
        processing: match fields.processing_months {
            None => ProcessingMonths::DEFAULT,
            Some([min, max]) => ProcessingMonths::new(min, max).ok()?,
        },
        student: fields.student?.student()?,
        program: optional(fields.program, ProgramFields::program)?,
        study_permit: optional(fields.study_permit, StudyPermitFields::study_permit)?,
        coop_work_permit: optional(fields.coop_work_permit, CoopPermitFields::coop_work_permit)?,
        applications: list(fields.applications, ApplicationFields::application)?,
        work_terms: list(fields.work_terms, WorkTermFields::work_term)?,
    };
    Some((fields.id.map(|id| CaseId(id.to_owned())), case))
}

impl StudentFields<'_> {
    fn student(self) -> Option<Student> {
        Some(Student {
            coop_program: self.coop_program?,
            coop1101: lookup(COOP1101, self.coop1101?)?,
            continuance_met: self.continuance_met?,
            level: choice(LEVEL, self.level, DEFAULT_LEVEL)?,
            full_time: self.full_time.unwrap_or(DEFAULT_FULL_TIME),
            placement_letter: self.placement_letter.unwrap_or(DEFAULT_PLACEMENT_LETTER),
            in_canada: self.in_canada.unwrap_or(DEFAULT_IN_CANADA),
        })
    }
}

impl ProgramFields<'_> {
    fn program(self) -> Option<Program> {
        Some(Program {
            credential: self.credential?,
            months: months(self.months?)?,
            work_months: months(self.work_months?)?,
            placement_required: self.placement_required?,
            language_or_preparatory: self.language_or_preparatory?,
        })
    }
}

impl StudyPermitFields<'_> {
    fn study_permit(self) -> Option<StudyPermit> {
        Some(StudyPermit {
            expires: date(self.expires?)?,
            verified: self.verified.unwrap_or(DEFAULT_VERIFIED),
            on_campus_work: self.on_campus_work.unwrap_or(DEFAULT_ON_CAMPUS_WORK),
        })
    }
}

impl CoopPermitFields<'_> {
    fn coop_work_permit(self) -> Option<CoopWorkPermit> {
        Some(CoopWorkPermit {
            kind: choice(COOP_DOCUMENT_KIND, self.kind, DEFAULT_COOP_DOCUMENT_KIND)?,
            expires: date(self.expires?)?,
            verified: self.verified.unwrap_or(DEFAULT_VERIFIED),
        })
    }
}

impl ApplicationFields<'_> {
    fn application(self) -> Option<Application> {
        Some(Application {
            for_document: lookup(DOCUMENT_FOR, self.for_document?)?,
            submitted_at: instant(self.submitted_at?)?,
            decision: lookup(DECISION, self.decision?)?,
        })
    }
}

impl WorkTermFields<'_> {
    fn work_term(self) -> Option<WorkTerm> {
        WorkTerm::new(date(self.start?)?, date(self.end?)?).ok()
    }
}

/// An optional object: `Some(None)` when absent, `None` when present but not readable.
fn optional<F, T>(fields: Option<F>, read: fn(F) -> Option<T>) -> Option<Option<T>> {
    match fields {
        None => Some(None),
        Some(fields) => read(fields).map(Some),
    }
}

/// A list, empty when absent; `None` when any item is not readable.
fn list<F, T>(items: Option<Vec<F>>, read: fn(F) -> Option<T>) -> Option<Vec<T>> {
    items.unwrap_or_default().into_iter().map(read).collect()
}

fn choice<T: Copy>(options: &[(&str, T)], word: Option<&str>, default: T) -> Option<T> {
    match word {
        None => Some(default),
        Some(word) => lookup(options, word),
    }
}

fn months(n: u64) -> Option<u32> {
    u32::try_from(n).ok().filter(|n| *n <= 1200)
}

fn date(text: &str) -> Option<NaiveDate> {
    datetime_text::parse_date(text).filter(|date| time::is_supported_date(*date))
}

fn instant(text: &str) -> Option<DateTime<Utc>> {
    datetime_text::parse_rfc3339(text).filter(|at| time::is_supported_date(at.date_naive()))
}

#[cfg(test)]
mod tests;
