//! Reading source files and YAML into typed models, turning every serde error into a
//! [`Diagnostic`] a committee secretary can act on.

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, Msg};
use crate::msg;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use std::fmt;
use std::path::{Path, PathBuf};

/// Sources larger than this are refused: no notice or ledger is 10 MB of text, and reading
/// a mistaken video file into memory must not stall the build.
pub const MAX_SOURCE_BYTES: u64 = 10 * 1024 * 1024;

/// A source file read into memory, BOM removed and CRLF made LF (line numbers are unchanged).
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root, for messages (`content/notices/a.md`).
    pub rel: PathBuf,
    /// The normalised text.
    pub text: String,
    /// Where each YAML value stands, read when first asked for (only files with something to
    /// report pay for it).
    spans: std::sync::OnceLock<crate::spans::Spans>,
}

impl Source {
    /// Reads `root/rel`.
    pub fn read(root: &Path, rel: &Path) -> Result<Source, Diagnostic> {
        Source::read_limited(root, rel, MAX_SOURCE_BYTES)
    }

    /// Reads `root/rel`, refusing files over `max` bytes.
    pub fn read_limited(root: &Path, rel: &Path, max: u64) -> Result<Source, Diagnostic> {
        let path = root.join(rel);
        let too_big = |len: u64| {
            let mb = len / 1024 / 1024;
            Diagnostic::error(
                rel,
                msg!("文件太大（{mb} MB），不像是公示内容", "the file is too large ({mb} MB) to be a notice or a ledger"),
            )
            .hint(msg!("图片和扫描件请放在 content/static/ 下", "put images and scans under content/static/"))
        };
        use std::io::Read as _;
        // One open, then the size of what was opened: no second lookup of the path.
        let file = std::fs::File::open(&path).map_err(|e| io_error(rel, &e))?;
        let len = file.metadata().map_err(|e| io_error(rel, &e))?.len();
        if len > max {
            return Err(too_big(len));
        }
        let mut bytes = Vec::with_capacity(len as usize + 1);
        // Never more than `max` (and one byte to tell), even if the file grows meanwhile.
        file.take(max + 1).read_to_end(&mut bytes).map_err(|e| io_error(rel, &e))?;
        if bytes.len() as u64 > max {
            return Err(too_big(bytes.len() as u64));
        }
        Source::from_bytes(rel, bytes)
    }

    /// Decodes bytes read from `rel`.
    pub fn from_bytes(rel: &Path, bytes: Vec<u8>) -> Result<Source, Diagnostic> {
        let text = String::from_utf8(bytes).map_err(|e| {
            let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            Diagnostic {
                line,
                ..Diagnostic::error(rel, msg!("文件不是 UTF-8 编码（可能是 GBK/ANSI）", "the file is not UTF-8 encoded (perhaps GBK/ANSI)"))
            }
            .hint(msg!(
                "用记事本或 VS Code 打开，选择“另存为”，编码选 UTF-8",
                "open it in an editor and save it again with the UTF-8 encoding"
            ))
        })?;
        Ok(Source::new(rel, normalize(&text)))
    }

    /// A source with already normalised `text`.
    pub fn new(rel: &Path, text: String) -> Source {
        Source { rel: rel.to_path_buf(), text, spans: std::sync::OnceLock::new() }
    }

    /// Where each value of the file's YAML (its front matter, for Markdown) stands.
    pub fn spans(&self) -> &crate::spans::Spans {
        self.spans.get_or_init(|| match split_front_matter(self) {
            Ok(fm) if self.text.starts_with("---") => crate::spans::Spans::of(fm.yaml, fm.yaml_first_line),
            _ => crate::spans::Spans::of(&self.text, 1),
        })
    }

    /// Where the value at `path` (`scope[1]`, `lines[3].amount`) is written, or where the
    /// mapping that should hold it is; (0, 0) when neither is.
    pub fn at(&self, path: &str) -> (usize, usize) {
        self.spans().near(path)
    }

    /// Where the key of `path` is written (for a list item, where the item starts), or where
    /// the nearest mapping holding it is; for what is said about a whole list or mapping.
    pub fn key_at(&self, path: &str) -> (usize, usize) {
        match self.spans().key(path) {
            (0, _) => self.spans().near(path),
            at => at,
        }
    }

    /// The line each of the `n` items of the top-level list `key` starts on, from the text
    /// (a good file is read once; [`Source::at`] places what is said about an item's values).
    pub fn item_lines(&self, key: &str, n: usize) -> Vec<usize> {
        item_lines(&self.text, key, n)
    }
}

/// Removes a BOM and turns CRLF into LF.
pub fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    }
}

fn io_error(rel: &Path, e: &std::io::Error) -> Diagnostic {
    let detail = e.to_string();
    Diagnostic::error(rel, msg!("无法读取文件：{detail}", "cannot read the file: {detail}"))
}

/// A Markdown file split into its YAML front matter and its body.
#[derive(Debug)]
pub struct FrontMatter<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Line number (1-based) of the first YAML line in the file.
    pub yaml_first_line: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
}

