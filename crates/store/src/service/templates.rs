//! Every e-mail and in-app message the office sends, worded in one place, each citing its rule.
//! The app informs and points to the institution's international advisors; it never gives
//! immigration advice.

use chrono::{DateTime, Utc};
use coop_core::datetime_text::{date_words, datetime_words};
use coop_core::time::Zone;
use coop_core::validation::DocumentKind;

use crate::entity::{reminder, student};

/// An e-mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A message in the app (a notice): its kind (a stable code), title and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: &'static str,
    pub title: String,
    pub body: String,
}

/// R1/R2: a reminder before a document expires — the deadline in the student's zone, in
/// Vancouver time and in UTC, what to do, and the rules.
pub fn reminder(row: &reminder::Model, student: &student::Model, to: &str) -> Message {
    let zone = Zone::named(&student.zone).unwrap_or_default();
    let deadline = coop_core::time::deadline_utc(row.expires);
    let local = datetime_words(&zone.local(deadline));
    let vancouver = datetime_words(&Zone::vancouver().local(deadline));
    let utc = datetime_words(&deadline);
    let what = row.for_document.words();
    let expires = date_words(row.expires);
    let subject = match row.days_before {
        0 => format!("Your {what} expires today ({expires}): apply before midnight UTC"),
        1 => format!("Your {what} expires tomorrow ({expires})"),
        n => format!("Your {what} expires in {n} days ({expires})"),
    };
    let lines = [
        format!("Dear {},", student.name),
        format!("your {what} expires on {expires} (R1)."),
        format!(
            "To keep your status while IRCC decides, submit your extension online before {local} in your time zone ({}), which is {vancouver} in Vancouver and {utc} UTC (T4, M1).",
            zone.name()
        ),
        "Apply at least 30 days before it expires if you can (P4). Once you have applied, report the application on your co-op home page: these reminders then stop (R1) and your co-op status stays right.".to_owned(),
        "This is information from your co-op office, not immigration advice: for advice, talk to your institution's international student advisors.".to_owned(),
    ];
    email(to, subject, &lines)
}

/// An e-mail of plain paragraphs (each escaped in the HTML part).
fn email(to: &str, subject: String, lines: &[String]) -> Message {
    Message {
        to: to.to_owned(),
        subject,
        text: lines.join("\n\n"),
        html: lines
            .iter()
            .map(|l| format!("<p>{}</p>", with_links(l)))
            .collect(),
    }
}

