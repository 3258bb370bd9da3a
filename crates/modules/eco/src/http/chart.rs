//! Small line charts rendered on the server as inline SVG: a station page stays a few KB, works
//! without JavaScript and on a weak link. `web/static/eco-chart.js` replaces them with ECharts
//! (about 240 KB compressed, fetched only when the charts scroll into view).

use std::fmt::Write;

/// An SVG line chart of `points` (time ms, value); gaps longer than `max_gap_ms` break the line.
/// `title` labels the chart for screen readers.
pub fn line(points: &[(i64, f64)], max_gap_ms: i64, title: &str, unit: &str) -> String {
    const W: f64 = 640.0;
    const H: f64 = 160.0;
    const PAD_L: f64 = 44.0;
    const PAD_B: f64 = 18.0;
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    if points.is_empty() {
        svg.push_str("</svg>");
        return svg;
    }
    let (t0, t1) = (points[0].0, points[points.len() - 1].0.max(points[0].0 + 1));
    let (mut lo, mut hi) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    if lo > 0.0 && lo < hi * 0.5 {
        lo = 0.0; // Concentrations read best from zero when the range allows.
    }
    if (hi - lo).abs() < f64::EPSILON {
        hi = lo + 1.0;
    }
    let x = |t: i64| PAD_L + (t - t0) as f64 / (t1 - t0) as f64 * (W - PAD_L - 4.0);
    let y = |v: f64| (H - PAD_B) - (v - lo) / (hi - lo) * (H - PAD_B - 8.0);
    // Axes and the two extreme values.
    let _ = write!(
        svg,
        r#"<line x1="{PAD_L}" y1="4" x2="{PAD_L}" y2="{b}" class="axis"/><line x1="{PAD_L}" y1="{b}" x2="{W}" y2="{b}" class="axis"/><text x="{tx}" y="12" class="tick">{hi}</text><text x="{tx}" y="{b}" class="tick">{lo}</text><text x="{W}" y="{H}" class="tick" text-anchor="end">{u}</text>"#,
        b = H - PAD_B,
        tx = PAD_L - 4.0,
        hi = fmt(hi),
        lo = fmt(lo),
        u = escape(unit)
    );
    let mut path = String::new();
    let mut prev: Option<i64> = None;
    for (t, v) in points {
        let cmd = if prev.is_some_and(|p| t - p <= max_gap_ms) { 'L' } else { 'M' };
        let _ = write!(path, "{cmd}{:.1},{:.1} ", x(*t), y(*v));
        prev = Some(*t);
    }
    let _ = write!(svg, r#"<path d="{}" class="line"/></svg>"#, path.trim_end());
    svg
}

fn fmt(v: f64) -> String {
    if v.abs() >= 100.0 || v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn gaps_break_the_line_and_text_is_escaped() {
        let svg = super::line(&[(0, 1.0), (3_600_000, 2.0), (36_000_000, 3.0)], 3_600_000, "PM<2.5>", "µg/m³");
        let path = svg.split(" d=\"").nth(1).unwrap_or_default();
        assert_eq!(path.matches('M').count(), 2, "{svg}");
        assert!(svg.contains("PM&lt;2.5&gt;"));
        assert!(super::line(&[], 1, "x", "").ends_with("</svg>"));
    }
}