/// Splits `---\nyaml\n---\nbody`.
pub fn split_front_matter(src: &Source) -> Result<FrontMatter<'_>, Diagnostic> {
    let text = src.text.as_str();
    let example = msg!(
        "文件应以三条短横线开头，例如：\n---\ntitle: 标题\ndate: 2025-10-08\nissuer: property\n---\n正文……",
        "the file must start with three dashes, e.g.:\n---\ntitle: Title\ndate: 2025-10-08\nissuer: property\n---\nBody…"
    );
    let Some(rest) = text.strip_prefix("---\n").or_else(|| (text.trim_end() == "---").then_some("")) else {
        // `———` or `－－－` typed with the Chinese input method.
        let first = text.lines().next().unwrap_or_default().trim();
        if !first.is_empty() && first.chars().all(|c| matches!(c, '—' | '－' | '–' | '━' | '─' | '-')) {
            return Err(Diagnostic::error(
                &src.rel,
                msg!(
                    "第一行的「{first}」是中文输入法打出的横线，不是三个英文短横线 ---",
                    "the first line `{first}` is not three ASCII dashes ---"
                ),
            )
            .at(text, 1, 1)
            .hint(msg!(
                "把输入法切换到英文，重新输入三个减号 ---（开头和正文前的那一行都要这样）",
                "switch the input method to English and type three minus signs --- (on both dashed lines)"
            )));
        }
        return Err(Diagnostic::error(&src.rel, msg!("缺少开头的 --- 前言区", "the front matter (---) is missing"))
            .at(text, 1, 1)
            .hint(example));
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n').trim_end();
        if bare == "---" || bare == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(FrontMatter { yaml, yaml_first_line: 2, body });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(&src.rel, msg!("前言区没有结束：找不到第二行 ---", "the front matter is not closed: no second --- line"))
        .at(text, 1, 1)
        .hint(example))
}

/// Deserialises `yaml` (a part of `src` starting at line `first_line`) into `T`; every
/// problem of the file is explained with its own line, column and hint.
pub fn parse<T: DeserializeOwned>(src: &Source, yaml: &str, first_line: usize) -> Result<T, Diagnostics> {
    let mut errs = Diagnostics::default();
    match parse_into(src, yaml, first_line, &mut errs) {
        Some(t) if !errs.has_errors() => Ok(t),
        _ => Err(errs),
    }
}

/// Deserialises `yaml` into `T`, pushing onto `errs` every problem found, each at the line and
/// column of the value it is about, all of them in one run. Returns `T` when the file could be
/// read but for fields that nothing else depends on (a misspelt field, an optional field that
/// was refused), so that the checks after reading still run and report too; `None` when a
/// value the rest depends on could not be read.
pub fn parse_into<T: DeserializeOwned>(src: &Source, yaml: &str, first_line: usize, errs: &mut Diagnostics) -> Option<T> {
    let yaml_or_empty_map = if yaml.trim().is_empty() { "{}" } else { yaml };
    take_refusal();
    // The fast path: a good file is read once, as before.
    let first = match serde_yaml::from_str(yaml_or_empty_map) {
        Ok(t) => return Some(t),
        Err(e) => e,
    };
    let refusal = take_refusal();
    let keyboard = crate::keyboard::check(src, yaml, first_line);
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(yaml_or_empty_map) else {
        // Not YAML at all: the typing mistakes a Chinese keyboard makes explain it best, each at
        // its own place; otherwise the parser's one position is all there is.
        if keyboard.is_empty() {
            errs.push(explain(src, &first, first_line, refusal));
        } else {
            errs.extend(keyboard);
        }
        return None;
    };
    // Each typing mistake once, at its own place; what serde says about the same line is the
    // same mistake seen from further away.
    let mut found = Diagnostics::default();
    let t = collect(src, yaml, first_line, value, &mut found);
    let typo_lines: Vec<usize> = keyboard.iter().map(|d| d.line).collect();
    errs.extend(keyboard);
    errs.extend(found.items.into_iter().filter(|d| !typo_lines.contains(&d.line)));
    // The checks that follow a partial reading do not repeat what it refused.
    errs.mark_refused();
    t.filter(|_| typo_lines.is_empty())
}

/// A step of a path into a YAML value.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn path_text(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        out = match s {
            Step::Key(k) => crate::spans::child(&out, k),
            Step::Index(i) => crate::spans::item(&out, *i),
        };
    }
    out
}

