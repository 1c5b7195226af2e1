//! The typing mistakes of a Chinese keyboard that break YAML, each named at its own column.
//!
//! A secretary who types with the input method switched to Chinese writes `title：停水`
//! (full-width colon), `scope: [5，7]` (full-width comma), `２０２５` (full-width digits) or
//! `“5”` (curly quotes); one who copies from Word or Excel brings tabs and `1,200.00`. The
//! parser then speaks of "mapping values" on some other line. These checks run only when a
//! file could not be read, and only flag what is certainly one of these mistakes: a
//! full-width comma between two words of prose is left alone.

use crate::diagnostics::Diagnostic;
use crate::msg;
use crate::source::Source;
use regex::Regex;
use std::sync::LazyLock;

static KEY_FULLWIDTH_COLON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^\s*(?:-\s+)?|[{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*(：)").unwrap());
static KEY_NO_SPACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^\s*(?:-\s+)?|[{,]\s*)([A-Za-z_][A-Za-z0-9_]*):([^\s:/])").unwrap());
static AMOUNT_WITH_COMMA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[{,]\s*([a-z_]+)\s*:\s*(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?)\s*[,}]").unwrap());
static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*): +(\S.*)$").unwrap());
static BLOCK_SCALAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r":\s*[|>][-+0-9]*\s*$").unwrap());

