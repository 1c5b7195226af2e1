//! `gongshi import ledger FUND PERIOD FILE` and `gongshi import requests PERIOD FILE` (§4,
//! the latter in [`request_log`]). The ledger: the accounts a treasurer already keeps in a
//! spreadsheet (`.xlsx`, `.xls`, `.ods` or `.csv` in UTF-8 or GBK), read by their headers as
//! bookkeeping sheets write them, into `content/accounts/FUND/PERIOD.yaml` as a draft with the
//! opening balance carried over, validated like any ledger before anything is written. Every
//! problem names the row and the column of the sheet (`第 12 行「收入」列：…`); an existing file
//! is never overwritten.

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::money::{AmountError, Fen};
use crate::msg;
use std::path::{Path, PathBuf};

mod request_log;
pub use request_log::{requests, ImportedRequests};

/// A cell as read, before its column says what it must be.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing in it.
    Empty,
    /// Text as typed.
    Text(String),
    /// A number, as the shortest decimal that gives back the spreadsheet's value (`42150`,
    /// `18650.5`); never used as a binary float.
    Number(String),
    /// A date the spreadsheet stores as one.
    Date(Date),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::Number(s) => s.trim().to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }

    fn is_empty(&self) -> bool {
        self.text().is_empty()
    }
}

/// A sheet: its rows as the spreadsheet numbers them (from 1).
#[derive(Debug, Default)]
pub struct Table {
    /// `工作表「2026年三季度」`, for messages; empty for a CSV.
    pub sheet: String,
    /// (row number, cells).
    pub rows: Vec<(usize, Vec<Cell>)>,
}

/// The text of a spreadsheet number: the shortest decimal that reads back as the same double
/// (Excel keeps amounts as doubles; `18650.5` stays `18650.5`). A formula's rounding noise
/// (`0.30000000000000004`) is taken to the fen, as the sheet shows it.
fn number_text(f: f64) -> String {
    let s = format!("{f}");
    match s.split_once('.') {
        Some((_, frac)) if frac.len() > 8 => format!("{f:.2}"),
        _ => s,
    }
}

/// Reads the first sheet with anything in it of a workbook, or a CSV.
pub fn read_table(path: &Path) -> Result<Table, Diagnostic> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    let shown = crate::diagnostics::display_path(path);
    if !path.is_file() {
        return Err(Diagnostic::error(path, msg!("找不到文件 {shown}", "there is no file {shown}")).hint(msg!(
            "检查文件名和它所在的文件夹；文件名里有空格时，整个文件名要加引号，例如 \"公共收益 11月.xlsx\"",
            "check the name and folder; quote a name that has spaces"
        )));
    }
    match ext.as_str() {
        "csv" | "txt" => read_csv(path),
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => read_workbook(path),
        _ => Err(Diagnostic::error(path, msg!("不认识 `.{ext}` 这种文件", "`.{ext}` files cannot be imported")).hint(msg!(
            "在 Excel 或 WPS 里另存为 .xlsx，或者“CSV（逗号分隔）”再导入",
            "save it from the spreadsheet program as .xlsx or as CSV, then import that"
        ))),
    }
}