/// Reads `value` again and again, each time taking out the value serde refused, so that every
/// refused value is reported once, at its own place. Items taken out of a list shift the later
/// ones: paths are translated back to the file's own numbering.
fn collect<T: DeserializeOwned>(
    src: &Source,
    yaml: &str,
    first_line: usize,
    mut value: serde_yaml::Value,
    errs: &mut Diagnostics,
) -> Option<T> {
    let spans = crate::spans::Spans::of(yaml, first_line);
    let mut removed: Vec<String> = Vec::new();
    let mut removed_items: std::collections::HashMap<String, Vec<usize>> = Default::default();
    // Misspelt keys by their mapping: `titel` already explains the missing `title`.
    let mut misspelt: Vec<(String, String)> = Vec::new();
    // Whether what is left still means what the file says (only misspelt fields or whole
    // top-level fields were taken out).
    let mut whole = true;
    let mut reported = 0;
    for _ in 0..200 {
        take_refusal();
        let err = match serde_path_to_error::deserialize::<_, T>(value.clone()) {
            Ok(t) => return whole.then_some(t),
            Err(e) => e,
        };
        let refusal = take_refusal();
        let here: Vec<Step> = err
            .path()
            .iter()
            .filter_map(|s| match s {
                serde_path_to_error::Segment::Seq { index } => Some(Step::Index(*index)),
                serde_path_to_error::Segment::Map { key } => Some(Step::Key(key.clone())),
                _ => None,
            })
            .collect();
        // The same place in the file's own numbering.
        let mut original = Vec::with_capacity(here.len());
        for s in &here {
            original.push(match s {
                Step::Key(k) => Step::Key(k.clone()),
                Step::Index(i) => {
                    let mut o = *i;
                    let mut gone = removed_items.get(&path_text(&original)).cloned().unwrap_or_default();
                    gone.sort_unstable();
                    for g in gone {
                        if g <= o {
                            o += 1;
                        }
                    }
                    Step::Index(o)
                }
            });
        }
        let path = path_text(&original);
        let text = err.inner().to_string();
        let text = text.rfind(" at line ").map(|i| text[..i].to_string()).unwrap_or(text);
        if let Some(field) = text.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
            let field = field.to_string();
            // The path names the misspelt key itself; the message speaks of its mapping.
            let here = match here.split_last() {
                Some((Step::Key(k), parent)) if *k == field => parent.to_vec(),
                _ => here,
            };
            let parent = path_text(&original[..here.len().min(original.len())]);
            let (l, c) = spans.key(&crate::spans::child(&parent, &field));
            errs.push(explain_value(src, &parent, &text, None).at(&src.text, l, c));
            reported += 1;
            misspelt.push((parent, field.clone()));
            if !remove(&mut value, &here, Some(&field)) {
                return None;
            }
            continue;
        }
        if let Some(field) = text.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
            let full = crate::spans::child(&path, field);
            let ours = removed.iter().any(|r| full == *r || full.starts_with(&format!("{r}.")) || full.starts_with(&format!("{r}[")));
            let explained = misspelt.iter().any(|(p, typo)| *p == path && crate::diagnostics::did_you_mean(typo, [field]).is_some());
            if !ours && !explained {
                let (l, c) = spans.near(&path);
                let (l, c) = if l == 0 { (first_line, 1) } else { (l, c) };
                errs.push(explain_value(src, &path, &text, None).at(&src.text, l, c));
                reported += 1;
            }
        } else {
            let (l, c) = spans.near(&path);
            let (l, c) = if l == 0 { (first_line, 0) } else { (l, c) };
            errs.push(explain_value(src, &path, &text, refusal).at(&src.text, l, c));
            reported += 1;
        }
        // Take out what was refused (or the mapping that lacks a field) and read the rest.
        if here.is_empty() || !remove(&mut value, &here, None) {
            break;
        }
        whole &= here.len() == 1 && !text.starts_with("missing field");
        if let Some((Step::Index(i), parent)) = original.split_last() {
            removed_items.entry(path_text(parent)).or_default().push(*i);
        }
        removed.push(path);
    }
    if reported == 0 {
        // Nothing could be placed: say what serde said, where it said it.
        let refusal = take_refusal();
        errs.push(explain(src, &serde_yaml::from_str::<T>(yaml).err()?, first_line, refusal));
    }
    None
}

/// Removes the value at `at` from `root` (or, with `key`, the entry `key` of the mapping at
/// `at`); false when there is nothing there to remove.
fn remove(root: &mut serde_yaml::Value, at: &[Step], key: Option<&str>) -> bool {
    use serde_yaml::Value;
    fn step<'a>(v: &'a mut Value, s: &Step) -> Option<&'a mut Value> {
        match (v, s) {
            (Value::Mapping(m), Step::Key(k)) => m.iter_mut().find(|(mk, _)| key_text(mk) == *k).map(|(_, v)| v),
            (Value::Sequence(q), Step::Index(i)) => q.get_mut(*i),
            (Value::Tagged(t), s) => step(&mut t.value, s),
            _ => None,
        }
    }
    fn key_text(k: &Value) -> String {
        match k {
            Value::String(s) => s.clone(),
            other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
        }
    }
    let (target, last) = match key {
        Some(k) => (at, Step::Key(k.to_string())),
        None => match at.split_last() {
            Some((last, parent)) => (parent, last.clone()),
            None => return false,
        },
    };
    let mut v = root;
    for s in target {
        match step(v, s) {
            Some(next) => v = next,
            None => return false,
        }
    }
    match (v, last) {
        (Value::Mapping(m), Step::Key(k)) => {
            let found = m.keys().find(|mk| key_text(mk) == k).cloned();
            found.and_then(|f| m.remove(&f)).is_some()
        }
        (Value::Sequence(q), Step::Index(i)) if i < q.len() => {
            q.remove(i);
            true
        }
        _ => false,
    }
}

