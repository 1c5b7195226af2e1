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

/// What `gongshi init` asks about a real community; anything not given is left as a
/// placeholder in `site.yaml`, which every command then asks to fill in.
#[derive(Debug, Clone, Default)]
pub struct Community {
    /// 小区名称.
    pub name: Option<String>,
    /// Where the site will be served (every QR code points there).
    pub base_url: Option<String>,
    /// Building numbers: `1-16`, or a list `1,2,5`.
    pub buildings: Option<String>,
    /// Entrances of every building: `1-2`, or empty for none.
    pub entrances: Option<String>,
    /// The property service centre's phone.
    pub phone: Option<String>,
}

/// `1-16`, `1,2,5-7`, `1、2、3` or `1 2 3` as a list of ids; `None` when something in it is
/// not a building number.
pub fn parse_range_list(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for part in s.split([',', '，', '、', ' ', ';', '；']).map(str::trim).filter(|p| !p.is_empty()) {
        let part = part.replace(['－', '—', '~', '～'], "-");
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                if b < a || b - a > 500 {
                    return None;
                }
                out.extend((a..=b).map(|n| n.to_string()));
            }
            None if is_valid_id(&part) => out.push(part),
            None => return None,
        }
    }
    out.dedup();
    Some(out)
}

/// The folder `init` writes into must be empty (but for the gongshi program itself, which a
/// secretary may have put there).
fn check_empty(dir: &Path) -> Result<(), Diagnostic> {
    let shown = display_path(dir);
    let others: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("gongshi"))
        .collect();
    if others.is_empty() {
        return Ok(());
    }
    let first = others[..others.len().min(3)].join("、");
    Err(Diagnostic::error(
        dir,
        msg!(
            "`{shown}` 不是空文件夹（里面有 {first}），没有写入任何文件",
            "`{shown}` is not empty (it holds {first}); nothing was written"
        ),
    )
    .hint(msg!("新建一个空文件夹，例如 gongshi init 我的小区", "use a new, empty folder, e.g. gongshi init my-community")))
}

/// `gongshi init DIR`: a real community — `content/site.yaml` from `c` (placeholders for what
/// it lacks) and one example notice as a draft; nothing published. Gives the files written.
pub fn init_community(dir: &Path, c: &Community, today: Date) -> Result<Vec<PathBuf>, Diagnostic> {
    check_empty(dir)?;
    let q = |v: &Option<String>, prompt: &str| match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => yaml_text(v),
        None => format!("（在这里写{prompt}）"),
    };
    let buildings = c.buildings.as_deref().and_then(parse_range_list).filter(|b| !b.is_empty());
    let entrances = c.entrances.as_deref().and_then(parse_range_list).unwrap_or_default();
    let mut b = String::new();
    match &buildings {
        Some(list) => {
            for id in list {
                b.push_str(&format!("  - id: \"{id}\"\n    name: {id}号楼\n"));
                if !entrances.is_empty() {
                    let e = entrances.iter().map(|e| format!("\"{e}\"")).collect::<Vec<_>>().join(", ");
                    b.push_str(&format!("    entrances: [{e}]\n"));
                }
            }
        }
        None => b.push_str("  - id: \"1\"\n    name: （在这里写楼栋名称，例如 1号楼；每栋楼一项）\n"),
    }
    let site = format!(
        "# 小区的基本信息。改完保存，运行 gongshi（或 gongshi serve）就能在浏览器里预览。\n\
         name: {name}\n\
         base_url: {base}   # 网站放在哪里：每张打印单上的二维码都指向这个地址，打印前一定要填对\n\
         language: zh-CN\n\
         bodies:                      # 发布单位：公告里的 issuer 写这里的代号\n\
         \x20 committee: {name_short}业主委员会\n\
         \x20 property: {property}\n\
         buildings:                   # 楼栋；entrances 是单元（门洞），没有就删掉那一行\n\
         {b}\
         contacts:                    # 每个楼道页和海报上都有；只写公开的办公电话\n\
         \x20 - {{role: 物业服务中心, phone: {phone}}}\n\
         \x20 - {{role: 市民服务热线, phone: \"12345\"}}\n\
         funds:                       # 要公示的账户\n\
         \x20 - {{id: public-income, name: 公共收益}}\n\
         \x20 - {{id: maintenance, name: 专项维修资金}}\n",
        name = q(&c.name, "小区名称"),
        name_short = c.name.as_deref().map(str::trim).filter(|v| !v.is_empty()).unwrap_or("本小区"),
        property = match c.name.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(n) => format!("{}物业服务中心   # 可以改成物业服务企业的全称", yaml_text(n)),
            None => "（在这里写物业服务企业全称，例如 某某物业某某苑项目部）".to_string(),
        },
        base = match c.base_url.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(u) => u.to_string(),
            None => "https://（在这里写网站地址）".to_string(),
        },
        phone = q(&c.phone, "物业服务中心电话"),
    );
    let content = dir.join("content");
    let site_path = content.join("site.yaml");
    write_new(&site_path, &site)?;
    let notice = content.join("notices/first-notice.md");
    let text = format!(
        "---\n\
         title: 示例：停水通知（这是草稿，不会发布）\n\
         date: {today}\n\
         issuer: property\n\
         category: 停水停电\n\
         scope: []                 # 涉及的楼栋或单元，例如 [\"5\", \"7-2\"]；空 = 全小区\n\
         posting: {{from: {today}, to: {today}}}\n\
         summary: 用一句家常话说清楚：什么时间、什么地方、要大家做什么。\n\
         draft: true               # 草稿：预览时用 gongshi serve --drafts 才看得到，发布时不会出现\n\
         ---\n\
         这是一条示例公告。照着它写自己的公告，或者删掉这个文件。\n\n\
         | 项目 | 安排 |\n\
         |---|---|\n\
         | 停水时间 | 9:00—16:00 |\n"
    );
    write_new(&notice, &text)?;
    Ok(vec![site_path, notice])
}

