//! The `gongshi` command: parses arguments, calls the library, prints diagnostics, exits
//! 0 (success), 1 (content errors) or 2 (usage errors).

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use gongshi::date::Date;
use gongshi::diagnostics::{Diagnostics, Lang};
use gongshi::{BuildOptions, Failure};
use std::path::PathBuf;
use std::process::ExitCode;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "gongshi", version, about = "公示 — static site generator for residential community transparency boards")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start a community in DIR (an empty folder; default: the current one): site.yaml to fill
    /// in (asked for in a terminal) and one example notice as a draft. --sample writes the
    /// sample community instead, to try things out. Nothing is published.
    Init {
        /// Folder to create the site in.
        dir: Option<PathBuf>,
        /// Write the sample community (湖畔花园) instead of a new one.
        #[arg(long)]
        sample: bool,
        /// The community's name (小区名称).
        #[arg(long)]
        name: Option<String>,
        /// Where the site will be served, e.g. https://hupan.example.cn (QR codes point there).
        #[arg(long)]
        base_url: Option<String>,
        /// Buildings: 1-16, or a list such as 1,2,5.
        #[arg(long)]
        buildings: Option<String>,
        /// Entrances of each building: 1-2, or a list; leave out when there are none.
        #[arg(long)]
        entrances: Option<String>,
        /// The property service centre's public phone.
        #[arg(long)]
        phone: Option<String>,
    },
    /// Build the site into public/ (nothing is written if any source has an error).
    Build(SiteArgs),
    /// Validate everything build validates; write nothing.
    Check(SiteArgs),
    /// Build, then record what is published in content/publish.lock and content/history/;
    /// with --to, also copy the site there.
    Publish {
        #[command(flatten)]
        site: SiteArgs,
        /// Also put the site in this folder (e.g. the web server's), replacing only what
        /// gongshi put there before; default: publish_to in site.yaml.
        #[arg(long)]
        to: Option<PathBuf>,
    },
    /// The publishing log.
    Lock {
        #[command(subcommand)]
        what: LockWhat,
    },
    /// Build, serve the site locally and rebuild on every change, reloading open pages.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on; only this computer by default.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
    },
    /// Take a published item down on purpose; its address keeps a page saying when and why.
    Retire {
        /// The item: kind/id, e.g. n/water-cut-5, v/renew-property-2026, a/public-income/2026-Q3.
        target: String,
        /// Why it is taken down (shown on the page left at its address).
        #[arg(long)]
        note: String,
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The day of retirement (default: today).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
    },
    /// Check a published site (a folder, e.g. a downloaded copy): the log's hash chain, every page's code, every data file's hash.
    Verify {
        /// The published site's folder (holding data/log.json).
        dir: PathBuf,
        /// An older copy of the same site: its log must be the start of this one.
        #[arg(long)]
        against: Option<PathBuf>,
    },
    /// Write a correctly-filled template.
    New {
        #[command(subcommand)]
        what: NewWhat,
    },
    /// Bring in what is kept in a spreadsheet (.xlsx, .xls, .ods, .csv in UTF-8 or GBK).
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
}

