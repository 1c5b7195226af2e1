//! The `gongshi` command: parses arguments, calls the library, prints diagnostics, exits
//! 0 (success), 1 (content errors) or 2 (usage errors).

use clap::{Args, Parser, Subcommand};
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
    command: Command,
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
    /// Write a correctly-filled template.
    New {
        #[command(subcommand)]
        what: NewWhat,
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
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD) / 不是日期（年-月-日）"))
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
    let cli = Cli::parse();
    match cli.command {
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
                    println!("下一步：打开 content/site.yaml 把（在这里……）的地方填好，然后在 {shown} 里运行 gongshi 预览。写好的内容用 gongshi publish 发布。");
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
            match gongshi::publish(&opts, to.as_deref()) {
                Ok(p) => {
                    eprint!("{}", p.report.warnings.render(lang));
                    let out = gongshi::diagnostics::display_path(&opts.output_dir());
                    let copies = p.copied_to.iter().map(|d| gongshi::diagnostics::display_path(d)).collect::<Vec<_>>().join("、");
                    match (lang, p.entry) {
                        (Lang::Zh, Some((seq, n))) => println!(
                            "已发布：公示记录第 {seq} 号，{n} 条内容新增或更新 → {out}{}",
                            if copies.is_empty() { String::new() } else { format!("，并复制到 {copies}") }
                        ),
                        (Lang::Zh, None) => println!(
                            "没有新的内容要公示：公示记录不变 → {out}{}",
                            if copies.is_empty() { String::new() } else { format!("，并复制到 {copies}") }
                        ),
                        (Lang::En, Some((seq, n))) => println!(
                            "published: log entry {seq}, {n} items added or updated → {out}{}",
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
                Err(f) => fail_in(&f, lang, "public/"),
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
                        Lang::Zh => println!("已创建 {shown}：按文件里的说明填写，然后运行 gongshi check"),
                        Lang::En => println!("created {shown}: fill it in as its comments say, then run gongshi check"),
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => fail_plain(&Failure::Usage(Diagnostics::from(d)), lang),
            }
        }
    }
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
