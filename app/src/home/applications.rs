//! A student's applications to IRCC on the home page: reporting one (M1, M2) and recording IRCC's decision (M3).

use super::*;

/// What the student is told right after reporting an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportOutcome {
    pub timely: Option<bool>,
    /// The meaning, citing its rules (`coop_core::explain::timeliness`).
    pub message: String,
    /// The instant it was read as, in UTC.
    pub submitted_at_utc: String,
}

/// A student reports an application made to IRCC. `when` is `local` (the date and time in the
/// student's zone, `submitted_local` as `YYYY-MM-DDTHH:MM`) or `utc_date` (the UTC date printed
/// on IRCC's confirmation, `submitted_utc_date` as `YYYY-MM-DD`).
#[server(prefix = "/api/app", endpoint = "report_application")]
pub async fn report_application(
    for_document: String,
    when: String,
    submitted_local: String,
    submitted_utc_date: String,
    application_number: String,
    #[server(default)] client_key: Option<String>,
) -> Result<ReportOutcome, ServerFnError> {
    use crate::account::server::{context_store, fail, principal, service_failure};
    use coop_core::case::DocumentFor;
    use coop_store::service::access::require_student;
    use coop_store::service::audit::Actor;
    use coop_store::service::students;
    use http::StatusCode;

    let principal = principal().await;
    let (user, student_id) = require_student(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let for_document = match for_document.as_str() {
        "study_permit" => DocumentFor::StudyPermit,
        "coop_work_permit" => DocumentFor::CoopWorkPermit,
        _ => {
            return Err(fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Choose the document the application is for.",
            ));
        }
    };
    let model = students::get(store.db(), student_id)
        .await
        .map_err(service_failure)?;
    let submitted_at = match when.as_str() {
        "local" => {
            let zone = coop_core::time::Zone::named(&model.zone).unwrap_or_default();
            chrono::NaiveDateTime::parse_from_str(submitted_local.trim(), "%Y-%m-%dT%H:%M")
                .ok()
                .and_then(|local| zone.instant_at(local))
                .ok_or_else(|| {
                    fail(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "Enter the date and time you submitted it.",
                    )
                })?
        }
        "utc_date" => coop_core::contract::parse_date(submitted_utc_date.trim())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc())
            .ok_or_else(|| {
                fail(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Enter the UTC date shown on IRCC's confirmation.",
                )
            })?,
        _ => {
            return Err(fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Say how you know when it was submitted.",
            ));
        }
    };
    let reported = coop_store::service::applications::report(
        store.db(),
        student_id,
        coop_store::service::applications::ApplicationReport {
            for_document,
            submitted_at,
            application_number,
            client_key: coop_store::service::idempotency::parse(client_key.as_deref())
                .map_err(service_failure)?,
        },
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await
    .map_err(service_failure)?;
    Ok(ReportOutcome {
        timely: reported.timely,
        message: coop_core::explain::timeliness(reported.timely).to_owned(),
        submitted_at_utc: submitted_at.format("%Y-%m-%d %H:%M UTC").to_string(),
    })
}

/// What the report form last said.
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "only the browser sends drafts")
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ReportSaid {
    Sent {
        message: String,
        timely: Option<bool>,
    },
    Kept,
    Refused(String),
}

/// The report's fields, checked in the browser before they are kept or sent (S9, the time).
#[cfg_attr(not(feature = "hydrate"), expect(dead_code, reason = "browser only"))]
pub(super) fn check_report(fields: &[(String, String)]) -> Result<(), String> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    coop_core::validation::parse_application_number(&field("application_number"))
        .map_err(|f| f.code.message().to_owned())?;
    let when_given = match field("when").as_str() {
        "utc_date" => coop_core::contract::parse_date(&field("submitted_utc_date")).is_some(),
        _ => coop_core::datetime_text::parse_local(&field("submitted_local")).is_some(),
    };
    if when_given {
        Ok(())
    } else {
        Err("Enter the date and time you submitted it.".to_owned())
    }
}