/// Every typing mistake in `yaml` (lines of `src` from `first_line`), in order.
pub fn check(src: &Source, yaml: &str, first_line: usize) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, line) in yaml_lines(yaml) {
        let n = first_line + i;
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let code = strip_comment(line);
        let col = |byte: usize| line[..byte].chars().count() + 1;
        let mut push = |byte: usize, d: Diagnostic| out.push(d.at(&src.text, n, col(byte)));
        if let Some(tab) = line[..indent].find('\t') {
            push(
                tab,
                Diagnostic::error(&src.rel, msg!("这一行用了 Tab 键缩进", "this line is indented with a tab")).hint(msg!(
                    "YAML 的缩进只能用空格：把 Tab 换成两个空格，和上下行对齐",
                    "YAML indents with spaces only: replace the tab with two spaces, aligned with the lines around"
                )),
            );
        }
        // Cells copied from a spreadsheet row arrive separated by tabs.
        let cells = &code[indent..];
        if cells.matches('\t').count() >= 2 {
            let name =
                |p: Option<&std::path::Path>| p.and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let period = name(Some(&src.rel));
            let tool = if src.rel.starts_with("content/accounts") {
                let fund = name(src.rel.parent());
                Some(format!("ledger {fund} {period} 账目.xlsx"))
            } else if src.rel.starts_with("content/requests") {
                Some(format!("requests {period} 台账.xlsx"))
            } else {
                None
            };
            let import = match tool {
                Some(t) => msg!("；整张表可以用 `gongshi import {t}` 直接导入", "; a whole sheet can be read with `gongshi import {t}`"),
                None => msg!("", ""),
            };
            let (iz, ie) = (import.zh, import.en);
            push(
                indent + cells.find('\t').unwrap_or(0),
                Diagnostic::error(
                    &src.rel,
                    msg!("这一行里有 Tab 分隔的几格，像是从 Excel 复制来的一行", "this line has tab-separated cells, like a row copied from Excel"),
                )
                .hint(msg!(
                    "每一项要写成“字段: 值”，例如 `- {{date: 2025-10-08, category: 维修, amount: 1200.00, voucher: 维-2025-10-001}}`{iz}",
                    "write each field as `key: value`, e.g. `- {{date: 2025-10-08, category: 维修, amount: 1200.00, voucher: 维-2025-10-001}}`{ie}"
                )),
            );
        }
        for c in KEY_FULLWIDTH_COLON.captures_iter(code) {
            let key = &c[1];
            push(
                c.get(2).unwrap().start(),
                Diagnostic::error(
                    &src.rel,
                    msg!("字段 `{key}` 后面用了中文冒号“：”", "the field `{key}` is followed by a full-width colon “：”"),
                )
                .hint(msg!(
                    "改成英文冒号加一个空格：`{key}: …`（输入法切换到英文再输入冒号）",
                    "write an ASCII colon and a space: `{key}: …`"
                )),
            );
        }
        for c in KEY_NO_SPACE.captures_iter(code) {
            let key = &c[1];
            push(
                c.get(2).unwrap().start(),
                Diagnostic::error(&src.rel, msg!("字段 `{key}` 的冒号后面少了一个空格", "no space after the colon of `{key}`"))
                    .hint(msg!("冒号后面要空一格：`{key}: …`", "put a space after the colon: `{key}: …`")),
            );
        }
        for c in AMOUNT_WITH_COMMA.captures_iter(code) {
            let (key, amount) = (&c[1], &c[2]);
            let at = c.get(2).unwrap();
            let comma = at.start() + amount.find(',').unwrap_or(0);
            let plain = amount.replace(',', "");
            push(
                comma,
                Diagnostic::error(
                    &src.rel,
                    msg!(
                        "金额 {amount} 里有逗号：在 {{…}} 里，逗号会把它拆成两个字段",
                        "the amount {amount} has a comma: inside {{…}} a comma splits it in two"
                    ),
                )
                .hint(msg!(
                    "金额里有逗号时要加引号：`{key}: \"{amount}\"`，或者不写逗号：`{key}: {plain}`",
                    "quote an amount with a comma: `{key}: \"{amount}\"`, or leave the comma out: `{key}: {plain}`"
                )),
            );
        }
        let flow = code.find(['[', '{']).map(|b| (b, &code[b..]));
        if let Some((start, inside)) = flow {
            for (b, ch) in inside.char_indices() {
                let (before, after) = (inside[..b].trim_end().chars().last(), inside[b + ch.len_utf8()..].trim_start().chars().next());
                let plain = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || "\"'“”".contains(c));
                match ch {
                    '，' | '、' if plain(before) && plain(after) => push(
                        start + b,
                        Diagnostic::error(&src.rel, {
                            let what = if ch == '，' { "中文逗号" } else { "顿号" };
                            msg!("括号里用了{what}“{ch}”", "a full-width “{ch}” inside the brackets")
                        })
                        .hint(msg!(
                            "分隔各项要用英文逗号加空格，例如 `scope: [\"5\", \"7-2\"]`",
                            "separate the items with an ASCII comma and a space, e.g. `scope: [\"5\", \"7-2\"]`"
                        )),
                    ),
                    '“' | '”' | '‘' | '’' if plain(after) || plain(before) => push(
                        start + b,
                        Diagnostic::error(&src.rel, msg!("括号里用了中文引号“{ch}”", "a curly quote “{ch}” inside the brackets")).hint(
                            msg!("改成英文引号，例如 `scope: [\"5\", \"7-2\"]`", "use straight quotes, e.g. `scope: [\"5\", \"7-2\"]`"),
                        ),
                    ),
                    _ => {}
                }
            }
        }
        // A value that opens a quote it does not close, or closes it before the text ends
        // (`summary: "重要"通知：请关窗`), or starts with a sign YAML reads as something else.
        if let Some(c) = KEY_VALUE.captures(code) {
            let (key, m) = (&c[1], c.get(2).unwrap());
            let value = m.as_str().trim_end();
            let at = m.start();
            let first = value.chars().next().unwrap_or(' ');
            if first == '"' || first == '\'' {
                let rest = &value[1..];
                match rest.find(first) {
                    None => push(
                        at,
                        Diagnostic::error(
                            &src.rel,
                            msg!(
                                "`{key}` 的文字开头有引号 {first}，结尾却没有",
                                "the text of `{key}` opens a quote {first} that is not closed"
                            ),
                        )
                        .hint(msg!(
                            "在文字最后也加上 {first}，或者去掉开头的 {first}",
                            "close the quote at the end of the text, or remove the opening one"
                        )),
                    ),
                    Some(end) if !rest[end + 1..].trim().is_empty() => {
                        let whole = format!("「{}」{}", &rest[..end], &rest[end + 1..]);
                        push(
                            at,
                            Diagnostic::error(
                                &src.rel,
                                msg!(
                                    "`{key}` 的引号只括住了开头几个字：引号要把整段文字括起来",
                                    "the quotes of `{key}` close before the text ends"
                                ),
                            )
                            .hint(msg!(
                                "文字里要强调的词改用中文的「」或 “ ”，例如 {key}: {whole}；或者把整段文字放进引号",
                                "use 「」 or curly quotes for a word inside the text, or quote the whole text"
                            )),
                        );
                    }
                    _ => {}
                }
            } else if "%@`".contains(first)
                // `*重要*`, `! 请关窗`; not an anchor `&a0`, an alias `*a0` or a tag `!!str`.
                || ("*&!".contains(first) && value[1..].chars().next().is_some_and(|c| !(c.is_ascii_alphanumeric() || c == '!')))
                || (matches!(first, '|' | '>')
                    && value.chars().nth(1).is_some_and(|c| c == ' ')
                    && value[1..].trim().chars().next().is_some_and(|c| !c.is_ascii_digit() && c != '-' && c != '+'))
            {
                push(
                    at,
                    Diagnostic::error(
                        &src.rel,
                        msg!(
                            "`{key}` 的文字以「{first}」开头：YAML 会把它当成特殊记号",
                            "the text of `{key}` starts with `{first}`, which YAML reads as a sign"
                        ),
                    )
                    .hint(msg!("整段文字加上引号，例如 {key}: \"{value}\"", "quote the whole text, e.g. {key}: \"{value}\"")),
                );
            }
        }
        // Full-width digits in a value that is only a number or a date.
        if let Some((_, value)) = code.split_once(": ") {
            let v = value.trim();
            let full = |c: char| ('０'..='９').contains(&c);
            if v.chars().any(full) && v.chars().all(|c| full(c) || c.is_ascii_digit() || "-.：:．－ ".contains(c)) {
                let b = code.len() - value.len() + value.find(full).unwrap_or(0);
                let first = v.chars().find(|c| full(*c)).unwrap_or('０');
                push(
                    b,
                    Diagnostic::error(&src.rel, msg!("这里用了全角数字“{first}”", "a full-width digit “{first}” here")).hint(msg!(
                        "改成半角数字（输入法切换到英文再输入），例如 2025-10-08、1200.00",
                        "write ASCII digits, e.g. 2025-10-08, 1200.00"
                    )),
                );
            }
        }
    }
    out
}

