//! The cold-chain chart of the consumer page: temperature readings over time as an inline
//! SVG (no script, so it prints and works on any phone), with each reading's value or
//! min–max range.

use crate::store::search::Reading;

const W: f64 = 320.0;
const H: f64 = 140.0;
const PAD: f64 = 28.0;

/// `None` when there is nothing to draw.
pub fn cold_chain_svg(readings: &[Reading]) -> Option<String> {
    let points: Vec<(i64, f64, f64)> = readings
        .iter()
        .filter(|r| r.kind.ends_with("/Temperature") && r.uom.as_deref() == Some("CEL"))
        .filter_map(|r| {
            let t = r.time?;
            let v = r.value.or(r.mean_value)?;
            Some((t, r.min_value.unwrap_or(v), r.max_value.unwrap_or(v)))
        })
        .collect();
    if points.is_empty() {
        return None;
    }
    let (t0, t1) = (points.iter().map(|p| p.0).min()?, points.iter().map(|p| p.0).max()?);
    let lo = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min).floor() - 1.0;
    let hi = points.iter().map(|p| p.2).fold(f64::NEG_INFINITY, f64::max).ceil() + 1.0;
    let x = |t: i64| if t1 == t0 { W / 2.0 } else { PAD + (t - t0) as f64 / (t1 - t0) as f64 * (W - 2.0 * PAD) };
    let y = |v: f64| H - PAD + (lo - v) / (hi - lo) * (H - 2.0 * PAD) + 0.0;
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" class="chart" id="cold-chain-chart"><line x1="{PAD}" y1="{b}" x2="{r}" y2="{b}" stroke="#999"/><text x="2" y="{ty}" font-size="10">{hi}°C</text><text x="2" y="{by}" font-size="10">{lo}°C</text>"##,
        b = H - PAD,
        r = W - PAD,
        ty = PAD,
        by = H - PAD,
    );
    let path: Vec<String> = points.iter().map(|(t, a, b)| format!("{:.1},{:.1}", x(*t), y((a + b) / 2.0))).collect();
    svg.push_str(&format!(
        r##"<polyline fill="none" stroke="#1f6fb2" stroke-width="2" points="{}"/>"##,
        path.join(" ")
    ));
    for (t, a, b) in &points {
        let (cx, ya, yb) = (x(*t), y(*a), y(*b));
        svg.push_str(&format!(r##"<line x1="{cx:.1}" y1="{ya:.1}" x2="{cx:.1}" y2="{yb:.1}" stroke="#1f6fb2"/>"##));
        svg.push_str(&format!(r##"<circle cx="{cx:.1}" cy="{:.1}" r="2.5" fill="#1f6fb2"/>"##, (ya + yb) / 2.0));
    }
    svg.push_str("</svg>");
    Some(svg)
}
