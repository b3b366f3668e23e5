//! coop-self-check — the public self-check at `/` without a web framework. A student's phone
//! downloads this (and the rules, `coop-core`) on a first visit, not the whole Leptos app: the
//! server renders the page's HTML with [`render`], and the browser (feature `browser`, the
//! `coop-self-check-web` bundle) keeps it current with the same functions — one renderer, one
//! reader of the form ([`form`]), one set of rules.
//!
//! The app (`coop-app`) shows the same page when a signed-in user's router comes back to `/`,
//! by mounting [`browser::mount`] on what it renders.

pub mod answer;
pub mod catalogue;
pub mod countdown;
pub mod form;
pub mod html;
pub mod page;
pub mod render;
pub mod zone_rules;

#[cfg(feature = "browser")]
pub mod browser;