fn read_workbook(path: &Path) -> Result<Table, Diagnostic> {
    use calamine::{open_workbook_auto, Data, Reader};
    // What the reader says is for programmers; what the secretary can do is the same either way.
    let cannot = |detail: String| {
        Diagnostic::error(
            path,
            msg!(
                "这个文件打不开：它不是 Excel、WPS 存的表格（常见的是从物业系统导出的网页，只是名字叫 .xls），或者文件已损坏",
                "this file cannot be read as a spreadsheet ({detail}): often a web page saved with an .xls name, or a damaged file"
            ),
        )
        .hint(msg!(
            "用 Excel 或 WPS 打开它，“另存为” Excel 工作簿（.xlsx）或者 CSV（逗号分隔），再导入那个文件",
            "open it in the spreadsheet program and save it as .xlsx or CSV, then import that"
        ))
    };
    let mut book = open_workbook_auto(path).map_err(|e| cannot(e.to_string()))?;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| cannot(e.to_string()))?;
        if range.is_empty() {
            continue;
        }
        let (first_row, _) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, row)| {
                let cells = row
                    .iter()
                    .map(|c| match c {
                        Data::Empty => Cell::Empty,
                        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
                        Data::Int(n) => Cell::Number(n.to_string()),
                        Data::Float(f) => Cell::Number(number_text(*f)),
                        Data::Bool(b) => Cell::Text(b.to_string()),
                        // A time of day is kept (a request's 受理时间); a day alone is a date.
                        Data::DateTime(d) => match d.as_datetime() {
                            Some(t) if t.time() == chrono::NaiveTime::MIN => Cell::Date(Date(t.date())),
                            // A double a hair under the minute (08:14:59.9999) is that minute.
                            Some(t) => Cell::Text((t + chrono::Duration::milliseconds(500)).format("%Y-%m-%d %H:%M").to_string()),
                            None => Cell::Text(d.to_string()),
                        },
                        Data::Error(e) => Cell::Text(format!("#{e:?}")),
                    })
                    .collect();
                (first_row as usize + i + 1, cells)
            })
            .collect();
        return Ok(Table { sheet: format!("工作表「{name}」"), rows });
    }
    Err(Diagnostic::error(path, msg!("这个表格文件里没有内容", "this spreadsheet is empty")))
}

/// A CSV's text: UTF-8 (with or without BOM), else GBK, which Excel on Chinese Windows writes.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GBK.decode(bytes).0.into_owned(),
    }
}

fn read_csv(path: &Path) -> Result<Table, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        let detail = e.to_string();
        Diagnostic::error(path, msg!("读不出这个文件：它可能正在 Excel 里打开着，或者没有读取权限", "cannot read the file: {detail}"))
            .hint(msg!("关掉打开它的程序，再试一次", "close the program that has it open and try again"))
    })?;
    let text = decode(&bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|_| {
            let row = rows.len() + 1;
            Diagnostic::error(path, msg!("第 {row} 行读不出来：引号没有配对", "row {row} cannot be read: a quote is not closed"))
        })?;
        // The sheet's row is the record's number: a cell with a line break in it is still one
        // row, and a CRLF line end is no extra line (the reader's own line count is neither).
        let row = rows.len() + 1;
        rows.push((row, rec.iter().map(|s| if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }).collect()));
    }
    Ok(Table { sheet: String::new(), rows })
}

/// What a column of a bookkeeping sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Date,
    Note,
    Remark,
    Category,
    Income,
    Expense,
    Amount,
    Direction,
    Voucher,
    Counterparty,
    Approval,
}

/// The headers each role goes by, best first.
const HEADERS: &[(Role, &[&str])] = &[
    (Role::Date, &["日期", "记账日期", "发生日期", "交易日期", "时间"]),
    (Role::Note, &["摘要", "说明", "事由", "用途", "内容"]),
    (Role::Remark, &["备注"]),
    (Role::Category, &["科目", "类别", "类目", "分类", "收支项目", "项目"]),
    (Role::Income, &["收入", "收入金额", "借方", "借方金额", "收款"]),
    (Role::Expense, &["支出", "支出金额", "贷方", "贷方金额", "付款"]),
    (Role::Amount, &["金额", "发生额"]),
    (Role::Direction, &["收支", "类型", "收/支", "收支类型", "方向"]),
    (Role::Voucher, &["凭证号", "凭证", "凭证编号", "单据号", "票据号", "发票号", "凭证字号"]),
    (Role::Counterparty, &["对方单位", "对方", "往来单位", "对方户名", "收付款单位"]),
    (Role::Approval, &["审批", "批准", "决策依据"]),
];

