//! Decoding a stream's filters within limits, for the inspection (`super`): an object stream
//! decoded and kept (8 MiB at most) for the parser to read; any other stream decoded and only
//! counted, as the bytes come; image codecs only at a chain's end, never decoded.

use std::io::Read;

use lopdf::{Dictionary, Object, Stream};

use super::refusal::{MAX_OBJECT_STREAM_BYTES, MAX_STREAM_BYTES, Refusal};

/// One filter of a stream: its name and its parameters.
type FilterStep = (Vec<u8>, Option<Dictionary>);

/// A stream's filters, in decoding order, each with its parameters.
fn filters(stream: &Stream) -> Result<Vec<FilterStep>, Refusal> {
    let names: Vec<Vec<u8>> = match stream.dict.get(b"Filter") {
        Err(_) => return Ok(Vec::new()),
        Ok(Object::Name(name)) => vec![name.clone()],
        Ok(Object::Array(items)) => items
            .iter()
            .map(|item| match item {
                Object::Name(name) => Ok(name.clone()),
                _ => Err(Refusal::Undecodable),
            })
            .collect::<Result<_, _>>()?,
        Ok(Object::Null) => return Ok(Vec::new()),
        // A reference or anything else: a reader would resolve it; a filter is a direct name.
        Ok(_) => return Err(Refusal::Undecodable),
    };
    let params: Vec<Option<Dictionary>> = match stream.dict.get(b"DecodeParms") {
        Ok(Object::Dictionary(d)) => vec![Some(d.clone())],
        Ok(Object::Array(items)) => items
            .iter()
            .map(|item| match item {
                Object::Dictionary(d) => Some(d.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(names
        .into_iter()
        .enumerate()
        .map(|(i, name)| (name, params.get(i).cloned().flatten()))
        .collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    Flate,
    Lzw,
    Ascii85,
    AsciiHex,
    RunLength,
    /// Pixels only: may end a chain, never decoded here.
    Image,
}

fn filter_of(name: &[u8]) -> Result<Filter, Refusal> {
    Ok(match name {
        b"FlateDecode" | b"Fl" => Filter::Flate,
        b"LZWDecode" | b"LZW" => Filter::Lzw,
        b"ASCII85Decode" | b"A85" => Filter::Ascii85,
        b"ASCIIHexDecode" | b"AHx" => Filter::AsciiHex,
        b"RunLengthDecode" | b"RL" => Filter::RunLength,
        b"DCTDecode" | b"DCT" | b"JPXDecode" | b"CCITTFaxDecode" | b"CCF" | b"JBIG2Decode" => {
            Filter::Image
        }
        b"Crypt" => return Err(Refusal::Encrypted),
        _ => return Err(Refusal::Undecodable),
    })
}

/// Decodes a stream's filters within `left` bytes in all. An object stream's decoded bytes
/// replace its content (so the parser reads them without decoding anything itself); any other
/// stream is only measured. Returns the bytes decoded.
pub(super) fn decode_stream(stream: &mut Stream, left: usize) -> Result<usize, Refusal> {
    let chain = filters(stream)?;
    if chain.is_empty() {
        return Ok(0);
    }
    let keep = stream.dict.has_type(b"ObjStm");
    let limit = if keep {
        MAX_OBJECT_STREAM_BYTES
    } else {
        MAX_STREAM_BYTES
    }
    .min(left);
    let mut data: Option<Vec<u8>> = None;
    let mut measured = 0usize;
    for (i, (name, params)) in chain.iter().enumerate() {
        let filter = filter_of(name)?;
        let last = i + 1 == chain.len();
        if filter == Filter::Image {
            if !last || keep {
                return Err(Refusal::Undecodable);
            }
            break;
        }
        let input = data.as_deref().unwrap_or(&stream.content);
        if last && !keep {
            measured = measure(filter, input, limit)?;
            data = None;
            break;
        }
        let mut output = decode(filter, input, limit)?;
        if keep && let Some(params) = params {
            output = undo_predictor(output, params)?;
        }
        data = Some(output);
    }
    match data {
        Some(bytes) if keep => {
            let decoded = bytes.len();
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            stream.set_content(bytes);
            Ok(decoded)
        }
        Some(bytes) => Ok(bytes.len()),
        None => Ok(measured),
    }
}

/// The bytes `filter` decodes `input` to, at most `limit` of them.
fn decode(filter: Filter, input: &[u8], limit: usize) -> Result<Vec<u8>, Refusal> {
    let mut out = Vec::new();
    run(filter, input, limit, &mut |chunk| {
        out.extend_from_slice(chunk);
    })?;
    Ok(out)
}

/// How many bytes `filter` decodes `input` to, counted as they come (nothing is kept).
fn measure(filter: Filter, input: &[u8], limit: usize) -> Result<usize, Refusal> {
    let mut count = 0usize;
    run(filter, input, limit, &mut |chunk| count += chunk.len())?;
    Ok(count)
}

/// Runs a decoder, handing its output to `sink` chunk by chunk; past `limit` bytes, refused.
/// A stream that breaks off after some output is taken as far as it goes, as readers take it
/// (a missing checksum is common); one that yields nothing at all is refused.
fn run(
    filter: Filter,
    input: &[u8],
    limit: usize,
    sink: &mut dyn FnMut(&[u8]),
) -> Result<(), Refusal> {
    let mut total = 0usize;
    let mut emit = |chunk: &[u8]| -> Result<(), Refusal> {
        total = total.saturating_add(chunk.len());
        if total > limit {
            return Err(Refusal::Undecodable);
        }
        sink(chunk);
        Ok(())
    };
    match filter {
        Filter::Flate => {
            let produced = read_all(flate2::read::ZlibDecoder::new(input), &mut emit)?;
            // Some writers leave out the zlib header: readers fall back to raw deflate.
            if produced == 0
                && let Some(raw) = input.get(2..)
            {
                read_all(flate2::read::DeflateDecoder::new(raw), &mut emit)?;
            }
        }
        Filter::Lzw => lzw(input, &mut emit)?,
        Filter::Ascii85 => emit(&ascii85(input)?)?,
        Filter::AsciiHex => emit(&ascii_hex(input))?,
        Filter::RunLength => run_length(input, &mut emit)?,
        Filter::Image => {}
    }
    if total == 0 && !input.is_empty() && filter != Filter::Image {
        // Not one byte out of a non-empty stream: not data in this filter.
        return Err(Refusal::Undecodable);
    }
    Ok(())
}

fn read_all(
    mut reader: impl Read,
    emit: &mut dyn FnMut(&[u8]) -> Result<(), Refusal>,
) -> Result<usize, Refusal> {
    let mut buffer = vec![0u8; 64 * 1024];
    let mut produced = 0usize;
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => return Ok(produced),
            Ok(n) => {
                emit(buffer.get(..n).unwrap_or_default())?;
                produced += n;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // Broken off: as far as it went.
            Err(_) => return Ok(produced),
        }
    }
}

fn lzw(input: &[u8], emit: &mut dyn FnMut(&[u8]) -> Result<(), Refusal>) -> Result<(), Refusal> {
    let mut decoder = weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
    let mut buffer = vec![0u8; 64 * 1024];
    let mut rest = input;
    loop {
        let result = decoder.decode_bytes(rest, &mut buffer);
        emit(buffer.get(..result.consumed_out).unwrap_or_default())?;
        rest = rest.get(result.consumed_in..).unwrap_or_default();
        match result.status {
            Ok(weezl::LzwStatus::Ok) if result.consumed_in > 0 || result.consumed_out > 0 => {}
            // Done, out of input, or broken off: as far as it went.
            _ => return Ok(()),
        }
    }
}

fn ascii85(input: &[u8]) -> Result<Vec<u8>, Refusal> {
    let mut out = Vec::with_capacity(input.len());
    let mut group = [0u32; 5];
    let mut count = 0usize;
    for &c in input {
        match c {
            b'~' => break,
            b'z' if count == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                if let Some(slot) = group.get_mut(count) {
                    *slot = u32::from(c - b'!');
                }
                count += 1;
                if count == 5 {
                    out.extend_from_slice(&base85(&group)?.to_be_bytes());
                    count = 0;
                }
            }
            c if c.is_ascii_whitespace() || c == 0 => {}
            _ => return Err(Refusal::Undecodable),
        }
    }
    if count > 1 {
        for slot in group.iter_mut().skip(count) {
            *slot = 84;
        }
        let bytes = base85(&group)?.to_be_bytes();
        out.extend_from_slice(bytes.get(..count - 1).unwrap_or_default());
    }
    Ok(out)
}

fn base85(group: &[u32; 5]) -> Result<u32, Refusal> {
    group.iter().try_fold(0u32, |acc, &digit| {
        acc.checked_mul(85)
            .and_then(|v| v.checked_add(digit))
            .ok_or(Refusal::Undecodable)
    })
}

fn ascii_hex(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 2);
    let mut high: Option<u8> = None;
    for &c in input {
        let digit = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            b'>' => break,
            // Whitespace is skipped; readers skip other bytes too.
            _ => continue,
        };
        match high.take() {
            None => high = Some(digit),
            Some(h) => out.push(h << 4 | digit),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    out
}

fn run_length(
    input: &[u8],
    emit: &mut dyn FnMut(&[u8]) -> Result<(), Refusal>,
) -> Result<(), Refusal> {
    let mut i = 0usize;
    while let Some(&length) = input.get(i) {
        match length {
            128 => break,
            0..=127 => {
                let count = usize::from(length) + 1;
                let literal = input
                    .get(i + 1..i + 1 + count)
                    .ok_or(Refusal::Undecodable)?;
                emit(literal)?;
                i += 1 + count;
            }
            _ => {
                let byte = *input.get(i + 1).ok_or(Refusal::Undecodable)?;
                emit(&vec![byte; 257 - usize::from(length)])?;
                i += 2;
            }
        }
    }
    Ok(())
}

/// Undoes a PNG predictor (10–15) on an object stream's decoded bytes; TIFF's (2) is refused,
/// no writer uses it for object streams.
fn undo_predictor(data: Vec<u8>, params: &Dictionary) -> Result<Vec<u8>, Refusal> {
    let number = |key: &[u8], default: i64| {
        params
            .get(key)
            .ok()
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(default)
    };
    let predictor = number(b"Predictor", 1);
    if predictor <= 1 {
        return Ok(data);
    }
    if !(10..=15).contains(&predictor) {
        return Err(Refusal::Undecodable);
    }
    let colors = usize::try_from(number(b"Colors", 1).clamp(1, 32)).unwrap_or(1);
    let bits = usize::try_from(number(b"BitsPerComponent", 8).clamp(1, 16)).unwrap_or(8);
    let columns = usize::try_from(number(b"Columns", 1).clamp(1, 1 << 20)).unwrap_or(1);
    let pixel = (colors * bits).div_ceil(8).max(1);
    let row = (colors * bits * columns).div_ceil(8);
    let mut out = Vec::with_capacity(data.len());
    let mut previous = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let Some((&kind, line)) = chunk.split_first() else {
            break;
        };
        let mut current = line.to_vec();
        current.resize(row, 0);
        for x in 0..row {
            let left = if x >= pixel {
                current.get(x - pixel).copied().unwrap_or(0)
            } else {
                0
            };
            let up = previous.get(x).copied().unwrap_or(0);
            let up_left = if x >= pixel {
                previous.get(x - pixel).copied().unwrap_or(0)
            } else {
                0
            };
            let add = match kind {
                0 => 0,
                1 => left,
                2 => up,
                3 => u8::try_from((u16::from(left) + u16::from(up)) / 2).unwrap_or(0),
                4 => paeth(left, up, up_left),
                _ => return Err(Refusal::Undecodable),
            };
            if let Some(byte) = current.get_mut(x) {
                *byte = byte.wrapping_add(add);
            }
        }
        out.extend_from_slice(current.get(..line.len()).unwrap_or_default());
        previous = current;
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_small_decoders_read_what_writers_write() {
        assert_eq!(ascii_hex(b"48 65 6C6c6f>"), b"Hello");
        assert_eq!(ascii_hex(b"7>"), [0x70]);
        assert_eq!(ascii85(b"87cURD]i,\"Ebo80~>").unwrap(), b"Hello World!");
        assert_eq!(ascii85(b"z~>").unwrap(), [0; 4]);
        assert!(ascii85(b"\xff").is_err());
        let mut out = Vec::new();
        run_length(&[2, b'a', b'b', b'c', 254, b'x', 128], &mut |c| {
            out.extend_from_slice(c);
            Ok(())
        })
        .unwrap();
        assert_eq!(out, b"abcxxx");
    }

    #[test]
    fn decoding_stops_at_the_limit_without_keeping_the_bytes() {
        use std::io::Write;
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&vec![0u8; 1 << 20]).unwrap();
        let bomb = encoder.finish().unwrap();
        assert_eq!(measure(Filter::Flate, &bomb, 1 << 20), Ok(1 << 20));
        assert_eq!(
            measure(Filter::Flate, &bomb, (1 << 20) - 1),
            Err(Refusal::Undecodable)
        );
        assert_eq!(
            measure(Filter::Flate, b"not zlib at all", 100),
            Err(Refusal::Undecodable)
        );
    }

    #[test]
    fn png_predictors_are_undone() {
        let mut params = Dictionary::new();
        params.set("Predictor", 12);
        params.set("Columns", 3);
        // Two rows, "Up" filter: the second row adds to the first.
        let data = vec![2, 1, 2, 3, 2, 1, 1, 1];
        assert_eq!(undo_predictor(data, &params).unwrap(), [1, 2, 3, 2, 3, 4]);
    }
}
