//! The public self-check at `/`: the student describes their situation and `coop-core`,
//! compiled to WebAssembly, answers in the browser as they type — offline too.

mod fields;
mod form;
mod programs;
mod results;

use chrono::{DateTime, Utc};
use coop_core::contract::FieldError;
use coop_core::evaluate;
use coop_core::time;
use leptos::prelude::*;

use crate::components::time_zones::ZoneRules;
use fields::{CheckField, InputField, SelectField};
pub use form::SelfCheckForm;
use results::Results;

const COOP1101: &[(&str, &str)] = &[
    ("none", "Not registered"),
    ("registered", "Registered"),
    ("completed", "Completed"),
];
const LEVELS: &[(&str, &str)] = &[
    ("post_secondary", "College or university"),
    ("secondary", "Secondary school"),
];
const COOP_KINDS: &[(&str, &str)] = &[
    ("none", "None yet"),
    ("coop_work_permit", "Co-op work permit (IMM 1442)"),
    ("approval_letter", "IRCC approval letter (IMM 5754)"),
];
const DOCUMENTS: &[(&str, &str)] = &[
    ("study_permit", "Study permit"),
    ("coop_work_permit", "Co-op work permit"),
];
const DECISIONS: &[(&str, &str)] = &[
    ("pending", "Waiting for a decision"),
    ("approved", "Approved"),
    ("refused", "Refused"),
];

/// The self-check page.
#[component]
pub fn SelfCheckPage() -> impl IntoView {
    crate::components::title::set_title(crate::components::title::SELF_CHECK);
    let form = RwSignal::new(SelfCheckForm::default());
    // None until the page runs in a browser: the server renders the form, the browser answers.
    let now: RwSignal<Option<DateTime<Utc>>> = RwSignal::new(None);
    // The browser fetches the rules of a zone other than Vancouver or UTC (time_zones.rs).
    let zone_rules = RwSignal::new(form.with_untracked(|f| ZoneRules::of(&f.zone).0));
    start_clock(form, now);
    load_zone_rules(form, zone_rules);

    // Validation does not depend on the time of day, only on what was typed.
    let errors: Memo<Vec<FieldError>> = Memo::new(move |_| {
        let at = now.get_untracked().unwrap_or_default();
        let mut errors = form.with(|f| f.check(at).err().unwrap_or_default());
        if let Some(message) = zone_rules.with(ZoneRules::message) {
            for error in errors
                .iter_mut()
                .filter(|e| e.field.as_deref() == Some("zone"))
            {
                error.message.clone_from(&message);
            }
        }
        errors
    });
    // Recomputed every tick but equal (and so silent) until the answer really changes.
    let evaluation = Memo::new(move |_| {
        let at = now.get()?;
        zone_rules.track();
        let case = form.with(|f| f.check(at)).ok()?;
        Some((evaluate(&case), case.zone))
    });
    let zones = time::zone_names();

    view! {
        <h1>"May I work in my co-op placement?"</h1>
        <p class="lead">
            "Describe your situation; the answer below updates as you type, with the rule behind each sentence. "
            "Nothing leaves this device: the rules run in your browser, and your answers are kept only here."
        </p>
        <p class="jump"><a href="#answer-title">"Jump to your answer"</a></p>
        <div class="self-check">
            <form class="situation" on:submit=|ev| ev.prevent_default() aria-label="Your situation">
                <fieldset>
                    <legend>"Your program"</legend>
                    <div id=programs::PLACE></div>
                    <CheckField label="I am in the Co-op program" path="student.coop_program" form
                        get=|f| f.coop_program set=|f, v| f.coop_program = v/>
                    <SelectField label="COOP 1101" path="student.coop1101" choices=COOP1101 form errors
                        get=|f| f.coop1101.clone() set=|f, v| f.coop1101 = v/>
                    <CheckField label="My program's continuance requirements are met" path="student.continuance_met" form
                        get=|f| f.continuance_met set=|f, v| f.continuance_met = v/>
                    <CheckField label="I study full-time (9 credits or more)" path="student.full_time" form
                        get=|f| f.full_time set=|f, v| f.full_time = v/>
                    <CheckField label="The co-op office has issued my placement letter" path="student.placement_letter" form
                        get=|f| f.placement_letter set=|f, v| f.placement_letter = v/>
                    <SelectField label="Level of study" path="student.level" choices=LEVELS form errors
                        get=|f| f.level.clone() set=|f, v| f.level = v/>
                    <CheckField label="I am in Canada" path="student.in_canada" form
                        get=|f| f.in_canada set=|f, v| f.in_canada = v/>
                </fieldset>
                <fieldset>
                    <legend>"Your study permit"</legend>
                    <InputField label="Study permit expiry date" path="study_permit.expires" kind="date" form errors
                        hint="Leave empty if you have no study permit."
                        get=|f| f.study_permit_expires.clone() set=|f, v| f.study_permit_expires = v/>
                    <CheckField label="It carries an on-campus work condition" path="study_permit.on_campus_work" form
                        get=|f| f.on_campus_work set=|f, v| f.on_campus_work = v/>
                    <CheckField label="The co-op office has verified my study permit" path="study_permit.verified" form
                        get=|f| f.study_permit_verified set=|f, v| f.study_permit_verified = v/>
                </fieldset>
                <fieldset>
                    <legend>"Co-op work permit"</legend>
                    <SelectField label="Co-op work permit or approval letter" path="coop_work_permit.kind" choices=COOP_KINDS form errors
                        get=|f| f.coop_kind.clone() set=|f, v| f.coop_kind = v/>
                    {move || (form.with(|f| f.coop_kind != "none")).then(|| view! {
                        <InputField label="Co-op work permit expiry date" path="coop_work_permit.expires" kind="date" form errors
                            get=|f| f.coop_expires.clone() set=|f, v| f.coop_expires = v/>
                        <CheckField label="The co-op office has verified it" path="coop_work_permit.verified" form
                            get=|f| f.coop_verified set=|f, v| f.coop_verified = v/>
                    })}
                </fieldset>
                <Applications form errors/>
                <WorkTerms form errors/>
                <fieldset>
                    <legend>"Your time zone"</legend>
                    <InputField label="Time zone" path="zone" kind="text" form errors list="zone-names"
                        hint="Deadlines are shown in this zone, in Vancouver time and in UTC."
                        get=|f| f.zone.clone() set=|f, v| f.zone = v/>
                    <datalist id="zone-names">
                        {zones.into_iter().map(|z| view! { <option value=z/> }).collect_view()}
                    </datalist>
                </fieldset>
            </form>
            <section class="answer" aria-labelledby="answer-title">
                <h2 id="answer-title">"Your answer"</h2>
                <div aria-live="polite" class="live">
                    {move || match (now.get().is_some(), evaluation.get()) {
                        (false, _) => view! {
                            <p class="loading">"Loading the rules… (this needs JavaScript and WebAssembly)"</p>
                        }.into_any(),
                        (true, None) if zone_rules.with(|z| *z != ZoneRules::Ready) => view! {
                            <p class="loading">{move || zone_rules.with(ZoneRules::message)}</p>
                        }.into_any(),
                        (true, None) => view! {
                            <p class="incomplete">"Some answers above need a look: see the messages beside the fields."</p>
                        }.into_any(),
                        (true, Some((e, zone))) => view! {
                            <Results evaluation=e zone=zone now=now.into()/>
                        }.into_any(),
                    }}
                </div>
            </section>
        </div>
    }
}

