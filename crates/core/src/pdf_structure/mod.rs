//! S7 on a PDF's structure (native builds, feature `pdf`): the file is read as a PDF reader reads
//! it — lopdf resolves the cross-reference tables or streams and the object streams — and every
//! object it holds is looked at for active content, wherever it sits: the catalogue's
//! `/OpenAction` and `/AA`, annotations, form fields, name trees. No text scan decides: a
//! `%stream` comment, padding, or a name spelled with `#xx` escapes changes nothing here.
//!
//! Every stream's filters are decoded, within limits, or the file is refused: a reader that can
//! decode what this cannot would see what was never checked. Image codecs (JPEG, JPEG 2000, fax,
//! JBIG2) are the exception — they hold pixels, not objects — and may only end a filter chain.
//! Encrypted files are refused: their objects cannot be read without a key.
//!
//! The parser has no bounds of its own on what a hostile file makes it allocate, so the server
//! runs this in a child process with limits on memory and time (coop-store's
//! `pdf_inspection`); a child that dies is a refusal.

mod decode;
mod refusal;

use std::cell::RefCell;

use lopdf::{Dictionary, LoadOptions, Object, ObjectId};

use decode::decode_stream;

pub use refusal::{Active, MAX_DECODED_BYTES, MAX_OBJECT_STREAM_BYTES, MAX_STREAM_BYTES, Refusal};

/// What one inspection found so far. The parser calls back through a plain function pointer,
/// so the findings live in a thread-local, reset by each [`inspect`].
#[derive(Debug, Default)]
struct Findings {
    active: Option<Active>,
    problem: Option<Refusal>,
    decoded: usize,
}

thread_local! {
    static FINDINGS: RefCell<Findings> = RefCell::new(Findings::default());
}

/// Inspects a PDF: `Ok` when it holds no active content and every stream decodes.
pub fn inspect(pdf: &[u8]) -> Result<(), Refusal> {
    FINDINGS.with(|f| *f.borrow_mut() = Findings::default());
    let options = LoadOptions {
        filter: Some(look_at),
        ..LoadOptions::default()
    };
    // A parser bug is a file this cannot read, never a crash of the caller.
    let loaded = std::panic::catch_unwind(|| lopdf::Document::load_mem_with_options(pdf, options))
        .unwrap_or(Err(lopdf::Error::Unimplemented(
            "a file the parser fails on",
        )));
    let findings = FINDINGS.with(|f| std::mem::take(&mut *f.borrow_mut()));
    let document = loaded.map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => Refusal::Encrypted,
        _ => Refusal::Unreadable,
    })?;
    if document.trailer.get(b"Encrypt").is_ok()
        || document.is_encrypted()
        || document.was_encrypted()
    {
        return Err(Refusal::Encrypted);
    }
    if let Some(active) = findings.active {
        return Err(Refusal::Active(active));
    }
    if let Some(problem) = findings.problem {
        return Err(problem);
    }
    // The trailer (for a cross-reference stream, that stream's dictionary) is read by the
    // parser, not handed to the callback.
    if let Some(active) = active_in_dictionary(&document.trailer, 0) {
        return Err(Refusal::Active(active));
    }
    if document.objects.is_empty() || !every_object_read(&document) {
        return Err(Refusal::Unreadable);
    }
    Ok(())
}

/// Whether every object the cross-reference names was read. The parser passes over an object it
/// cannot parse (and a compressed one whose object stream it cannot open); a more lenient
/// reader might still read it, so what was not looked at refuses the file.
fn every_object_read(document: &lopdf::Document) -> bool {
    use lopdf::xref::XrefEntry;
    let read: std::collections::BTreeSet<u32> =
        document.objects.keys().map(|(number, _)| *number).collect();
    document
        .reference_table
        .entries
        .iter()
        .all(|(number, entry)| match entry {
            XrefEntry::Normal { .. } | XrefEntry::Compressed { .. } => read.contains(number),
            XrefEntry::Free | XrefEntry::UnusableFree => true,
        })
}

/// The parser's callback for every object it loads, before an object stream is opened.
fn look_at(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    let active = active_in(object, 0);
    let problem = match object {
        Object::Stream(stream) => FINDINGS.with(|f| {
            let mut findings = f.borrow_mut();
            let left = MAX_DECODED_BYTES.saturating_sub(findings.decoded);
            match decode_stream(stream, left) {
                Ok(decoded) => {
                    findings.decoded += decoded;
                    None
                }
                Err(refusal) => Some(refusal),
            }
        }),
        _ => None,
    };
    FINDINGS.with(|f| {
        let mut findings = f.borrow_mut();
        findings.active = findings.active.or(active);
        findings.problem = findings.problem.or(problem);
    });
    // The parser keeps top-level objects as they are in place (an object stream decoded above
    // is read from there); what is returned stands for objects inside object streams, which
    // nothing reads after this inspection.
    Some((id, Object::Null))
}

/// Deeper than any real document nests; a deeper one is not walked further (the parser itself
/// stops far below this).
const MAX_DEPTH: usize = 64;

fn active_in(object: &Object, depth: usize) -> Option<Active> {
    if depth > MAX_DEPTH {
        return None;
    }
    match object {
        Object::Name(name) => Active::of_name(name),
        Object::Array(items) => items.iter().find_map(|o| active_in(o, depth + 1)),
        Object::Dictionary(dictionary) => active_in_dictionary(dictionary, depth + 1),
        Object::Stream(stream) => active_in_dictionary(&stream.dict, depth + 1),
        _ => None,
    }
}

fn active_in_dictionary(dictionary: &Dictionary, depth: usize) -> Option<Active> {
    dictionary
        .iter()
        .find_map(|(key, value)| Active::of_name(key).or_else(|| active_in(value, depth + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_structure_is_refused_not_crashed_on() {
        let deep = format!(
            "%PDF-1.7\n1 0 obj\n{}\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
            "[".repeat(2_000)
        );
        assert!(inspect(deep.as_bytes()).is_err());
        assert_eq!(inspect(b"%PDF-1.7\n"), Err(Refusal::Unreadable));
        assert_eq!(inspect(b""), Err(Refusal::Unreadable));
    }
}