/// Turns a serde_yaml error into a diagnostic, at the place serde_yaml gives.
fn explain(src: &Source, e: &serde_yaml::Error, first_line: usize, refusal: Option<Refusal>) -> Diagnostic {
    let full = e.to_string();
    // serde_yaml appends " at line L column C"; we show the place ourselves.
    let text = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    let (line, column) = match e.location() {
        Some(loc) => (loc.line() + first_line - 1, loc.column()),
        None => (first_line, 0),
    };
    // Errors inside nested values are prefixed with their path: `posting: unknown field …`.
    let (path, text) = match text.split_once(": ") {
        Some((p, rest)) if !p.is_empty() && !p.contains(' ') => (p.to_string(), rest.to_string()),
        _ => (String::new(), text),
    };
    if let Some(rest) = text.strip_prefix("duplicate field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let (l, c) = {
            let first = locate_key(&src.text, field).0;
            let later = src.text.lines().enumerate().skip(first).find(|(_, t)| t.trim_start().starts_with(&format!("{field}:")));
            later.map(|(i, t)| (i + 1, t.len() - t.trim_start().len() + 1)).unwrap_or((line, column))
        };
        // Inside a list (`- {date: …}` / `  date: …` under `- `), a second `date:` most often
        // starts the next item whose `- ` was left out.
        let in_list = src.text.lines().nth(l.saturating_sub(1)).is_some_and(|t| t.starts_with(' ') || t.starts_with('\t'));
        let hint = if in_list {
            msg!(
                "如果这是新的一笔（一项），在它前面加上 `- `（短横线和空格），和上一项对齐；真的写重复了就删掉一个",
                "if this starts a new item, put `- ` before it, aligned with the item above; if it is a real duplicate, remove one"
            )
        } else {
            msg!("删掉其中一行；只有一个会生效，所以不允许重复", "remove one of them: only one could take effect")
        };
        return Diagnostic::error(&src.rel, msg!("字段 `{field}` 写了两次", "the field `{field}` is written twice"))
            .at(&src.text, l, c)
            .hint(hint);
    }
    explain_value(src, &path, &text, refusal).at(&src.text, line, column)
}

/// What serde's `text` about the value at `path` means, in words a secretary reads, with the
/// right form of the field as an example; the caller places it.
fn explain_value(src: &Source, path: &str, text: &str, refusal: Option<Refusal>) -> Diagnostic {
    let d = |m: Msg| {
        let m = if path.is_empty() {
            m
        } else {
            Msg { zh: format!("{} 里：{}", plain_path(path), m.zh), en: format!("in `{path}`: {}", m.en) }
        };
        Diagnostic::error(&src.rel, m)
    };
    // The field a value belongs to; for a list item (`income[3]`), the list's.
    let field = match path.rsplit_once('.').map_or(path, |(_, f)| f) {
        f if f.ends_with(']') => f.split('[').next().unwrap_or_default(),
        f => f,
    };
    if let Some(rest) = text.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let hint = match did_you_mean(field, expected.iter().copied()) {
            Some(s) => msg!("是不是想写 `{s}`？", "did you mean `{s}`?"),
            None if field.chars().all(|c| c.is_ascii_digit() || c == '.') => msg!(
                "金额里有逗号时要加引号（例如 amount: \"1,200.00\"），或者不写逗号：amount: 1200.00",
                "quote an amount that has a comma (amount: \"1,200.00\"), or leave the comma out: amount: 1200.00"
            ),
            None => {
                let all = expected.join("、");
                let all_en = expected.join(", ");
                msg!("这里可以写的字段有：{all}", "the fields allowed here are: {all_en}")
            }
        };
        return d(msg!(
            "未知字段 `{field}`（拼错的字段会让数据悄悄丢失，所以不允许）",
            "unknown field `{field}` (a misspelt field would silently drop data)"
        ))
        .hint(hint);
    }
    if let Some(rest) = text.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let hint = match example(field) {
            Some(ex) => msg!("请加上一行，例如：{ex}", "add a line, e.g.: {ex}"),
            None => msg!("请加上一行 `{field}: …`", "add a line `{field}: …`"),
        };
        return d(msg!("缺少必填字段 `{field}`", "the required field `{field}` is missing")).hint(hint);
    }
    if let Some(rest) = text.strip_prefix("unknown variant `") {
        let value = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let all = expected.join("、");
        let all_en = expected.join(", ");
        return d(msg!("不认识的取值 `{value}`", "unknown value `{value}`")).hint(msg!("可以写：{all}", "allowed values: {all_en}"));
    }
    if let Some(r) = refusal.filter(|_| text.contains(REFUSED_MARK)) {
        let d = Diagnostic::error(&src.rel, r.message);
        return match r.hint {
            Some(h) => d.hint(h),
            None => d,
        };
    }
    if text.starts_with("invalid type") || text.starts_with("invalid value") || text.starts_with("invalid length") {
        let (what_zh, what_en) = expected_kind(text);
        let (got_zh, got_en) = written_kind(text);
        // A vote's `matter` is the clause it is taken under, not a matter file.
        let ex = match field {
            "matter" if src.rel.starts_with("content/votes") => Some("matter: 4（民法典第二百七十八条第一款第几项）".to_string()),
            _ if path.ends_with(']') => item_example(field).map(str::to_string),
            _ => example(field),
        };
        let hint = match ex {
            Some(ex) => msg!("正确的写法例如：{ex}", "the right form is, e.g.: {ex}"),
            None => msg!("这里要写{what_zh}", "write {what_en} here"),
        };
        return d(msg!("这里应当写{what_zh}，写成了{got_zh}", "this should be {what_en}, but {got_en} is written")).hint(hint);
    }
    if text.contains("recursion limit") || text.contains("repetition limit") {
        return d(msg!("YAML 嵌套或别名展开过深，已拒绝读取", "the YAML nests or repeats aliases too deeply; refused"))
            .hint(msg!("公示内容不需要 YAML 别名（&、*）和深层嵌套", "published content needs no YAML aliases (&, *) or deep nesting"));
    }
    let what = plain_syntax(text);
    let what_en = text.to_string();
    if text.contains("unknown escape character") {
        return d(msg!("格式错误，{what}", "format error: {what_en}")).hint(msg!(
            "路径请用 / 分隔，例如 attachment: static/vouchers/07-009.png（不加引号）；别的文字里要写反斜杠时改用单引号 '…'",
            "separate a path with /, e.g. attachment: static/vouchers/07-009.png (no quotes); for other text with a backslash use single quotes '…'"
        ));
    }
    d(msg!("格式错误，{what}", "format error: {what_en}")).hint(msg!(
        "检查这一行及上一行：冒号后要有空格，缩进要对齐（用空格，不用 Tab），含冒号或 # 的文字要加引号",
        "check this line and the one before: a space after each colon, aligned indentation (spaces, not tabs), quotes around text containing : or #"
    ))
}

