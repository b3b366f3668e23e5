//! Whole backup archives encrypted as a stream (`backup --encrypt`), so neither the backup nor
//! the restore holds the archive in memory: the STREAM construction (Hoang, Reyhanitabar,
//! Rogaway, Vizár 2015) over XChaCha20-Poly1305 with the file key.
//!
//! Layout: `COOPS2`, the key's id (16 hex digits), a random 19-byte nonce prefix, then chunks of
//! [`CHUNK`] plain bytes, each sealed under the nonce `prefix ‖ counter (u32, big-endian) ‖ last
//! (0 or 1)`. The last chunk is always shorter than a full one (empty when the plain text ends on
//! a chunk boundary), so a reader knows it by its length; an archive cut at a chunk boundary
//! lacks its last chunk, and one cut inside a chunk fails that chunk's tag — both refused.

use std::io::{self, Read, Write};

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::vault::FileKey;

/// How a streamed archive begins.
pub const MAGIC: &[u8; 6] = b"COOPS2";
/// Plain bytes per chunk.
pub const CHUNK: usize = 1 << 20;
const TAG: usize = 16;
const PREFIX: usize = 19;
const KEY_ID: usize = 16;
/// Bound to every chunk (its additional data).
const AAD: &[u8] = b"coop-permits-backup";

fn nonce(prefix: &[u8; PREFIX], counter: u32, last: bool) -> XNonce {
    let mut n = [0u8; 24];
    n[..PREFIX].copy_from_slice(prefix);
    n[PREFIX..PREFIX + 4].copy_from_slice(&counter.to_be_bytes());
    n[PREFIX + 4] = u8::from(last);
    XNonce::from(n)
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

/// Encrypts everything written to it into `out`; [`SealingWriter::finish`] writes the last chunk.
pub struct SealingWriter<W: Write> {
    out: W,
    cipher: XChaCha20Poly1305,
    prefix: [u8; PREFIX],
    counter: u32,
    buffer: Vec<u8>,
}

impl<W: Write> SealingWriter<W> {
    /// Writes the header to `out`.
    pub fn new(mut out: W, key: &FileKey) -> io::Result<SealingWriter<W>> {
        let mut prefix = [0u8; PREFIX];
        getrandom::fill(&mut prefix).map_err(|_| io::Error::other("no randomness for a nonce"))?;
        out.write_all(MAGIC)?;
        out.write_all(key.id().as_bytes())?;
        out.write_all(&prefix)?;
        Ok(SealingWriter {
            out,
            cipher: key.cipher(),
            prefix,
            counter: 0,
            buffer: Vec::with_capacity(CHUNK),
        })
    }

    fn seal_chunk(&mut self, last: bool) -> io::Result<()> {
        let sealed = self
            .cipher
            .encrypt(
                &nonce(&self.prefix, self.counter, last),
                Payload {
                    msg: &self.buffer,
                    aad: AAD,
                },
            )
            .map_err(|_| io::Error::other("a chunk could not be encrypted"))?;
        self.out.write_all(&sealed)?;
        self.buffer.clear();
        self.counter = self
            .counter
            .checked_add(1)
            .ok_or_else(|| io::Error::other("the archive is too large to encrypt as one stream"))?;
        Ok(())
    }

    /// Seals the last chunk and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        if self.buffer.len() == CHUNK {
            self.seal_chunk(false)?;
        }
        self.seal_chunk(true)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> Write for SealingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if bytes.is_empty() {
            return Ok(0);
        }
        // A full chunk is sealed only once more follows, so the last one is always short.
        if self.buffer.len() == CHUNK {
            self.seal_chunk(false)?;
        }
        let taken = bytes.len().min(CHUNK - self.buffer.len());
        self.buffer
            .extend_from_slice(bytes.get(..taken).unwrap_or_default());
        Ok(taken)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write> std::fmt::Debug for SealingWriter<W> {
    // The cipher holds the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealingWriter")
            .field("chunks", &self.counter)
            .finish_non_exhaustive()
    }
}

