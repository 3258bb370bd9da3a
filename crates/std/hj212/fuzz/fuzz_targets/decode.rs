//! Fuzz target: arbitrary bytes through `parse_frame`, the streaming `Decoder` (in chunks chosen
//! by the first input byte), `Packet::parse` and `check`. Nothing may panic, the decoder's buffer
//! must stay within one maximum frame, and every frame it yields must also parse on its own.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qy_hj212::{check, parse_frame_with, Checksum, Decoder, FrameOptions, Packet};

fuzz_target!(|data: &[u8]| {
    for options in [FrameOptions::STRICT, FrameOptions::LEGACY] {
        if let Ok(frame) = parse_frame_with(data, options) {
            let _ = frame.packet();
        }

        let chunk = usize::from(data.first().copied().unwrap_or(1)).max(1);
        let mut decoder = Decoder::with_options(options);
        for piece in data.chunks(chunk) {
            decoder.push(piece);
            assert!(decoder.buffered() <= options.max_frame_len());
            while let Some(result) = decoder.next_frame() {
                if let Ok(frame) = result {
                    assert_eq!(
                        parse_frame_with(frame.to_wire().as_bytes(), FrameOptions::LEGACY).map(|f| f.segment),
                        Ok(frame.segment.clone())
                    );
                    let _ = frame.packet();
                }
            }
        }
        decoder.finish();
        while decoder.next_frame().is_some() {}
    }

    let text = String::from_utf8_lossy(data);
    let _ = Packet::parse(&text);
    let _ = check(&text, Checksum::Hj212);
    let _ = check(&text, Checksum::Hj212OrSwappedModbus);
});
