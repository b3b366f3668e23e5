//! coop-app — the single-page app: the HTML shell, routes, pages and components. Rendered on
//! the server (`ssr`) and hydrated in the browser (`hydrate`); every decision it shows comes from
//! `coop-core`, run in the browser.
// Leptos views are deeply nested types; the default limit (128) is too low for the app.
#![recursion_limit = "512"]

pub mod api;
/// `/verify/<code>`, a server-rendered document of its own (no hydration).
#[cfg(feature = "ssr")]
pub use pages::verify::{Outcome as VerificationOutcome, document as verification_document};
mod components;
mod drafts;
mod pages;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, StaticSegment, lazy_route};

/// The Content-Security-Policy of a page: only this origin's scripts, plus the inline hydration
/// script carrying this response's nonce; WebAssembly may be compiled; nothing may frame it.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sends the page's CSP with the nonce Leptos put on its inline scripts for this response.
#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    use http::header::{CONTENT_SECURITY_POLICY, HeaderValue};
    let nonce = leptos::nonce::use_nonce();
    let response = use_context::<leptos_axum::ResponseOptions>();
    if let (Some(nonce), Some(response)) = (nonce, response)
        && let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce))
    {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_content_security_policy();
    provide_meta_context();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // Written here, outside <App/>, so the browser's wasm needs no leptos_meta; as
                // markup, so no hydration marker joins the text (`/` is never hydrated by Leptos).
                <title inner_html=coop_self_check::html::escaped(&page_title())></title>
                <meta name="description" content="Check whether you may work in a co-op placement, and what to do next."/>
                <meta name="theme-color" content="#1d4f91"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/icon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                {page_scripts(options)}
                <MetaTags/>
            </head>
            <body>
                <App/>
                // After the app, not hydrated: see account::SiteHeader (shown first by CSS).
                {site_header()}
            </body>
        </html>
    }
}

/// `/`'s own bundle (`coop-self-check-web`), when the site has one: the server finds its hashed
/// names at start-up and provides them to the shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfCheckBundle {
    /// The path of its JavaScript module.
    pub js: String,
    /// The path of its WebAssembly.
    pub wasm: String,
}

/// The scripts of this page: the self-check's own small bundle at `/` (a student's first load:
/// the rules and the form, not every page of the app), the app's hydration everywhere else.
#[cfg(feature = "ssr")]
fn page_scripts(options: LeptosOptions) -> impl IntoView {
    use leptos::either::Either;
    let at_root =
        use_context::<http::request::Parts>().is_some_and(|parts| parts.uri.path() == "/");
    match use_context::<SelfCheckBundle>().filter(|_| at_root) {
        Some(SelfCheckBundle { js, wasm }) => {
            let nonce = leptos::nonce::use_nonce();
            let start = format!("import init from {js:?};init({{module_or_path:{wasm:?}}});");
            Either::Left(view! {
                <link rel="modulepreload" href=js crossorigin=""/>
                <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin=""/>
                <script type="module" nonce=nonce inner_html=start></script>
            })
        }
        None => Either::Right(view! { <HydrationScripts options/> }),
    }
}

#[cfg(not(feature = "ssr"))]
fn page_scripts(options: LeptosOptions) -> impl IntoView {
    view! { <HydrationScripts options/> }
}

/// This page's title, from the request's address and who asks (server only: the browser's
/// pages set theirs when they open, `components::title`).
#[cfg(feature = "ssr")]
fn page_title() -> String {
    use coop_store::service::access::Principal;
    let Some(parts) = use_context::<http::request::Parts>() else {
        return components::title::full(components::title::SELF_CHECK);
    };
    let staff = parts
        .extensions
        .get::<Principal>()
        .and_then(Principal::user)
        .is_some_and(|u| u.role.is_staff());
    components::title::for_address(parts.uri.path(), parts.uri.query().unwrap_or(""), staff)
}

