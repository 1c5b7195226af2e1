//! The theme: Tera templates, UI strings in each language and static files. The default theme
//! is embedded in the binary; a site's own `themes/<name>/` overrides it file by file.

use crate::diagnostics::{Diagnostic, Diagnostics, Lang};
use crate::msg;
use include_dir::{include_dir, Dir};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tera::Tera;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Every file of an embedded folder, subfolders included (`templates/print/…`).
fn embedded_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut out: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        out.extend(embedded_files(sub));
    }
    out
}

/// Compiled templates, strings and static files, ready to render any number of pages.
pub struct Theme {
    /// Templates, compiled once.
    pub tera: Tera,
    /// UI strings of the site's language.
    pub strings: HashMap<String, String>,
    /// Static files (`style.css`, `print.css`), published under `/assets/`.
    pub assets: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// Loads the embedded default theme, overridden by `root/themes/<name>/` where present.
    pub fn load(root: &Path, name: &str, lang: Lang) -> Result<Theme, Diagnostics> {
        let over = root.join("themes").join(name);
        let mut errs = Diagnostics::default();
        // site.yaml's `theme:` is checked where the site loads; this is the last line of defence.
        if name != "default" && !over.is_dir() {
            return Err(crate::site::missing_theme(name).into());
        }

        let mut templates: Vec<(String, String, PathBuf)> = Vec::new();
        for (rel, text) in files(&over, "templates", &mut errs) {
            templates.push((rel.clone(), text, Path::new("themes").join(name).join("templates").join(&rel)));
        }
        if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
            for f in embedded_files(dir) {
                let rel = f.path().strip_prefix("templates").unwrap_or(f.path()).to_string_lossy().replace('\\', "/");
                if !templates.iter().any(|(r, ..)| *r == rel) {
                    let text = f.contents_utf8().unwrap_or_default().to_string();
                    templates.push((rel, text, Path::new("themes/default/templates").join(f.path())));
                }
            }
        }
        let lang_file = format!("i18n/{}.yaml", lang.code());
        let mut strings: HashMap<String, String> = DEFAULT_THEME
            .get_file(&lang_file)
            .and_then(|f| f.contents_utf8())
            .and_then(|t| serde_yaml::from_str(t).ok())
            .unwrap_or_default();
        let over_strings = over.join(&lang_file);
        if over_strings.is_file() {
            let rel = Path::new("themes").join(name).join(&lang_file);
            match crate::source::Source::read(root, &rel).and_then(|src| {
                crate::source::parse::<HashMap<String, String>>(&src, &src.text, 1)
                    .map_err(|e| e.items.into_iter().next().expect("a failed parse says why"))
            }) {
                Ok(m) => strings.extend(m),
                Err(d) => errs.push(d),
            }
        }

        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml", ".svg"]);
        // Tera's default also escapes `/`, which bloats every link; these five are enough
        // inside text and quoted attributes.
        tera.set_escape_fn(super::escape::markup);
        let raw: Vec<(String, String)> = templates
            .iter()
            .map(|(n, t, _)| {
                let t =
                    if lang == Lang::En { std::borrow::Cow::Owned(english_punctuation(t)) } else { std::borrow::Cow::Borrowed(t.as_str()) };
                (n.clone(), bake_strings(n, &t, &strings))
            })
            .collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            // Point at the file, line and column of each template that does not parse; other
            // problems (a parent or an include that is not there) name the templates themselves.
            let syntax = syntax_errors(&templates);
            if syntax.is_empty() {
                let detail = tera_error_chain(&e);
                errs.push(Diagnostic::error("themes", msg!("模板有错：{detail}", "template error: {detail}")));
            }
            errs.items.extend(syntax);
        }

        let mut assets: Vec<(String, Vec<u8>)> = Vec::new();
        let over_static = over.join("static");
        if over_static.is_dir() {
            for entry in walkdir::WalkDir::new(&over_static).sort_by_file_name().into_iter().flatten() {
                if entry.file_type().is_file() {
                    let rel = entry.path().strip_prefix(&over_static).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
                    match std::fs::read(entry.path()) {
                        Ok(b) => assets.push((rel, b)),
                        Err(e) => {
                            let detail = e.to_string();
                            errs.push(Diagnostic::error(entry.path().to_path_buf(), msg!("无法读取：{detail}", "cannot read: {detail}")));
                        }
                    }
                }
            }
        }
        if let Some(dir) = DEFAULT_THEME.get_dir("static") {
            for f in embedded_files(dir) {
                let rel = f.path().strip_prefix("static").unwrap_or(f.path()).to_string_lossy().replace('\\', "/");
                if !assets.iter().any(|(r, _)| *r == rel) {
                    assets.push((rel, f.contents().to_vec()));
                }
            }
        }
        assets.sort();
        if errs.has_errors() {
            return Err(errs);
        }
        Ok(Theme { tera, strings, assets })
    }

    /// A UI string; the key itself when the theme lacks it (visible, never a crash).
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map(String::as_str).unwrap_or(key)
    }
}

