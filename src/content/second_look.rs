//! A second look at the files about to be published (new, or changed since they were):
//! what YAML reads without a word but the secretary did not mean.
//!
//! - `title: 6号楼 #2单元停电` is read as "6号楼": ` #` starts a comment, and the rest of the
//!   line is silently dropped.
//! - `date: 2062-11-18` is a valid date: the notice would sit under 正在公示 for decades.
//!
//! Both are warnings, not errors: a comment may be meant, and a date far off may be right.
//! Files already published unchanged are not looked at again, so that a warning, once
//! answered by publishing, does not come back on every build.

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::keyboard::{strip_comment, yaml_lines};
use crate::msg;
use crate::source::Source;
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

static DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|[^0-9])((?:19|20|21)\d{2}-\d{2}-\d{2})(?:[^0-9]|$)").unwrap());
static KEY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:").unwrap());

/// The warnings about the files `sources` (relative to `root`) of `content`, as of `today`.
pub fn look(root: &Path, content: &super::Content, sources: &[&Path], today: Date) -> Diagnostics {
    let mut out = Diagnostics::default();
    for rel in sources {
        let Ok(src) = Source::read(root, rel) else { continue };
        let (yaml, first) = match crate::source::split_front_matter(&src) {
            Ok(fm) if rel.extension().is_some_and(|e| e == "md") => (fm.yaml.to_string(), fm.yaml_first_line),
            _ => (src.text.clone(), 1),
        };
        out.extend(look_at(&src, &yaml, first, today));
        if let Some(l) = content.ledgers.iter().find(|l| l.source == *rel) {
            out.extend(budget_unmatched(&src, l));
        }
    }
    out.sort();
    out
}

/// A budget line no expense is booked to, or an expense category missing from a budget: most
/// often the same category spelt two ways (`维修` and `维修费`), which the statement would
/// show as two rows, one spent and one not.
fn budget_unmatched(src: &Source, l: &super::ledger::Ledger) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if l.budget.is_empty() {
        return out;
    }
    // A transfer to another fund of the community is not spending against a budget.
    let spent: Vec<&str> = l.expense.iter().filter(|x| x.transfer.is_none()).map(|x| x.category.as_str()).collect();
    let budgeted: Vec<&str> = l.budget.keys().map(String::as_str).collect();
    for cat in &budgeted {
        if spent.contains(cat) {
            continue;
        }
        let near = spent.iter().copied().filter(|s| !budgeted.contains(s)).find(|s| similar(s, cat));
        let hint = match near {
            Some(s) => msg!(
                "支出里写的是「{s}」：是同一个科目的话，名字要和预算完全一样才会算在一起",
                "the expenses say «{s}»: if it is the same category, write it exactly as the budget does"
            ),
            None => {
                msg!("这一期确实没有这项支出的话，可以不管这条提醒", "if nothing was spent on it this period, this reminder can be ignored")
            }
        };
        let (ln, col) = src.key_at(&crate::spans::child("budget", cat));
        out.push(
            Diagnostic::warning(
                &src.rel,
                msg!("预算科目「{cat}」这一期没有一笔支出", "no expense is booked to the budget category «{cat}»"),
            )
            .at(&src.text, ln, col)
            .hint(hint),
        );
    }
    for (i, line) in l.expense.iter().enumerate() {
        let cat = line.category.as_str();
        let earlier = l.expense[..i].iter().any(|x| x.category == cat);
        if line.transfer.is_some() || budgeted.contains(&cat) || earlier {
            continue;
        }
        let (ln, col) = src.at(&format!("expense[{i}].category"));
        let (all, all_en) = (budgeted.join("、"), budgeted.join(", "));
        out.push(
            Diagnostic::warning(
                &src.rel,
                msg!("支出科目「{cat}」不在这一期的预算 budget 里", "the expense category «{cat}» is not in the budget"),
            )
            .at(&src.text, ln, col)
            .hint(msg!(
                "预算里有：{all}。科目名要和预算完全一样才会对上；确实是预算外的支出可以不管这条提醒",
                "the budget has: {all_en}; write the category exactly as the budget does, unless it is outside the budget"
            )),
        );
    }
    out
}