/// A header as compared: without spaces, and without a unit in brackets (`收入（元）`).
fn header_key(s: &str) -> String {
    let mut out = String::new();
    let mut depth: u32 = 0;
    for c in s.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            c if c.is_whitespace() || depth > 0 => {}
            c => out.push(c),
        }
    }
    out
}

fn role_of<R: Copy>(headers: &[(R, &[&str])], header: &str) -> Option<R> {
    let k = header_key(header);
    headers.iter().find(|(_, names)| names.contains(&k.as_str())).map(|(r, _)| *r)
}

/// The columns a sheet's header row gives each role (the first column of each).
struct Columns<R> {
    /// The header row's number.
    row: usize,
    of: Vec<(R, usize, String)>,
    ignored: Vec<String>,
}

impl<R: Copy + PartialEq> Columns<R> {
    fn get(&self, role: R) -> Option<(usize, &str)> {
        self.of.iter().find(|(r, _, _)| *r == role).map(|(_, i, h)| (*i, h.as_str()))
    }

    fn has(&self, role: R) -> bool {
        self.get(role).is_some()
    }
}

/// The header row: the first of the sheet's first 20 rows whose columns `enough` accepts.
fn find_columns<R: Copy + PartialEq>(t: &Table, headers: &[(R, &[&str])], enough: impl Fn(&Columns<R>) -> bool) -> Option<Columns<R>> {
    t.rows.iter().take(20).find_map(|(row, cells)| {
        let mut cols = Columns { row: *row, of: Vec::new(), ignored: Vec::new() };
        for (i, c) in cells.iter().enumerate() {
            let h = c.text();
            match role_of(headers, &h) {
                Some(r) if !cols.has(r) => cols.of.push((r, i, h)),
                _ if !h.is_empty() => cols.ignored.push(h),
                _ => {}
            }
        }
        enough(&cols).then_some(cols)
    })
}

/// Where a cell is, for messages: `工作表「11月」第 12 行「收入」列`.
fn place(t: &Table, row: usize, col: Option<&str>) -> String {
    let sheet = &t.sheet;
    match col {
        Some(c) => format!("{sheet}第 {row} 行「{c}」列"),
        None => format!("{sheet}第 {row} 行"),
    }
}

/// What the checks of the file an import wrote found, told by the sheet's rows: `line_rows`
/// says which line of the file came from which row.
fn on_the_sheet(found: Diagnostics, line_rows: &[(usize, usize)], t: &Table, file: &Path) -> Diagnostics {
    let mut errs = Diagnostics::default();
    errs.extend(by_row(found, line_rows, t, file).into_iter().map(|(_, d)| d));
    errs
}

/// [`on_the_sheet`], each error with its row (0 for the file as a whole).
fn by_row(found: Diagnostics, line_rows: &[(usize, usize)], t: &Table, file: &Path) -> Vec<(usize, Diagnostic)> {
    let shown = crate::diagnostics::display_path(file);
    found
        .items
        .into_iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
        .map(|d| {
            let row = line_rows.iter().find(|(l, _)| *l == d.line).map(|(_, r)| *r);
            let (zh, en) = (d.message.zh.clone(), d.message.en.clone());
            let where_ = row.map_or_else(|| shown.clone(), |r| place(t, r, None));
            let mut e = Diagnostic::error(file, msg!("{where_}：{zh}", "{where_}: {en}"));
            e.hint = d.hint;
            (row.unwrap_or(0), e)
        })
        .collect()
}