/// A line as HTML: escaped, each web address in it a link.
fn with_links(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            let url = word.trim_end_matches(['.', ',', ')']);
            if url.starts_with("https://") || url.starts_with("http://") {
                let rest = word.get(url.len()..).unwrap_or_default();
                format!(
                    "<a href=\"{0}\">{0}</a>{1}",
                    escape_html(url),
                    escape_html(rest)
                )
            } else {
                escape_html(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A new account: the link to set a first password, or (single sign-on only) how to sign in
/// with the institution's account.
pub fn invitation(
    to: &str,
    name: &str,
    site: &str,
    link: Option<(&str, DateTime<Utc>)>,
    sso_name: Option<&str>,
) -> Message {
    let mut lines = vec![
        format!("Dear {name},"),
        "the co-op office has opened your account on coop-permits, where you see whether you may work in a co-op placement and what to do next.".to_owned(),
    ];
    if let Some((link, expires)) = link {
        lines.push(format!(
            "Set your password here (the link works once, until {} UTC): {link}",
            datetime_words(&expires)
        ));
    }
    if let Some(sso) = sso_name {
        lines.push(format!(
            "You can also sign in with your {sso}: choose \"Sign in with {sso}\" at {site}/sign-in."
        ));
    }
    lines.push("If you did not expect this, tell the co-op office.".to_owned());
    email(to, "Your coop-permits account".to_owned(), &lines)
}

/// A forgotten password: the link to set a new one.
pub fn password_reset(to: &str, name: &str, link: &str, expires: DateTime<Utc>) -> Message {
    let lines = [
        format!("Dear {name},"),
        format!(
            "someone (we hope you) asked to reset your coop-permits password. Set a new one here; the link works once, until {} UTC: {link}",
            datetime_words(&expires)
        ),
        "Setting it signs you out everywhere. If you did not ask, ignore this e-mail: your password stays as it is.".to_owned(),
    ];
    email(to, "Reset your coop-permits password".to_owned(), &lines)
}

/// S8, J: staff verified a document.
pub fn document_verified(kind: DocumentKind) -> Notice {
    let what = kind.words();
    Notice {
        kind: "document_verified",
        title: format!("Your {what} is verified"),
        body: format!(
            "The co-op office verified your {what}; it now counts for your co-op status (S8, J)."
        ),
    }
}

/// S8: staff rejected a document, with their reason.
pub fn document_rejected(kind: DocumentKind, reason: &str) -> Notice {
    Notice {
        kind: "document_rejected",
        title: format!("Your {} was not accepted", kind.words()),
        body: format!(
            "The co-op office says: {reason} (S8). Submit a corrected document from your home page."
        ),
    }
}

/// L, W2d: the letter is issued.
pub fn letter_approved() -> Notice {
    Notice {
        kind: "letter_approved",
        title: "Your co-op letter is ready".to_owned(),
        body: "The co-op office issued your letter; download it from your home page (L, W2d)."
            .to_owned(),
    }
}

/// L: the request is declined, with the office's reason.
pub fn letter_rejected(reason: &str) -> Notice {
    Notice {
        kind: "letter_rejected",
        title: "Your letter request was not approved".to_owned(),
        body: format!(
            "The co-op office says: {reason} (L). You can send a new request when this is resolved."
        ),
    }
}

/// L, W2d: an issued letter is revoked, with the office's reason.
pub fn letter_revoked(reason: &str) -> Notice {
    Notice {
        kind: "letter_revoked",
        title: "Your co-op letter was revoked".to_owned(),
        body: format!(
            "The co-op office says: {reason} (L, W2d). The letter no longer stands; ask the co-op office or an international student advisor what this means for your placement."
        ),
    }
}

/// T4: an application reported after the document had expired.
pub fn application_late() -> Notice {
    Notice {
        kind: "application_late",
        title: "Your application was after the deadline".to_owned(),
        body: coop_core::explain::timeliness(Some(false)).to_owned(),
    }
}

/// A reminder's copy in the app.
pub fn reminder_notice(message: &Message) -> Notice {
    Notice {
        kind: "reminder",
        title: message.subject.clone(),
        body: message.text.clone(),
    }
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html(r#"<a href="x">&</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn web_addresses_in_an_email_are_links() {
        assert_eq!(
            with_links("Set it here: https://coop.example.ca/set-password?token=a&b. <Thanks>"),
            "Set it here: <a href=\"https://coop.example.ca/set-password?token=a&amp;b\">https://coop.example.ca/set-password?token=a&amp;b</a>. &lt;Thanks&gt;"
        );
        let reset = password_reset(
            "amara@example.ca",
            "Amara",
            "http://coop.test/reset-password?token=abc",
            chrono::DateTime::UNIX_EPOCH,
        );
        assert!(
            reset
                .html
                .contains(r#"<a href="http://coop.test/reset-password?token=abc">"#)
        );
        assert!(
            reset
                .text
                .contains("http://coop.test/reset-password?token=abc")
        );
    }

    #[test]
    fn every_notice_cites_its_rule() {
        for notice in [
            document_verified(DocumentKind::StudyPermit),
            document_rejected(DocumentKind::CoopWorkPermit, "blurred"),
            letter_approved(),
            letter_rejected("no work term"),
        ] {
            assert!(notice.body.contains('('), "{notice:?}");
        }
        assert_eq!(
            document_verified(DocumentKind::ApprovalLetter).title,
            "Your approval letter is verified"
        );
    }
}
