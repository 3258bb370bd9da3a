//! The dataset page's chart: a horizontal bar chart rendered on the server as inline SVG (as
//! the eco station page does), so it costs a few KB, needs no JavaScript library and reads on
//! a phone: labels on the left, one bar per row, the value at the bar's end.

use std::fmt::Write;

use crate::domain::DataType;
use crate::service::read::Rows;

/// The first numeric column (N I B F) against the first text column (C) of `rows`, when
/// both exist and at least one value is a number: (label column name, value column name, SVG).
/// A text column of codes only (region codes, say) labels bars worse than a column of names:
/// the first column with other text is preferred.
pub fn of_rows(rows: &Rows, title: &str) -> Option<(String, String, String)> {
    let is = |c: &crate::service::read::Column, types: &[DataType]| {
        DataType::parse(&c.data_type).is_some_and(|t| types.contains(&t))
    };
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    let value_at = rows.columns.iter().position(|c| is(c, &[DataType::N, DataType::I, DataType::B, DataType::F]))?;
    let texts: Vec<usize> =
        rows.columns.iter().enumerate().filter(|(_, c)| is(c, &[DataType::C])).map(|(i, _)| i).collect();
    let codes_only =
        |at: usize| rows.rows.iter().filter_map(|r| r.get(at)).map(text).all(|t| t.chars().all(|c| c.is_ascii_digit()));
    let label_at = texts.iter().copied().find(|at| !codes_only(*at)).or_else(|| texts.first().copied())?;
    let points: Vec<(String, f64, String)> = rows
        .rows
        .iter()
        .filter_map(|r| {
            let label = text(r.get(label_at)?);
            let (value, shown) = match r.get(value_at)? {
                serde_json::Value::Number(n) => (n.as_f64()?, n.to_string()),
                serde_json::Value::String(s) => (s.parse().ok()?, s.clone()),
                _ => return None,
            };
            value.is_finite().then_some((label, value, shown))
        })
        .collect();
    if points.is_empty() {
        return None;
    }
    Some((rows.columns[label_at].name.clone(), rows.columns[value_at].name.clone(), bars(&points, title)))
}

/// A horizontal bar chart of (label, value, value as shown). Drawn 400 units wide so that
/// its text is about the page's size on a phone; CSS caps its width on wide screens.
pub fn bars(points: &[(String, f64, String)], title: &str) -> String {
    const W: f64 = 400.0;
    const ROW: f64 = 22.0;
    const LABEL_W: f64 = 118.0;
    const VALUE_W: f64 = 52.0;
    let h = ROW * points.len() as f64 + 8.0;
    let mut svg = format!(
        r#"<svg class="catalog-chart" viewBox="0 0 {W} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    let lo = points.iter().map(|p| p.1).fold(0.0_f64, f64::min);
    let hi = points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
    let span = if (hi - lo).abs() < f64::EPSILON { 1.0 } else { hi - lo };
    let plot = W - LABEL_W - VALUE_W;
    let x = |v: f64| LABEL_W + (v - lo) / span * plot;
    let zero = x(0.0);
    let _ = write!(svg, r#"<line x1="{zero:.1}" y1="0" x2="{zero:.1}" y2="{h}" class="axis"/>"#);
    for (i, (label, v, shown)) in points.iter().enumerate() {
        let top = 4.0 + ROW * i as f64;
        let (left, right) = if *v >= 0.0 { (zero, x(*v)) } else { (x(*v), zero) };
        let _ = write!(
            svg,
            r#"<text x="{lx}" y="{ty:.1}" class="label">{label}</text><rect x="{left:.1}" y="{by:.1}" width="{w:.1}" height="{bh}" class="bar"><title>{full}: {value}</title></rect><text x="{vx:.1}" y="{ty:.1}" class="value">{value}</text>"#,
            lx = LABEL_W - 5.0,
            ty = top + ROW / 2.0 + 4.0,
            label = escape(&short(label, 8)),
            by = top + 3.0,
            w = (right - left).max(1.0),
            bh = ROW - 6.0,
            full = escape(label),
            vx = right.max(zero) + 3.0,
            value = escape(shown),
        );
    }
    svg.push_str("</svg>");
    svg
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::service::read::{Column, Rows};

    fn col(c: &str, t: &str) -> Column {
        Column { column: c.into(), name: c.into(), data_type: t.into() }
    }

    #[test]
    fn the_first_numeric_column_is_drawn_against_the_first_text_column() {
        let rows = Rows {
            columns: vec![
                col("rated_on", "D"),
                col("region", "C"),
                col("name", "C"),
                col("visitors", "N"),
                col("grade", "C"),
            ],
            rows: vec![
                vec![json!("2011-09-01"), json!("632500"), json!("青海湖<景区>"), json!("512.30"), json!("5A")],
                vec![json!("2012-01-10"), json!("630106"), json!("塔尔寺"), json!(300), json!("5A")],
                vec![json!("2012-01-10"), json!("630106"), json!("无数据"), json!(null), json!("4A")],
            ],
            next: None,
            total: None,
        };
        let (label, value, svg) = super::of_rows(&rows, "t").unwrap_or_default();
        assert_eq!((label.as_str(), value.as_str()), ("name", "visitors"));
        assert_eq!(svg.matches("<rect").count(), 2, "{svg}");
        // Region codes are skipped for the names; values are shown as written.
        assert!(svg.contains("青海湖&lt;景区&gt;") && svg.contains(">512.30<") && svg.contains(">300<"), "{svg}");
    }

    #[test]
    fn no_chart_without_a_numeric_or_a_text_column() {
        let rows = Rows { columns: vec![col("name", "C")], rows: vec![vec![json!("x")]], next: None, total: None };
        assert!(super::of_rows(&rows, "t").is_none());
    }

    #[test]
    fn negative_values_extend_left_of_zero() {
        let svg = super::bars(&[("a".into(), -5.0, "-5".into()), ("b".into(), 10.0, "10".into())], "t");
        assert!(svg.contains(">-5<") && svg.contains(">10<"));
    }
}
