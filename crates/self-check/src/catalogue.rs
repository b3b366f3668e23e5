//! The institution's programs in the self-check: the student picks theirs, and the browser
//! decides W2f with its facts. The catalogue comes from `GET /api/v1/programs` once the page
//! runs and is kept in local storage, so the choice works offline from then on.

use coop_core::case::Program;
use serde_json::Value;

/// The local-storage keys of the last catalogue fetched and of the student's choice.
pub const STORAGE_KEY: &str = "coop-permits.programs.v1";
pub const CHOICE_KEY: &str = "coop-permits.program-choice.v1";

/// Where the catalogue is served.
pub const PATH: &str = "/api/v1/programs";

/// A program the student may pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub code: String,
    pub name: String,
    pub facts: Program,
}

/// Reads the catalogue's answer (`{"items":[…]}`) by hand, as the saved form is read, so no
/// derived deserializer joins the first load; an entry missing a fact is left out.
pub fn parse(text: &str) -> Option<Vec<Choice>> {
    let answer: Value = serde_json::from_str(text).ok()?;
    let items = answer.get("items")?.as_array()?;
    Some(
        items
            .iter()
            .filter_map(|item| {
                Some(Choice {
                    code: item.get("code")?.as_str()?.to_owned(),
                    name: item.get("name")?.as_str()?.to_owned(),
                    facts: facts(item)?,
                })
            })
            .collect(),
    )
}

/// The facts of the program `code` in a catalogue (`None`: not listed, or "I don't know").
pub fn facts_of(catalogue: &[Choice], code: &str) -> Option<Program> {
    catalogue.iter().find(|c| c.code == code).map(|c| c.facts)
}

/// W2f's facts of a catalogue entry (check-format.md's `program` object); `None` when one is
/// missing.
fn facts(item: &Value) -> Option<Program> {
    let flag = |key: &str| item.get(key).and_then(Value::as_bool);
    let months = |key: &str| {
        item.get(key)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    Some(Program {
        credential: flag("credential")?,
        months: months("months")?,
        work_months: months("work_months")?,
        placement_required: flag("placement_required")?,
        language_or_preparatory: flag("language_or_preparatory")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_catalogue_and_keeps_only_w2f_facts() {
        let text = r#"{"items":[
            {"code":"BBA","name":"Bachelor","credential":true,"months":48,"work_months":12,"placement_required":true,"language_or_preparatory":false},
            {"code":"BAD","name":"Missing facts","credential":true}
        ]}"#;
        let choices = parse(text).unwrap();
        assert_eq!(choices.len(), 1);
        assert_eq!(choices[0].code, "BBA");
        let bachelor = Program {
            credential: true,
            months: 48,
            work_months: 12,
            placement_required: true,
            language_or_preparatory: false,
        };
        assert_eq!(choices[0].facts, bachelor);
        assert_eq!(facts_of(&choices, "BBA"), Some(bachelor));
        assert_eq!(facts_of(&choices, ""), None);
        assert!(parse("not json").is_none());
    }
}
