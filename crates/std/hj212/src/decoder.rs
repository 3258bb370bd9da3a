//! Streaming frame reader for a TCP connection (HJ 212-2017 §5: the application layer runs over
//! TCP/IP, so reads split and merge frames arbitrarily).
//!
//! Rules, all decided from the bytes alone (so any chunking of the same stream gives the same
//! results):
//!
//! * Bytes before `##` are skipped and reported once as [`FrameError::Garbage`] when the next
//!   `##` is found (or on [`Decoder::finish`]). Modbus-TCP frames interleaved on the same port
//!   (eco-monitoring §1.12) end up here.
//! * A frame runs from `##` to the first CR LF. A length field that disagrees with that span is a
//!   [`FrameError::LengthMismatch`]; the next frame is still found.
//! * A length field over the limit is reported at once as [`FrameError::TooLong`] without
//!   buffering the frame; the reader then skips silently to the next `##`.
//! * No CR LF within the maximum frame length → [`FrameError::MissingTerminator`], resync on the
//!   next `##`. A frame cut short by a new `##` header is reported the same way.
//!
//! Memory: the internal buffer never holds more than one maximum frame (1036 bytes under the
//! standard's limit), however large the pushed chunks are; decoded results wait in a queue until
//! taken with [`Decoder::next_frame`].

use std::collections::VecDeque;

use crate::error::{quote_bytes, FrameError};
use crate::frame::{parse_frame_with, parse_length_field, Frame, FrameOptions, HEADER, PREFIX_LEN, TERMINATOR};

/// Incremental HJ 212 frame reader.
///
/// ```
/// use qy_hj212::{encode_frame, Decoder, FrameError};
/// let wire = encode_frame("ST=22;CN=2011;PW=123456;MN=AIR01;CP=&&&&");
/// let mut d = Decoder::new();
/// d.push(b"noise");
/// d.push(&wire.as_bytes()[..10]);
/// assert_eq!(d.next_frame(), Some(Err(FrameError::Garbage { skipped: 5 })));
/// assert!(d.next_frame().is_none());
/// d.push(&wire.as_bytes()[10..]);
/// assert!(d.next_frame().unwrap().is_ok());
/// assert!(d.next_frame().is_none());
/// ```
#[derive(Debug, Clone)]
pub struct Decoder {
    options: FrameOptions,
    /// Unprocessed bytes; when non-empty and not skipping, starts at a candidate frame.
    buf: Vec<u8>,
    /// How far `buf` has been searched for CR LF (avoids rescanning on every push).
    scanned: usize,
    /// Bytes skipped since the last reported item, not yet reported.
    garbage: usize,
    /// Skipping the rest of a frame already reported as broken: skipped bytes are not garbage.
    discarding: bool,
    out: VecDeque<Result<Frame, FrameError>>,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

fn find(hay: &[u8], needle: &[u8; 2]) -> Option<usize> {
    hay.windows(2).position(|w| w == needle)
}

impl Decoder {
    /// A decoder with [`FrameOptions::STRICT`].
    #[must_use]
    pub fn new() -> Self {
        Self::with_options(FrameOptions::STRICT)
    }

    /// A decoder with the given per-station options.
    #[must_use]
    pub fn with_options(options: FrameOptions) -> Self {
        Self { options, buf: Vec::new(), scanned: 0, garbage: 0, discarding: false, out: VecDeque::new() }
    }

    /// The options in force.
    #[must_use]
    pub fn options(&self) -> FrameOptions {
        self.options
    }

    /// Bytes currently buffered (never more than one maximum frame).
    #[must_use]
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Results decoded but not yet taken.
    #[must_use]
    pub fn queued(&self) -> usize {
        self.out.len()
    }

    /// Feed bytes as they arrive.
    pub fn push(&mut self, mut bytes: &[u8]) {
        let cap = self.options.max_frame_len();
        while !bytes.is_empty() {
            let room = cap.saturating_sub(self.buf.len()).max(1);
            let (now, rest) = bytes.split_at(room.min(bytes.len()));
            self.buf.extend_from_slice(now);
            bytes = rest;
            self.process();
        }
    }

    /// The next decoded frame or error, in stream order; `None` until more bytes arrive.
    pub fn next_frame(&mut self) -> Option<Result<Frame, FrameError>> {
        self.out.pop_front()
    }

