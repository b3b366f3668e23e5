//! Pieces every page may use: the browser's storage and clock, the deadline card and its
//! countdown, reading forms and showing a field's error. None of them calls the server.

pub mod browser;
pub mod countdown;
pub mod deadline;
pub mod forms;
pub mod title;
