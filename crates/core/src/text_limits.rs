//! How long each free text may be (issue 16: a 1.5 MB employer name was stored). One place for
//! every field's bound: the browser's forms take their `maxlength` from here, and the server's
//! services check the same [`TextLimit`] before anything is written, answering a field error.

/// A free-text field's bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLimit {
    /// The field as the API names it.
    pub field: &'static str,
    /// The most characters (Unicode scalar values) it may have, after trimming.
    pub max_chars: usize,
    /// Whether it must have any text at all.
    pub required: bool,
    /// What it is, for the message.
    pub what: &'static str,
}

/// A work term's employer.
pub const EMPLOYER: TextLimit = TextLimit {
    field: "employer",
    max_chars: 200,
    required: false,
    what: "the employer's name",
};
/// A person's name (a user, a student).
pub const PERSON_NAME: TextLimit = TextLimit {
    field: "name",
    max_chars: 200,
    required: true,
    what: "the name",
};
/// Why staff refused a request or a document (the student reads it).
pub const REFUSAL_REASON: TextLimit = TextLimit {
    field: "reason",
    max_chars: 1000,
    required: true,
    what: "the reason",
};
/// Why staff paused a student's reminders.
pub const PAUSE_REASON: TextLimit = TextLimit {
    field: "reason",
    max_chars: 500,
    required: true,
    what: "why reminders are paused",
};
/// Staff's notes on a student.
pub const NOTES: TextLimit = TextLimit {
    field: "notes",
    max_chars: 5000,
    required: false,
    what: "the notes",
};
/// A student's program and credential.
pub const PROGRAM: TextLimit = TextLimit {
    field: "program",
    max_chars: 200,
    required: true,
    what: "the program and credential",
};

/// What an API token is for (its name in the list).
pub const TOKEN_NAME: TextLimit = TextLimit {
    field: "name",
    max_chars: 100,
    required: true,
    what: "what the token is for",
};

/// A text over its bound, or missing, with a sentence for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextProblem {
    /// The field.
    pub field: &'static str,
    /// What to do.
    pub message: String,
}

impl TextLimit {
    /// Whether `text`, trimmed, is within the bound (and not empty when required): for callers
    /// that word their own refusal.
    pub fn fits(&self, text: &str) -> bool {
        self.check(text).is_ok()
    }

    /// The trimmed text, `None` when empty and not required; or what is wrong.
    pub fn check(&self, text: &str) -> Result<Option<String>, TextProblem> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return if self.required {
                Err(TextProblem {
                    field: self.field,
                    message: format!("{} is required", capitalized(self.what)),
                })
            } else {
                Ok(None)
            };
        }
        let count = trimmed.chars().count();
        if count > self.max_chars {
            return Err(TextProblem {
                field: self.field,
                message: format!(
                    "{} may have at most {} characters (this has {count})",
                    capitalized(self.what),
                    self.max_chars
                ),
            });
        }
        Ok(Some(trimmed.to_owned()))
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_bounded_and_required_where_said() {
        assert_eq!(
            EMPLOYER.check("  Acme Ltd. "),
            Ok(Some("Acme Ltd.".to_owned()))
        );
        assert_eq!(EMPLOYER.check("   "), Ok(None));
        assert_eq!(EMPLOYER.check(&"é".repeat(200)), Ok(Some("é".repeat(200))));
        let long = EMPLOYER.check(&"x".repeat(1_500_000)).unwrap_err();
        assert_eq!(long.field, "employer");
        assert_eq!(
            long.message,
            "The employer's name may have at most 200 characters (this has 1500000)"
        );
        assert_eq!(
            REFUSAL_REASON.check("").unwrap_err().message,
            "The reason is required"
        );
        assert!(REFUSAL_REASON.fits("  the scan is unreadable  "));
        assert!(!REFUSAL_REASON.fits("   "));
        assert!(!TOKEN_NAME.fits(&"n".repeat(101)));
    }
}