#[derive(Subcommand)]
enum ImportWhat {
    /// A ledger from the treasurer's sheet: content/accounts/FUND/PERIOD.yaml (a draft), never
    /// over an existing file.
    Ledger {
        /// The fund, as site.yaml's funds name it (e.g. public-income).
        fund: String,
        /// The period: 2026, 2026-H1, 2026-Q3 or 2026-07.
        period: String,
        /// The spreadsheet or CSV file.
        file: PathBuf,
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A request log from the service desk's sheet: content/requests/PERIOD.yaml (a draft),
    /// never over an existing file; columns of names, phones and rooms are never read.
    Requests {
        /// The period, usually a month: 2026-11.
        period: String,
        /// The spreadsheet or CSV file.
        file: PathBuf,
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Subcommand)]
enum LockWhat {
    /// Rebuild a lost or damaged content/publish.lock from the published site's data/log.json.
    Restore {
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The published site to take the log from (default: ROOT/public).
        #[arg(long)]
        from: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum NewWhat {
    /// A free page: content/pages/ID.md (a draft).
    Page {
        /// Permanent id (file name); defaults to page-DATE.
        id: Option<String>,
        /// Title.
        #[arg(long)]
        title: Option<String>,
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Service standards: content/standards/ID.yaml (a draft).
    Standards {
        /// Permanent id (file name); defaults to standards-DATE.
        id: Option<String>,
        /// Title.
        #[arg(long)]
        title: Option<String>,
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A request log: content/requests/PERIOD.yaml (a draft).
    Requests {
        /// Period, usually a month: 2026-11.
        period: String,
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A matter: content/matters/ID.yaml, one decision followed from proposal to money (a draft).
    Matter {
        /// Permanent id (file name); defaults to matter-DATE.
        id: Option<String>,
        /// Title.
        #[arg(long)]
        title: Option<String>,
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A donation register: content/donations/ID.yaml, every gift and every spending line (a draft).
    Donation {
        /// Permanent id (file name); defaults to donation-DATE.
        id: Option<String>,
        /// Title.
        #[arg(long)]
        title: Option<String>,
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Minutes of a meeting: content/minutes/ID.md, for the meeting a notice announced (a draft).
    Minutes {
        /// Permanent id (file name); defaults to minutes-DATE.
        id: Option<String>,
        /// Title.
        #[arg(long)]
        title: Option<String>,
        /// The id of the notice that announced the meeting; defaults to the latest meeting.
        #[arg(long)]
        meeting: Option<String>,
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A vote result: content/votes/ID.yaml (a draft until you remove `draft: true`).
    Vote {
        /// Permanent id (file name); defaults to vote-DATE.
        id: Option<String>,
        /// Title.
        #[arg(long)]
        title: Option<String>,
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A ledger: content/accounts/FUND/PERIOD.yaml, opening with the previous period's closing balance.
    Ledger {
        /// Fund id from site.yaml (e.g. public-income).
        fund: String,
        /// Period: 2026, 2026-H1, 2026-Q3 or 2026-07.
        period: String,
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A notice: content/notices/ID.md (a draft until you set `draft: false`).
    Notice {
        /// Permanent id (file name); defaults to notice-DATE.
        id: Option<String>,
        /// Title.
        #[arg(long)]
        title: Option<String>,
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// Site folder (holding content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Output folder (default: ROOT/public).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Override base_url of site.yaml, e.g. for a test server.
    #[arg(long)]
    base_url: Option<String>,
    /// Publish drafts too.
    #[arg(long)]
    drafts: bool,
    /// Build as if today were DATE (YYYY-MM-DD), for reproducible output.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| "不是日期：写成 年-月-日，例如 2026-11-20 / not a date: write YYYY-MM-DD".to_string())
}

impl SiteArgs {
    fn options(self) -> BuildOptions {
        BuildOptions {
            root: self.root,
            output: self.output,
            base_url: self.base_url,
            drafts: self.drafts,
            as_of: self.as_of,
            preview: false,
            publish: false,
        }
    }
}

fn main() -> ExitCode {
    let lang = cli_lang();
    let cli = match localize(Cli::command(), lang).try_get_matches().and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e, lang),
    };
    let Some(command) = cli.command else { return double_clicked(lang) };
    match command {
        Command::Init { dir, sample, name, base_url, buildings, entrances, phone } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("."));
            let shown = gongshi::diagnostics::display_path(&dir);
            if sample {
                return match gongshi::scaffold::init(&dir) {
                    Ok(n) => {
                        println!("已写入示例小区湖畔花园（{n} 个文件，没有任何公示记录）。预览：cd {shown}，再运行 gongshi");
                        ExitCode::SUCCESS
                    }
                    Err(d) => fail_plain(&Failure::Usage(d.into()), Lang::Zh),
                };
            }
            let mut c = gongshi::scaffold::Community { name, base_url, buildings, entrances, phone };
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                ask(&mut c);
            }
            let today = Date(chrono::Local::now().date_naive());
            match gongshi::scaffold::init_community(&dir, &c, today) {
                Ok(files) => {
                    for f in &files {
                        println!("已写入 {}", gongshi::diagnostics::display_path(f));
                    }
                    let unfilled = std::fs::read_to_string(&files[0]).is_ok_and(|t| t.contains(gongshi::source::PLACEHOLDER));
                    if unfilled {
                        println!("下一步：打开 content/site.yaml，把写着（在这里……）的地方填好，然后在 {shown} 里运行 gongshi 预览。写好的内容用 gongshi publish 发布。");
                    } else {
                        println!(
                            "下一步：在 {shown} 里运行 gongshi 预览（也可以再看看 content/site.yaml）。写好的内容用 gongshi publish 发布。"
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => fail_plain(&Failure::Usage(d.into()), Lang::Zh),
            }
        }
        Command::Build(args) => {
            let opts = args.options();
            let lang = gongshi::site_lang(&opts.root);
            let mut session = gongshi::Session::last();
            let built = gongshi::build_in(&opts, &mut session);
            // The process exits right after: what the build read is left to the system, which
            // takes the whole memory back at once, instead of being freed piece by piece
            // (0.1 s at 100,000 notices).
            std::mem::forget(session.into_kept());
            match built {
                Ok(r) => {
                    eprint!("{}", r.warnings.render(lang));
                    let out = gongshi::diagnostics::display_path(&opts.output_dir());
                    match lang {
                        Lang::Zh => println!(
                            "已生成 {} 个文件（{} 条公告）→ {out}：写入 {}，未变 {}，删除 {}",
                            r.files, r.notices, r.written, r.unchanged, r.removed
                        ),
                        Lang::En => println!(
                            "built {} files ({} notices) → {out}: {} written, {} unchanged, {} removed",
                            r.files, r.notices, r.written, r.unchanged, r.removed
                        ),
                    }
                    ExitCode::SUCCESS
                }
                Err(f) => fail_in(&f, lang, &opts.output_label()),
            }
        }
        Command::Publish { site, to } => {
            let opts = BuildOptions { publish: true, ..site.options() };
            let lang = gongshi::site_lang(&opts.root);
            if opts.drafts {
                let d = gongshi::diagnostics::Diagnostic::error(
                    "--drafts",
                    gongshi::msg!("发布时不能带 --drafts：草稿不能公示", "publish cannot take --drafts: drafts are never published"),
                )
                .hint(gongshi::msg!(
                    "预览草稿用 gongshi serve --drafts；要发布的内容，删掉它的 draft: true 这一行",
                    "preview drafts with gongshi serve --drafts; to publish an item, remove its draft: true line"
                ));
                return fail_plain(&Failure::Usage(d.into()), lang);
            }
            match gongshi::publish(&opts, to.as_deref()) {
                Ok(p) => {
                    eprint!("{}", p.report.warnings.render(lang));
                    let out = gongshi::diagnostics::display_path(&opts.output_dir());
                    let copies = p.copied_to.iter().map(|d| gongshi::diagnostics::display_path(d)).collect::<Vec<_>>().join("、");
                    match (lang, p.entry) {
                        (Lang::Zh, Some((seq, n, m))) => println!(
                            "已发布：公示记录第 {seq} 号，{n} 条内容新增或更新{} → {out}{}",
                            if m == 0 { String::new() } else { format!("，{m} 块楼道公示栏列的内容变了") },
                            if copies.is_empty() { String::new() } else { format!("，并复制到 {copies}") }
                        ),
                        (Lang::Zh, None) => println!(
                            "没有新的内容要公示：公示记录不变 → {out}{}",
                            if copies.is_empty() { String::new() } else { format!("，并复制到 {copies}") }
                        ),
                        (Lang::En, Some((seq, n, m))) => println!(
                            "published: log entry {seq}, {n} items added or updated{} → {out}{}",
                            if m == 0 { String::new() } else { format!(", {m} entrance posters list something new") },
                            if copies.is_empty() { String::new() } else { format!(", copied to {copies}") }
                        ),
                        (Lang::En, None) => println!(
                            "nothing new to publish: the log is unchanged → {out}{}",
                            if copies.is_empty() { String::new() } else { format!(", copied to {copies}") }
                        ),
                    }
                    ExitCode::SUCCESS
                }
                Err(f) => fail_in(&f, lang, &opts.output_label()),
            }
        }
        Command::Lock { what: LockWhat::Restore { root, from } } => {
            let lang = gongshi::site_lang(&root);
            let from = from.unwrap_or_else(|| root.join("public"));
            match gongshi::restore_lock(&root, &from) {
                Ok(n) => {
                    match lang {
                        Lang::Zh => println!(
                            "已按 {} 重建 content/publish.lock：{n} 次公示，哈希链和 content/history/ 都核对无误",
                            gongshi::diagnostics::display_path(&from)
                        ),
                        Lang::En => println!(
                            "rebuilt content/publish.lock from {}: {n} publications; the hash chain and content/history/ check out",
                            gongshi::diagnostics::display_path(&from)
                        ),
                    }
                    ExitCode::SUCCESS
                }
                Err(f) => fail_plain(&f, lang),
            }
        }
        Command::Check(args) => {
            let opts = args.options();
            let lang = gongshi::site_lang(&opts.root);
            match gongshi::check(&opts) {
                Ok(r) => {
                    eprint!("{}", r.warnings.render(lang));
                    match lang {
                        Lang::Zh => println!("检查通过：{} 条公告，{} 个文件，未写入任何文件", r.notices, r.files),
                        Lang::En => println!("check passed: {} notices, {} files; nothing written", r.notices, r.files),
                    }
                    ExitCode::SUCCESS
                }
                Err(f) => fail_in(&f, lang, &opts.output_label()),
            }
        }
        Command::Serve { site, port, bind } => {
            let build = BuildOptions { preview: true, ..site.options() };
            let lang = gongshi::site_lang(&build.root);
            let opts = gongshi::serve::ServeOptions { build, bind, port };
            let ready = |addr: std::net::SocketAddr| {
                use std::io::Write;
                match lang {
                    Lang::Zh => println!("预览地址：http://{addr}/ （修改 content/ 后自动刷新，按 Ctrl+C 结束）"),
                    Lang::En => println!("preview at http://{addr}/ (pages reload when content/ changes; Ctrl+C to stop)"),
                }
                let _ = std::io::stdout().flush();
            };
            match gongshi::serve::serve(opts, lang, ready) {
                Ok(()) => ExitCode::SUCCESS,
                Err(f) => fail(&f, lang),
            }
        }
        Command::Retire { target, note, root, as_of } => {
            let lang = gongshi::site_lang(&root);
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                let question = match lang {
                    Lang::Zh => format!("撤下 {target} 后，它的网址会永久留下一页撤下说明，这个编号不能再用。确认撤下吗？输入 y 确认："),
                    Lang::En => format!("Retiring {target} leaves a retirement page at its address for good, and its id cannot be used again. Retire it? Type y to confirm: "),
                };
                if !confirm(&question) {
                    println!("{}", if lang == Lang::Zh { "没有撤下任何内容。" } else { "nothing was retired." });
                    return ExitCode::SUCCESS;
                }
            }
            let today = as_of.unwrap_or_else(|| Date(chrono::Local::now().date_naive()));
            match gongshi::retire(&root, &target, &note, today) {
                Ok(e) => {
                    let (src, url) = (e.source.clone(), e.url());
                    match lang {
                        Lang::Zh => println!("已撤下 {target}（{today}）。如果文件 {src} 还在，请删除它，然后重新 build；/{url} 会留下一页撤下说明。"),
                        Lang::En => println!("retired {target} ({today}). Delete {src} if it is still there and build again; /{url} will keep a retirement notice."),
                    }
                    ExitCode::SUCCESS
                }
                Err(f) => fail(&f, lang),
            }
        }
        Command::Verify { dir, against } => {
            let lang = Lang::Zh;
            match gongshi::verify::verify(&dir, against.as_deref()) {
                Ok(v) => {
                    let (p, n, f) = (v.publications, v.pages, v.files);
                    println!(
                        "核对通过：公示记录 {p} 次发布的哈希链完整，{n} 个页面的校验码和记录一致，{f} 个数据文件和 datapackage.json 一致"
                    );
                    ExitCode::SUCCESS
                }
                Err(errs) => {
                    for d in &errs.items {
                        eprintln!("{}", d.render(lang));
                    }
                    let n = errs.error_count();
                    eprintln!("共 {n} 处不一致。");
                    ExitCode::from(1)
                }
            }
        }
        Command::Import { what: ImportWhat::Ledger { fund, period, file, root } } => {
            let lang = gongshi::site_lang(&root);
            match gongshi::import::ledger(&root, &fund, &period, &file) {
                Ok(i) => {
                    let shown = gongshi::diagnostics::display_path(&i.path);
                    let (n, m, t) = (i.income, i.expense, i.totals_checked);
                    let ignored = i.ignored.join("、");
                    match lang {
                        Lang::Zh => {
                            println!("已导入 {n} 笔收入、{m} 笔支出 → {shown}（草稿）");
                            if t > 0 {
                                println!("表里的合计行（{t} 个合计）和逐笔相加一致，没有导入");
                            }
                            if !ignored.is_empty() {
                                println!("没有导入的列：{ignored}");
                            }
                            println!("用 gongshi serve --drafts 预览；核对无误后删掉 draft: true 那一行、写好 summary，再用 gongshi publish 发布");
                        }
                        Lang::En => {
                            println!("imported {n} income and {m} expense lines → {shown} (a draft)");
                            if t > 0 {
                                println!("the sheet's totals ({t}) agree with the lines and were not imported");
                            }
                            if !ignored.is_empty() {
                                println!("columns left out: {ignored}");
                            }
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => fail_plain(&Failure::Content(d), lang),
            }
        }
        Command::Import { what: ImportWhat::Requests { period, file, root } } => {
            let lang = gongshi::site_lang(&root);
            match gongshi::import::requests(&root, &period, &file) {
                Ok(i) => {
                    let shown = gongshi::diagnostics::display_path(&i.path);
                    let n = i.entries;
                    let (ignored, personal) = (i.ignored.join("、"), i.personal.join("、"));
                    match lang {
                        Lang::Zh => {
                            println!("已导入 {n} 件诉求 → {shown}（草稿）");
                            if !personal.is_empty() {
                                println!("含个人信息的列没有读取：{personal}");
                            }
                            if !ignored.is_empty() {
                                println!("没有导入的列：{ignored}");
                            }
                            println!("用 gongshi serve --drafts 预览；核对无误后删掉 draft: true 那一行，再用 gongshi publish 发布");
                        }
                        Lang::En => {
                            println!("imported {n} requests → {shown} (a draft)");
                            if !personal.is_empty() {
                                println!("columns of personal data, not read: {personal}");
                            }
                            if !ignored.is_empty() {
                                println!("columns left out: {ignored}");
                            }
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => fail_plain(&Failure::Content(d), lang),
            }
        }
        Command::New { what } => {
            let today = Date(chrono::Local::now().date_naive());
            let (root, made) = match what {
                NewWhat::Notice { id, title, root } => {
                    let r = gongshi::scaffold::new_notice(&root, id.as_deref(), title.as_deref(), today);
                    (root, r)
                }
                NewWhat::Vote { id, title, root } => {
                    let r = gongshi::scaffold::new_vote(&root, id.as_deref(), title.as_deref(), today);
                    (root, r)
                }
                NewWhat::Matter { id, title, root } => {
                    let r = gongshi::scaffold::new_matter(&root, id.as_deref(), title.as_deref(), today);
                    (root, r)
                }
                NewWhat::Donation { id, title, root } => {
                    let r = gongshi::scaffold::new_donation(&root, id.as_deref(), title.as_deref(), today);
                    (root, r)
                }
                NewWhat::Minutes { id, title, meeting, root } => {
                    let r = gongshi::scaffold::new_minutes(&root, id.as_deref(), title.as_deref(), meeting.as_deref(), today);
                    (root, r)
                }
                NewWhat::Page { id, title, root } => {
                    let r = gongshi::scaffold::new_page(&root, id.as_deref(), title.as_deref(), today);
                    (root, r)
                }
                NewWhat::Standards { id, title, root } => {
                    let r = gongshi::scaffold::new_standards(&root, id.as_deref(), title.as_deref(), today);
                    (root, r)
                }
                NewWhat::Requests { period, root } => {
                    let r = gongshi::scaffold::new_requests(&root, &period);
                    (root, r)
                }
                NewWhat::Ledger { fund, period, root } => {
                    let r = gongshi::scaffold::new_ledger(&root, &fund, &period);
                    (root, r)
                }
            };
            let lang = gongshi::site_lang(&root);
            match made {
                Ok(path) => {
                    let shown = gongshi::diagnostics::display_path(&path);
                    match lang {
                        Lang::Zh => println!("已创建草稿 {shown}：把写着（在这里……）的地方填好，用 gongshi serve --drafts 预览；写好后删掉 draft: true 那一行，再用 gongshi publish 发布"),
                        Lang::En => println!("created the draft {shown}: fill it in as its comments say and preview with gongshi serve --drafts; when ready, remove the draft line and run gongshi publish"),
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => fail_plain(&Failure::Usage(Diagnostics::from(d)), lang),
            }
        }
    }
}

/// The language of the command line: the site's in the current folder, else English when the
/// system locale is English, else Chinese.
fn cli_lang() -> Lang {
    if std::path::Path::new("content/site.yaml").is_file() {
        return gongshi::site_lang(std::path::Path::new("."));
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty())).unwrap_or_default();
    if locale.starts_with("en") {
        Lang::En
    } else {
        Lang::Zh
    }
}

/// `gongshi` with no command, as a double-click on Windows runs it: in a site folder, the
/// preview; elsewhere, how to start one.
fn double_clicked(lang: Lang) -> ExitCode {
    if std::path::Path::new("content/site.yaml").is_file() {
        let site = SiteArgs { root: PathBuf::from("."), output: None, base_url: None, drafts: false, as_of: None };
        let build = BuildOptions { preview: true, ..site.options() };
        // 8000 when it is free (an address that stays the same is easier to bookmark).
        let port = if std::net::TcpListener::bind("127.0.0.1:8000").is_ok() { 8000 } else { 0 };
        let opts = gongshi::serve::ServeOptions { build, bind: "127.0.0.1".into(), port };
        let ready = |addr: std::net::SocketAddr| {
            use std::io::Write;
            match lang {
                Lang::Zh => println!("小区网站预览已经开始。请在浏览器里打开：http://{addr}/\n修改 content/ 里的文件并保存，打开的网页会自动刷新。关闭这个窗口（或按 Ctrl+C）结束预览。预览不会发布任何内容；要发布请运行 gongshi publish。"),
                Lang::En => println!("The preview is running. Open http://{addr}/ in a browser.\nSave a file in content/ and open pages reload. Close this window (or press Ctrl+C) to stop. Previewing publishes nothing; to publish, run gongshi publish."),
            }
            let _ = std::io::stdout().flush();
        };
        return match gongshi::serve::serve(opts, lang, ready) {
            Ok(()) => ExitCode::SUCCESS,
            Err(f) => {
                let code = fail(&f, lang);
                wait_for_enter(lang);
                code
            }
        };
    }
    match lang {
        Lang::Zh => println!(
            "这里不是小区公示网站的文件夹（没有 content/site.yaml）。\n\
             新建一个小区：gongshi init 我的小区   （会问小区名称、网址、楼栋和物业电话）\n\
             先看看示例：  gongshi init --sample 示例小区\n\
             然后进入那个文件夹，再运行 gongshi，就能在浏览器里预览。所有命令：gongshi --help"
        ),
        Lang::En => println!(
            "This is not a community site folder (there is no content/site.yaml).\n\
             Start one:        gongshi init my-community   (asks for the name, address, buildings and phone)\n\
             Try the sample:   gongshi init --sample sample-community\n\
             Then run gongshi in that folder to preview it in a browser. Every command: gongshi --help"
        ),
    }
    wait_for_enter(lang);
    ExitCode::SUCCESS
}

/// Keeps a window opened by a double-click from closing before the message is read.
fn wait_for_enter(lang: Lang) {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        println!("{}", if lang == Lang::Zh { "按回车键关闭。" } else { "Press Enter to close." });
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
    }
}

/// Chinese for every command and option (the English is in the doc comments above).
const ZH_ABOUT: &[(&str, &str)] = &[
    ("gongshi", "公示：把小区的公告、账目、服务标准、诉求台账和表决结果做成手机能看的网站、可打印的公示单和公开数据"),
    ("init", "在空文件夹里新建一个小区（在终端里会询问小区名称、网址、楼栋和物业电话），附一条示例公告（草稿）；--sample 写入示例小区"),
    ("build", "生成网站到 public/（只是预览，不记录为发布；有任何错误就不写入）"),
    ("check", "检查全部内容，和 build 一样严格，但不写入任何文件"),
    ("publish", "发布：生成网站，并把这次公示的内容记进 content/publish.lock 和 content/history/；用 --to 同时复制到网站服务器的文件夹"),
    ("lock", "公示记录 publish.lock"),
    ("restore", "按已发布网站的 data/log.json 重建丢失或损坏的 content/publish.lock"),
    ("serve", "在本机预览：生成网站、打开本地网址，改了文件自动更新并刷新网页"),
    ("retire", "有意撤下一条已公示的内容；原网址会留下一页撤下说明"),
    ("verify", "核对一个已发布的网站（例如下载的副本）：公示记录的哈希链、每个页面的校验码、每个数据文件的哈希；--against 旧副本 检查历史没有被删改"),
    ("new", "按模板新建一条内容（草稿）"),
    ("notice", "新建公告：content/notices/编号.md"),
    ("vote", "新建表决结果：content/votes/编号.yaml"),
    ("matter", "新建事项（从提出到花钱的每一步、比价、资金来源、每户分摊）：content/matters/编号.yaml"),
    ("donation", "新建捐款公示（每一笔捐款和支出；个人不同意公开就显示匿名）：content/donations/编号.yaml"),
    ("minutes", "新建会议纪要（出席、签字、每项决定的票数）：content/minutes/编号.md；--meeting 写开会通知的编号"),
    ("ledger", "新建一期账目：content/accounts/账户/期间.yaml，期初余额接上一期"),
    ("page", "新建页面（规约、明白卡、关于）：content/pages/编号.md"),
    ("standards", "新建服务标准：content/standards/编号.yaml"),
    ("requests", "新建一期诉求台账：content/requests/期间.yaml"),
    ("import", "从表格导入（.xlsx、.xls、.ods，或 UTF-8、GBK 的 .csv）：账目或诉求台账，写成草稿，不覆盖已有文件"),
    ("gongshi import ledger", "从会计的表格导入一期账目：content/accounts/账户/期间.yaml（草稿），按表头认列，合计行核对后不导入"),
    ("gongshi import requests", "从物业的表格导入一期诉求台账：content/requests/期间.yaml（草稿）；姓名、电话、房号这类列不读取"),
];

const ZH_ARGS: &[(&str, &str)] = &[
    ("root", "网站文件夹（里面有 content/），默认是当前文件夹"),
    ("output", "输出文件夹，默认是 网站文件夹/public"),
    ("base_url", "网站地址，例如 https://hupan.example.cn（二维码指向这里）"),
    ("drafts", "把草稿也生成出来（只用于预览）"),
    ("as_of", "把“今天”当作这一天（年-月-日），用于核对和重现"),
    ("port", "端口（0 表示自动选一个空闲端口）"),
    ("bind", "监听的地址，默认只有本机能访问"),
    ("to", "同时把网站放进这个文件夹（例如网站服务器的文件夹），只替换 gongshi 放进去的文件；默认用 site.yaml 的 publish_to"),
    ("from", "从这个已发布的网站文件夹里读取 data/log.json（默认 网站文件夹/public）"),
    ("dir", "要新建网站的文件夹（默认当前文件夹）"),
    ("sample", "写入示例小区（湖畔花园），而不是新建一个"),
    ("name", "小区名称"),
    ("buildings", "楼栋：1-16，或者 1,2,5"),
    ("entrances", "每栋楼的单元：1-2，或者 1,2；没有单元就不写"),
    ("phone", "物业服务中心的公开电话"),
    ("target", "要撤下的内容：种类/编号，例如 n/water-cut-5、v/renew-property-2026、a/public-income/2026-Q3"),
    ("note", "撤下的原因（会显示在原网址上）"),
    ("id", "编号（文件名，用小写字母、数字和短横线），印在纸上的网址里，以后不能改"),
    ("title", "标题"),
    ("against", "同一个网站较早的副本：它的公示记录必须是现在这份的开头"),
    ("meeting", "开会通知的编号（content/notices/ 里的文件名，不带 .md）；不写就用最近一次会议"),
    ("fund", "账户代号（site.yaml 里 funds 的 id，例如 public-income）"),
    ("file", "表格文件（.xlsx、.xls、.ods 或 .csv）"),
    ("period", "期间：2026、2026-H1、2026-Q3 或 2026-07（诉求台账按月，如 2026-11）"),
];

/// The command line in `lang`: Chinese headings, usage, help and version flags and every
/// description for `Lang::Zh`; clap's own English otherwise.
fn localize(cmd: clap::Command, lang: Lang) -> clap::Command {
    if lang == Lang::En {
        return cmd.help_template("{about-with-newline}\nUsage: {usage}\n\n{all-args}{after-help}");
    }
    localize_zh(cmd, "gongshi")
}

fn localize_zh(cmd: clap::Command, path: &str) -> clap::Command {
    let name = cmd.get_name().to_string();
    // A command's own words (`gongshi import ledger`) before those of its name (`ledger`).
    let about = ZH_ABOUT.iter().find(|(n, _)| *n == path).or_else(|| ZH_ABOUT.iter().find(|(n, _)| *n == name)).map(|(_, a)| *a);
    let mut usage = path.to_string();
    for a in cmd.get_positionals() {
        let v = a.get_value_names().and_then(|v| v.first()).map(|v| v.to_string()).unwrap_or_else(|| a.get_id().to_string().to_uppercase());
        usage.push_str(&if a.is_required_set() { format!(" <{v}>") } else { format!(" [{v}]") });
    }
    if cmd.has_subcommands() {
        usage.push_str(" <命令>");
    }
    if cmd.get_opts().next().is_some() || cmd.get_arguments().any(|a| a.get_long().is_some()) {
        usage.push_str(" [选项]");
    }
    let mut cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .override_usage(usage)
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .mut_args(|a| {
            let id = a.get_id().to_string();
            let heading = if a.is_positional() { "参数" } else { "选项" };
            let a = a.help_heading(heading).hide_default_value(true);
            match ZH_ARGS.iter().find(|(n, _)| *n == id) {
                Some((_, h)) => a.help(*h),
                None => a,
            }
        })
        .arg(clap::Arg::new("help").short('h').long("help").action(clap::ArgAction::Help).help("显示帮助").help_heading("选项"));
    if let Some(about) = about {
        cmd = cmd.about(about);
    }
    if path == "gongshi" {
        cmd = cmd
            .disable_version_flag(true)
            .arg(
                clap::Arg::new("version").short('V').long("version").action(clap::ArgAction::Version).help("显示版本").help_heading("选项"),
            )
            .after_help("不带命令运行 gongshi：在小区网站的文件夹里就开始预览，否则说明怎样新建。");
    }
    let path = path.to_string();
    cmd.mut_subcommands(move |s| {
        let sub = format!("{path} {}", s.get_name());
        localize_zh(s, &sub)
    })
}

/// A mistake on the command line, in the user's language (clap's own words only in English),
/// with how to see the help; `--help` and `--version` print and succeed.
fn usage_error(e: &clap::Error, lang: Lang) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand) {
        let _ = e.print();
        return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand { ExitCode::from(2) } else { ExitCode::SUCCESS };
    }
    if lang == Lang::En {
        let _ = e.print();
        return ExitCode::from(2);
    }
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let invalid = ctx(ContextKind::InvalidArg);
    let value = ctx(ContextKind::InvalidValue);
    let suggested = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg, ContextKind::SuggestedValue]
        .into_iter()
        .map(ctx)
        .find(|s| !s.is_empty());
    let message = match e.kind() {
        ErrorKind::InvalidSubcommand => format!("没有 `{}` 这个命令", ctx(ContextKind::InvalidSubcommand)),
        ErrorKind::UnknownArgument => format!("不认识的选项 `{invalid}`"),
        ErrorKind::MissingRequiredArgument => format!("少了必须写的参数：{invalid}"),
        ErrorKind::MissingSubcommand => "少了要做什么的命令".to_string(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let detail = std::error::Error::source(e).map(|s| format!("（{s}）")).unwrap_or_default();
            format!("`{value}` 不能用作 {invalid}{detail}")
        }
        ErrorKind::TooManyValues | ErrorKind::ArgumentConflict => format!("多写了 `{value}{invalid}`"),
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!("{invalid} 后面要写一个值"),
        _ => "命令写得不对".to_string(),
    };
    eprintln!("错误：{message}");
    if let Some(s) = suggested {
        eprintln!(" = 提示：是不是想写 `{s}`？");
    }
    eprintln!(" = 查看用法：gongshi --help（某个命令的用法：gongshi build --help）");
    ExitCode::from(2)
}

/// Asks in the terminal for what `init` was not given.
fn ask(c: &mut gongshi::scaffold::Community) {
    let read = |prompt: &str| -> Option<String> {
        use std::io::Write;
        print!("{prompt}");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).ok()?;
        Some(line.trim().to_string()).filter(|l| !l.is_empty())
    };
    println!("新建一个小区的公示网站。每一项都可以先空着（直接回车），以后在 content/site.yaml 里再填。");
    if c.name.is_none() {
        c.name = read("小区名称（例如 湖畔花园）：");
    }
    if c.base_url.is_none() {
        c.base_url = read("网站地址（二维码会指向这里，例如 https://hupan.example.cn）：");
    }
    if c.buildings.is_none() {
        c.buildings = read("有哪些楼栋（例如 1-16，或 1,2,5）：");
    }
    if c.entrances.is_none() {
        c.entrances = read("每栋楼有哪些单元（例如 1-2；没有单元直接回车）：");
    }
    if c.phone.is_none() {
        c.phone = read("物业服务中心电话（公开的办公电话）：");
    }
}

/// Asks a yes/no question in the terminal; only `y` or `yes` (or 是) is yes.
fn confirm(question: &str) -> bool {
    use std::io::Write;
    print!("{question}");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).is_ok() && matches!(line.trim().to_lowercase().as_str(), "y" | "yes" | "是")
}

/// Prints `f` for a command that does not build (init, new): no word about the output folder.
fn fail_plain(f: &Failure, lang: Lang) -> ExitCode {
    for d in &f.diagnostics().items {
        eprintln!("{}", d.render(lang));
    }
    ExitCode::from(f.exit_code() as u8)
}

/// Prints `f`; its last line says `public/` was left as it was.
fn fail(f: &Failure, lang: Lang) -> ExitCode {
    fail_in(f, lang, "public/")
}

/// Prints `f`, ending with the output folder `folder` (as messages name it) left as it was.
fn fail_in(f: &Failure, lang: Lang, folder: &str) -> ExitCode {
    eprint!("{}", f.diagnostics().render_for(lang, folder));
    ExitCode::from(f.exit_code() as u8)
}