/// Each template of `templates` (name, text, source path) that does not parse, as an error at
/// its file, line and column, with what the parser expected there.
fn syntax_errors(templates: &[(String, String, PathBuf)]) -> Vec<Diagnostic> {
    templates
        .iter()
        .filter_map(|(name, text, path)| {
            let e = tera::Template::new(name, None, text).err()?;
            let detail = tera_error_chain(&e);
            // Tera reports `--> 3:21` and then `= expected …`.
            let (line, column) = detail
                .split_once("--> ")
                .and_then(|(_, rest)| {
                    let (l, rest) = rest.split_once(':')?;
                    let c: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    Some((l.trim().parse().ok()?, c.parse().ok()?))
                })
                .unwrap_or((0, 0));
            let what = detail.lines().rev().find_map(|l| l.trim_start().strip_prefix("= ")).unwrap_or(&detail).trim().to_string();
            Some(Diagnostic::error(path, msg!("模板语法有错：{what}", "template syntax error: {what}")).at(text, line, column).hint(msg!(
                "检查这一行的 {{{{ … }}}} 和 {{% … %}} 是否写完整、成对",
                "check that every {{{{ … }}}} and {{% … %}} on this line is complete"
            )))
        })
        .collect()
}

/// Writes each UI string used as plainly as `{{ t(k="key") }}` into the template text, escaped
/// as Tera would escape it: the strings are fixed for the build, and a template that calls a
/// function some twenty times per page renders noticeably slower. Strings holding template
/// syntax or a line break are left to the `t` function.
fn bake_strings(name: &str, text: &str, strings: &HashMap<String, String>) -> String {
    static CALL: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let call = CALL.get_or_init(|| regex::Regex::new(r#"\{\{ *t\(k="([A-Za-z0-9_]+)"\) *\}\}"#).expect("valid regex"));
    let escaped = [".html", ".xml", ".svg"].iter().any(|e| name.ends_with(e));
    call.replace_all(text, |m: &regex::Captures<'_>| match strings.get(&m[1]) {
        Some(v) if !v.contains(['{', '}', '\n', '\r']) => {
            if escaped {
                super::escape::markup(v)
            } else {
                v.clone()
            }
        }
        _ => m[0].to_string(),
    })
    .into_owned()
}

/// A template's own punctuation in English (`Issued by: …`, not `Issued by：…`): the full-width
/// marks the templates write between their labels and values. What the community wrote is a
/// value, and is never changed.
fn english_punctuation(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '：' => out.push_str(": "),
            '（' => out.push_str(" ("),
            '）' => out.push(')'),
            '，' | '、' => out.push_str(", "),
            '；' => out.push_str("; "),
            '。' => out.push_str(". "),
            c => out.push(c),
        }
    }
    out
}

/// What a loaded theme depends on besides the embedded one: its name, the language and every
/// file of the site's `themes/<name>/`. Equal keys mean an equal theme (`serve` keeps it).
pub fn key(root: &Path, name: &str, lang: Lang) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(format!("{name}\n{}\n", lang.code()).as_bytes());
    let dir = root.join("themes").join(name);
    for e in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let bytes = std::fs::read(e.path()).unwrap_or_default();
        h.update(e.path().strip_prefix(&dir).unwrap_or(e.path()).to_string_lossy().as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    crate::code::hex(&h.finalize())
}

/// A hash of the embedded default theme, computed once: part of every build's fingerprint.
pub fn embedded_fingerprint() -> &'static str {
    static CELL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let mut all = embedded_files(&DEFAULT_THEME);
        all.sort_by_key(|f| f.path());
        for f in all {
            h.update(f.path().to_string_lossy().as_bytes());
            h.update((f.contents().len() as u64).to_le_bytes());
            h.update(f.contents());
        }
        crate::code::hex(&h.finalize())
    })
}

/// `root/themes/<name>/<sub>/**` as (relative name, text) pairs.
fn files(over: &Path, sub: &str, errs: &mut Diagnostics) -> Vec<(String, String)> {
    let dir = over.join(sub);
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
        match std::fs::read_to_string(entry.path()) {
            Ok(t) => out.push((rel, crate::source::normalize(&t))),
            Err(e) => {
                let detail = e.to_string();
                errs.push(Diagnostic::error(
                    entry.path().to_path_buf(),
                    msg!("无法读取模板：{detail}", "cannot read the template: {detail}"),
                ));
            }
        }
    }
    out
}

/// Tera nests the real cause inside its errors; a theme author needs all of it.
pub fn tera_error_chain(e: &tera::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// The embedded default theme's files, for `gongshi init`-style tooling and tests.
pub fn default_theme() -> &'static Dir<'static> {
    &DEFAULT_THEME
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each language's strings parse and name the same keys: a file that does not parse would
    /// otherwise leave every label of that language showing its key.
    #[test]
    fn every_language_has_every_string() {
        let keys = |code: &str| -> std::collections::BTreeSet<String> {
            let text = DEFAULT_THEME.get_file(format!("i18n/{code}.yaml")).and_then(|f| f.contents_utf8()).expect("the file is embedded");
            let map: HashMap<String, String> = serde_yaml::from_str(text).unwrap_or_else(|e| panic!("i18n/{code}.yaml: {e}"));
            map.into_keys().collect()
        };
        let (zh, en) = (keys("zh-CN"), keys("en"));
        assert!(zh.len() > 300);
        assert_eq!(zh.symmetric_difference(&en).collect::<Vec<_>>(), Vec::<&String>::new());
    }

    #[test]
    fn english_templates_get_english_punctuation() {
        assert_eq!(english_punctuation("{{ t(k=\"issuer\") }}：{{ x }}（{{ y }}）、"), "{{ t(k=\"issuer\") }}: {{ x }} ({{ y }}), ");
    }
}
