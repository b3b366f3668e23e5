//! The letter the co-op office issues (rule L): under G1 the Co-op Work Permit Letter a student
//! sends to IRCC, under G2 the work placement letter. `wording` says what it states, from the
//! institution's configuration and the student's record; `layout` sets it on US Letter pages as a
//! PDF with the DejaVu Sans font embedded (nothing is read or fetched at run time), its
//! verification address printed and drawn as a QR code.
//!
//! Pure: the same facts give the same bytes. No database, no files.

pub mod layout;
pub mod wording;

pub use layout::{LetterError, render};
pub use wording::{Institution, LetterFacts, Verification};
