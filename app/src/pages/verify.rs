//! `/verify/<code>`: an employer, or anyone holding a co-op letter, checks that it stands. The
//! letter's QR code opens this page. It is a document of its own, rendered by the server alone:
//! no script and no WebAssembly to download, and nothing to hydrate. It shows only what the
//! letter itself states.

use coop_api::letters::{LetterVerification, VerificationStatus};
use coop_core::datetime_text::date_words;
use leptos::prelude::*;
use leptos_meta::HashedStylesheet;

/// What a code found.
#[derive(Debug, Clone)]
pub enum Outcome {
    Found(LetterVerification),
    /// No issued letter printed this code.
    Unknown,
    /// Refused (too many unknown codes from this client), in a sentence.
    Refused(String),
}

/// The whole HTML document for `outcome`.
pub fn document(options: LeptosOptions, outcome: Outcome) -> String {
    Owner::new().with(move || {
        let content = match outcome {
            Outcome::Found(letter) => verdict(letter).into_any(),
            Outcome::Unknown => view! {
                <p class="bad" data-verification="unknown">"No co-op letter has this code. Check the code printed under the letter's QR code, or ask the institution's co-op office."</p>
            }
            .into_any(),
            Outcome::Refused(message) => view! { <p class="bad" role="alert">{message}</p> }.into_any(),
        };
        view! {
            <!DOCTYPE html>
            <html lang="en">
                <head>
                    <meta charset="utf-8"/>
                    <meta name="viewport" content="width=device-width, initial-scale=1"/>
                    <meta name="robots" content="noindex"/>
                    // A literal: a dynamic text node here would carry a hydration marker into
                    // the title.
                    <title>"Verify a co-op letter · coop-permits"</title>
                    <link rel="icon" href="/icon.svg" type="image/svg+xml"/>
                    <HashedStylesheet options id="leptos"/>
                </head>
                <body>
                    <main id="main">
                        <h1>"Verify a co-op letter"</h1>
                        {content}
                    </main>
                </body>
            </html>
        }
        .to_html()
    })
}

fn verdict(letter: LetterVerification) -> impl IntoView {
    let status = match letter.status {
        VerificationStatus::Valid => view! {
            <p class="ok" data-verification="valid">{format!("This letter was issued by {} and stands.", letter.institution)}</p>
        }
        .into_any(),
        VerificationStatus::Revoked => view! {
            <p class="bad" data-verification="revoked">{format!(
                "{} revoked this letter{}: it no longer stands. Ask its co-op office about the placement.",
                letter.institution,
                letter.revoked_on.map(|d| format!(" on {}", date_words(d))).unwrap_or_default()
            )}</p>
        }
        .into_any(),
    };
    view! {
        <section class="verdict">
            {status}
            <dl class="account-facts">
                <dt>"Institution"</dt><dd>{letter.institution.clone()}</dd>
                <dt>"Student"</dt><dd>{letter.student_name}</dd>
                <dt>"Program"</dt><dd>{letter.program}</dd>
                <dt>"Work placement"</dt><dd>{format!("{} to {}", date_words(letter.work_term.start), date_words(letter.work_term.end))}</dd>
                <dt>"Issued"</dt><dd>{date_words(letter.issued_on)}</dd>
            </dl>
            <p class="hint">"This page confirms what the letter states; it says nothing else about the student."</p>
        </section>
    }
}