/// The form that reports an application to IRCC. Kept on the device first (a draft), so it is
/// not lost without a connection.
#[component]
pub(super) fn ReportApplication(
    status: LocalResource<Result<StudentStatus, ServerFnError>>,
) -> impl IntoView {
    let drafts = expect_context::<crate::drafts::Drafts>();
    let said = RwSignal::new(None::<ReportSaid>);
    let busy = RwSignal::new(false);
    let when = RwSignal::new("local".to_owned());
    Effect::new(move |previous: Option<()>| {
        drafts.taken.get();
        if previous.is_some() {
            status.refetch();
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use crate::drafts::{Draft, DraftForm, Sent};
            let Some(form) = crate::forms::form_of(&ev) else {
                return;
            };
            let fields = crate::forms::fields(&form);
            if let Err(why) = check_report(&fields) {
                said.set(Some(ReportSaid::Refused(why)));
                return;
            }
            let draft = Draft {
                key: crate::drafts::new_key(),
                form: DraftForm::Application,
                fields,
                saved: crate::drafts::saved_now(),
            };
            busy.set(true);
            leptos::task::spawn_local(async move {
                let outcome = match drafts.submit(draft).await {
                    Sent::Done {
                        message, timely, ..
                    } => ReportSaid::Sent { message, timely },
                    Sent::Offline => ReportSaid::Kept,
                    Sent::Refused { message, .. } => ReportSaid::Refused(message),
                };
                if !matches!(outcome, ReportSaid::Refused(_)) {
                    form.reset();
                    when.set("local".to_owned());
                }
                said.set(Some(outcome));
                busy.set(false);
            });
        }
    };
    view! {
        <section aria-labelledby="report-title">
            <h2 id="report-title">"Tell us about an application to IRCC"</h2>
            <form class="report" on:submit=on_submit>
                <div class="field">
                    <label for="report-for">"Application for"</label>
                    <select id="report-for" name="for_document">
                        <option value="study_permit">"Study permit"</option>
                        <option value="coop_work_permit">"Co-op work permit"</option>
                    </select>
                </div>
                <fieldset>
                    <legend>"When you submitted it"</legend>
                    <div class="field check">
                        <input type="radio" id="report-when-local" name="when" value="local" checked
                            on:change=move |_| when.set("local".to_owned())/>
                        <label for="report-when-local">"My local date and time"</label>
                    </div>
                    <div class="field check">
                        <input type="radio" id="report-when-utc" name="when" value="utc_date"
                            on:change=move |_| when.set("utc_date".to_owned())/>
                        <label for="report-when-utc">"The UTC date on IRCC's confirmation"</label>
                    </div>
                    <div class="field" hidden=move || when.get() != "local">
                        <label for="report-local">"Submitted on (your local date and time)"</label>
                        <input id="report-local" type="datetime-local" name="submitted_local"/>
                    </div>
                    <div class="field" hidden=move || when.get() != "utc_date">
                        <label for="report-utc">"Submitted on (UTC date)"</label>
                        <input id="report-utc" type="date" name="submitted_utc_date"/>
                    </div>
                </fieldset>
                <div class="field">
                    <label for="report-number">"Application number"</label>
                    <p class="hint" id="report-number-hint">"One letter and 9 digits, e.g. W123456789 (S9)."</p>
                    <input id="report-number" name="application_number" aria-describedby="report-number-hint" required/>
                </div>
                <button type="submit" disabled=move || busy.get()>"Report the application"</button>
            </form>
            <div aria-live="polite">
                {move || said.get().map(|said| match said {
                    ReportSaid::Sent { message, timely } => view! {
                        <p class="report-outcome" data-timely=timely.map_or("unknown", |t| if t { "true" } else { "false" })>
                            {message}
                        </p>
                    }.into_any(),
                    ReportSaid::Kept => view! {
                        <p class="draft-kept">"Saved on this device: not sent yet. It will be sent when you are back online."</p>
                    }.into_any(),
                    ReportSaid::Refused(why) => view! { <p class="form-error" role="alert">{why}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}

/// One application the student reported to IRCC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: i64,
    /// "study permit" or "co-op work permit".
    pub for_document: String,
    pub submitted_utc: String,
    pub number: Option<String>,
    /// `pending`, `approved` or `refused`.
    pub decision: String,
}

/// The signed-in student's reported applications, newest first.
#[server(prefix = "/api/app", endpoint = "my_applications")]
pub async fn my_applications() -> Result<Vec<ApplicationView>, ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_store::service::access::require_student;
    use coop_store::service::records;

    let principal = principal().await;
    let (_, student_id) = require_student(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let on_file = records::load(store.db(), student_id)
        .await
        .map_err(service_failure)?;
    Ok(on_file
        .applications
        .iter()
        .rev()
        .map(|a| ApplicationView {
            id: a.id,
            for_document: a.for_document.words().to_owned(),
            submitted_utc: coop_core::datetime_text::datetime_words(&a.submitted_at) + " UTC",
            number: a.application_number.clone(),
            decision: a.decision.code().to_owned(),
        })
        .collect())
}

/// The student records IRCC's decision (`approved` or `refused`) on a pending application.
#[server(prefix = "/api/app", endpoint = "record_my_decision")]
pub async fn record_my_decision(id: i64, decision: String) -> Result<String, ServerFnError> {
    use crate::account::server::{context_store, fail, principal, service_failure};
    use coop_core::case::Decision;
    use coop_store::service::access::require_student;
    use coop_store::service::audit::Actor;

    let principal = principal().await;
    let (user, student_id) = require_student(&principal).map_err(service_failure)?;
    let decision = match decision.as_str() {
        "approved" => Decision::Approved,
        "refused" => Decision::Refused,
        _ => {
            return Err(fail(
                http::StatusCode::UNPROCESSABLE_ENTITY,
                "Choose whether IRCC approved or refused the application.",
            ));
        }
    };
    let store = context_store()?;
    coop_store::service::applications::record_decision(
        store.db(),
        student_id,
        id,
        decision,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await
    .map_err(service_failure)?;
    Ok(coop_core::explain::decision(decision == Decision::Approved).to_owned())
}

/// The student's applications to IRCC, and IRCC's decision on each once it comes (M3).
#[component]
pub(super) fn Applications(
    status: LocalResource<Result<StudentStatus, ServerFnError>>,
) -> impl IntoView {
    let drafts = expect_context::<crate::drafts::Drafts>();
    let decide = ServerAction::<RecordMyDecision>::new();
    let list = LocalResource::new(move || {
        drafts.taken.get();
        decide.version().get();
        my_applications()
    });
    Effect::new(move |previous: Option<()>| {
        decide.version().get();
        if previous.is_some() {
            status.refetch();
        }
    });
    view! {
        <section aria-labelledby="applications-title">
            <h2 id="applications-title">"Your applications to IRCC"</h2>
            <div aria-live="polite">
                {move || decide.value().get().map(|outcome| match outcome {
                    Ok(message) => view! {
                        <p class="decision-outcome">{message}" "<a href="#documents-title">"Go to your documents"</a></p>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
                })}
            </div>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p>"None reported yet."</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="applications">
                                {items.into_iter().map(|a| {
                                    let id = a.id;
                                    let pending = a.decision == "pending";
                                    let decided = match a.decision.as_str() {
                                        "approved" => "IRCC approved it (M3).",
                                        "refused" => "IRCC refused it (M3).",
                                        _ => "Waiting for IRCC's decision.",
                                    };
                                    view! {
                                        <li data-application=id data-decision=a.decision.clone()>
                                            {format!(
                                                "To extend your {}, submitted {}{}. ",
                                                a.for_document,
                                                a.submitted_utc,
                                                a.number.map(|n| format!(", number {n}")).unwrap_or_default()
                                            )}
                                            {decided}
                                            {pending.then(|| view! {
                                                <ActionForm action=decide attr:class="inline">
                                                    <input type="hidden" name="id" value=id/>
                                                    <input type="hidden" name="decision" value="approved"/>
                                                    <button type="submit">"IRCC approved it"</button>
                                                </ActionForm>
                                                <ActionForm action=decide attr:class="inline">
                                                    <input type="hidden" name="id" value=id/>
                                                    <input type="hidden" name="decision" value="refused"/>
                                                    <button type="submit">"IRCC refused it"</button>
                                                </ActionForm>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
