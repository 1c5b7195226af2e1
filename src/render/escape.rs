//! Escaping, in one place: text into HTML and XML (templates, the feed, the sitemap, SVG
//! labels) and cells into CSV.

/// Escapes text for HTML text and quoted attributes, and for XML: the five special characters
/// (`&apos;` is valid HTML5). They are ASCII, so whole runs of other text (most of it Chinese)
/// are copied at once.
pub fn markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut done = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            _ => continue,
        };
        out.push_str(&s[done..i]);
        out.push_str(entity);
        done = i + 1;
    }
    out.push_str(&s[done..]);
    out
}

/// One CSV cell, quoted when needed and guarded against spreadsheet formulas: a cell that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return would make Excel or WPS run it,
/// so it gets a leading `'`.
pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escapes_the_five_and_keeps_the_rest() {
        assert_eq!(markup("<a & \"b\">'湖畔'"), "&lt;a &amp; &quot;b&quot;&gt;&apos;湖畔&apos;");
        assert_eq!(markup("停水通知"), "停水通知");
    }

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_cell("电梯,维修"), "\"电梯,维修\"");
        assert_eq!(csv_cell("说\"明\""), "\"说\"\"明\"\"\"");
        for f in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(csv_cell(f).trim_start_matches('"').starts_with('\''), "{f:?} → {}", csv_cell(f));
        }
        assert_eq!(csv_cell("记-07-001"), "记-07-001");
    }
}