/// The lines of `yaml` with their 0-based index, without the text of block scalars
/// (`note: |` and the lines under it), where anything may be written.
pub(crate) fn yaml_lines(yaml: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut block: Option<usize> = None;
    yaml.lines().enumerate().filter(move |(_, line)| {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(b) = block {
            if line.trim().is_empty() || indent > b {
                return false;
            }
            block = None;
        }
        if BLOCK_SCALAR.is_match(line) {
            block = Some(indent);
        }
        true
    })
}

/// The line without a `#` comment (a `#` after a space, outside quotes).
pub(crate) fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if prev == ' ' || prev == '\t' => return &line[..i],
            _ => {}
        }
        prev = c;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn found(yaml: &str) -> Vec<(usize, usize, String)> {
        let src = Source::from_bytes(Path::new("content/x.yaml"), yaml.as_bytes().to_vec()).unwrap();
        check(&src, yaml, 1).into_iter().map(|d| (d.line, d.column, d.message.zh)).collect()
    }

    #[test]
    fn each_mistake_at_its_column() {
        let f = found("title：停水\ndate:2025-10-08\n\tissuer: property\nscope: [5，7]\nlines:\n  - {item: 电费, amount: 1,200.00}\nfrom: ２０２５-10-08\n");
        let at: Vec<(usize, usize)> = f.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(at, vec![(1, 6), (2, 6), (3, 1), (4, 10), (6, 25), (7, 7)], "{f:?}");
        assert!(f[0].2.contains("中文冒号"));
        assert!(f[4].2.contains("逗号"));
    }

    #[test]
    fn prose_is_left_alone() {
        assert!(found("title: 通知：明天停水，请储水\nnote: |\n  说明:其一\n  time:15:30\nrevisions: [{date: 2025-10-09, note: 改正时间，补充说明}]\ntime: 15:30\nurl: https://a.b/c\n").is_empty());
    }
}