/// A path into a file as a secretary says it: `income[0]` is 第 1 笔收入, `entries[2].rating`
/// is 第 3 件诉求的 `rating`, `posting.to` is `posting` 的 `to`.
fn plain_path(path: &str) -> String {
    let named = |key: &str| -> Option<(&'static str, &'static str)> {
        Some(match key {
            "income" => ("笔", "收入"),
            "expense" => ("笔", "支出"),
            "gifts" => ("笔", "捐款"),
            "spending" => ("笔", "支出"),
            "entries" => ("件", "诉求"),
            "decisions" => ("项", "决定"),
            "stages" => ("步", "进展"),
            "quotes" => ("家", "报价"),
            "funding" => ("项", "资金来源"),
            "groups" => ("组", "分摊"),
            "zones" => ("个", "区"),
            "revisions" => ("条", "修订记录"),
            "agenda" => ("项", "议程"),
            "scope" => ("个", "楼栋"),
            "response" | "tiers" => ("档", "响应时限"),
            "services" => ("项", "服务"),
            "fees" => ("项", "收费"),
            "buildings" => ("栋", "楼"),
            "contacts" => ("个", "联系方式"),
            "attachments" => ("个", "附件"),
            _ => return None,
        })
    };
    let mut parts = Vec::new();
    for seg in path.split('.') {
        match seg.split_once('[') {
            Some((key, rest)) => {
                let n = rest.trim_end_matches(']').parse::<usize>().map_or(0, |i| i + 1);
                parts.push(match named(key) {
                    Some((unit, what)) => format!("第 {n} {unit}{what}"),
                    None => format!("`{key}` 的第 {n} 项"),
                });
            }
            None => parts.push(format!("`{seg}`")),
        }
    }
    parts.join("的")
}

/// A parser's complaint in plain Chinese.
fn plain_syntax(text: &str) -> &'static str {
    match text {
        t if t.contains("mapping values are not allowed") => "这一行有一个冒号不该在这里（文字里有冒号时，整段文字要加引号）",
        t if t.contains("could not find expected ':'") => "这一行少了“字段: 值”里的冒号（英文冒号，后面加空格）",
        t if t.contains("did not find expected key") => "这一行的缩进和上面的对不齐",
        t if t.contains("found character that cannot start any token") => "这一行开头有不能用的字符（常见的是 Tab 或 @、`）",
        t if t.contains("did not find expected ',' or ']'") => "方括号 [ ] 没有配对，或者里面少了英文逗号",
        t if t.contains("did not find expected ',' or '}'") => "花括号 { } 没有配对，或者里面少了英文逗号",
        t if t.contains("found unexpected end of stream") => "文件在一个引号或括号还没结束时就结束了",
        t if t.contains("duplicate entry") => "同一个字段写了两次",
        t if t.contains("block sequence entries are not allowed") => "列表项（- 开头）的位置不对：它要单独一行，并比上面的字段多缩进",
        t if t.contains("found unknown escape character") => "双引号里的反斜杠 \\ 被当成了转义符（Windows 的路径写在双引号里常会这样）",
        _ => "这里不是正确的“字段: 值”写法",
    }
}