#[cfg(not(feature = "ssr"))]
fn page_title() -> String {
    components::title::full(components::title::SELF_CHECK)
}

/// The header for this request's user (server only; the browser never renders it).
#[cfg(feature = "ssr")]
fn site_header() -> impl IntoView {
    let user = use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<coop_store::service::access::Principal>()
                .cloned()
        })
        .and_then(|principal| principal.user().map(coop_api::accounts::SessionUser::from));
    view! { <pages::account::SiteHeader user/> }
}

#[cfg(not(feature = "ssr"))]
fn site_header() -> impl IntoView {}

/// The app: routes and the frame around every page.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=pages::self_check::SelfCheckPage/>
                    <Route path=StaticSegment("sign-in") view={Lazy::<SignInRoute>::new()}/>
                    <Route path=StaticSegment("forgot-password") view={Lazy::<SignInRoute>::new()}/>
                    <Route path=StaticSegment("reset-password") view={Lazy::<SignInRoute>::new()}/>
                    <Route path=StaticSegment("set-password") view={Lazy::<SignInRoute>::new()}/>
                    <Route path=StaticSegment("account") view={Lazy::<pages::account::AccountRoute>::new()}/>
                    <Route path=StaticSegment("home") view={Lazy::<HomeRoute>::new()}/>
                    <Route path=StaticSegment("record") view={Lazy::<pages::record::RecordRoute>::new()}/>
                </Routes>
            </main>
        </Router>
    }
}

/// `/sign-in` and the password pages (`/forgot-password`, and an e-mailed link's
/// `/reset-password` or `/set-password`), loaded on demand as one chunk: each lazy route adds
/// loader code and shared chunks to the first load, and these pages are small and used together.
#[derive(Debug)]
pub struct SignInRoute;

#[lazy_route]
impl LazyRoute for SignInRoute {
    fn data() -> Self {
        SignInRoute
    }

    fn view(_this: Self) -> AnyView {
        let path = leptos_router::hooks::use_location()
            .pathname
            .get_untracked();
        match path.as_str() {
            "/forgot-password" => view! { <pages::passwords::ForgotPasswordPage/> }.into_any(),
            "/reset-password" | "/set-password" => {
                view! { <pages::passwords::SetPasswordPage/> }.into_any()
            }
            _ => view! { <pages::sign_in::SignInPage/> }.into_any(),
        }
    }
}

/// `/home`, each role's own home page, loaded on demand (its code is a separate wasm chunk).
#[derive(Debug)]
pub struct HomeRoute;

#[lazy_route]
impl LazyRoute for HomeRoute {
    fn data() -> Self {
        HomeRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Home/> }.into_any()
    }
}

/// A student's home, or the office's; who is signed in decides.
#[component]
fn Home() -> impl IntoView {
    use coop_api::accounts::Role;
    let user = LocalResource::new(api::session::who_am_i);
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) if u.role == Role::Student => view! { <pages::student_home::StudentHome user=u.id/> }.into_any(),
                    Ok(Some(u)) => view! { <pages::staff::StaffHome admin={u.role == Role::Admin}/> }.into_any(),
                    Ok(None) => view! {
                        <h1>"Your home page"</h1>
                        <p>"You are not signed in. "<a href="/sign-in">"Sign in"</a></p>
                    }.into_any(),
                    Err(e) => components::forms::alert(&e),
                }
            })}
        </Transition>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    components::title::set_title("Page not found");
    view! {
        <h1>"Page not found"</h1>
        <p><a href="/">"Go to the self-check"</a></p>
    }
}

/// The wasm entry's work: hydrate the server-rendered page and register the service worker.
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    coop_self_check::browser::register_service_worker();
    // Lazy routes (account pages, in their own wasm chunks) need the asynchronous hydration.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        else {
            return;
        };
        let owner = leptos::mount::hydrate_from_async(body, App).await;
        owner.forget();
        coop_self_check::browser::mark_running();
    });
}
