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

/// Text as the contents of a CSS string in a `<style>` element (a page's running head or foot):
/// quotes and backslashes escaped, `<` written as `\3c ` so that nothing can close the element,
/// line breaks as spaces.
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("\\3c "),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
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
    fn css_strings_cannot_leave_their_quotes_or_their_style_element() {
        assert_eq!(css_string("停水\"通知\\</style><script>"), "停水\\\"通知\\\\\\3c /style>\\3c script>");
        assert_eq!(css_string("两\n行"), "两 行");
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