/// Decrypts a streamed archive read from `input`, chunk by chunk.
pub struct OpeningReader<R: Read> {
    input: R,
    cipher: XChaCha20Poly1305,
    prefix: [u8; PREFIX],
    counter: u32,
    plain: Vec<u8>,
    at: usize,
    done: bool,
}

impl<R: Read> OpeningReader<R> {
    /// Reads the header (after the magic, which the caller has read) and checks the key's id.
    pub fn new(mut input: R, key: &FileKey) -> io::Result<OpeningReader<R>> {
        let mut id = [0u8; KEY_ID];
        input.read_exact(&mut id)?;
        if id != key.id().as_bytes() {
            return Err(invalid(format!(
                "it was encrypted with the file key {}, not this one ({})",
                String::from_utf8_lossy(&id),
                key.id()
            )));
        }
        let mut prefix = [0u8; PREFIX];
        input.read_exact(&mut prefix)?;
        Ok(OpeningReader {
            input,
            cipher: key.cipher(),
            prefix,
            counter: 0,
            plain: Vec::new(),
            at: 0,
            done: false,
        })
    }

    fn next_chunk(&mut self) -> io::Result<()> {
        let mut sealed = Vec::with_capacity(CHUNK + TAG);
        (&mut self.input)
            .take((CHUNK + TAG) as u64)
            .read_to_end(&mut sealed)?;
        if sealed.is_empty() {
            return Err(invalid("it was cut short (its last part is missing)"));
        }
        let last = sealed.len() < CHUNK + TAG;
        self.plain = self
            .cipher
            .decrypt(
                &nonce(&self.prefix, self.counter, last),
                Payload {
                    msg: &sealed,
                    aad: AAD,
                },
            )
            .map_err(|_| invalid("it does not decrypt with this file key: it was changed, cut short, or written with another key"))?;
        self.at = 0;
        self.counter = self.counter.wrapping_add(1);
        self.done = last;
        Ok(())
    }
}

impl<R: Read> std::fmt::Debug for OpeningReader<R> {
    // The cipher holds the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpeningReader")
            .field("chunks", &self.counter)
            .finish_non_exhaustive()
    }
}

impl<R: Read> Read for OpeningReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at == self.plain.len() {
            if self.done {
                return Ok(0);
            }
            self.next_chunk()?;
        }
        let available = self.plain.get(self.at..).unwrap_or_default();
        let n = available.len().min(out.len());
        if let (Some(to), Some(from)) = (out.get_mut(..n), available.get(..n)) {
            to.copy_from_slice(from);
        }
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(plain: &[u8], key: &FileKey) -> Vec<u8> {
        let mut writer = SealingWriter::new(Vec::new(), key).unwrap();
        // In uneven pieces, as a tar writer writes.
        for piece in plain.chunks(7919) {
            writer.write_all(piece).unwrap();
        }
        writer.finish().unwrap()
    }

    fn opened(bytes: &[u8], key: &FileKey) -> io::Result<Vec<u8>> {
        let rest = bytes.strip_prefix(MAGIC.as_slice()).unwrap();
        let mut out = Vec::new();
        OpeningReader::new(rest, key)?.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn archives_round_trip_in_chunks_and_refuse_any_change() {
        let key = FileKey::generate().unwrap();
        for size in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK] {
            let plain: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let bytes = sealed(&plain, &key);
            assert_eq!(opened(&bytes, &key).unwrap(), plain, "{size} bytes");
        }
        let plain = vec![7u8; 2 * CHUNK + 10];
        let bytes = sealed(&plain, &key);
        // Another key; a flipped byte; cut at a chunk boundary; cut inside a chunk.
        assert!(opened(&bytes, &FileKey::generate().unwrap()).is_err());
        let mut flipped = bytes.clone();
        flipped[MAGIC.len() + KEY_ID + PREFIX + 100] ^= 1;
        assert!(opened(&flipped, &key).is_err());
        let header = MAGIC.len() + KEY_ID + PREFIX;
        assert!(opened(&bytes[..header + 2 * (CHUNK + TAG)], &key).is_err());
        assert!(opened(&bytes[..header + CHUNK + TAG + 500], &key).is_err());
        assert!(!bytes.windows(64).any(|w| w == &plain[..64]));
    }
}
