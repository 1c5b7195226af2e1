//! `gongshi init` and `gongshi new`: correct files to start from, so that nobody has to copy
//! an old notice and forget to change a field.

use crate::date::Date;
use crate::diagnostics::{display_path, Diagnostic};
use crate::msg;
use crate::source::is_valid_id;
use include_dir::{include_dir, Dir};
use std::fs;
use std::path::{Path, PathBuf};

static SAMPLE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");

/// Writes the sample community into `dir/content/`. Refuses if `dir/content` exists already.
pub fn init(dir: &Path) -> Result<usize, Diagnostic> {
    let target = dir.join("content");
    if target.exists() {
        let shown = display_path(&target);
        return Err(Diagnostic::error(
            &target,
            msg!("`{shown}` 已经存在，没有覆盖任何文件", "`{shown}` already exists; nothing was overwritten"),
        )
        .hint(msg!("换一个空文件夹再运行 gongshi init", "run gongshi init in an empty folder")));
    }
    let mut count = 0;
    write_dir(&SAMPLE, &target, &mut count).map_err(|e| {
        let detail = e.to_string();
        Diagnostic::error(&target, msg!("写入失败：{detail}", "writing failed: {detail}"))
    })?;
    Ok(count)
}

/// Writes the embedded folder `d` under `target`: everything but the sample's publishing
/// history (`publish.lock`, `history/`), which belongs to the sample alone — a new folder starts
/// with nothing published.
fn write_dir(d: &Dir<'_>, target: &Path, count: &mut usize) -> std::io::Result<()> {
    for f in d.files().filter(|f| f.path() != Path::new("publish.lock")) {
        let path = target.join(f.path());
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(&path, f.contents())?;
        *count += 1;
    }
    for sub in d.dirs().filter(|s| s.path() != Path::new("history")) {
        write_dir(sub, target, count)?;
    }
    Ok(())
}

/// The file a `new` command writes: `dir/<id>.<ext>`, with `id` checked, or the first free
/// `<prefix>-<today>[-n]`; never an existing file.
fn new_file(dir: &Path, ext: &str, id: Option<&str>, prefix: &str, today: Date, command: &str) -> Result<PathBuf, Diagnostic> {
    let id = match id {
        Some(id) if !is_valid_id(id) => {
            let suggestion = crate::source::slugify(id);
            let suggestion = if suggestion.is_empty() { format!("{prefix}-{today}") } else { suggestion };
            return Err(Diagnostic::error(
                command,
                msg!(
                    "编号 `{id}` 不能用作网址：只能用小写字母、数字和短横线",
                    "the id `{id}` cannot be used in a URL: only lowercase letters, digits and dashes"
                ),
            )
            .hint(msg!("例如 {suggestion}", "e.g. {suggestion}")));
        }
        Some(id) => id.to_string(),
        None => {
            let base = format!("{prefix}-{today}");
            (1..)
                .map(|i| if i == 1 { base.clone() } else { format!("{base}-{i}") })
                .find(|c| !dir.join(format!("{c}.{ext}")).exists())
                .unwrap_or(base)
        }
    };
    let path = dir.join(format!("{id}.{ext}"));
    if path.exists() {
        let shown = display_path(&path);
        return Err(Diagnostic::error(&path, msg!("`{shown}` 已经存在，没有覆盖", "`{shown}` already exists; not overwritten")));
    }
    Ok(path)
}

fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    path.parent().map_or(Ok(()), fs::create_dir_all).and_then(|_| fs::write(path, text)).map_err(|e| {
        let detail = e.to_string();
        Diagnostic::error(path, msg!("写入失败：{detail}", "writing failed: {detail}"))
    })
}

