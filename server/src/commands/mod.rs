//! The operator's commands besides `serve`, one module each: accounts (`user …`, `token …`),
//! `demo`, `import`, and the jobs run by hand (`reminders run`, `retention run`). The same
//! services as the API, with the command line as the audited actor.

mod accounts;
mod demo;
mod failure;
mod import;
mod jobs;

pub use accounts::{token, user};
pub use demo::{DEMO_PASSWORD, demo_data, generate_students};
pub use import::import;
pub use jobs::{
    REMINDER_LEASE_MINUTES, files_move, instant, reminder_runner, reminders_run, retention_run,
};
