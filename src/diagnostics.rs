//! One error type for everything a committee can get wrong in its sources.
//!
//! A [`Diagnostic`] names the file, line and column, carries the offending source line as a
//! snippet, says what is wrong and how to fix it. Every message exists in Chinese and English
//! ([`Msg`]) because the language is only known once `site.yaml` has been read, and a broken
//! `site.yaml` must still be explained.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The two languages of the site and of its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 简体中文, the default.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The language code used in `site.yaml` and in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// A sentence in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    /// 中文.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Msg {
    /// The sentence in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Builds a [`Msg`] from a Chinese and an English format string.
#[macro_export]
macro_rules! msg {
    ($zh:expr, $en:expr $(,)?) => {
        $crate::diagnostics::Msg { zh: format!($zh), en: format!($en) }
    };
}

/// Error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported, but the build goes on.
    Warning,
}

/// One problem in the sources, with where it is and how to fix it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root when possible.
    pub file: PathBuf,
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (in characters), 0 when unknown.
    pub column: usize,
    /// The source line the problem is on, when known.
    pub snippet: Option<String>,
    /// What is wrong.
    pub message: Msg,
    /// How to fix it.
    pub hint: Option<Msg>,
}

impl Diagnostic {
    /// An error about a whole file.
    pub fn error(file: impl Into<PathBuf>, message: Msg) -> Self {
        Diagnostic { severity: Severity::Error, file: file.into(), line: 0, column: 0, snippet: None, message, hint: None }
    }

    /// A warning about a whole file.
    pub fn warning(file: impl Into<PathBuf>, message: Msg) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, message) }
    }

    /// Points the diagnostic at `line`:`column` of `source`, taking that line as snippet.
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self.snippet = if line > 0 { source.lines().nth(line - 1).map(|l| l.trim_end_matches('\r').to_string()) } else { None };
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: Msg) -> Self {
        self.hint = Some(hint);
        self
    }

    /// Renders the diagnostic as plain text, e.g.
    ///
    /// ```text
    /// 错误：content/notices/a.md:3:1：未知字段 `titel`
    ///   |
    /// 3 | titel: 停水通知
    ///   | ^
    ///   = 提示：是不是想写 `title`？
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        let (label, sep, hint_label) = match (lang, self.severity) {
            (Lang::Zh, Severity::Error) => ("错误", "：", "提示"),
            (Lang::Zh, Severity::Warning) => ("警告", "：", "提示"),
            (Lang::En, Severity::Error) => ("error", ": ", "hint"),
            (Lang::En, Severity::Warning) => ("warning", ": ", "hint"),
        };
        let mut out = String::new();
        let file = display_path(&self.file);
        let place = match (self.line, self.column) {
            (0, _) => file,
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        };
        let _ = writeln!(out, "{label}{sep}{place}{sep}{}", self.message.get(lang));
        let gutter = self.line.to_string().len();
        if let Some(snippet) = &self.snippet {
            let pad = " ".repeat(gutter);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{} | {}", self.line, snippet);
            if self.column > 0 {
                // East Asian characters take two columns in a terminal.
                let width: usize = snippet.chars().take(self.column - 1).map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
                let _ = writeln!(out, "{pad} | {}^", " ".repeat(width));
            }
        }
        if let Some(hint) = &self.hint {
            let pad = " ".repeat(if self.snippet.is_some() { gutter } else { 0 });
            // Continuation lines (an example to copy) stay indented under the hint.
            let text = hint.get(lang).replace('\n', &format!("\n{pad}   "));
            let _ = writeln!(out, "{pad} = {hint_label}{sep}{text}");
        }
        out
    }
}

/// Paths are shown with forward slashes on every system, as they are written in the docs.
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// All problems of one run, reported together.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    /// Errors and warnings, in the order of the files they concern.
    pub items: Vec<Diagnostic>,
    /// Lines (of a file) whose value the reading refused and reported: a later check that
    /// finds something wrong there (`eligible` is 0 because `eligible: 300` was refused) is the
    /// same mistake seen from further away, and is not said again.
    pub(crate) refused: Vec<(PathBuf, usize)>,
}

impl Diagnostics {
    /// Adds one, unless it is an error about a line whose value was already refused.
    pub fn push(&mut self, d: Diagnostic) {
        if d.severity == Severity::Error && self.refused_at(&d.file, d.line) {
            return;
        }
        self.items.push(d);
    }

    /// Whether the value on `line` of `file` was refused by the reading (a check of a field
    /// that is "missing" because it was refused has nothing to add).
    pub fn refused_at(&self, file: &Path, line: usize) -> bool {
        line > 0 && self.refused.iter().any(|(f, l)| *l == line && f == file)
    }

    /// Marks the lines of the errors so far as refused values (see [`Diagnostics::push`]).
    pub fn mark_refused(&mut self) {
        let lines: Vec<(PathBuf, usize)> =
            self.items.iter().filter(|d| d.severity == Severity::Error && d.line > 0).map(|d| (d.file.clone(), d.line)).collect();
        self.refused.extend(lines);
    }

    /// Adds several.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// True when at least one is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Sorts by file, line and column so that output is stable whatever order files loaded in.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    }

    /// All diagnostics, then a one-line count of errors that says `public/` was left as it was.
    pub fn render(&self, lang: Lang) -> String {
        self.render_for(lang, "public/")
    }

    /// All diagnostics, then a one-line count of errors that says the output folder `folder`
    /// (as shown, e.g. `public/`) was left as it was.
    pub fn render_for(&self, lang: Lang, folder: &str) -> String {
        let mut out = String::new();
        for d in &self.items {
            out.push_str(&d.render(lang));
            out.push('\n');
        }
        let n = self.error_count();
        if n > 0 {
            let _ = match lang {
                Lang::Zh => writeln!(out, "共 {n} 处错误，未生成网站，{folder} 保持原样。"),
                Lang::En => writeln!(out, "{n} error{}; nothing was written, {folder} is unchanged.", if n == 1 { "" } else { "s" }),
            };
        }
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d], refused: Vec::new() }
    }
}

/// The closest candidate to a misspelt word, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_place_snippet_caret_and_hint() {
        let src = "---\ntitel: 停水\n---\n";
        let d = Diagnostic::error("content/notices/a.md", msg!("未知字段 `titel`", "unknown field `titel`"))
            .at(src, 2, 1)
            .hint(msg!("是不是想写 `title`？", "did you mean `title`?"));
        assert_eq!(
            d.render(Lang::Zh),
            "错误：content/notices/a.md:2:1：未知字段 `titel`\n  |\n2 | titel: 停水\n  | ^\n  = 提示：是不是想写 `title`？\n"
        );
    }

    #[test]
    fn caret_counts_wide_characters_twice() {
        let d = Diagnostic::error("f", msg!("x", "x")).at("标题: 5号楼", 1, 5);
        assert!(d.render(Lang::En).contains("\n  |       ^\n"), "{}", d.render(Lang::En));
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        assert_eq!(did_you_mean("titel", ["title", "date", "issuer"]), Some("title"));
        assert_eq!(did_you_mean("isuer", ["title", "date", "issuer"]), Some("issuer"));
        assert_eq!(did_you_mean("colour", ["title", "date", "issuer"]), None);
    }
}
