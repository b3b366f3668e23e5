//! A field of a partial update that may be left out (unchanged), sent as `null` (cleared) or
//! given a value: `Option<Option<T>>`, absent → `None`, null → `Some(None)`.

use serde::{Deserialize, Deserializer};

/// Use with `#[serde(default, deserialize_with = "crate::double_option::deserialize")]`.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Patch {
        #[serde(default, deserialize_with = "super::deserialize")]
        code: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_a_value_are_told_apart() {
        let read = |text: &str| serde_json::from_str::<Patch>(text).ok();
        assert_eq!(read("{}"), Some(Patch { code: None }));
        assert_eq!(read(r#"{"code":null}"#), Some(Patch { code: Some(None) }));
        assert_eq!(
            read(r#"{"code":"BBA"}"#),
            Some(Patch {
                code: Some(Some("BBA".to_owned()))
            })
        );
    }
}