/// The right form of a field, to copy, under the field's own name where the form is shared
/// (`opening_balance: 1200.00`, `resolved: 2025-10-08 09:30`).
pub fn example(field: &str) -> Option<String> {
    let own = match field {
        "amount" | "cost" | "opening" | "closing" | "opening_balance" | "closing_balance" | "share" => Some("1200.00"),
        "date" | "decided" | "signed" | "approved" | "effective" | "from" | "to" => Some("2025-10-08"),
        "received" | "responded" | "resolved" | "followed_up" | "time" | "start" | "end" | "when" => Some("2025-10-08 09:30"),
        "owners" | "count" | "votes" | "households" | "present" | "for" => Some("312（阿拉伯数字）"),
        _ => None,
    };
    if let Some(v) = own {
        return Some(format!("{field}: {v}"));
    }
    if field == "income" || field == "expense" {
        return Some(format!("{field}:\n  - {{date: 2025-10-08, category: 停车费, amount: 1200.00, voucher: 公-2025-10-001}}"));
    }
    Some(
        match field {
            "posting" => "posting: {from: 2025-10-08, to: 2025-10-15}",
            "title" => "title: 5号楼停水通知",
            "issuer" => "issuer: property",
            "scope" => "scope: [\"5\", \"7-2\"]（楼号，或 楼号-单元号）",
            "summary" => "summary: 10月8日9点到17点停水，请提前储水。",
            "pinned" => "pinned: true（或 false）",
            "draft" => "draft: true（或 false）",

            "budget" => "budget: {维修: 10000, 公益活动: 2500}",
            "area" | "area_m2" => "area: 89.50",
            "matter" => "matter: elevator-2026（事项文件的名字，不带 .yaml）",
            "vote" => "vote: elevator-2026",
            "stage" => "stage: decided",
            "revisions" => "revisions: [{date: 2025-10-09, note: 改正停水时间}]",
            "note" => "note: 改正停水时间",
            "category" => "category: 维修",
            "voucher" => "voucher: 维-2025-10-001",
            "attachment" => "attachment: static/vouchers/07-009.png",
            "tier" => "tier: urgent（紧急）、routine（一般）或 complex（疑难）",
            "building" => "building: \"5\"",
            "id" => "id: water-cut-2025-10",
            "period" => "period: 2025-10",
            "agree" | "against" | "abstain" | "eligible" | "participated" => "agree: {owners: 312, area: 28650.50}（人数和专有部分面积）",
            "rating" | "score" => "rating: 5（1 到 5 的数字）",
            "lines" => "lines:\n  - {date: 2025-10-08, item: 电梯维修, category: 维修, amount: 1200.00, voucher: 维-001}",
            _ => return None,
        }
        .to_string(),
    )
}

/// The right form of one item of the list `field`, to copy.
fn item_example(field: &str) -> Option<&'static str> {
    Some(match field {
        "income" | "expense" | "lines" => "- {date: 2025-10-08, category: 维修, amount: 1200.00, voucher: 维-2025-10-001}",
        "entries" => "- {id: R-2510-001, received: 2025-10-08 09:30, tier: routine, category: 漏水, scope: \"5\", summary: 水管漏水}",
        "scope" => "scope: [\"5\", \"7-2\"]（楼号，或 楼号-单元号）",
        "revisions" => "- {date: 2025-10-09, note: 改正停水时间}",
        "gifts" => "- {date: 2025-10-08, donor: 5号楼业主, amount: 200.00}",
        "stages" => "- {stage: proposed, date: 2025-10-08}",
        _ => return None,
    })
}

/// What kind of value was written, from serde's "invalid type: string \"x\", expected …".
fn written_kind(text: &str) -> (String, String) {
    let got = text.split_once(": ").map(|(_, r)| r).unwrap_or(text);
    let got = got.split(", expected").next().unwrap_or(got);
    let zh = match got {
        g if g.starts_with("string") => format!("文字 {}", g.trim_start_matches("string ")),
        g if g.starts_with("integer") || g.starts_with("floating point") => {
            format!("数字 {}", g.trim_start_matches("integer ").trim_start_matches("floating point "))
        }
        g if g.starts_with("sequence") => "一个列表".to_string(),
        g if g.starts_with("map") => "一组“字段: 值”".to_string(),
        g if g.starts_with("unit") => "空值".to_string(),
        g if g.starts_with("boolean") => format!("真假值 {}", g.trim_start_matches("boolean ")),
        g => g.to_string(),
    };
    (zh, got.to_string())
}

/// What every placeholder of gongshi's templates starts with: `（在这里写标题）`.
pub const PLACEHOLDER: &str = "（在这里";

