//! QR codes of Digital Links, as SVG and PNG, for labels.

use qrcode::{Color, EcLevel, QrCode};

fn code(text: &str) -> Option<QrCode> {
    // M: survives a scuffed label on a sack or a carcass tag.
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()
}

pub fn svg(text: &str, size: u32) -> Option<String> {
    let c = code(text)?;
    Some(c.render::<qrcode::render::svg::Color<'_>>().min_dimensions(size, size).quiet_zone(true).build())
}

/// A greyscale PNG, `scale` pixels per module, with the 4-module quiet zone.
pub fn png(text: &str, scale: usize) -> Option<Vec<u8>> {
    let c = code(text)?;
    let width = c.width();
    let colors = c.to_colors();
    let quiet = 4;
    let side = (width + 2 * quiet) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i % width + quiet, i / width + quiet);
            for dy in 0..scale {
                let row = (y * scale + dy) * side;
                pixels[row + x * scale..row + x * scale + scale].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().ok()?;
        w.write_image_data(&pixels).ok()?;
    }
    Some(out)
}