    /// End of stream: report skipped bytes and an incomplete frame, and reset the buffer.
    pub fn finish(&mut self) {
        if !self.buf.is_empty() && !self.buf.starts_with(HEADER) {
            // A lone trailing '#' (kept in case a header followed) is garbage after all.
            let n = self.buf.len();
            self.skip(n);
        }
        self.flush_garbage();
        if !self.buf.is_empty() {
            if !self.discarding {
                self.out.push_back(Err(FrameError::Truncated { len: self.buf.len() }));
            }
            self.buf.clear();
        }
        self.scanned = 0;
        self.discarding = false;
    }

    fn flush_garbage(&mut self) {
        if self.garbage > 0 {
            self.out.push_back(Err(FrameError::Garbage { skipped: self.garbage }));
            self.garbage = 0;
        }
    }

    /// Drop the first `n` bytes of the buffer.
    fn consume(&mut self, n: usize) {
        let n = n.min(self.buf.len());
        self.buf.drain(..n);
        self.scanned = 0;
    }

    /// Drop `n` bytes that belong to no frame.
    fn skip(&mut self, n: usize) {
        if !self.discarding {
            self.garbage += n;
        }
        self.consume(n);
    }

    /// Report a broken frame starting at the buffer's `##`, then resync on the next `##`.
    fn fail_and_resync(&mut self, e: FrameError) {
        self.out.push_back(Err(e));
        self.consume(1);
        self.discarding = true;
    }

    fn process(&mut self) {
        loop {
            // 1. Align on "##".
            if !self.buf.starts_with(HEADER) {
                match find(&self.buf, HEADER) {
                    Some(i) => {
                        self.skip(i);
                    }
                    None => {
                        // Keep a trailing '#', it may start the next header.
                        let keep = usize::from(self.buf.last() == Some(&b'#'));
                        self.skip(self.buf.len() - keep);
                        return;
                    }
                }
            }
            self.discarding = false;
            self.flush_garbage();

            // 2. Length field.
            let Some(len_field) = self.buf.get(2..PREFIX_LEN) else {
                return;
            };
            let Some(declared) = parse_length_field(len_field) else {
                let found = quote_bytes(len_field);
                self.fail_and_resync(FrameError::BadLengthField { found });
                continue;
            };
            let limit = self.options.segment_limit();
            if declared > limit {
                self.fail_and_resync(FrameError::TooLong { len: declared, max: limit });
                continue;
            }

            // 3. Frame end: the first CR LF after the length field.
            let from = self.scanned.max(PREFIX_LEN);
            let crlf = self.buf.get(from..).and_then(|tail| find(tail, TERMINATOR)).map(|i| from + i);
            match crlf {
                Some(p) => {
                    let end = p + TERMINATOR.len();
                    let result = parse_frame_with(self.buf.get(..end).unwrap_or_default(), self.options);
                    match result {
                        Ok(frame) => {
                            self.out.push_back(Ok(frame));
                            self.consume(end);
                        }
                        Err(e) => match self.inner_header(end) {
                            // A frame cut short by the next header: report it, restart there.
                            Some(q) => {
                                self.out.push_back(Err(FrameError::MissingTerminator));
                                self.consume(q);
                            }
                            None => {
                                self.out.push_back(Err(e));
                                self.consume(end);
                            }
                        },
                    }
                }
                None if self.buf.len() >= self.options.max_frame_len() => match self.inner_header(self.buf.len()) {
                    Some(q) => {
                        self.out.push_back(Err(FrameError::MissingTerminator));
                        self.consume(q);
                    }
                    None => self.fail_and_resync(FrameError::MissingTerminator),
                },
                None => {
                    // Wait for more bytes; CR may be the last byte, so rescan it next time.
                    self.scanned = self.buf.len().saturating_sub(1);
                    return;
                }
            }
        }
    }

