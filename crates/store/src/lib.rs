//! coop-store — the database side of coop-permits: sea-orm entities, migrations and the services
//! that change records (each change and its audit event in one transaction).
//!
//! SQLite is the embedded default, PostgreSQL the scale-out target; every query here runs on
//! both. Native only: nothing in this crate is compiled for the browser. Rules are never decided
//! here — the services ask `coop-core`.

pub mod backup;
pub mod caches;
pub mod connect;
pub mod entity;
pub mod file_store;
pub mod migration;
pub mod private;
pub mod remembered;
pub mod sealed_stream;
pub mod service;
pub mod settings;
pub mod vault;
pub mod wire;

pub use connect::{Backend, Store, StoreError, begin_write};