/// A date as bookkeepers type it: `2026-07-03`, `2026/7/3`, `2026.7.3`, `2026年7月3日`, with
/// or without a time after it; or a spreadsheet day number.
fn parse_date(c: &Cell) -> Option<Date> {
    match c {
        Cell::Date(d) => Some(*d),
        Cell::Number(n) => {
            // A date cell without date formatting: days since 1899-12-30.
            let days: i64 = n.parse().ok().filter(|d| (20_000..80_000).contains(d))?;
            let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
            Some(Date(base + chrono::Duration::days(days)))
        }
        Cell::Text(s) => {
            let s = s.trim();
            let day = s.split([' ', 'T']).next().unwrap_or(s);
            let parts: Vec<&str> = day.split(['-', '/', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
            if parts.len() != 3 || parts[0].len() != 4 {
                return None;
            }
            let n: Vec<u32> = parts.iter().map(|p| p.parse().ok()).collect::<Option<_>>()?;
            chrono::NaiveDate::from_ymd_opt(n[0] as i32, n[1], n[2]).map(Date)
        }
        Cell::Empty => None,
    }
}

/// Text that marks a totals row.
fn is_totals(s: &str) -> bool {
    let k = header_key(s);
    ["合计", "总计", "小计", "本期合计", "本月合计", "本季合计", "本年合计", "累计"].contains(&k.as_str())
}

/// Text that marks the carried-over opening balance.
fn is_opening(s: &str) -> bool {
    let k = header_key(s);
    ["期初余额", "上期结转", "上期余额", "承上期", "承前页", "期初"].contains(&k.as_str())
}

/// One line of the sheet, as it will be written.
struct Row {
    sheet_row: usize,
    income: bool,
    date: Date,
    category: String,
    amount: Fen,
    counterparty: Option<String>,
    voucher: Option<String>,
    note: Option<String>,
    approval: Option<String>,
}

/// A YAML scalar for a value of a flow mapping: plain when it cannot be read as anything but
/// this text, else double-quoted.
fn yaml_str(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| !c.is_ascii() || c.is_ascii_alphanumeric() || "-_.()/ ".contains(c))
        && !s.starts_with([' ', '-', '.'])
        && !s.ends_with(' ')
        && s.parse::<f64>().is_err()
        && Date::parse(s).is_none()
        && !["true", "false", "null", "yes", "no", "on", "off", "~"].contains(&s.to_lowercase().as_str());
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).expect("a string")
    }
}

/// What an import wrote.
#[derive(Debug)]
pub struct Imported {
    /// The file written.
    pub path: PathBuf,
    /// Lines of income and of expense.
    pub income: usize,
    /// Lines of expense.
    pub expense: usize,
    /// Totals rows checked against the lines above them.
    pub totals_checked: usize,
    /// Headers of columns left out.
    pub ignored: Vec<String>,
}

