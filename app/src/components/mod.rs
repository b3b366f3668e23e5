//! Pieces every page may use: the browser's storage and clock, the deadline card and its
//! countdown, reading forms and showing a field's error, the browser's zone rules. None of them
//! calls the server except `time_zones` (static files).

pub mod browser;
pub mod countdown;
pub mod deadline;
pub mod forms;
pub mod time_zones;
pub mod title;