/// Writes `content/notices/<id>.md` from a template dated `today`; returns its path.
pub fn new_notice(root: &Path, id: Option<&str>, title: Option<&str>, today: Date) -> Result<PathBuf, Diagnostic> {
    let path = new_file(&root.join("content/notices"), "md", id, "notice", today, "gongshi new notice")?;
    let title = title.unwrap_or("（在这里写标题）");
    let text = format!(
        "---\n\
         title: {title}\n\
         date: {today}\n\
         issuer: property          # site.yaml 里 bodies 的代号，或发布单位全称\n\
         category: 通知\n\
         scope: []                 # 涉及的楼栋或门洞，例如 [\"5\", \"7-2\"]；空 = 全小区\n\
         posting: {{from: {today}, to: {today}}}   # 公示期，不需要就删掉这一行\n\
         summary: 用一句家常话说清楚：什么时间、什么地方、要大家做什么。\n\
         pinned: false\n\
         draft: true               # 写好后改成 false 才会发布\n\
         ---\n\
         正文写在这里。可以用表格：\n\n\
         | 项目 | 时间 |\n\
         |---|---|\n\
         | 例子 | 9:00-16:00 |\n"
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// Writes `content/votes/<id>.yaml`: a draft whose counts add up, to be replaced by the tally.
pub fn new_vote(root: &Path, id: Option<&str>, title: Option<&str>, today: Date) -> Result<PathBuf, Diagnostic> {
    let path = new_file(&root.join("content/votes"), "yaml", id, "vote", today, "gongshi new vote")?;
    let title = title.unwrap_or("（在这里写表决事项）");
    let posting_to = Date(today.0 + chrono::Duration::days(30));
    let text = format!(
        "# 表决结果。把下面的示例数字换成计票结果；同意 + 反对 + 弃权 必须等于 参与表决（人数和面积都要对上）。\n\
         title: {title}\n\
         date: {today}\n\
         issuer: committee\n\
         scope: []                  # 哪些楼栋参与表决；空 = 全小区\n\
         rule: civil-code-278       # 只征求意见、不判定结果时写 none（并删掉 matter）\n\
         matter: 4                  # 民法典第二百七十八条第一款第几项：6–8 项要四分之三同意，其余过半数\n\
         method: 书面表决\n\
         posting: {{from: {today}, to: {posting_to}}}\n\
         eligible:     {{owners: 100, area: 10000.00}}   # 有表决权的人数、专有部分面积（平方米）\n\
         participated: {{owners: 80,  area: 8000.00}}\n\
         agree:        {{owners: 60,  area: 6000.00}}\n\
         against:      {{owners: 15,  area: 1500.00}}\n\
         abstain:      {{owners: 5,   area: 500.00}}\n\
         summary: 用一句话说明结果和接下来怎么办。\n\
         draft: true                # 填好计票结果后删掉这一行才会发布\n\
         revisions: []\n"
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// Writes `content/accounts/<fund>/<period>.yaml`, its opening balance carried over from the
/// fund's latest earlier ledger so that the chain holds.
pub fn new_ledger(root: &Path, fund: &str, period: &str) -> Result<PathBuf, Diagnostic> {
    let command = "gongshi new ledger";
    let Some(p) = crate::period::Period::parse(period) else {
        return Err(Diagnostic::error(command, msg!("`{period}` 不是会计期间", "`{period}` is not a period")).hint(msg!(
            "写成 2026（全年）、2026-H1（半年）、2026-Q3（季度）或 2026-07（月份）",
            "write 2026 (year), 2026-H1 (half), 2026-Q3 (quarter) or 2026-07 (month)"
        )));
    };
    let site = crate::site::Site::load(root).map_err(|d| d.items.into_iter().next().expect("an error"))?;
    if !site.funds.iter().any(|f| f.id == fund) {
        let all = site.funds.iter().map(|f| f.id.as_str()).collect::<Vec<_>>().join("、");
        return Err(Diagnostic::error(
            command,
            msg!("账户 `{fund}` 不在 site.yaml 的 funds 里", "the fund `{fund}` is not in site.yaml's funds"),
        )
        .hint(msg!("现有账户：{all}", "the funds are: {all}")));
    }
    let dir = root.join("content/accounts").join(fund);
    let path = dir.join(format!("{period}.yaml"));
    if path.exists() {
        let shown = display_path(&path);
        return Err(Diagnostic::error(&path, msg!("`{shown}` 已经存在，没有覆盖", "`{shown}` already exists; not overwritten")));
    }
    // The latest earlier ledger of the fund that loads: its closing balance opens this one.
    let mut earlier: Vec<(crate::period::Period, PathBuf)> = fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let stem = e.path().file_stem()?.to_string_lossy().into_owned();
            let q = crate::period::Period::parse(&stem)?;
            (q.end < p.start).then(|| (q, e.path()))
        })
        .collect();
    earlier.sort_by_key(|(q, _)| q.end);
    let opening = earlier.last().and_then(|(_, file)| {
        let rel = file.strip_prefix(root).ok()?;
        let src = crate::source::Source::read(root, rel).ok()?;
        crate::content::ledger::Ledger::load(root, &src, &site).ok().map(|l| (l.period.key.clone(), l.closing()))
    });
    let (opening_text, note) = match &opening {
        Some((key, fen)) => (fen.plain(), format!("# 期初余额 = 上一期 {key} 的期末余额")),
        None => ("0.00".to_string(), "# 期初余额：这是这个账户的第一期，请填写实际期初余额".to_string()),
    };
    let (start, end) = (p.start, p.end);
    let text = format!(
        "# {fund} {period}（{start} 至 {end}）。每一笔收支一行；金额最多两位小数；凭证号在同一账户里不能重复。\n\
         # 保存并运行 gongshi build 就会发布，请填好再构建。\n\
         issuer: committee\n\
         approved:                  # 例如 2026-10-10 业委会第12次会议审议\n\
         opening_balance: {opening_text}   {note}\n\
         income:\n\
         \x20 - {{date: {start}, category: 停车费, amount: 0.00, counterparty: 临时停车, voucher: 记-0001, note: 说明}}\n\
         expense: []\n\
         # closing_balance: 写了就必须和 期初 + 收入 − 支出 一致\n\
         summary: 用一两句话说明本期主要收入和支出。\n\
         revisions: []\n"
    );
    write_new(&path, &text)?;
    Ok(path)
}
