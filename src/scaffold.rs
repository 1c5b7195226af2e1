//! `gongshi init` and `gongshi new`: correct files to start from, so that nobody has to copy
//! an old notice and forget to change a field.

use crate::content::yaml::is_valid_id;
use crate::date::Date;
use crate::diagnostics::{display_path, Diagnostic};
use crate::msg;
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

fn write_dir(d: &Dir<'_>, target: &Path, count: &mut usize) -> std::io::Result<()> {
    for f in d.files() {
        let path = target.join(f.path());
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(&path, f.contents())?;
        *count += 1;
    }
    for sub in d.dirs() {
        write_dir(sub, target, count)?;
    }
    Ok(())
}

/// Writes `content/notices/<id>.md` from a template dated `today`; returns its path.
pub fn new_notice(root: &Path, id: Option<&str>, title: Option<&str>, today: Date) -> Result<PathBuf, Diagnostic> {
    let dir = root.join("content/notices");
    let id = match id {
        Some(id) if !is_valid_id(id) => {
            let suggestion = crate::content::yaml::slugify(id);
            let suggestion = if suggestion.is_empty() { format!("notice-{today}") } else { suggestion };
            return Err(Diagnostic::error(
                "gongshi new notice",
                msg!(
                    "编号 `{id}` 不能用作网址：只能用小写字母、数字和短横线",
                    "the id `{id}` cannot be used in a URL: only lowercase letters, digits and dashes"
                ),
            )
            .hint(msg!("例如 {suggestion}", "e.g. {suggestion}")));
        }
        Some(id) => id.to_string(),
        None => {
            let base = format!("notice-{today}");
            (1..)
                .map(|i| if i == 1 { base.clone() } else { format!("{base}-{i}") })
                .find(|c| !dir.join(format!("{c}.md")).exists())
                .unwrap_or(base)
        }
    };
    let path = dir.join(format!("{id}.md"));
    if path.exists() {
        let shown = display_path(&path);
        return Err(Diagnostic::error(&path, msg!("`{shown}` 已经存在，没有覆盖", "`{shown}` already exists; not overwritten")));
    }
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
    fs::create_dir_all(&dir).and_then(|_| fs::write(&path, text)).map_err(|e| {
        let detail = e.to_string();
        Diagnostic::error(&path, msg!("写入失败：{detail}", "writing failed: {detail}"))
    })?;
    Ok(path)
}
