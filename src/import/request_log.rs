//! `gongshi import requests PERIOD FILE` (§4): the property company's request log as its
//! service desk keeps it in a spreadsheet — 编号, 受理时间, 档位, 类别, 楼栋, 事由, 响应时间,
//! 办结时间, 回访时间, 评分 — into `content/requests/PERIOD.yaml` as a draft, validated like
//! any request log (times in order, tiers of the standards in force, no personal data) before
//! anything is written. Columns of personal data (姓名, 电话, 房号…) are never read; tiers are
//! taken as the sheet writes them (`一般`) and written as the standards' keys (`routine`);
//! `6号楼2单元` is written `6-2`.

use super::{by_row, find_columns, header_key, parse_date, place, read_table, yaml_str, Cell, Columns};
use crate::calendar::Moment;
use crate::content::standards::Standards;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::msg;
use std::path::{Path, PathBuf};

/// What a column of a request sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Id,
    Received,
    Tier,
    Category,
    Place,
    Summary,
    Responded,
    Resolved,
    FollowedUp,
    Rating,
    Note,
    /// A name, a phone, a room: never read, never written.
    Personal,
}

/// The headers each role goes by, best first.
const HEADERS: &[(Role, &[&str])] = &[
    (Role::Id, &["编号", "工单号", "单号", "序号", "受理编号"]),
    (Role::Received, &["受理时间", "报修时间", "接报时间", "来电时间", "登记时间", "受理日期"]),
    (Role::Tier, &["档位", "级别", "等级", "紧急程度", "响应级别"]),
    (Role::Category, &["类别", "类型", "分类", "报修类别", "诉求类别"]),
    (Role::Place, &["楼栋", "楼号", "楼栋单元", "位置", "地点", "范围"]),
    (Role::Summary, &["事由", "内容", "诉求内容", "报修内容", "问题", "摘要", "问题描述"]),
    (Role::Responded, &["响应时间", "到场时间", "首次响应", "响应"]),
    (Role::Resolved, &["办结时间", "完成时间", "解决时间", "处理完成时间", "办结"]),
    (Role::FollowedUp, &["回访时间", "回访"]),
    (Role::Rating, &["评分", "满意度", "满意度评分", "回访评分"]),
    (Role::Note, &["备注", "说明"]),
    (
        Role::Personal,
        &[
            "姓名",
            "报修人",
            "联系人",
            "业主",
            "业主姓名",
            "电话",
            "手机",
            "联系电话",
            "手机号",
            "房号",
            "门牌号",
            "房间号",
            "住址",
            "地址",
            "户号",
        ],
    ),
];

/// What an import of a request log wrote.
#[derive(Debug)]
pub struct ImportedRequests {
    /// The file written.
    pub path: PathBuf,
    /// Requests written.
    pub entries: usize,
    /// Headers of columns left out.
    pub ignored: Vec<String>,
    /// Headers of columns of personal data, never read.
    pub personal: Vec<String>,
}

/// A time as a service desk types it: `2026-11-01 07:04`, `2026/11/1 7:04`, `2026年11月1日 7:04`,
/// with or without seconds; a time alone (`9:30`) is on the day `same_day`.
fn parse_moment(c: &Cell, same_day: Option<crate::date::Date>) -> Option<Moment> {
    let text = c.text();
    let text = text.trim();
    let (day, time) = match text.rsplit_once([' ', 'T']) {
        Some((d, t)) => (parse_date(&Cell::Text(d.trim().to_string()))?, t),
        None if text.contains(':') || text.contains('：') => (same_day?, text),
        None => return None,
    };
    let time = time.replace('：', ":");
    let mut parts = time.split(':');
    let (h, m) = (parts.next()?.trim(), parts.next()?.trim());
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    Moment::parse(&format!("{day} {h:0>2}:{m}"))
}