/// Whether two category names are most likely one (`维修` and `维修费`, `保洁` and `保洁费用`).
fn similar(a: &str, b: &str) -> bool {
    a.contains(b) || b.contains(a) || crate::diagnostics::did_you_mean(a, [b]).is_some()
}

fn look_at(src: &Source, yaml: &str, first_line: usize, today: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, line) in yaml_lines(yaml) {
        let n = first_line + i;
        let code = strip_comment(line);
        let col = |byte: usize| line[..byte].chars().count() + 1;
        // Text after ` #` on a line that has a value: dropped as a comment.
        let comment = line[code.len()..].strip_prefix('#').unwrap_or_default();
        if !code.trim().is_empty() && comment.chars().next().is_some_and(|c| !c.is_whitespace() && c != '#') {
            let value = code.trim_end();
            let key = KEY.captures(code).map(|c| c[1].to_string()).unwrap_or_default();
            let before = value.split_once(": ").map_or(value, |(_, v)| v).trim();
            let whole = format!("{before} #{comment}");
            let (lost, whole) = (comment.trim_end(), whole.trim_end().replace('"', "\\\""));
            out.push(
                Diagnostic::warning(
                    &src.rel,
                    msg!(
                        "`{key}` 这一行 # 后面的「#{lost}」被当成了注释，不会公示：读到的只有「{before}」",
                        "`{key}`: the text after # («#{lost}») is read as a comment and not published; only «{before}» is read"
                    ),
                )
                .at(&src.text, n, col(code.len()))
                .hint(msg!(
                    "# 在这里表示注释。它是内容的一部分时，把整段文字加上引号：{key}: \"{whole}\"",
                    "# starts a comment here; if it is part of the text, quote the whole text: {key}: \"{whole}\""
                )),
            );
        }
        for c in DATE.captures_iter(code) {
            let m = c.get(1).unwrap();
            let Some(d) = Date::parse(m.as_str()) else { continue };
            let days = (d.0 - today.0).num_days();
            if days.abs() <= 366 {
                continue;
            }
            let years = days.abs() * 4 / 1461;
            let when = m.as_str();
            let (zh, en) = if days > 0 { ("晚", "after") } else { ("早", "before") };
            out.push(
                Diagnostic::warning(
                    &src.rel,
                    msg!(
                        "日期 {when} 比今天（{today}）{zh}了 {years} 年多：年份是不是写错了？",
                        "the date {when} is more than {years} year(s) {en} today ({today}): is the year mistyped?"
                    ),
                )
                .at(&src.text, n, col(m.start()))
                .hint(msg!(
                    "年份写错的话请改正；日期确实如此就不用管这条提醒，公示后它不会再出现",
                    "correct the year if it is wrong; if the date is right, this reminder goes away once it is published"
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(yaml: &str) -> Vec<(usize, usize, String)> {
        let src = Source::from_bytes(Path::new("content/notices/x.md"), yaml.as_bytes().to_vec()).unwrap();
        look_at(&src, yaml, 1, Date::parse("2026-11-20").unwrap()).into_iter().map(|d| (d.line, d.column, d.message.zh)).collect()
    }

    #[test]
    fn text_lost_to_a_comment_and_far_dates_are_named() {
        let w = warnings("title: 6号楼 #2单元停电\ndate: 2062-11-18\nfrom: 2025-11-01\nnote: |\n  # 不是注释\n  2099-01-01\n");
        assert_eq!(w.len(), 3, "{w:?}");
        assert_eq!((w[0].0, w[0].1), (1, 12));
        assert!(w[0].2.contains("「#2单元停电」") && w[0].2.contains("「6号楼」"), "{}", w[0].2);
        assert_eq!((w[1].0, w[1].1), (2, 7));
        assert!(w[1].2.contains("晚了 35 年多"), "{}", w[1].2);
        assert!(w[2].2.contains("早了 1 年多"), "{}", w[2].2);
    }

    #[test]
    fn comments_meant_as_comments_and_near_dates_are_left_alone() {
        assert!(warnings("# 说明\ntitle: 停水 # 物业提供\ndate: 2026-12-01\nto: 2025-11-25\nnote: 3号楼#2\n").is_empty());
    }
}
