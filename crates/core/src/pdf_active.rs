//! S7: finds active content in a PDF — scripts, launch actions, embedded files, rich media — so
//! an upload that carries it is refused before staff open it.
//!
//! This is a scan of the file's objects, not a PDF parser: it reads every name token outside
//! stream data (where a dictionary can hold `/JS`), and inside compressed object streams
//! (`/Type /ObjStm`, where PDF 1.5+ files keep their dictionaries). Names are compared after
//! `#xx` escapes are undone, since `/J#61vaScript` is `/JavaScript` to a reader. Page content
//! and image streams are skipped: their bytes are not dictionaries, and a compressed image
//! would match a three-letter name by chance.

/// What kind of active content a PDF holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActiveContent {
    /// `/JavaScript` or `/JS`.
    Script,
    /// `/Launch`: runs a program or opens a file.
    Launch,
    /// `/EmbeddedFile` or `/EmbeddedFiles`: another file inside.
    EmbeddedFile,
    /// `/RichMedia`: Flash or video with its own scripting.
    RichMedia,
    /// An object stream that inflates past 8 MiB: what it holds cannot be checked.
    Unchecked,
}

/// The most the object streams of one file may inflate to; a compressed bomb stops here, and
/// the file is refused as [`ActiveContent::Unchecked`] (a reader would see what the scan could not).
/// Object streams hold dictionaries, which are small: the structural inspection allows as much
/// (`pdf_structure::MAX_OBJECT_STREAM_BYTES`), and each scan holds at most this much in memory.
const MAX_INFLATED: usize = 8 * 1024 * 1024;

/// The first active content found in `pdf`, if any.
pub fn active_content(pdf: &[u8]) -> Option<ActiveContent> {
    let mut budget = MAX_INFLATED;
    let mut rest = pdf;
    loop {
        let Some((before, data, after)) = next_stream(rest) else {
            return scan_names(rest);
        };
        if let Some(found) = scan_names(before) {
            return Some(found);
        }
        let dictionary = tail(before, 2048);
        if has_name(dictionary, b"ObjStm") {
            match inflate(dictionary, data, budget) {
                Inflated::Data(bytes) => {
                    budget = budget.saturating_sub(bytes.len());
                    if let Some(found) = scan_names(&bytes) {
                        return Some(found);
                    }
                }
                Inflated::TooLarge => return Some(ActiveContent::Unchecked),
                // Unreadable or in a filter not read here: a reader cannot use it either.
                Inflated::Unreadable => {}
            }
        }
        rest = after;
    }
}

enum Inflated {
    Data(Vec<u8>),
    TooLarge,
    Unreadable,
}

fn inflate(dictionary: &[u8], data: &[u8], budget: usize) -> Inflated {
    if !has_name(dictionary, b"FlateDecode") {
        // An uncompressed object stream is scanned as it is.
        return if has_name(dictionary, b"Filter") {
            Inflated::Unreadable
        } else {
            Inflated::Data(data.to_vec())
        };
    }
    match miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, budget) {
        Ok(bytes) => Inflated::Data(bytes),
        Err(e) if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
            Inflated::TooLarge
        }
        Err(_) => Inflated::Unreadable,
    }
}

/// Splits at the next `stream` keyword: the bytes before it, the stream's data, and the bytes
/// after its `endstream` (empty when the file ends inside the stream).
fn next_stream(bytes: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let mut from = 0;
    loop {
        let at = from + find(bytes.get(from..)?, b"stream")?;
        let end = at + b"stream".len();
        let preceded_by_end = at >= 3 && bytes.get(at - 3..at) == Some(b"end");
        let eol = match bytes.get(end) {
            Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => Some(2),
            Some(b'\r' | b'\n') => Some(1),
            _ => None,
        };
        match eol {
            Some(eol) if !preceded_by_end => {
                let start = end + eol;
                let data = bytes.get(start..).unwrap_or_default();
                return Some(match find(data, b"endstream") {
                    Some(stop) => (
                        bytes.get(..at).unwrap_or_default(),
                        data.get(..stop).unwrap_or_default(),
                        data.get(stop + b"endstream".len()..).unwrap_or_default(),
                    ),
                    None => (bytes.get(..at).unwrap_or_default(), data, &[]),
                });
            }
            _ => from = end,
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn tail(bytes: &[u8], len: usize) -> &[u8] {
    bytes
        .get(bytes.len().saturating_sub(len)..)
        .unwrap_or(bytes)
}

fn is_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace()
        || b == 0
        || b == 0x0C
        || matches!(
            b,
            b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
        )
}

/// Every name token (`/Name`) in `bytes`, with `#xx` escapes undone.
fn names(bytes: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(&b) = bytes.get(i) {
            i += 1;
            if b != b'/' {
                continue;
            }
            let mut name = Vec::new();
            while let Some(&c) = bytes.get(i) {
                if is_delimiter(c) {
                    break;
                }
                i += 1;
                let escaped = (c == b'#')
                    .then(|| bytes.get(i..i + 2))
                    .flatten()
                    .and_then(|hex| std::str::from_utf8(hex).ok())
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok());
                match escaped {
                    Some(value) => {
                        name.push(value);
                        i += 2;
                    }
                    None => name.push(c),
                }
            }
            return Some(name);
        }
        None
    })
}

