//! The FIPPA collection notice (F1) a student acknowledges before their first submission.
//!
//! The purpose and authority are fixed by the rules; the person who answers questions is the
//! institution's (configured at start, never in code). The version names both, so a change of
//! contact asks students to acknowledge the new notice.

use sha2::{Digest, Sha256};

/// The person who answers questions about the collection (FIPPA s. 27(2)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivacyContact {
    /// e.g. "Manager, Co-operative Education".
    pub title: String,
    /// The business address.
    pub address: String,
    /// The business telephone number.
    pub phone: String,
}

impl Default for PrivacyContact {
    /// Placeholders an operator replaces (`--privacy-contact-*`); the server warns while they
    /// are in use.
    fn default() -> PrivacyContact {
        PrivacyContact {
            title: "Co-operative Education Manager".to_owned(),
            address: "Co-operative Education Office (address not configured)".to_owned(),
            phone: "(telephone not configured)".to_owned(),
        }
    }
}

/// The notice as shown, and the version stored with each acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivacyNotice {
    pub contact: PrivacyContact,
}

/// The wording's own revision; bump it when [`PrivacyNotice::PURPOSE`] or
/// [`PrivacyNotice::AUTHORITY`] change.
const WORDING_REVISION: &str = "2026-11-27";

impl PrivacyNotice {
    /// Why the information is collected (F1).
    pub const PURPOSE: &'static str = "The co-op office collects the information on this form, and the \
        documents you submit, to decide whether you may work in a co-op placement, to issue your co-op \
        letter and to remind you before your permits expire (rules F1, L, S, R).";

    /// The legal authority (F1).
    pub const AUTHORITY: &'static str = "It is collected under section 26(c) of British Columbia's \
        Freedom of Information and Protection of Privacy Act, as it relates directly to and is \
        necessary for the co-op program (F1).";

    /// The notice for this contact.
    pub fn new(contact: PrivacyContact) -> PrivacyNotice {
        PrivacyNotice { contact }
    }

    /// `2026-11-27.` and the first 12 hex digits of a SHA-256 of the wording and the contact.
    pub fn version(&self) -> String {
        let mut hash = Sha256::new();
        for part in [
            WORDING_REVISION,
            Self::PURPOSE,
            Self::AUTHORITY,
            &self.contact.title,
            &self.contact.address,
            &self.contact.phone,
        ] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        let digest = hash.finalize();
        let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        format!("{WORDING_REVISION}.{hex}")
    }

    /// Whether any part of the contact is still a built-in placeholder.
    pub fn is_placeholder(&self) -> bool {
        let placeholder = PrivacyContact::default();
        self.contact.title == placeholder.title
            || self.contact.address == placeholder.address
            || self.contact.phone == placeholder.phone
    }
}

impl Default for PrivacyNotice {
    fn default() -> PrivacyNotice {
        PrivacyNotice::new(PrivacyContact::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_changes_with_the_contact() {
        let notice = PrivacyNotice::default();
        assert!(notice.is_placeholder());
        assert_eq!(notice.version(), PrivacyNotice::default().version());
        assert!(notice.version().starts_with("2026-11-27."));
        let mut other = notice.clone();
        other.contact.phone = "604-555-0100".to_owned();
        assert_ne!(other.version(), notice.version());
        assert!(
            other.is_placeholder(),
            "title and address are still placeholders"
        );
        other.contact.title = "Manager, Co-operative Education".to_owned();
        other.contact.address = "1 University Way".to_owned();
        assert!(!other.is_placeholder());
    }
}
