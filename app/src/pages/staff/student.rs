//! One student's whole file for staff: the record (the program facts staff edit here), the
//! evaluation now (J with reasons), documents, letter requests, IRCC applications, work terms,
//! reminders and the history of every change with its values before and after; and the export
//! of everything held about the student (subject access).

use coop_api::staff::StudentFileView;
use coop_core::case::{Coop1101, Level};
use leptos::prelude::*;

use crate::api::letter_queue::RevokeLetter;
use crate::api::student_file::{
    PauseReminders, RecordLeaving, ResendReminder, UpdateStudent, student_file,
};
use crate::components::forms::{FieldError, alert, outcome};

#[component]
pub fn StudentPage(id: i64) -> impl IntoView {
    let save = ServerAction::<UpdateStudent>::new();
    let pause = ServerAction::<PauseReminders>::new();
    let resend = ServerAction::<ResendReminder>::new();
    let revoke = ServerAction::<RevokeLetter>::new();
    let leave = ServerAction::<RecordLeaving>::new();
    let file = LocalResource::new(move || {
        leave.version().get();
        save.version().get();
        pause.version().get();
        resend.version().get();
        revoke.version().get();
        student_file(id)
    });
    view! {
        <p><a href="/home?view=students">"All students"</a></p>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match file.await {
                    Ok(s) => view! { <FileView s save pause resend revoke leave/> }.into_any(),
                    Err(e) => alert(&e),
                }
            })}
        </Transition>
    }
}