/// A value as YAML text: quoted when YAML would read it as something else.
fn yaml_text(v: &str) -> String {
    let plain = !v.is_empty()
        && !v.contains([':', '#', '"', '\'', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`'])
        && v.parse::<f64>().is_err();
    if plain {
        v.to_string()
    } else {
        format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// `gongshi init --sample DIR`: the sample community, to play with, without its publishing
/// history. Refuses a folder that is not empty.
pub fn init(dir: &Path) -> Result<usize, Diagnostic> {
    let target = dir.join("content");
    check_empty(dir)?;
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
        crate::output::create(&path, f.contents())?;
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

/// Writes the new file `path`: never over a file that is there, nor through a link.
pub(crate) fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    path.parent().map_or(Ok(()), fs::create_dir_all).and_then(|_| crate::output::create(path, text.as_bytes())).map_err(|e| {
        let shown = display_path(path);
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            return Diagnostic::error(path, msg!("`{shown}` 已经存在，没有覆盖", "`{shown}` already exists; not overwritten"));
        }
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
         summary: （在这里用一句家常话说清楚：什么时间、什么地方、要大家做什么）\n\
         pinned: false\n\
         draft: true               # 草稿：写好后删掉这一行，再用 gongshi publish 发布\n\
         ---\n\
         （在这里写正文）可以用表格：\n\n\
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
         summary: （在这里用一句话说明结果和接下来怎么办）\n\
         draft: true                # 草稿：填好计票结果后删掉这一行，再用 gongshi publish 发布\n\
         revisions: []\n"
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// Writes `content/matters/<id>.yaml`: a draft whose parts already agree (funding adds up to
/// the cost, one quote chosen, an allocation by area), each line saying what to put there.
pub fn new_matter(root: &Path, id: Option<&str>, title: Option<&str>, today: Date) -> Result<PathBuf, Diagnostic> {
    let path = new_file(&root.join("content/matters"), "yaml", id, "matter", today, "gongshi new matter")?;
    let site = crate::site::Site::load(root).map_err(|d| d.items.into_iter().next().expect("an error"))?;
    let title = title.unwrap_or("（在这里写事项名称，例如 1号楼电梯更新）");
    let fund = site.funds.iter().find(|f| f.id == "maintenance").or(site.funds.first());
    let building = site.buildings.first().map(|b| b.id.clone()).unwrap_or_else(|| "1".into());
    let (fund_line, spending) = match fund {
        Some(f) => (
            format!("  - {{source: {}, fund: {}, amount: 70000, basis: （在这里写依据，例如 本楼业主表决同意）}}\n", f.name, f.id),
            "spending: []                  # 付款后写上账目里的凭证号，例如 [维-2611-001]；已支出金额按凭证自动累计\n",
        ),
        None => ("  - {source: 业主自筹, amount: 70000}\n".to_string(), "spending: []\n"),
    };
    let alloc_source = fund.map(|f| f.name.as_str()).unwrap_or("业主自筹");
    let text = format!(
        "# 事项：一件事从提出到花钱的每一步。金额写元，最多两位小数；各部分必须对得上：\n\
         # 资金来源加起来 = 费用，比价里只有一家写 chosen: true，分摊由程序按分计算。\n\
         title: {title}\n\
         issuer: committee\n\
         scope: [\"{building}\"]                # 涉及哪些楼栋或门洞；空 [] = 全小区\n\
         summary: （在这里用一两句话说明这件事和钱从哪里来）\n\
         stages:                       # 按日期从早到晚；最后一行是现在所处的阶段\n\
         \x20 - {{stage: proposed, date: {today}, note: （在这里写是谁、在哪次会议提出的）}}\n\
         # 以后依次加：consulted（征求意见）、voted（表决，写 vote: 表决编号）、contracted（签约）、\n\
         # works（施工）、accepted（验收）、settled（结算）；终止写 cancelled\n\
         notices: []                   # 相关公告的编号，例如 [lift-consultation]\n\
         quotes:                       # 收到的全部报价，选定的那家写 chosen: true 和理由\n\
         \x20 - {{vendor: （报价单位甲）, amount: 120000}}\n\
         \x20 - {{vendor: （报价单位乙）, amount: 100000, chosen: true, reason: （在这里写选定理由）}}\n\
         cost: 100000                  # 合同价\n\
         funding:                      # 钱从哪里来，加起来必须正好等于 cost\n\
         \x20 - {{source: 政府补贴, amount: 30000, basis: （在这里写补贴政策）}}\n\
         {fund_line}\
         allocation:                   # 其中一笔钱怎么分摊到各户（按组写，不写房号）\n\
         \x20 funding: {alloc_source}\n\
         \x20 method: area              # area 按面积 | equal 按户平均 | weights 按系数（例如电梯按楼层）\n\
         \x20 basis: （在这里写分摊所依据的规定或表决）\n\
         \x20 groups:\n\
         \x20   - {{group: （第一组，例如 1号楼1-3层）, households: 12, area: 1080.00}}\n\
         \x20   - {{group: （第二组，例如 1号楼4-6层）, households: 12, area: 1080.00}}\n\
         {spending}\
         draft: true                   # 草稿：填好后删掉这一行，再用 gongshi publish 发布\n\
         revisions: []\n"
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// Writes `content/donations/<id>.yaml`: a donation register as a draft, with one gift of
/// each kind (an organisation, a person who agreed to be named, an anonymous one).
pub fn new_donation(root: &Path, id: Option<&str>, title: Option<&str>, today: Date) -> Result<PathBuf, Diagnostic> {
    let path = new_file(&root.join("content/donations"), "yaml", id, "donation", today, "gongshi new donation")?;
    let title = title.unwrap_or("（在这里写众筹名称，例如 睦邻花园众筹）");
    let text = format!(
        "# 捐款公示：每一笔捐款、每一笔支出都写上。金额写元，最多两位小数。\n\
         # 个人捐款人只有本人同意公开时才写 public: true，否则网上显示“匿名”；单位捐款写 organisation: true。\n\
         # 不公开的捐款人，名字也不要写在说明 note 等其他地方（程序会检查）。\n\
         title: {title}\n\
         issuer: committee\n\
         date: {today}                  # 发起的日子\n\
         purpose: （在这里写钱用来做什么）\n\
         summary: （在这里用一两句话说明目标和进展）\n\
         target: 50000                  # 目标金额；没有目标就删掉这一行\n\
         gifts:\n\
         \x20 - {{date: {today}, donor: （在这里写捐款单位）, amount: 10000, organisation: true}}\n\
         \x20 - {{date: {today}, donor: （在这里写同意公开姓名的捐款人）, amount: 500, public: true}}\n\
         \x20 - {{date: {today}, amount: 200}}        # 不写姓名：显示为匿名\n\
         spending: []                   # 付款后写 - {{date: …, amount: …, counterparty: 收款单位, voucher: 凭证号, note: 用途}}\n\
         draft: true                    # 草稿：填好后删掉这一行，再用 gongshi publish 发布\n\
         revisions: []\n"
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// Writes `content/minutes/<id>.md`: the minutes of the meeting announced by notice `meeting`
/// (or, when none is named, the latest meeting announced), as a draft.
pub fn new_minutes(root: &Path, id: Option<&str>, title: Option<&str>, meeting: Option<&str>, today: Date) -> Result<PathBuf, Diagnostic> {
    let command = "gongshi new minutes";
    let site = crate::site::Site::load(root).map_err(|d| d.items.into_iter().next().expect("an error"))?;
    let dir = root.join("content/notices");
    let mut meetings: Vec<crate::content::notice::Notice> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let rel = Path::new("content/notices").join(e.file_name());
            if rel.extension().is_some_and(|x| x == "md") {
                if let Ok(n) = crate::source::Source::read(root, &rel)
                    .map_err(|_| ())
                    .and_then(|src| crate::content::notice::Notice::load(root, &src, &site).map_err(|_| ()))
                {
                    if n.meeting.is_some() {
                        meetings.push(n);
                    }
                }
            }
        }
    }
    meetings.sort_by_key(|n| n.meeting.as_ref().map(|m| m.when));
    let chosen = match meeting {
        Some(m) => meetings.iter().find(|n| n.id == m),
        None => meetings.last(),
    };
    if let (None, Some(m)) = (chosen, meeting) {
        if dir.join(format!("{m}.md")).is_file() {
            return Err(Diagnostic::error(command, msg!("通知 `{m}` 没有写会议 meeting:", "the notice `{m}` announces no meeting")).hint(
                msg!(
                    "在那份通知的开头加上 meeting: {{body: committee, date: 2026-11-14 19:00, place: 会所二楼, agenda: [议题]}}，再写纪要",
                    "add meeting: {{body: committee, date: …, place: …, agenda: […]}} to that notice first"
                ),
            ));
        }
    }
    if let Some(n) = chosen {
        let taken = std::fs::read_dir(root.join("content/minutes")).into_iter().flatten().flatten().find(|e| {
            std::fs::read_to_string(e.path()).is_ok_and(|t| {
                t.lines().any(|l| l.trim().strip_prefix("meeting:").is_some_and(|v| v.split('#').next().unwrap_or("").trim() == n.id))
            })
        });
        if let Some(e) = taken {
            let (id, other) = (&n.id, display_path(&Path::new("content/minutes").join(e.file_name())));
            return Err(Diagnostic::error(
                command,
                msg!("会议 `{id}` 已经有纪要：{other}", "the meeting `{id}` already has minutes: {other}"),
            )
            .hint(msg!(
                "一次会议一份纪要；要补充就改那一份，并在 revisions 里写明",
                "one meeting, one set of minutes: add to that one, with a revision"
            )));
        }
    }
    let Some(notice) = chosen else {
        let what = meeting.unwrap_or("");
        return Err(match meeting {
            Some(_) => Diagnostic::error(command, msg!("找不到开会通知 `{what}`", "there is no meeting notice `{what}`")),
            None => Diagnostic::error(command, msg!("还没有开会通知", "no notice announces a meeting yet")),
        }
        .hint(msg!(
            "先写开会通知（gongshi new notice，加上 meeting: {{body: committee, date: 2026-11-14 19:00, place: 会所二楼, agenda: [议题]}}），再用 --meeting 通知编号 写纪要",
            "write the meeting's notice first (with meeting: …), then name it with --meeting"
        )));
    };
    let held = notice.meeting.as_ref().map_or(today, |m| m.when.date);
    let date = if held > today { held } else { today };
    let path = new_file(&root.join("content/minutes"), "md", id, "minutes", date, command)?;
    let title = title.map(str::to_string).unwrap_or_else(|| {
        let t = notice.title.trim_start_matches("关于召开").trim_start_matches("关于");
        let t = ["的通知", "的公告", "通知", "公告"].iter().find_map(|s| t.strip_suffix(s)).unwrap_or(t);
        format!("{t}纪要")
    });
    let agenda = notice.meeting.as_ref().map(|m| m.agenda.clone()).unwrap_or_default();
    let mut decisions = String::new();
    for a in agenda.iter().take(5) {
        decisions.push_str(&format!("  - {{text: （在这里写对“{a}”的决定）, for: 5, against: 0, abstain: 0}}\n"));
    }
    if decisions.is_empty() {
        decisions.push_str("  - {text: （在这里写第一项决定）, for: 5, against: 0, abstain: 0}\n");
    }
    let text = format!(
        "---\n\
         # 会议纪要：会后 3 天内公布。每项决定写同意、反对、弃权各几票，加起来不能超过出席人数。\n\
         title: {title}\n\
         issuer: committee\n\
         date: {date}                 # 纪要公布的日子\n\
         meeting: {}                    # 开会通知的编号\n\
         present: 5                     # 出席人数\n\
         signed_by: [（在这里写签字委员的姓名，用逗号隔开）]\n\
         summary: （在这里用一两句话写会议决定了什么）\n\
         decisions:\n\
         {decisions}\
         draft: true                    # 草稿：填好后删掉这一行，再用 gongshi publish 发布\n\
         revisions: []\n\
         ---\n\
         （在这里写会议情况：出席和列席的人、讨论的要点。）\n",
        notice.id
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// Writes `content/accounts/<fund>/<period>.yaml`, its opening balance carried over from the
/// fund's latest earlier ledger so that the chain holds.
pub fn new_ledger(root: &Path, fund: &str, period: &str) -> Result<PathBuf, Diagnostic> {
    let LedgerTarget { period: p, path, opening, .. } = ledger_target(root, fund, period, "gongshi new ledger")?;
    let (opening_text, note) = match &opening {
        Some((key, fen)) => (fen.plain(), format!("# 期初余额 = 上一期 {key} 的期末余额")),
        None => ("0.00".to_string(), "# 期初余额：这是这个账户的第一期，请填写实际期初余额".to_string()),
    };
    let (start, end) = (p.start, p.end);
    let text = format!(
        "# {fund} {period}（{start} 至 {end}）。每一笔收支一行；金额最多两位小数；凭证号在同一账户里不能重复。\n\
         # 这是草稿：gongshi serve --drafts 可以预览；填好后删掉 draft 这一行，再用 gongshi publish 发布。\n\
         draft: true\n\
         issuer: committee\n\
         approved:                  # 例如 2026-10-10 业委会第12次会议审议\n\
         opening_balance: {opening_text}   {note}\n\
         income:\n\
         \x20 - {{date: {start}, category: 停车费, amount: 0.00, counterparty: 临时停车, voucher: 记-0001, note: （在这里写这笔收入的说明）}}\n\
         expense: []\n\
         # closing_balance: 写了就必须和 期初 + 收入 − 支出 一致\n\
         summary: 用一两句话说明本期主要收入和支出。\n\
         revisions: []\n"
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// Where a new ledger of `fund` for `period` goes, checked: the fund exists, the period is one,
/// no file is there yet and no ledger of the fund covers any of its days; with the closing
/// balance of the fund's latest earlier ledger (its period), which opens this one.
pub struct LedgerTarget {
    /// The site.
    pub site: crate::site::Site,
    /// The period.
    pub period: crate::period::Period,
    /// `content/accounts/<fund>/<period>.yaml` under the root.
    pub path: PathBuf,
    /// The earlier ledger's period and closing balance, if there is one.
    pub opening: Option<(String, crate::money::Fen)>,
}

/// See [`LedgerTarget`]; `command` names what is asking, in messages.
pub fn ledger_target(root: &Path, fund: &str, period: &str, command: &str) -> Result<LedgerTarget, Diagnostic> {
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
    // A period that covers days of an existing ledger would be refused by every build.
    let overlapping = fs::read_dir(&dir).into_iter().flatten().flatten().find_map(|e| {
        let stem = e.path().file_stem()?.to_string_lossy().into_owned();
        crate::period::Period::parse(&stem).filter(|q| q.overlaps(&p)).map(|q| q.key)
    });
    if let Some(other) = overlapping {
        return Err(Diagnostic::error(
            &path,
            msg!("`{period}` 和已有的账目 {other} 重叠了，没有创建", "`{period}` overlaps the existing ledger {other}; not created"),
        )
        .hint(msg!(
            "同一个账户的各期不能重复覆盖同一天：接着 {other} 之后的期间记账（例如下一个月）",
            "periods of one fund must not cover the same day twice: start after {other}"
        )));
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
    Ok(LedgerTarget { site, period: p, path, opening })
}

/// Writes `content/pages/<id>.md`: a free page (规约, 明白卡, 关于), as a draft.
pub fn new_page(root: &Path, id: Option<&str>, title: Option<&str>, today: Date) -> Result<PathBuf, Diagnostic> {
    let path = new_file(&root.join("content/pages"), "md", id, "page", today, "gongshi new page")?;
    let title = title.unwrap_or("（在这里写标题）");
    let text = format!(
        "---\n\
         title: {title}\n\
         issuer: committee\n\
         date: {today}\n\
         summary: （在这里用一句话说明这一页讲什么）\n\
         draft: true                # 写好后删掉这一行，再用 gongshi publish 发布\n\
         ---\n\
         （在这里写正文）\n"
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// Writes `content/standards/<id>.yaml`: service standards with one of each part, as a draft.
pub fn new_standards(root: &Path, id: Option<&str>, title: Option<&str>, today: Date) -> Result<PathBuf, Diagnostic> {
    let path = new_file(&root.join("content/standards"), "yaml", id, "standards", today, "gongshi new standards")?;
    let title = title.unwrap_or("（在这里写标题，例如 某某小区物业服务标准（2027版））");
    let text = format!(
        "# 晒服务标准：服务内容、收费标准（明码标价）和报修响应时限。\n\
         title: {title}\n\
         issuer: property\n\
         effective: {today}             # 从哪天起执行\n\
         summary: （在这里用一两句话说明最要紧的收费和时限）\n\
         provider: {{name: （在这里写物业服务企业全称）, manager: 项目经理, phone: （在这里写公开的办公电话）}}\n\
         fees:                          # 每一项收费一行；price 最多两位小数\n\
         \x20 - {{item: 物业服务费, applies_to: 住宅, unit: 元/平方米·月, price: 0.00, pricing: 市场调节价, basis: （在这里写依据，例如 业主大会决议）}}\n\
         services:\n\
         \x20 - {{category: 保洁, item: 楼道清扫, standard: （在这里写标准，例如 每日1次）}}\n\
         response:                      # 报修分档：30m、2h、3d（天）、5wd（工作日）\n\
         \x20 - {{tier: urgent, name: 紧急（爆管、电梯困人）, respond_within: 30m, resolve_within: 2h}}\n\
         \x20 - {{tier: routine, name: 一般报修, resolve_within: 5wd}}\n\
         draft: true                    # 写好后删掉这一行，再用 gongshi publish 发布\n\
         revisions: []\n"
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// Where the request log of `period` goes, and the period: refused when `period` is none, or
/// when the log exists (nothing is ever overwritten).
pub fn requests_target(root: &Path, period: &str, command: &str) -> Result<(PathBuf, crate::period::Period), Diagnostic> {
    let Some(p) = crate::period::Period::parse(period) else {
        return Err(Diagnostic::error(command, msg!("`{period}` 不是期间", "`{period}` is not a period"))
            .hint(msg!("诉求台账一般按月：写成 2026-11", "request logs usually go by month: write 2026-11")));
    };
    let path = root.join("content/requests").join(format!("{period}.yaml"));
    if path.exists() {
        let shown = display_path(&path);
        return Err(Diagnostic::error(&path, msg!("`{shown}` 已经存在，没有覆盖", "`{shown}` already exists; not overwritten")));
    }
    Ok((path, p))
}

/// Writes `content/requests/<period>.yaml`: one period's request log with an example entry,
/// as a draft.
pub fn new_requests(root: &Path, period: &str) -> Result<PathBuf, Diagnostic> {
    let (path, p) = requests_target(root, period, "gongshi new requests")?;
    let start = p.start;
    let text = format!(
        "# 诉求台账 {period}：不写姓名、房号和电话。每收到一件加一行；办结、回访后把时间补上（补时间不用写修订记录）。\n\
         period: {period}\n\
         issuer: property\n\
         entries:\n\
         \x20 - {{id: R-0001, received: {start} 08:00, tier: routine, category: 报修, scope: \"1\", summary: （在这里写一句话的事由）}}\n\
         draft: true                    # 填好后删掉这一行，再用 gongshi publish 发布\n\
         revisions: []\n"
    );
    write_new(&path, &text)?;
    Ok(path)
}
