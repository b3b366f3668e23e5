//! Idempotency keys: the name a browser gives one submission, so that sending it again (after a
//! lost answer, or when a draft kept offline is sent) finds the first instead of adding another.

use super::ServiceError;

/// The longest key (a UUID has 36 characters).
pub const MAX_KEY_LEN: usize = 64;

/// A key as sent: blank means none; otherwise 1–64 letters, digits, `-` or `_` (a UUID fits).
pub fn parse(text: Option<&str>) -> Result<Option<String>, ServiceError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.len() <= MAX_KEY_LEN
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(Some(text.to_owned()))
    } else {
        Err(ServiceError::Invalid {
            field: "idempotency_key",
            message: "expected 1-64 letters, digits, '-' or '_' (e.g. a UUID)".to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_and_plain() {
        assert_eq!(parse(None).unwrap(), None);
        assert_eq!(parse(Some("  ")).unwrap(), None);
        assert_eq!(
            parse(Some("0b6f3e9a-5a1c-4f0e-9d8e-3c2b1a0f9e8d"))
                .unwrap()
                .as_deref(),
            Some("0b6f3e9a-5a1c-4f0e-9d8e-3c2b1a0f9e8d")
        );
        assert!(parse(Some("a b")).is_err());
        assert!(parse(Some(&"x".repeat(65))).is_err());
    }
}