/// Every placeholder still in `src`, each an error at its own line: what `gongshi init` and
/// `gongshi new` wrote for the secretary to fill in must never reach residents.
pub fn unfilled(src: &Source, draftable: bool, errs: &mut crate::diagnostics::Diagnostics) {
    if !src.text.contains(PLACEHOLDER) {
        return;
    }
    for (i, line) in src.text.lines().enumerate() {
        if let Some(col) = line.find(PLACEHOLDER) {
            let column = line[..col].chars().count() + 1;
            let what =
                line[col..].split('）').next().unwrap_or_default().trim_start_matches(PLACEHOLDER).trim_start_matches('写').to_string();
            let hint = if draftable {
                msg!(
                    "把括号和里面的提示换成真实内容；还没写好的内容可以先加一行 draft: true（草稿不会发布）",
                    "replace the brackets and the prompt with the real text; an item not ready yet can stay a draft (draft: true)"
                )
            } else {
                msg!("把括号和里面的提示换成真实内容", "replace the brackets and the prompt with the real text")
            };
            errs.push(
                Diagnostic::error(&src.rel, msg!("这一项还没有填写：{what}", "this is still to be filled in: {what}"))
                    .at(&src.text, i + 1, column)
                    .hint(hint),
            );
        }
    }
}

/// Why a value of one of gongshi's own types (a date, an amount, a time limit) refused what was
/// written, in both languages, with the value as written so that the message can point at it.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// What is wrong.
    pub message: Msg,
    /// What to write instead.
    pub hint: Option<Msg>,
    /// The text that was refused, for finding its place in the file.
    pub value: Option<String>,
}

impl Refusal {
    /// A refusal with just a message.
    pub fn new(message: Msg) -> Refusal {
        Refusal { message, hint: None, value: None }
    }
}

thread_local! {
    /// The refusal behind the serde error being raised on this thread: serde errors carry only
    /// text, so the typed refusal travels beside the error, and [`parse`] picks it up.
    static REFUSED: std::cell::RefCell<Option<Refusal>> = const { std::cell::RefCell::new(None) };
}

/// The text of every error that [`refuse`] raises: it says "look beside me".
const REFUSED_MARK: &str = "(gongshi-refused)";

/// The serde error of a value that refused what was written, for [`parse`] to explain.
pub fn refuse<E: serde::de::Error>(r: Refusal) -> E {
    REFUSED.with(|c| *c.borrow_mut() = Some(r));
    E::custom(REFUSED_MARK)
}

/// The refusal raised by the latest [`refuse`] on this thread, if any.
fn take_refusal() -> Option<Refusal> {
    REFUSED.with(|c| c.borrow_mut().take())
}

fn expected_kind(text: &str) -> (String, String) {
    let expected = text.rsplit("expected ").next().unwrap_or_default();
    let en = match expected {
        e if e.contains("struct") || e.contains("map") => "a group of `field: value` lines",
        e if e.starts_with('u') || e.starts_with('i') && e[1..].chars().all(|c| c.is_ascii_digit()) => "a number",
        e => e,
    };
    let zh = match expected {
        e if e.contains("sequence") => "一个列表（每行一个 - 开头的项，或者写在 [ ] 里用英文逗号隔开）",
        e if e.contains("a string") => "一段文字",
        e if e.contains("a boolean") => " true（是）或 false（否）",
        e if e.contains("struct") || e.contains("map") => "“字段: 值”形式的一组内容",
        e if e.contains("integer") || e.contains("number") || e.starts_with('u') || e.starts_with('i') => "一个阿拉伯数字（例如 4）",
        e if e.contains("date") => "一个日期（例如 2025-10-08）",
        _ => "别的写法（见下面的提示）",
    };
    (zh.to_string(), en.to_string())
}

/// A text value that may have been written as a number (`id: 5`, `phone: 12345`): YAML reads
/// those as numbers, but to a person they are labels.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct LooseString(pub String);