#[component]
fn FileView(
    s: StudentFileView,
    save: ServerAction<UpdateStudent>,
    pause: ServerAction<PauseReminders>,
    resend: ServerAction<ResendReminder>,
    revoke: ServerAction<RevokeLetter>,
    leave: ServerAction<RecordLeaving>,
) -> impl IntoView {
    let yes_no = |name: &'static str, id: &'static str, label: &'static str, value: bool| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id name=name>
                    <option value="true" selected=value>"Yes"</option>
                    <option value="false" selected=!value>"No"</option>
                </select>
            </div>
        }
    };
    let coop1101 = s.coop1101;
    let level = s.level;
    let save_error = Signal::derive(move || save.value().get().and_then(Result::err));
    let pause_error = Signal::derive(move || pause.value().get().and_then(Result::err));
    let leave_error = Signal::derive(move || leave.value().get().and_then(Result::err));
    let program_code = s.program_code.clone().unwrap_or_default();
    crate::components::title::set_whole(&crate::components::title::office(&format!(
        "{} · Students",
        s.name
    )));
    view! {
        <h2 data-student-page=s.id>{s.name.clone()}" ("{s.student_number.clone()}")"</h2>
        <p><a href=format!("/api/v1/students/{}/export", s.id) download id="export-student">"Export everything held (zip, FIPPA s. 5)"</a></p>
        <section class="verdict" data-cleared=s.cleared.to_string()>
            {if s.cleared {
                view! { <p class="ok">"Cleared for co-op jobs (J)."</p> }.into_any()
            } else {
                view! {
                    <p class="bad">"Not cleared for co-op jobs (J):"</p>
                    <ul>{s.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                }.into_any()
            }}
            <p>{s.regime}</p>
            <dl class="account-facts">
                {s.document_states.into_iter().map(|(d, text)| view! { <dt>{d}</dt><dd>{text}</dd> }).collect_view()}
                <dt>"E-mail"</dt><dd>{s.email}</dd>
                <dt>"Program in the catalogue (W2f)"</dt>
                <dd data-program-facts=s.program_code.clone().unwrap_or_default()>{s.program_facts.clone().unwrap_or_else(|| "Not on file: W2f is not decided for this student until their program is set below.".to_owned())}</dd>
                <dt>"Placement letter issued (W2d)"</dt><dd>{if s.placement_letter { "yes" } else { "no" }}</dd>
                <dt>"Time zone (T2)"</dt><dd>{s.zone}</dd>
            </dl>
        </section>
        <section class="card" aria-labelledby="program-title">
            <h3 id="program-title">"Program record"</h3>
            <ActionForm action=save>
                <input type="hidden" name="id" value=s.id/>
                <input type="hidden" name="version" value=s.version/>
                <div class="field">
                    <label for="program">"Program and credential"</label>
                    <input id="program" name="record[program]" value=s.program required maxlength=coop_core::text_limits::PROGRAM.max_chars aria-describedby="program-error"/>
                    <FieldError error=save_error field="program" id="program-error"/>
                </div>
                <div class="field">
                    <label for="program-code">"Program in the catalogue (W2f)"</label>
                    <select id="program-code" name="record[program_code]" aria-describedby="program-code-error">
                        <option value="" selected=program_code.is_empty()>"Not on file"</option>
                        {s.programs.into_iter().map(|(code, name)| {
                            let selected = code == program_code;
                            view! { <option value=code.clone() selected=selected>{format!("{name} ({code})")}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError error=save_error field="program_code" id="program-code-error"/>
                </div>
                {yes_no("record[coop_program]", "coop-program", "In the Co-op program (L1, J1)", s.coop_program)}
                <div class="field">
                    <label for="coop1101">"COOP 1101 (L2)"</label>
                    <select id="coop1101" name="record[coop1101]">
                        <option value="none" selected=coop1101 == Coop1101::None>"Not registered"</option>
                        <option value="registered" selected=coop1101 == Coop1101::Registered>"Registered"</option>
                        <option value="completed" selected=coop1101 == Coop1101::Completed>"Completed"</option>
                    </select>
                </div>
                {yes_no("record[continuance_met]", "continuance", "Continuance requirements met (J2)", s.continuance_met)}
                {yes_no("record[full_time]", "full-time", "Studying full-time (W2e)", s.full_time)}
                <div class="field">
                    <label for="level">"Level (G3)"</label>
                    <select id="level" name="record[level]">
                        <option value="post_secondary" selected=level == Level::PostSecondary>"Post-secondary"</option>
                        <option value="secondary" selected=level == Level::Secondary>"Secondary"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="notes">"Notes (staff only)"</label>
                    <textarea id="notes" name="record[notes]" maxlength=coop_core::text_limits::NOTES.max_chars aria-describedby="notes-error">{s.notes}</textarea>
                    <FieldError error=save_error field="notes" id="notes-error"/>
                </div>
                <button type="submit">"Save"</button>
            </ActionForm>
            <div aria-live="polite">{move || save.value().get().map(outcome)}</div>
        </section>
        <section class="card" aria-labelledby="documents-title">
            <h3 id="documents-title">"Documents"</h3>
            <ul>
                {s.documents.into_iter().map(|d| view! {
                    <li data-document=d.id>
                        {format!("{} {}, expires {}: {}", d.kind, d.number, d.expires, d.status.code())}
                        {(!d.reason.is_empty()).then(|| format!(" ({})", d.reason))}
                        {d.file.map(|href| view! { " " <a href=href target="_blank" rel="noopener">"file"</a> })}
                    </li>
                }).collect_view()}
            </ul>
            <h3>"Letter requests"</h3>
            <ul>
                {s.letter_requests.into_iter().map(|r| view! {
                    <li data-letter-request=r.id>
                        {format!("Requested {}: {}", r.requested, r.status.code())}
                        {(!r.reason.is_empty()).then(|| format!(" ({})", r.reason))}
                        {r.letter.map(|href| view! { " " <a href=href>"letter (PDF)"</a> })}
                        {(r.status == coop_core::letter_request::LetterRequestStatus::Approved).then(|| {
                            let field = format!("revoke-reason-{}", r.id);
                            view! {
                                <ActionForm action=revoke attr:class="inline">
                                    <input type="hidden" name="id" value=r.id/>
                                    <label for=field.clone()>"Reason to revoke"</label>
                                    <input id=field.clone() name="reason" required maxlength=coop_core::text_limits::REFUSAL_REASON.max_chars/>
                                    <button type="submit">"Revoke this letter"</button>
                                </ActionForm>
                            }
                        })}
                    </li>
                }).collect_view()}
            </ul>
            <div aria-live="polite">{move || revoke.value().get().map(outcome)}</div>
            <h3>"IRCC applications"</h3>
            <ul>
                {s.applications.into_iter().map(|a| view! { <li>{format!("{}, submitted {}: {}", a.for_document, a.submitted, a.decision.code())}</li> }).collect_view()}
            </ul>
            <h3>"Work terms"</h3>
            <ul>
                {s.work_terms.into_iter().map(|t| view! { <li>{format!("{} to {} {}", t.start, t.end, t.employer)}</li> }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="reminders-title">
            <h3 id="reminders-title">"Reminders (R1)"</h3>
            {match s.reminders_paused {
                Some(reason) => view! {
                    <p data-reminders="paused">{format!("Paused: {reason}")}</p>
                    <ActionForm action=pause>
                        <input type="hidden" name="id" value=s.id/>
                        <button type="submit">"Resume reminders"</button>
                    </ActionForm>
                }.into_any(),
                None => view! {
                    <ActionForm action=pause>
                        <input type="hidden" name="id" value=s.id/>
                        <label for="pause-reason">"Reason for pausing reminders"</label>
                        <input id="pause-reason" name="reason" required maxlength=coop_core::text_limits::PAUSE_REASON.max_chars aria-describedby="pause-reason-error"/>
                        <FieldError error=pause_error field="reason" id="pause-reason-error"/>
                        <button type="submit">"Pause reminders"</button>
                    </ActionForm>
                }.into_any(),
            }}
            <div aria-live="polite">{move || pause.value().get().map(outcome)}</div>
            <div aria-live="polite">{move || resend.value().get().map(outcome)}</div>
            <ul class="reminders">
                {s.reminders.into_iter().map(|r| view! {
                    <li data-reminder=r.id>
                        {format!("{}: {}: {}", r.due, r.about, r.how)}
                        {r.delivered.then(|| view! {
                            <ActionForm action=resend attr:class="inline">
                                <input type="hidden" name="id" value=r.id/>
                                <button type="submit" aria-label=format!("Send again: the reminder due {}", r.due)>"Send again"</button>
                            </ActionForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="leaving-title">
            <h3 id="leaving-title">"Leaving (F2)"</h3>
            {s.leaving.map(|text| view! { <p data-leaving>{text}</p> })}
            <ActionForm action=leave>
                <input type="hidden" name="id" value=s.id/>
                <label for="left-on">"Left the institution on"</label>
                <input id="left-on" type="date" name="left_on" value=s.left_on.map(|d| d.to_string()) aria-describedby="left-on-error"/>
                <FieldError error=leave_error field="left_on" id="left-on-error"/>
                <button type="submit">"Record leaving"</button>
            </ActionForm>
            <div aria-live="polite">{move || leave.value().get().map(outcome)}</div>
        </section>
        <section class="card" aria-labelledby="history-title">
            <h3 id="history-title">"History"</h3>
            <div class="table-scroll">
            <table class="history">
                <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Changes"</th></tr></thead>
                <tbody>
                    {s.history.into_iter().map(|h| view! {
                        <tr><td>{h.when}</td><td>{h.who}</td><td>{h.what}</td><td>{h.changes}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
    }
}