    /// Position in `buf[..end]` (after the current header) of a `##` followed by 4 digits.
    fn inner_header(&self, end: usize) -> Option<usize> {
        let region = self.buf.get(..end)?;
        (2..region.len().saturating_sub(1)).find(|&q| {
            region.get(q..q + 2) == Some(HEADER.as_slice())
                && region.get(q + 2..q + PREFIX_LEN).is_some_and(|l| parse_length_field(l).is_some())
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::frame::{encode_frame, MAX_FRAME_LEN};

    fn drain(d: &mut Decoder) -> Vec<Result<Frame, FrameError>> {
        std::iter::from_fn(|| d.next_frame()).collect()
    }

    fn seg(n: usize) -> String {
        format!("ST=22;CN=2011;PW=123456;MN=M{n};CP=&&DataTime=20240101000000&&")
    }

    #[test]
    fn several_frames_in_one_read() {
        let stream = format!("{}{}{}", encode_frame(&seg(1)), encode_frame(&seg(2)), encode_frame(&seg(3)));
        let mut d = Decoder::new();
        d.push(stream.as_bytes());
        let got: Vec<String> = drain(&mut d).into_iter().map(|r| r.unwrap().segment).collect();
        assert_eq!(got, vec![seg(1), seg(2), seg(3)]);
        assert_eq!(d.buffered(), 0);
    }

    #[test]
    fn byte_by_byte() {
        let stream = format!("xx{}\r\n{}", encode_frame(&seg(1)), encode_frame(&seg(2)));
        let mut d = Decoder::new();
        for b in stream.as_bytes() {
            d.push(std::slice::from_ref(b));
        }
        let got = drain(&mut d);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0], Err(FrameError::Garbage { skipped: 2 }));
        assert_eq!(got[1].as_ref().unwrap().segment, seg(1));
        assert_eq!(got[2], Err(FrameError::Garbage { skipped: 2 }));
        assert_eq!(got[3].as_ref().unwrap().segment, seg(2));
    }

    #[test]
    fn wrong_length_field_does_not_lose_the_next_frame() {
        let good = encode_frame(&seg(1));
        let n = seg(1).len();
        let bad = format!("##{:04}{}", n + 2, &good[6..]);
        let mut d = Decoder::new();
        d.push(format!("{bad}{good}").as_bytes());
        let got = drain(&mut d);
        assert_eq!(got[0], Err(FrameError::LengthMismatch { declared: n + 2, actual: n }));
        assert_eq!(got[1].as_ref().unwrap().segment, seg(1));
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn oversize_is_reported_at_once_and_skipped() {
        let mut d = Decoder::new();
        d.push(b"##2000");
        assert_eq!(d.next_frame(), Some(Err(FrameError::TooLong { len: 2000, max: 1024 })));
        d.push(&vec![b'a'; 5000]);
        assert!(d.buffered() <= 1);
        d.push(encode_frame(&seg(7)).as_bytes());
        let got = drain(&mut d);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].as_ref().unwrap().segment, seg(7));
    }

    #[test]
    fn missing_terminator_resyncs_and_memory_is_bounded() {
        let mut d = Decoder::new();
        d.push(b"##0100");
        d.push(&vec![b'x'; 3000]);
        assert!(d.buffered() <= MAX_FRAME_LEN);
        assert_eq!(d.next_frame(), Some(Err(FrameError::MissingTerminator)));
        d.push(encode_frame(&seg(1)).as_bytes());
        let got = drain(&mut d);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].is_ok());
    }

    #[test]
    fn truncated_frame_followed_by_a_good_one() {
        let good = encode_frame(&seg(1));
        let cut = &good[..good.len() / 2];
        let mut d = Decoder::new();
        d.push(format!("{cut}{good}").as_bytes());
        let got = drain(&mut d);
        assert_eq!(got[0], Err(FrameError::MissingTerminator));
        assert_eq!(got[1].as_ref().unwrap().segment, seg(1));
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn bad_crc_reported_and_stream_continues() {
        let good = encode_frame(&seg(1));
        let mut bad = good.clone().into_bytes();
        let k = bad.len() - 3;
        bad[k] = if bad[k] == b'0' { b'1' } else { b'0' };
        let mut d = Decoder::new();
        d.push(&bad);
        d.push(good.as_bytes());
        let got = drain(&mut d);
        assert_eq!(got[0].as_ref().unwrap_err().code(), "bad_crc");
        assert!(got[1].is_ok());
    }

    #[test]
    fn finish_reports_leftovers() {
        let good = encode_frame(&seg(1));
        let mut d = Decoder::new();
        d.push(b"junk");
        d.push(&good.as_bytes()[..20]);
        d.finish();
        assert_eq!(
            drain(&mut d),
            vec![Err(FrameError::Garbage { skipped: 4 }), Err(FrameError::Truncated { len: 20 })]
        );
        let mut e = Decoder::new();
        e.push(b"just noise#");
        e.finish();
        assert_eq!(drain(&mut e), vec![Err(FrameError::Garbage { skipped: 11 })]);
    }

    #[test]
    fn hash_runs_do_not_hide_a_header() {
        let good = encode_frame(&seg(1));
        let mut d = Decoder::new();
        d.push(format!("#{good}").as_bytes());
        let got = drain(&mut d);
        assert_eq!(got[0], Err(FrameError::BadLengthField { found: format!("#{}", &good[2..5]) }));
        assert!(got[1].is_ok(), "{got:?}");
    }
}