impl fmt::Display for LooseString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for LooseString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = LooseString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<LooseString, E> {
                Ok(LooseString(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<LooseString, E> {
                Ok(LooseString(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<LooseString, E> {
                Ok(LooseString(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Finds where `needle` first appears in `text` at or after line `from_line` (1-based),
/// returning (line, column) 1-based; (0, 0) when absent. Used to point semantic errors at
/// the right line after serde has thrown positions away.
pub fn locate(text: &str, needle: &str, from_line: usize) -> (usize, usize) {
    for (i, line) in text.lines().enumerate().skip(from_line.saturating_sub(1)) {
        if let Some(byte) = line.find(needle) {
            return (i + 1, line[..byte].chars().count() + 1);
        }
    }
    (0, 0)
}

/// Finds the line of a top-level or nested key `key:` (first occurrence).
pub fn locate_key(text: &str, key: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with(':') {
                let col = line.chars().count() - trimmed.chars().count() + 1;
                return (i + 1, col);
            }
        }
    }
    (0, 0)
}

/// Whether `id` is a valid permanent id: `[a-z0-9][a-z0-9-]*`.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A valid id made from `raw` by keeping its ASCII letters and digits; empty if none remain.
pub fn slugify(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The id of an item: its file stem if valid, else its `id:` field; otherwise an error that
/// suggests one (`fallback` is used when the stem has no ASCII to build on, e.g. a date).
pub fn resolve_id(src: &Source, front_id: Option<&str>, fallback: &str) -> Result<String, Diagnostic> {
    let stem = src.rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let suggestion = {
        let s = slugify(&stem);
        if s.is_empty() || !is_valid_id(&s) {
            fallback.to_string()
        } else {
            s
        }
    };
    if let Some(id) = front_id {
        if is_valid_id(id) {
            return Ok(id.to_string());
        }
        let (line, col) = locate_key(&src.text, "id");
        return Err(Diagnostic::error(
            &src.rel,
            msg!(
                "`id: {id}` 不能用作网址：只能用小写字母、数字和短横线",
                "`id: {id}` cannot be used in a URL: only lowercase letters, digits and dashes"
            ),
        )
        .at(&src.text, line, col)
        .hint(msg!(
            "例如 `id: {suggestion}`（编号印在纸上，定了就不要再改）",
            "e.g. `id: {suggestion}` (ids are printed on paper: choose once)"
        )));
    }
    if is_valid_id(&stem) {
        return Ok(stem);
    }
    Err(Diagnostic::error(
        &src.rel,
        msg!(
            "文件名 `{stem}` 不能用作网址编号：只能用小写字母、数字和短横线",
            "the file name `{stem}` cannot be used as an id: only lowercase letters, digits and dashes"
        ),
    )
    .hint(msg!(
        "把文件改名为 `{suggestion}`，或在前言区加一行 `id: {suggestion}`",
        "rename the file to `{suggestion}`, or add a line `id: {suggestion}` to its front matter"
    )))
}

/// Line numbers (1-based) of the `n` items of the top-level sequence `key:`.
pub fn item_lines(text: &str, key: &str, n: usize) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let pat = format!("{key}:");
    sequence_lines(&lines, lines.iter().position(|l| l.starts_with(&pat)), n)
}

/// Line numbers (1-based) of the `n` items of the sequence `key:` nested in a mapping, looked
/// for at or after line `from_line` (`groups:` inside `allocation:`).
pub fn nested_item_lines(text: &str, from_line: usize, key: &str, n: usize) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let pat = format!("{key}:");
    let start = (from_line.saturating_sub(1)..lines.len()).find(|&i| lines[i].trim_start().starts_with(&pat));
    sequence_lines(&lines, start, n)
}

/// The lines of the `n` items of the sequence whose key is on line index `start`: its `- `
/// lines at one indentation, until a line indented less than the key (or as much, and not an
/// item); the key's line stands in for items not found.
fn sequence_lines(lines: &[&str], start: Option<usize>, n: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(n);
    if let Some(start) = start {
        let key_indent = lines[start].len() - lines[start].trim_start().len();
        let mut indent = None;
        for (i, l) in lines.iter().enumerate().skip(start + 1) {
            let trimmed = l.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let ind = l.len() - trimmed.len();
            if ind < key_indent || (ind == key_indent && !trimmed.starts_with("- ")) {
                break;
            }
            if trimmed.starts_with("- ") && indent.is_none_or(|x| x == ind) {
                indent = Some(ind);
                out.push(i + 1);
            }
        }
    }
    let fallback = start.map(|s| s + 1).unwrap_or(0);
    out.resize(n, fallback);
    out
}

/// (line, column) of `field:` within the item starting at `item_line`.
pub fn field_at(text: &str, item_line: usize, field: &str) -> (usize, usize) {
    let pat = format!("{field}:");
    for (i, l) in text.lines().enumerate().skip(item_line.saturating_sub(1)).take(12) {
        if let Some(b) = l.find(&pat) {
            if i + 1 > item_line && l.trim_start().starts_with("- ") {
                break;
            }
            return (i + 1, l[..b].chars().count() + 1 + field.len() + 2);
        }
    }
    (item_line, 0)
}

/// Accepts a list, or a single value standing for a list of one (`scope: 5`).
pub fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<LooseString>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<LooseString>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a sequence")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![LooseString(v.to_string())])
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(vec![LooseString(v.to_string())])
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(vec![LooseString(v.to_string())])
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = seq.next_element::<LooseString>()? {
                out.push(v);
            }
            Ok(out)
        }
    }
    d.deserialize_any(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source::from_bytes(Path::new("content/notices/x.md"), text.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let s = src("\u{feff}---\r\ntitle: a\r\n---\r\nbody\r\n");
        assert_eq!(s.text, "---\ntitle: a\n---\nbody\n");
        let fm = split_front_matter(&s).unwrap();
        assert_eq!(fm.yaml, "title: a\n");
        assert_eq!(fm.body, "body\n");
    }

    #[test]
    fn missing_or_unclosed_front_matter_is_explained() {
        assert!(split_front_matter(&src("title: a\n")).is_err());
        let e = split_front_matter(&src("---\ntitle: a\nbody\n")).unwrap_err();
        assert!(e.message.zh.contains("前言区没有结束"));
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("water-cut-2025"));
        assert!(is_valid_id("5"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id("停水"));
        assert!(!is_valid_id("Water"));
        assert_eq!(slugify("5号楼 Water_Cut"), "5-water-cut");
        assert_eq!(slugify("停水通知"), "");
    }

    #[test]
    fn locate_finds_line_and_char_column() {
        let t = "a: 1\n标题: 5号楼\n";
        assert_eq!(locate(t, "5号楼", 1), (2, 5));
        assert_eq!(locate_key(t, "标题"), (2, 1));
        assert_eq!(locate(t, "zzz", 1), (0, 0));
    }
}
