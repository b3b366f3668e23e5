//! What an inspection refuses a PDF for, and the limits past which it refuses.

/// What a PDF is refused for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Active content, by the name that carries it.
    Active(Active),
    /// The file is encrypted (even with an empty password): its objects cannot be checked.
    Encrypted,
    /// The structure cannot be read (no cross-reference, broken objects).
    Unreadable,
    /// A stream's filter is unknown, cannot be decoded, or decodes past the limits.
    Undecodable,
}

/// The kinds of active content, by the PDF name that carries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Active {
    /// `/JavaScript`, `/JS`.
    Script,
    /// `/Launch`: runs a program or opens a file.
    Launch,
    /// `/EmbeddedFile(s)`: another file inside.
    EmbeddedFile,
    /// `/RichMedia`: Flash or video with its own scripting.
    RichMedia,
    /// `/SubmitForm`, `/ImportData`: sends or loads form data.
    FormData,
    /// `/GoToR`, `/GoToE`: opens another (remote or embedded) document.
    RemoteGoTo,
    /// `/XFA`: an XML form, scriptable.
    Xfa,
}

impl Active {
    pub(super) fn of_name(name: &[u8]) -> Option<Active> {
        Some(match name {
            b"JavaScript" | b"JS" => Active::Script,
            b"Launch" => Active::Launch,
            b"EmbeddedFile" | b"EmbeddedFiles" => Active::EmbeddedFile,
            b"RichMedia" => Active::RichMedia,
            b"SubmitForm" | b"ImportData" => Active::FormData,
            b"GoToR" | b"GoToE" => Active::RemoteGoTo,
            b"XFA" => Active::Xfa,
            _ => return None,
        })
    }
}

/// The most one stream may decode to. A scanned page as a Flate image is 25 MB at 300 dpi in
/// colour; more is no document a student holds.
pub const MAX_STREAM_BYTES: usize = 64 * 1024 * 1024;
/// The most all streams of one file may decode to together (bounds the time spent).
pub const MAX_DECODED_BYTES: usize = 256 * 1024 * 1024;
/// The most an object stream may decode to: it holds dictionaries, which are small (it is also
/// kept in memory for the parser, where other streams are only counted).
pub const MAX_OBJECT_STREAM_BYTES: usize = 8 * 1024 * 1024;