/// Applications made to IRCC: any number of rows.
#[component]
fn Applications(form: RwSignal<SelfCheckForm>, errors: fields::Errors) -> impl IntoView {
    let rows = move || form.with(|f| f.applications.iter().map(|a| a.row).collect::<Vec<_>>());
    view! {
        <fieldset>
            <legend>"Applications you made to IRCC"</legend>
            <For each=rows key=|row| *row let:row>
                {
                    let index = move || form.with(|f| f.applications.iter().position(|a| a.row == row).unwrap_or(0));
                    let n = move || index() + 1;
                    view! {
                        <div class="row" role="group" aria-label=move || format!("Application {}", n())>
                            <SelectField label="For" path=format!("applications[{}].for", index()) choices=DOCUMENTS form errors
                                get=move |f| f.application(row).map(|a| a.for_document.clone()).unwrap_or_default()
                                set=move |f, v| if let Some(a) = f.application_mut(row) { a.for_document = v }/>
                            <InputField label="Submitted on (your local date and time)" path=format!("applications[{}].submitted_at", index())
                                kind="datetime-local" form errors
                                get=move |f| f.application(row).map(|a| a.submitted_local.clone()).unwrap_or_default()
                                set=move |f, v| if let Some(a) = f.application_mut(row) { a.submitted_local = v }/>
                            <SelectField label="Decision" path=format!("applications[{}].decision", index()) choices=DECISIONS form errors
                                get=move |f| f.application(row).map(|a| a.decision.clone()).unwrap_or_default()
                                set=move |f, v| if let Some(a) = f.application_mut(row) { a.decision = v }/>
                            <button type="button" class="secondary"
                                on:click=move |_| form.update(|f| f.applications.retain(|a| a.row != row))>
                                {move || format!("Remove application {}", n())}
                            </button>
                        </div>
                    }
                }
            </For>
            <button type="button" on:click=move |_| form.update(SelfCheckForm::add_application)>"Add an application"</button>
        </fieldset>
    }
}