fn has_name(bytes: &[u8], wanted: &[u8]) -> bool {
    names(bytes).any(|name| name == wanted)
}

fn scan_names(bytes: &[u8]) -> Option<ActiveContent> {
    names(bytes).find_map(|name| match name.as_slice() {
        b"JavaScript" | b"JS" => Some(ActiveContent::Script),
        b"Launch" => Some(ActiveContent::Launch),
        b"EmbeddedFile" | b"EmbeddedFiles" => Some(ActiveContent::EmbeddedFile),
        b"RichMedia" => Some(ActiveContent::RichMedia),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
        2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

    fn zlib(bytes: &[u8]) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec_zlib(bytes, 6)
    }

    fn with_stream(dictionary: &str, data: &[u8]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n5 0 obj ".to_vec();
        pdf.extend_from_slice(dictionary.as_bytes());
        pdf.extend_from_slice(b"\nstream\n");
        pdf.extend_from_slice(data);
        pdf.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
        pdf
    }

    #[test]
    fn a_plain_pdf_has_none() {
        assert_eq!(active_content(PLAIN), None);
    }

    #[test]
    fn open_actions_with_scripts_are_found() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj";
        assert_eq!(active_content(pdf), Some(ActiveContent::Script));
        assert_eq!(
            active_content(b"<< /S /Launch /F (cmd.exe) >>"),
            Some(ActiveContent::Launch)
        );
        assert_eq!(
            active_content(b"<< /Names << /EmbeddedFiles 4 0 R >> >>"),
            Some(ActiveContent::EmbeddedFile)
        );
        assert_eq!(
            active_content(b"<</Subtype/RichMedia>>"),
            Some(ActiveContent::RichMedia)
        );
    }

    #[test]
    fn escaped_names_are_read_as_a_reader_reads_them() {
        assert_eq!(
            active_content(b"<< /S /J#61va#53cript >>"),
            Some(ActiveContent::Script)
        );
        // A longer name that only starts like one is not it.
        assert_eq!(active_content(b"<< /JSON 1 /Launcher 2 >>"), None);
    }

    #[test]
    fn scripts_hidden_in_a_compressed_object_stream_are_found() {
        let objects = zlib(b"1 0 2 40 << /S /JavaScript /JS (x) >> << /Type /Catalog >>");
        let pdf = with_stream(
            "<< /Type /ObjStm /N 2 /First 8 /Filter /FlateDecode >>",
            &objects,
        );
        assert_eq!(active_content(&pdf), Some(ActiveContent::Script));
        let clean = zlib(b"1 0 << /Type /Catalog >>");
        let pdf = with_stream(
            "<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>",
            &clean,
        );
        assert_eq!(active_content(&pdf), None);
    }

    #[test]
    fn page_and_image_data_is_not_read_as_names() {
        // Binary image data that happens to hold "/JS " is not a dictionary.
        let pdf = with_stream(
            "<< /Type /XObject /Subtype /Image /Length 9 >>",
            b"\x00/JS \x01\xff",
        );
        assert_eq!(active_content(&pdf), None);
        // And a script after the stream is still found.
        let mut pdf = pdf;
        pdf.extend_from_slice(b"6 0 obj << /JS (x) >> endobj");
        assert_eq!(active_content(&pdf), Some(ActiveContent::Script));
    }

    #[test]
    fn an_object_stream_that_inflates_past_the_limit_counts_as_active() {
        let bomb = zlib(&vec![b' '; MAX_INFLATED + 1]);
        let pdf = with_stream("<< /Type /ObjStm /Filter /FlateDecode >>", &bomb);
        assert_eq!(active_content(&pdf), Some(ActiveContent::Unchecked));
    }

    #[test]
    fn truncated_and_odd_files_end_the_scan_without_a_panic() {
        for pdf in [
            &b"%PDF-1.4\n<< /Type /ObjStm >>\nstream\n"[..],
            b"stream\r\n",
            b"endstream stream",
            b"/",
            b"/#",
            b"/#4",
            b"",
        ] {
            assert_eq!(active_content(pdf), None, "{pdf:?}");
        }
    }
}
