//! Student records: reading them, creating them, and the one write path every change to what
//! the rules see goes through (`change`).

mod change;
mod create;
mod read;

pub use change::{Change, change, change_within};
pub use create::{NewStudent, create, create_within};
pub use read::{find_by_number, get, search};