/// Planned or current work terms: any number of rows.
#[component]
fn WorkTerms(form: RwSignal<SelfCheckForm>, errors: fields::Errors) -> impl IntoView {
    let rows = move || form.with(|f| f.work_terms.iter().map(|t| t.row).collect::<Vec<_>>());
    view! {
        <fieldset>
            <legend>"Your work terms"</legend>
            <For each=rows key=|row| *row let:row>
                {
                    let index = move || form.with(|f| f.work_terms.iter().position(|t| t.row == row).unwrap_or(0));
                    let n = move || index() + 1;
                    view! {
                        <div class="row" role="group" aria-label=move || format!("Work term {}", n())>
                            <InputField label="Work term starts" path=format!("work_terms[{}].start", index()) kind="date" form errors
                                get=move |f| f.work_term(row).map(|t| t.start.clone()).unwrap_or_default()
                                set=move |f, v| if let Some(t) = f.work_term_mut(row) { t.start = v }/>
                            <InputField label="Work term ends" path=format!("work_terms[{}].end", index()) kind="date" form errors
                                get=move |f| f.work_term(row).map(|t| t.end.clone()).unwrap_or_default()
                                set=move |f, v| if let Some(t) = f.work_term_mut(row) { t.end = v }/>
                            <button type="button" class="secondary"
                                on:click=move |_| form.update(|f| f.work_terms.retain(|t| t.row != row))>
                                {move || format!("Remove work term {}", n())}
                            </button>
                        </div>
                    }
                }
            </For>
            <button type="button" on:click=move |_| form.update(SelfCheckForm::add_work_term)>"Add a work term"</button>
        </fieldset>
    }
}

/// In the browser: restore the saved form (or take the browser's zone), save every change, and
/// tick the clock once a second until the page is left.
#[cfg(feature = "hydrate")]
fn start_clock(form: RwSignal<SelfCheckForm>, now: RwSignal<Option<DateTime<Utc>>>) {
    use crate::components::browser;
    use send_wrapper::SendWrapper;

    Effect::new(move |previous: Option<()>| {
        if previous.is_none() {
            let saved =
                browser::load(form::STORAGE_KEY).and_then(|text| SelfCheckForm::from_saved(&text));
            match saved {
                Some(saved) => form.set(saved),
                None => {
                    if let Some(zone) = browser::zone().and_then(|z| time::canonical_zone_name(&z))
                    {
                        form.update(|f| f.zone = zone.to_owned());
                    }
                }
            }
            now.set(Some(browser::now()));
            // The program picker, from its lazy chunk, once the form is restored.
            leptos::task::spawn_local(programs::picker(form));
        }
    });
    Effect::new(move |_| {
        let text = form.with(SelfCheckForm::to_saved);
        if let Some(text) = text {
            browser::save(form::STORAGE_KEY, &text);
        }
    });
    let tick = gloo_timers::callback::Interval::new(1_000, move || now.set(Some(browser::now())));
    let tick = SendWrapper::new(tick);
    on_cleanup(move || drop(tick));
}

/// In the browser: whenever the chosen zone is one whose rules this build lacks, fetch them;
/// a change of zone while fetching leaves the newer choice in charge.
#[cfg(feature = "hydrate")]
fn load_zone_rules(form: RwSignal<SelfCheckForm>, zone_rules: RwSignal<ZoneRules>) {
    Effect::new(move |_| {
        let (state, fetch) = form.with(|f| ZoneRules::of(&f.zone));
        let already_loading = fetch.is_some() && zone_rules.get_untracked() == state;
        if zone_rules.get_untracked() != state {
            zone_rules.set(state);
        }
        if let Some(name) = fetch.filter(|_| !already_loading) {
            leptos::task::spawn_local(async move {
                let outcome = crate::components::time_zones::load(name).await;
                if form.with_untracked(|f| time::canonical_zone_name(f.zone.trim())) != Some(name) {
                    return;
                }
                match outcome {
                    Ok(()) => zone_rules.set(ZoneRules::Ready),
                    Err(why) => {
                        leptos::logging::warn!("time-zone rules of {name}: {why}");
                        zone_rules.set(ZoneRules::Failed(name));
                    }
                }
            });
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn load_zone_rules(_form: RwSignal<SelfCheckForm>, _zone_rules: RwSignal<ZoneRules>) {}

#[cfg(not(feature = "hydrate"))]
fn start_clock(_form: RwSignal<SelfCheckForm>, _now: RwSignal<Option<DateTime<Utc>>>) {}