/// `gongshi import requests PERIOD FILE`.
pub fn requests(root: &Path, period: &str, file: &Path) -> Result<ImportedRequests, Diagnostics> {
    let (target, p) = crate::scaffold::requests_target(root, period, "gongshi import requests").map_err(Diagnostics::from)?;
    let site = crate::site::Site::load(root)?;
    let standards = standards_of(root, &site);
    let table = read_table(file).map_err(Diagnostics::from)?;
    let shown = crate::diagnostics::display_path(file);
    let enough = |c: &Columns<Role>| c.has(Role::Received) && (c.has(Role::Summary) || c.has(Role::Category));
    let Some(cols) = find_columns(&table, HEADERS, enough) else {
        return Err(Diagnostic::error(
            file,
            msg!(
                "{shown} 里找不到表头：要有「受理时间」列，和「事由」或「类别」列",
                "no header row in {shown}: it needs a 受理时间 column and a 事由 or 类别 column"
            ),
        )
        .hint(msg!(
            "表头写在数据上面一行，例如：编号 | 受理时间 | 档位 | 类别 | 楼栋 | 事由 | 响应时间 | 办结时间 | 回访时间 | 评分",
            "put a header row above the data, e.g. 编号 | 受理时间 | 档位 | 类别 | 楼栋 | 事由 | 响应时间 | 办结时间 | 回访时间 | 评分"
        ))
        .into());
    };
    let mut errs = Diagnostics::default();
    let at = |row: usize, role: Role| place(&table, row, cols.get(role).map(|(_, h)| h));
    let cell = |cells: &[Cell], role: Role| cols.get(role).and_then(|(i, _)| cells.get(i)).cloned().unwrap_or(Cell::Empty);
    let text = |cells: &[Cell], role: Role| Some(cell(cells, role).text()).filter(|s| !s.is_empty());
    for (role, what, what_en) in [(Role::Tier, "档位", "tier"), (Role::Summary, "事由", "summary")] {
        if !cols.has(role) {
            let row = place(&table, cols.row, None);
            errs.push(Diagnostic::error(file, msg!("{row}（表头）：没有「{what}」列", "{row} (the header): no {what} column ({what_en})")));
        }
    }
    // The sheet row of each error so far, to tell them in the sheet's order at the end.
    let mut err_rows = vec![cols.row; errs.items.len()];
    let yymm = p.start.0.format("%y%m").to_string();
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (row, cells) in table.rows.iter().filter(|(r, _)| *r > cols.row) {
        let (row, cells) = (*row, cells.as_slice());
        let read: Vec<(Role, Cell)> =
            cols.of.iter().filter(|(r, _, _)| *r != Role::Personal).map(|(r, _, _)| (*r, cell(cells, *r))).collect();
        if read.iter().all(|(_, c)| c.is_empty()) {
            continue;
        }
        let before = errs.items.len();
        let id = text(cells, Role::Id).unwrap_or_else(|| format!("R-{yymm}-{:03}", lines.len() + 1));
        let received = match parse_moment(&cell(cells, Role::Received), None) {
            Some(m) => Some(m),
            None => {
                let (where_, raw) = (at(row, Role::Received), cell(cells, Role::Received).text());
                let m = if raw.is_empty() {
                    msg!("{where_}：没有受理时间", "{where_}: no time received")
                } else {
                    msg!("{where_}：「{raw}」不是时间", "{where_}: `{raw}` is not a time")
                };
                errs.push(Diagnostic::error(file, m).hint(msg!(
                    "写成 2026-11-03 09:30 或 2026/11/3 9:30（日期和几点几分都要有）",
                    "write 2026-11-03 09:30 or 2026/11/3 9:30 (the day and the time)"
                )));
                None
            }
        };
        let day = received.map(|m| crate::date::Date(m.0.date()));
        let mut times = Vec::new();
        for (role, key) in [(Role::Responded, "responded"), (Role::Resolved, "resolved"), (Role::FollowedUp, "followed_up")] {
            let c = cell(cells, role);
            if c.is_empty() {
                continue;
            }
            match parse_moment(&c, day) {
                Some(m) => times.push((key, m)),
                None => {
                    let (where_, raw) = (at(row, role), c.text());
                    errs.push(Diagnostic::error(file, msg!("{where_}：「{raw}」不是时间", "{where_}: `{raw}` is not a time")).hint(msg!(
                        "写成 2026-11-03 09:30；还没有就空着",
                        "write 2026-11-03 09:30, or leave it empty if it has not happened"
                    )));
                }
            }
        }
        // The tier as the standards in force that day key it.
        let written_tier = text(cells, Role::Tier).unwrap_or_default();
        let in_force = day.and_then(|d| crate::content::standards::in_force(&standards, d));
        let tier = match in_force {
            Some(s) if s.tier(&written_tier).is_some() => written_tier.clone(),
            Some(s) => match s.tier_named(&written_tier) {
                Some(t) => t.tier.clone(),
                None => {
                    let where_ = at(row, Role::Tier);
                    let names: Vec<String> = s.tiers.iter().map(|t| format!("{}（{}）", t.tier, t.name)).collect();
                    let (all, all_en) = (names.join("、"), names.join(", "));
                    errs.push(
                        Diagnostic::error(
                            file,
                            msg!(
                                "{where_}：「{written_tier}」不是服务标准里的档位",
                                "{where_}: `{written_tier}` is not a tier of the standards"
                            ),
                        )
                        .hint(msg!("服务标准的档位有：{all}", "the tiers of the standards are: {all_en}")),
                    );
                    written_tier.clone()
                }
            },
            // No standards: the log's own check says so, once.
            None => written_tier.clone(),
        };
        let scope = match text(cells, Role::Place) {
            None => None,
            Some(w) => match site.place(&w).map(|p| p.id()).or_else(|| crate::content::place_meant(&site, &w)) {
                Some(id) => Some(id),
                None => {
                    let where_ = at(row, Role::Place);
                    let all = site.places().iter().map(|p| p.id()).collect::<Vec<_>>().join("、");
                    errs.push(
                        Diagnostic::error(
                            file,
                            msg!("{where_}：楼栋「{w}」在 site.yaml 里没有", "{where_}: the building `{w}` is not in site.yaml"),
                        )
                        .hint(msg!(
                            "写楼号（5），或者 楼号-单元（5-2）；site.yaml 里有：{all}",
                            "write the building (5) or building-entrance (5-2); site.yaml has: {all}"
                        )),
                    );
                    None
                }
            },
        };
        let rating = match text(cells, Role::Rating) {
            None => None,
            Some(r) => match header_key(&r).trim_end_matches('分').parse::<u8>() {
                Ok(n) if (1..=5).contains(&n) => Some(n),
                _ => {
                    let where_ = at(row, Role::Rating);
                    errs.push(
                        Diagnostic::error(
                            file,
                            msg!("{where_}：评分「{r}」不是 1 到 5 的数字", "{where_}: the rating `{r}` is not a number from 1 to 5"),
                        )
                        .hint(msg!("写 1 到 5（5 分最满意）；没有回访评分就空着", "write 1 to 5 (5 is best), or leave it empty")),
                    );
                    None
                }
            },
        };
        if errs.items.len() > before {
            err_rows.resize(errs.items.len(), row);
            continue;
        }
        let Some(received) = received else { continue };
        let mut fields = vec![
            format!("id: {}", yaml_str(&id)),
            format!("received: {}", received.0.format("%Y-%m-%d %H:%M")),
            format!("tier: {}", yaml_str(&tier)),
            format!("category: {}", yaml_str(&text(cells, Role::Category).unwrap_or_else(|| "其他".into()))),
        ];
        if let Some(s) = scope {
            fields.push(format!("scope: \"{s}\""));
        }
        fields.push(format!("summary: {}", yaml_str(&text(cells, Role::Summary).unwrap_or_default())));
        for (key, m) in times {
            fields.push(format!("{key}: {}", m.0.format("%Y-%m-%d %H:%M")));
        }
        if let Some(r) = rating {
            fields.push(format!("rating: {r}"));
        }
        if let Some(n) = text(cells, Role::Note) {
            fields.push(format!("note: {}", yaml_str(&n)));
        }
        lines.push((row, format!("  - {{{}}}   # 第 {row} 行\n", fields.join(", "))));
    }
    if lines.is_empty() && !errs.has_errors() {
        errs.push(Diagnostic::error(file, msg!("{shown} 里表头下面没有一件诉求", "{shown} has no requests under its header")));
    }
    // The rows that could be read are checked as a log even when others could not, so that
    // one run names every problem of the sheet.

    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let sheet = if table.sheet.is_empty() { String::new() } else { format!("（{}）", table.sheet) };
    // Every column of personal data (the first is among the roles, the others among the left out).
    let is_personal = |h: &String| super::role_of(HEADERS, h) == Some(Role::Personal);
    let personal: Vec<String> = cols.of.iter().map(|(_, _, h)| h).chain(&cols.ignored).filter(|h| is_personal(h)).cloned().collect();
    let mut out = format!(
        "# 诉求台账 {period}，从 {name}{sheet} 导入：每一行后面的注释是表里的行号。不写姓名、房号和电话。\n\
         # 这是草稿：gongshi serve --drafts 可以预览；核对无误后删掉 draft 这一行，再用 gongshi publish 发布。\n\
         draft: true\n\
         period: {period}\n\
         issuer: property\n\
         entries:\n"
    );
    let mut line_rows = Vec::new();
    for (row, line) in &lines {
        line_rows.push((out.lines().count() + 1, *row));
        out.push_str(line);
    }
    out.push_str("revisions: []\n");

    // Validated as every request log is, with the standards of the site, before anything is written.
    let rel = target.strip_prefix(root).unwrap_or(&target).to_path_buf();
    let src = crate::source::Source::from_bytes(&rel, out.clone().into_bytes()).map_err(Diagnostics::from)?;
    let found = match crate::content::requests::RequestLog::load(&src, &site) {
        Ok(log) => {
            let mut d = Diagnostics::default();
            crate::content::requests::check_tiers(std::slice::from_ref(&log), &standards, &mut d);
            d
        }
        Err(d) => d,
    };
    err_rows.resize(errs.items.len(), 0);
    let mut all: Vec<(usize, Diagnostic)> = err_rows.into_iter().zip(errs.items).collect();
    if !lines.is_empty() {
        all.extend(by_row(found, &line_rows, &table, file));
    }
    if !all.is_empty() {
        // In the sheet's order, whichever check found them.
        all.sort_by_key(|(row, _)| *row);
        let mut errs = Diagnostics::default();
        errs.extend(all.into_iter().map(|(_, d)| d));
        return Err(errs);
    }
    crate::scaffold::write_new(&target, &out).map_err(Diagnostics::from)?;
    let ignored = cols.ignored.iter().filter(|h| !is_personal(h)).cloned().collect();
    Ok(ImportedRequests { path: target, entries: lines.len(), ignored, personal })
}

/// The site's service standards that load, oldest first.
fn standards_of(root: &Path, site: &crate::site::Site) -> Vec<Standards> {
    let dir = root.join("content/standards");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut all: Vec<Standards> = files
        .iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(root).unwrap_or(p);
            let src = crate::source::Source::read(root, rel).ok()?;
            Standards::load(&src, site).ok()
        })
        .collect();
    all.sort_by(|a, b| a.effective.cmp(&b.effective).then_with(|| a.id.cmp(&b.id)));
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;

    #[test]
    fn times_as_service_desks_type_them() {
        let want = Moment::parse("2026-11-03 09:30");
        for s in ["2026-11-03 09:30", "2026/11/3 9:30", "2026年11月3日 9:30", "2026-11-03 09:30:00", "2026-11-03T09:30"] {
            assert_eq!(parse_moment(&Cell::Text(s.into()), None), want, "{s}");
        }
        assert_eq!(parse_moment(&Cell::Text("9:30".into()), Some(Date::ymd(2026, 11, 3))), want);
        assert_eq!(parse_moment(&Cell::Text("9:30".into()), None), None);
        assert_eq!(parse_moment(&Cell::Text("2026-11-03".into()), None), None, "a day without a time");
    }
}
