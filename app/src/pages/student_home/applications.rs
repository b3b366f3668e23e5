//! A student's applications to IRCC on the home page: reporting one (M1, M2), kept on the
//! device first (a draft) so it is not lost without a connection, and recording IRCC's decision
//! (M3).

use coop_api::status::StudentStatus;
use coop_core::case::Decision;
use leptos::prelude::*;

use crate::api::AppError;
use crate::api::applications::{RecordMyDecision, my_applications};
use crate::components::forms::{FieldError, alert};

/// What the report form last said.
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "only the browser sends drafts")
)]
#[derive(Debug, Clone, PartialEq, Eq)]
enum ReportSaid {
    Sent {
        message: String,
        timely: Option<bool>,
    },
    Kept,
    Refused(AppError),
}

/// The report's fields, checked in the browser before they are kept or sent (S9, the time).
#[cfg_attr(not(feature = "hydrate"), expect(dead_code, reason = "browser only"))]
fn check_report(fields: &[(String, String)]) -> Result<(), AppError> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    coop_core::validation::parse_application_number(&field("application_number"))
        .map_err(|f| AppError::for_field("application_number", f.code.message()))?;
    let (when, given) = match field("when").as_str() {
        "utc_date" => (
            "submitted_utc_date",
            coop_core::contract::parse_date(&field("submitted_utc_date")).is_some(),
        ),
        _ => (
            "submitted_local",
            coop_core::datetime_text::parse_local(&field("submitted_local")).is_some(),
        ),
    };
    if given {
        Ok(())
    } else {
        Err(AppError::for_field(
            when,
            "Enter the date and time you submitted it.",
        ))
    }
}

/// The form that reports an application to IRCC. Kept on the device first (a draft), so it is
/// not lost without a connection.
#[component]
pub(super) fn ReportApplication(
    status: LocalResource<Result<StudentStatus, AppError>>,
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
            let Some(form) = crate::components::forms::form_of(&ev) else {
                return;
            };
            let fields = crate::components::forms::fields(&form);
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
                    Sent::Refused(error) => ReportSaid::Refused(error),
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
    let refused = Signal::derive(move || match said.get() {
        Some(ReportSaid::Refused(error)) => Some(error),
        _ => None,
    });
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
                        <input id="report-local" type="datetime-local" name="submitted_local" aria-describedby="report-local-error"/>
                        <FieldError error=refused field="submitted_local" id="report-local-error"/>
                    </div>
                    <div class="field" hidden=move || when.get() != "utc_date">
                        <label for="report-utc">"Submitted on (UTC date)"</label>
                        <input id="report-utc" type="date" name="submitted_utc_date" aria-describedby="report-utc-error"/>
                        <FieldError error=refused field="submitted_utc_date" id="report-utc-error"/>
                    </div>
                </fieldset>
                <div class="field">
                    <label for="report-number">"Application number"</label>
                    <p class="hint" id="report-number-hint">"One letter and 9 digits, e.g. W123456789 (S9)."</p>
                    <input id="report-number" name="application_number" aria-describedby="report-number-hint report-number-error" required/>
                    <FieldError error=refused field="application_number" id="report-number-error"/>
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
                    ReportSaid::Refused(why) => alert(&why),
                })}
            </div>
        </section>
    }
}

/// The student's applications to IRCC, and IRCC's decision on each once it comes (M3).
#[component]
pub(super) fn Applications(
    status: LocalResource<Result<StudentStatus, AppError>>,
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
                    Err(e) => alert(&e),
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
                                    let pending = a.decision == Decision::Pending;
                                    let decided = match a.decision {
                                        Decision::Approved => "IRCC approved it (M3).",
                                        Decision::Refused => "IRCC refused it (M3).",
                                        Decision::Pending => "Waiting for IRCC's decision.",
                                    };
                                    view! {
                                        <li data-application=id data-decision=a.decision.code()>
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
                        Err(e) => alert(&e),
                    }
                })}
            </Transition>
        </section>
    }
}
