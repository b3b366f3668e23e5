//! `/record`, the student's own record: the program facts staff own (read-only here), and what
//! the student keeps themself — their time zone and their planned work terms. Loaded on demand.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::api::record::{AddMyWorkTerm, RemoveMyWorkTerm, SetMyZone, my_record};
use crate::components::forms::{FieldError, alert};

/// `/record`, loaded on demand.
#[derive(Debug)]
pub struct RecordRoute;

#[lazy_route]
impl LazyRoute for RecordRoute {
    fn data() -> Self {
        RecordRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <RecordPage/> }.into_any()
    }
}

#[component]
fn RecordPage() -> impl IntoView {
    crate::components::title::set_title("My record");
    let set_zone = ServerAction::<SetMyZone>::new();
    let add_term = ServerAction::<AddMyWorkTerm>::new();
    let remove_term = ServerAction::<RemoveMyWorkTerm>::new();
    let record = LocalResource::new(move || {
        // Fetched again after each change.
        let _changes = (
            set_zone.version().get(),
            add_term.version().get(),
            remove_term.version().get(),
        );
        my_record()
    });
    let zones = coop_core::time::zone_names();
    let error = move || {
        [
            set_zone.value().get(),
            add_term.value().get(),
            remove_term.value().get(),
        ]
        .into_iter()
        .flatten()
        .find_map(|r| r.err())
        .map(|e| e.message().to_owned())
    };
    let term_error = Signal::derive(move || add_term.value().get().and_then(Result::err));
    let zone_error = Signal::derive(move || set_zone.value().get().and_then(Result::err));
    view! {
        <h1>"My record"</h1>
        <p class="form-error" role="alert">{error}</p>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(r) => view! {
                        <section aria-labelledby="facts-title">
                            <h2 id="facts-title">"Your program (kept by the co-op office)"</h2>
                            <dl class="account-facts">
                                <dt>"Student number"</dt><dd>{r.student_number}</dd>
                                <dt>"Program"</dt><dd>{r.program}</dd>
                                {r.facts.into_iter().map(|f| view! { <dt>{f.fact}</dt><dd>{f.value}</dd> }).collect_view()}
                            </dl>
                            <p class="hint">"If something here is wrong, tell the co-op office: staff keep these facts."</p>
                        </section>
                        <section aria-labelledby="zone-title">
                            <h2 id="zone-title">"Your time zone"</h2>
                            <p data-zone=r.zone.clone()>{format!("Deadlines are shown in {} (T2).", r.zone)}</p>
                        </section>
                        <section aria-labelledby="terms-title">
                            <h2 id="terms-title">"Your work terms"</h2>
                            <ul class="terms">
                                {r.work_terms.into_iter().map(|t| {
                                    let label = format!("{} to {}", t.start, t.end);
                                    view! {
                                        <li data-term=t.id>
                                            {format!("{label}{}", t.employer.map(|e| format!(", {e}")).unwrap_or_default())}
                                            " "
                                            <ActionForm action=remove_term attr:class="inline">
                                                <input type="hidden" name="id" value=t.id/>
                                                <button type="submit" class="secondary">{format!("Remove the work term {label}")}</button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Err(e) => alert(&e),
                }
            })}
        </Transition>
        <ActionForm action=set_zone attr:aria-label="Change your time zone">
            <div class="field">
                <label for="record-zone">"Time zone"</label>
                <input id="record-zone" name="zone" list="record-zone-names" required aria-describedby="record-zone-error"/>
                <FieldError error=zone_error field="zone" id="record-zone-error"/>
                <datalist id="record-zone-names">
                    {zones.into_iter().map(|z| view! { <option value=z/> }).collect_view()}
                </datalist>
            </div>
            <button type="submit">"Save the time zone"</button>
        </ActionForm>
        <ActionForm action=add_term attr:aria-label="Add a work term">
            <div class="field">
                <label for="term-start">"Work term starts"</label>
                <input id="term-start" type="date" name="term[start]" required aria-describedby="term-start-error"/>
                <FieldError error=term_error field="start" id="term-start-error"/>
            </div>
            <div class="field">
                <label for="term-end">"Work term ends"</label>
                <input id="term-end" type="date" name="term[end]" required aria-describedby="term-end-error"/>
                <FieldError error=term_error field="end" id="term-end-error"/>
            </div>
            <div class="field">
                <label for="term-employer">"Employer (optional)"</label>
                <input id="term-employer" name="term[employer]" maxlength=coop_core::text_limits::EMPLOYER.max_chars aria-describedby="term-employer-error"/>
                <FieldError error=term_error field="employer" id="term-employer-error"/>
            </div>
            <button type="submit">"Add the work term"</button>
        </ActionForm>
    }
}
