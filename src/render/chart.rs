//! Bar charts as HTML: one row per period or month — its name, a bar, its figure — in the
//! page's own type, so that a chart reads at the reader's font size on a 390 px phone (an SVG's
//! labels shrink with the drawing) and any number of rows fits without sideways scrolling. The
//! bars are drawn in whole tenths of a percent from exact integers, so the same figures always
//! give the same bytes.

use super::escape::markup;
use std::fmt::Write as _;

/// One row of a chart: a label, the parts of its bar (value and class), and its figure as text.
pub(super) struct Row<'a> {
    /// What the row is (`2026年第三季度`).
    pub(super) label: String,
    /// The parts of the bar, stacked left to right: each value and the class that colours it.
    pub(super) parts: Vec<(u64, &'a str)>,
    /// The row's figure as shown (`302.3万`, `12`).
    pub(super) figure: String,
}

/// The chart titled `title` of `rows`, with a legend of `(class, name)` when there is more
/// than one kind of part.
pub(super) fn bars(title: &str, rows: &[Row<'_>], legend: &[(&str, &str)]) -> String {
    let max = rows.iter().map(|r| r.parts.iter().map(|p| p.0).sum::<u64>()).max().unwrap_or(0).max(1);
    let mut html = format!("<div class=\"bars\">\n<p class=\"bars-title\">{}</p>\n", markup(title));
    if !legend.is_empty() {
        html.push_str("<p class=\"bars-legend\">");
        for (class, name) in legend {
            let _ = write!(html, "<span class=\"key\"><span class=\"swatch {class}\"></span>{}</span> ", markup(name));
        }
        html.push_str("</p>\n");
    }
    for row in rows {
        let _ = write!(html, "<div class=\"bar-row\"><span class=\"bar-label\">{}</span><span class=\"bar-track\">", markup(&row.label));
        for (value, class) in row.parts.iter().filter(|p| p.0 > 0) {
            let tenths = u128::from(*value) * 1000 / u128::from(max);
            let _ = write!(html, "<span class=\"bar {class}\" style=\"width:{}.{}%\"></span>", tenths / 10, tenths % 10);
        }
        let _ = writeln!(html, "</span><span class=\"bar-figure num\">{}</span></div>", markup(&row.figure));
    }
    html.push_str("</div>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_to_the_largest_row_and_text_is_escaped() {
        let rows = [
            Row { label: "2026年第三季度".into(), parts: vec![(300, "a"), (100, "b")], figure: "400".into() },
            Row { label: "<b>".into(), parts: vec![(200, "a"), (0, "b")], figure: "200".into() },
        ];
        let html = bars("余额 & 变化", &rows, &[("a", "按时"), ("b", "超时")]);
        assert!(html.contains("<p class=\"bars-title\">余额 &amp; 变化</p>"));
        assert!(html.contains("style=\"width:75.0%\"></span><span class=\"bar b\" style=\"width:25.0%\">"), "{html}");
        assert!(html.contains("<span class=\"bar-label\">&lt;b&gt;</span><span class=\"bar-track\"><span class=\"bar a\" style=\"width:50.0%\"></span></span>"), "{html}");
        assert_eq!(html.matches("class=\"swatch").count(), 2);
    }
}
