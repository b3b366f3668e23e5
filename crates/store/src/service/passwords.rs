//! Passwords: the policy for a new one (length, and not a common or guessable password),
//! argon2id hashing and verification, and generated passwords. A [`Password`] never prints
//! itself and cannot be serialized.

use std::fmt;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use zxcvbn::feedback::Warning;
use zxcvbn::matching::patterns::MatchPattern;

/// The shortest password accepted (NIST SP 800-63B asks for at least 8; staff hold immigration
/// records, so more).
pub const MIN_LENGTH: usize = 12;
/// The longest: argon2 hashes any length, but a megabyte "password" is only a way to burn CPU.
pub const MAX_LENGTH: usize = 256;

/// A password as typed. Debug prints `***`; there is no Display and no Serialize.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Wraps a typed password (a trailing newline from standard input is the caller's to trim).
    pub fn new(text: impl Into<String>) -> Password {
        Password(text.into())
    }

    /// The text, for hashing and verifying only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Why a new password is refused, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("the password must have at least {MIN_LENGTH} characters")]
    TooShort,
    #[error("the password must have at most {MAX_LENGTH} characters")]
    TooLong,
    #[error("this is one of the most common passwords; choose another")]
    Common,
    #[error("this password is too easy to guess ({0}); a few unrelated words make a good one")]
    Guessable(String),
}

/// Checks a new password against the policy; `user_inputs` (e-mail, name) count as guessable.
pub fn check_new(password: &Password, user_inputs: &[&str]) -> Result<(), PasswordProblem> {
    let text = password.expose();
    let length = text.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordProblem::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordProblem::TooLong);
    }
    let entropy = zxcvbn::zxcvbn(text, user_inputs);
    // zxcvbn's list of the 30,000 most common passwords, matched by the whole text.
    let warning = entropy.feedback().and_then(|f| f.warning());
    if let [only] = entropy.sequence()
        && matches!(only.pattern, MatchPattern::Dictionary(_))
        && matches!(
            warning,
            Some(
                Warning::ThisIsATop10Password
                    | Warning::ThisIsATop100Password
                    | Warning::ThisIsACommonPassword
            )
        )
    {
        return Err(PasswordProblem::Common);
    }
    if u8::from(entropy.score()) < 3 {
        let why = warning.map_or_else(
            || "it follows a common pattern".to_owned(),
            |w| w.to_string(),
        );
        return Err(PasswordProblem::Guessable(why));
    }
    Ok(())
}

/// Hashing failed: only possible with broken parameters, never because of the password.
#[derive(Debug, thiserror::Error)]
#[error("cannot hash the password: {0}")]
pub struct HashError(String);

/// The check could not run (its thread pool or task failed), never because of the password.
#[derive(Debug, thiserror::Error)]
#[error("password check: {0}")]
pub struct CheckUnavailable(String);

/// The argon2id (v19, RustCrypto's defaults: 19 MiB, 2 passes) PHC string of a password.
pub fn hash(password: &Password) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| HashError(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| HashError(e.to_string()))?;
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches a stored PHC string; `None` (no account, or no password set) is
/// checked against a dummy hash, so a wrong e-mail costs as much time as a wrong password.
pub fn verify(stored: Option<&str>, password: &Password) -> bool {
    let Some(stored) = stored else {
        let _ = verify_phc(dummy_hash(), password);
        return false;
    };
    verify_phc(stored, password)
}

/// [`verify`] on a blocking thread, at most one per core at once: argon2 takes tens of
/// milliseconds of CPU, which on an async worker stalls every other request (a flood of
/// anonymous sign-ins made `/healthz` a hundred times slower).
pub async fn verify_off_workers(
    stored: Option<String>,
    password: Password,
) -> Result<bool, CheckUnavailable> {
    let _permit = hashing_permits()
        .acquire()
        .await
        .map_err(|e| CheckUnavailable(e.to_string()))?;
    tokio::task::spawn_blocking(move || verify(stored.as_deref(), &password))
        .await
        .map_err(|e| CheckUnavailable(e.to_string()))
}

fn hashing_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, usize::from))
    })
}

fn verify_phc(stored: &str, password: &Password) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.expose().as_bytes(), &parsed)
            .is_ok()
    })
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash(&Password::new("not a real password at all")).unwrap_or_default())
}

/// A random password for `user add` without one: 18 bytes, 24 URL-safe characters.
pub fn generate() -> Result<Password, HashError> {
    Ok(Password(random_token(18)?))
}

/// `bytes` random bytes as unpadded URL-safe base64 (sessions, API tokens, passwords).
pub fn random_token(bytes: usize) -> Result<String, HashError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|e| HashError(e.to_string()))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buffer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_what_is_wrong() {
        let check = |p: &str| check_new(&Password::new(p), &["ana@example.ca", "Ana Silva"]);
        assert_eq!(check("short"), Err(PasswordProblem::TooShort));
        assert_eq!(check(&"x".repeat(257)), Err(PasswordProblem::TooLong));
        assert_eq!(check("password1234"), Err(PasswordProblem::Common));
        assert!(matches!(
            check("aaaaaaaaaaaaaaaa"),
            Err(PasswordProblem::Guessable(_))
        ));
        assert!(matches!(
            check("ana@example.ca!"),
            Err(PasswordProblem::Guessable(_))
        ));
        assert_eq!(check("maple ferry quantum otter"), Ok(()));
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let password = Password::new("maple ferry quantum otter");
        let stored = hash(&password).unwrap();
        assert!(stored.starts_with("$argon2id$v=19$"));
        assert_ne!(
            stored,
            hash(&password).unwrap(),
            "each hash has its own salt"
        );
        assert!(verify(Some(&stored), &password));
        assert!(!verify(
            Some(&stored),
            &Password::new("maple ferry quantum otters")
        ));
        assert!(!verify(None, &password));
        assert!(!verify(Some("not a phc string"), &password));
    }

    #[test]
    fn passwords_never_print() {
        let password = Password::new("maple ferry quantum otter");
        assert_eq!(format!("{password:?}"), "Password(***)");
        let generated = generate().unwrap();
        assert_eq!(generated.expose().len(), 24);
        assert_eq!(check_new(&generated, &[]), Ok(()));
    }
}