/// `gongshi import ledger FUND PERIOD FILE`.
pub fn ledger(root: &Path, fund: &str, period: &str, file: &Path) -> Result<Imported, Diagnostics> {
    let target = crate::scaffold::ledger_target(root, fund, period, "gongshi import ledger").map_err(Diagnostics::from)?;
    let table = read_table(file).map_err(Diagnostics::from)?;
    let shown = crate::diagnostics::display_path(file);
    let at = |row: usize, col: Option<&str>| place(&table, row, col);
    let mut errs = Diagnostics::default();
    let enough = |c: &Columns<Role>| c.has(Role::Date) && (c.has(Role::Income) || c.has(Role::Expense) || c.has(Role::Amount));
    let Some(cols) = find_columns(&table, HEADERS, enough) else {
        return Err(Diagnostic::error(
            file,
            msg!(
                "{shown} 里找不到表头：要有「日期」列，和「收入」「支出」列或「金额」列",
                "no header row in {shown}: it needs a 日期 column and 收入/支出 or 金额 columns"
            ),
        )
        .hint(msg!(
            "表头写在数据上面一行，例如：日期 | 摘要 | 科目 | 收入 | 支出 | 凭证号 | 对方单位",
            "put a header row above the data, e.g. 日期 | 摘要 | 科目 | 收入 | 支出 | 凭证号 | 对方单位"
        ))
        .into());
    };
    if cols.get(Role::Category).is_none() {
        let row = at(cols.row, None);
        errs.push(
            Diagnostic::error(
                file,
                msg!(
                    "{row}（表头）：没有「科目」或「类别」列，每一笔都要有类别，才能按类别合计",
                    "{row} (the header): no 科目 or 类别 column; every line needs a category"
                ),
            )
            .hint(msg!("在表里加一列「科目」，写上停车费、维修、保洁这样的类别", "add a 科目 column with categories such as 停车费, 维修")),
        );
    }
    let amount_col = cols.get(Role::Amount);
    if amount_col.is_some() && cols.get(Role::Income).is_none() && cols.get(Role::Expense).is_none() && cols.get(Role::Direction).is_none()
    {
        let row = at(cols.row, None);
        errs.push(
            Diagnostic::error(
                file,
                msg!(
                    "{row}（表头）：只有「金额」列，看不出哪笔是收入、哪笔是支出",
                    "{row} (the header): a 金额 column but nothing says which lines are income"
                ),
            )
            .hint(msg!(
                "加一列「收支」，每行写“收入”或“支出”；或者把金额分成「收入」「支出」两列",
                "add a 收支 column saying 收入 or 支出, or split 金额 into 收入 and 支出 columns"
            )),
        );
    }
    let cell = |cells: &[Cell], role: Role| cols.get(role).and_then(|(i, _)| cells.get(i)).cloned().unwrap_or(Cell::Empty);
    let text = |cells: &[Cell], role: Role| Some(cell(cells, role).text()).filter(|s| !s.is_empty());
    let p = &target.period;
    let (mut rows, mut totals_checked) = (Vec::<Row>::new(), 0);
    let mut opening = target.opening.as_ref().map(|(_, f)| *f);
    let amount_at = |cells: &[Cell], role: Role, row: usize, errs: &mut Diagnostics| -> Option<Fen> {
        let (i, h) = cols.get(role)?;
        let c = cells.get(i).cloned().unwrap_or(Cell::Empty);
        if c.is_empty() {
            return None;
        }
        let raw = c.text();
        match Fen::parse(&raw) {
            Ok(f) => Some(f),
            Err(e) => {
                let where_ = at(row, Some(h));
                let why = match e {
                    AmountError::TooManyDecimals => {
                        msg!("{where_}：{raw} 元超过两位小数，金额要精确到分", "{where_}: {raw} has more than two decimals")
                    }
                    AmountError::Negative => msg!("{where_}：金额 {raw} 是负数", "{where_}: the amount {raw} is negative"),
                    AmountError::TooLarge => msg!("{where_}：金额 {raw} 大得不合理", "{where_}: the amount {raw} is far too large"),
                    AmountError::Malformed => msg!("{where_}：「{raw}」不是金额", "{where_}: `{raw}` is not an amount"),
                };
                let hint = match e {
                    AmountError::Negative => msg!(
                        "退款、冲销写成另一边的一笔（收入退回写成支出），并在摘要里说明",
                        "enter a refund as a line of the other side and say so in its note"
                    ),
                    _ => msg!(
                        "写成 18650.50 这样的数字：不带文字，最多两位小数",
                        "write a number such as 18650.50: no words, at most two decimals"
                    ),
                };
                errs.push(Diagnostic::error(file, why).hint(hint));
                None
            }
        }
    };
    for (row, cells) in table.rows.iter().filter(|(r, _)| *r > cols.row) {
        let (row, cells) = (*row, cells.as_slice());
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        let words: Vec<String> = cells.iter().map(Cell::text).collect();
        if words.iter().any(|w| is_totals(w)) {
            // A totals row is checked against the lines above it, not imported (when a line
            // above could not be read, the sum would say nothing new).
            for (role, side_income) in [(Role::Income, true), (Role::Expense, false)] {
                if let Some(total) = amount_at(cells, role, row, &mut errs).filter(|_| !errs.has_errors()) {
                    let sum: Fen = rows.iter().filter(|r| r.income == side_income).map(|r| r.amount).sum();
                    totals_checked += 1;
                    if sum != total {
                        let (where_, t, s) = (at(row, cols.get(role).map(|(_, h)| h)), total.yuan(), sum.yuan());
                        errs.push(
                            Diagnostic::error(
                                file,
                                msg!(
                                    "{where_}：合计写的是 {t}，上面各笔加起来是 {s}",
                                    "{where_}: the total says {t}, the lines above add up to {s}"
                                ),
                            )
                            .hint(msg!(
                                "核对上面各笔和合计公式：合计行不导入，网站上的合计由各笔算出",
                                "check the lines and the total's formula: the site adds up the lines itself"
                            )),
                        );
                    }
                }
            }
            continue;
        }
        if words.iter().any(|w| is_opening(w)) {
            // The balance carried over: checked against the last ledger's closing, else taken.
            let given = amount_at(cells, Role::Income, row, &mut errs).or_else(|| amount_at(cells, Role::Amount, row, &mut errs));
            if let (Some(g), Some((key, last))) = (given, target.opening.as_ref()) {
                if g != *last {
                    let (where_, g, l) = (at(row, None), g.yuan(), last.yuan());
                    errs.push(Diagnostic::error(
                        file,
                        msg!(
                            "{where_}：期初余额写的是 {g}，上一期 {key} 的期末余额是 {l}",
                            "{where_}: the opening balance says {g}; the closing balance of {key} is {l}"
                        ),
                    ));
                }
            } else if given.is_some() {
                opening = given;
            }
            continue;
        }
        let errors_before = errs.items.len();
        let date_cell = cell(cells, Role::Date);
        let date_h = cols.get(Role::Date).map(|(_, h)| h).unwrap_or("日期");
        let date = match parse_date(&date_cell) {
            Some(d) if d < p.start || d > p.end => {
                let (where_, key, s, e) = (at(row, Some(date_h)), &p.key, p.start, p.end);
                errs.push(
                    Diagnostic::error(
                        file,
                        msg!("{where_}：{d} 不在 {key}（{s} 至 {e}）里", "{where_}: {d} is outside {key} ({s} to {e})"),
                    )
                    .hint(msg!(
                        "这一笔属于别的期间：分开导入，或者检查年份和月份",
                        "this line belongs to another period: import it there, or check the year and month"
                    )),
                );
                None
            }
            Some(d) => Some(d),
            None => {
                let (where_, raw) = (at(row, Some(date_h)), date_cell.text());
                let m = if raw.is_empty() {
                    msg!("{where_}：没有日期", "{where_}: no date")
                } else {
                    msg!("{where_}：「{raw}」不是日期", "{where_}: `{raw}` is not a date")
                };
                errs.push(Diagnostic::error(file, m).hint(msg!("写成 2026-07-03 或 2026/7/3", "write 2026-07-03 or 2026/7/3")));
                None
            }
        };
        let category = text(cells, Role::Category);
        if category.is_none() && cols.get(Role::Category).is_some() {
            let where_ = at(row, cols.get(Role::Category).map(|(_, h)| h));
            errs.push(
                Diagnostic::error(file, msg!("{where_}：没有写类别", "{where_}: no category"))
                    .hint(msg!("写上停车费、维修、保洁这样的类别", "write a category such as 停车费 or 维修")),
            );
        }
        let (inc, exp) = (amount_at(cells, Role::Income, row, &mut errs), amount_at(cells, Role::Expense, row, &mut errs));
        let side = match (inc, exp, amount_col) {
            (Some(a), None, _) => Some((true, a)),
            (None, Some(a), _) => Some((false, a)),
            (Some(_), Some(_), _) => {
                let where_ = at(row, None);
                errs.push(
                    Diagnostic::error(file, msg!("{where_}：收入和支出都有金额", "{where_}: both income and expense have an amount"))
                        .hint(msg!("一行只记一笔：分成两行", "one line per transaction: split it in two")),
                );
                None
            }
            (None, None, Some(_)) => match amount_at(cells, Role::Amount, row, &mut errs) {
                Some(a) => {
                    let dir = text(cells, Role::Direction).unwrap_or_default();
                    match header_key(&dir).as_str() {
                        "收" | "收入" | "入" | "进" => Some((true, a)),
                        "支" | "支出" | "出" | "付" => Some((false, a)),
                        _ => {
                            let where_ = at(row, cols.get(Role::Direction).map(|(_, h)| h).or(Some("收支")));
                            errs.push(
                                Diagnostic::error(
                                    file,
                                    msg!("{where_}：「{dir}」看不出是收入还是支出", "{where_}: `{dir}` says neither income nor expense"),
                                )
                                .hint(msg!("写“收入”或“支出”", "write 收入 or 支出")),
                            );
                            None
                        }
                    }
                }
                None => None,
            },
            (None, None, None) => None,
        };
        if side.is_none() && errs.items.len() == errors_before {
            let where_ = at(row, None);
            errs.push(
                Diagnostic::error(file, msg!("{where_}：没有金额", "{where_}: no amount"))
                    .hint(msg!("在「收入」或「支出」列写上金额", "put the amount in the 收入 or 支出 column")),
            );
        }
        if let (Some(date), Some((income, amount))) = (date, side) {
            let note = match (text(cells, Role::Note), text(cells, Role::Remark)) {
                (Some(n), Some(r)) => Some(format!("{n}（{r}）")),
                (n, r) => n.or(r),
            };
            rows.push(Row {
                sheet_row: row,
                income,
                date,
                category: category.unwrap_or_default(),
                amount,
                counterparty: text(cells, Role::Counterparty),
                voucher: text(cells, Role::Voucher),
                note,
                approval: text(cells, Role::Approval),
            });
        }
    }
    if rows.is_empty() && !errs.has_errors() {
        errs.push(Diagnostic::error(file, msg!("{shown} 里表头下面没有一笔收支", "{shown} has no lines under its header")));
    }
    if errs.has_errors() {
        return Err(errs);
    }

    // The ledger, written as the secretary would, one line a row.
    let opening = opening.unwrap_or_default();
    let income: Fen = rows.iter().filter(|r| r.income).map(|r| r.amount).sum();
    let expense: Fen = rows.iter().filter(|r| !r.income).map(|r| r.amount).sum();
    let closing = Fen(opening.0 + income.0 - expense.0);
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let sheet = if table.sheet.is_empty() { String::new() } else { format!("（{}）", table.sheet) };
    let opening_note = match &target.opening {
        Some((key, _)) => format!("# 期初余额 = 上一期 {key} 的期末余额"),
        None if opening != Fen(0) => "# 期初余额：取自表里的“期初余额”一行".to_string(),
        None => "# 期初余额：这是这个账户的第一期，请填写实际期初余额".to_string(),
    };
    let (start, end) = (p.start, p.end);
    let fund_name = target.site.funds.iter().find(|f| f.id == fund).map_or(fund, |f| f.name.as_str());
    let mut out = format!(
        "# {fund_name} {period}（{start} 至 {end}），从 {name}{sheet} 导入：每一行后面的注释是表里的行号。\n\
         # 这是草稿：gongshi serve --drafts 可以预览；核对无误后删掉 draft 这一行，再用 gongshi publish 发布。\n\
         draft: true\n\
         issuer: committee\n\
         approved:                  # 例如 2026-10-10 业委会第12次会议审议\n\
         opening_balance: {}   {opening_note}\n",
        opening.plain()
    );
    // Which YAML line came from which row, to place the ledger's own checks on the sheet.
    let mut line_rows: Vec<(usize, usize)> = Vec::new();
    for (key, side) in [("income", true), ("expense", false)] {
        let lines: Vec<&Row> = rows.iter().filter(|r| r.income == side).collect();
        if lines.is_empty() {
            out.push_str(&format!("{key}: []\n"));
            continue;
        }
        out.push_str(&format!("{key}:\n"));
        for r in lines {
            let mut fields =
                vec![format!("date: {}", r.date), format!("category: {}", yaml_str(&r.category)), format!("amount: {}", r.amount.plain())];
            for (k, v) in [("counterparty", &r.counterparty), ("voucher", &r.voucher), ("note", &r.note), ("approval", &r.approval)] {
                if let Some(v) = v {
                    fields.push(format!("{k}: {}", yaml_str(v)));
                }
            }
            line_rows.push((out.lines().count() + 1, r.sheet_row));
            out.push_str(&format!("  - {{{}}}   # 第 {} 行\n", fields.join(", "), r.sheet_row));
        }
    }
    out.push_str(&format!(
        "closing_balance: {}   # 期初 + 收入 {} − 支出 {}\nsummary: （用一两句话说明本期主要收入和支出）\nrevisions: []\n",
        closing.plain(),
        income.plain(),
        expense.plain()
    ));

    // Validated as every ledger is, before anything is written.
    let rel = target.path.strip_prefix(root).unwrap_or(&target.path).to_path_buf();
    let src = crate::source::Source::from_bytes(&rel, out.clone().into_bytes()).map_err(Diagnostics::from)?;
    if let Err(found) = crate::content::ledger::Ledger::load(root, &src, &target.site) {
        let errs = on_the_sheet(found, &line_rows, &table, file);
        if errs.has_errors() {
            return Err(errs);
        }
    }
    crate::scaffold::write_new(&target.path, &out).map_err(Diagnostics::from)?;
    let (income, expense) = (rows.iter().filter(|r| r.income).count(), rows.iter().filter(|r| !r.income).count());
    Ok(Imported { path: target.path, income, expense, totals_checked, ignored: cols.ignored })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_numbers_keep_their_decimals() {
        assert_eq!(number_text(18650.5), "18650.5");
        assert_eq!(number_text(42150.0), "42150");
        assert_eq!(number_text(0.1 + 0.2), "0.30");
        assert_eq!(Fen::parse(&number_text(1234.56)), Ok(Fen(123456)));
        assert_eq!(Fen::parse(&number_text(12.345)), Err(AmountError::TooManyDecimals));
    }

    #[test]
    fn dates_as_bookkeepers_write_them() {
        let d = Some(Date::ymd(2026, 7, 3));
        for s in ["2026-07-03", "2026/7/3", "2026.7.3", "2026年7月3日", "2026-07-03 10:30"] {
            assert_eq!(parse_date(&Cell::Text(s.into())), d, "{s}");
        }
        assert_eq!(parse_date(&Cell::Number("46206".into())), d, "a day number");
        assert_eq!(parse_date(&Cell::Text("7月3日".into())), None);
    }

    #[test]
    fn headers_with_units_and_spaces() {
        assert_eq!(role_of(HEADERS, "收入（元）"), Some(Role::Income));
        assert_eq!(role_of(HEADERS, " 凭证 号 "), Some(Role::Voucher));
        assert_eq!(role_of(HEADERS, "余额"), None);
    }

    #[test]
    fn gbk_and_bom() {
        let (gbk, _, _) = encoding_rs::GBK.encode("日期,摘要");
        assert_eq!(decode(&gbk), "日期,摘要");
        assert_eq!(decode("\u{feff}日期".as_bytes()), "日期");
    }

    #[test]
    fn yaml_text_is_quoted_when_it_would_read_otherwise() {
        assert_eq!(yaml_str("停车费"), "停车费");
        assert_eq!(yaml_str("a, b"), "\"a, b\"");
        assert_eq!(yaml_str("2026-07-03"), "\"2026-07-03\"");
        assert_eq!(yaml_str("#3"), "\"#3\"");
        assert_eq!(yaml_str("记-0701"), "记-0701");
        assert_eq!(serde_yaml::from_str::<serde_yaml::Value>(&format!("{{x: {}}}", yaml_str("a: b"))).unwrap()["x"], "a: b");
    }
}
