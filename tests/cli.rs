//! The command line as a secretary meets it: Chinese help, usage errors and guidance by
//! default (clap's own words included), English where the system is English, and `gongshi` on
//! its own — what a double-click runs — saying what to do.

mod common;
use common::*;
use std::process::Command;

fn run(dir: &std::path::Path, args: &[&str], lang: &str) -> (Option<i32>, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_gongshi"))
        .current_dir(dir)
        .args(args)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn help_and_mistakes_are_in_chinese_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, out, _) = run(tmp.path(), &["--help"], "zh_CN.UTF-8");
    assert_eq!(code, Some(0));
    assert!(out.contains("用法：gongshi") && out.contains("命令") && out.contains("publish  发布") && out.contains("显示帮助"), "{out}");
    assert!(!out.contains("Usage") && !out.contains("Print help") && !out.contains("Options"), "{out}");
    let (code, out, _) = run(tmp.path(), &["build", "--help"], "zh_CN.UTF-8");
    assert_eq!(code, Some(0));
    assert!(
        out.contains("用法：gongshi build [选项]") && out.contains("网站文件夹（里面有 content/）") && !out.contains("[default"),
        "{out}"
    );
    // Usage errors: exit 2, Chinese, with the right word suggested.
    let (code, _, err) = run(tmp.path(), &["biuld"], "zh_CN.UTF-8");
    assert_eq!(code, Some(2));
    assert!(err.contains("错误：没有 `biuld` 这个命令") && err.contains("是不是想写 `build`") && !err.contains("error:"), "{err}");
    let (code, _, err) = run(tmp.path(), &["build", "--as-of", "2026-02-30"], "zh_CN.UTF-8");
    assert_eq!(code, Some(2));
    assert!(err.contains("`2026-02-30` 不能用作 --as-of") && err.contains("不是日期"), "{err}");
    let (code, _, err) = run(tmp.path(), &["retire"], "");
    assert_eq!(code, Some(2));
    assert!(err.contains("少了必须写的参数"), "{err}");
}

#[test]
fn english_systems_get_english() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, out, _) = run(tmp.path(), &["--help"], "en_US.UTF-8");
    assert_eq!(code, Some(0));
    assert!(out.contains("Usage: gongshi") && out.contains("Commands"), "{out}");
    let (code, _, err) = run(tmp.path(), &["biuld"], "en_US.UTF-8");
    assert_eq!(code, Some(2));
    assert!(err.contains("unrecognized subcommand 'biuld'"), "{err}");
}

#[test]
fn gongshi_alone_outside_a_site_says_how_to_start() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, out, _) = run(tmp.path(), &[], "zh_CN.UTF-8");
    assert_eq!(code, Some(0));
    assert!(
        out.contains("这里不是小区公示网站的文件夹") && out.contains("gongshi init 我的小区") && out.contains("gongshi init --sample"),
        "{out}"
    );
}

#[test]
fn gongshi_alone_in_a_site_folder_starts_the_preview_and_says_where_to_open_it() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &tmp.path().join("content"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongshi"))
        .current_dir(tmp.path())
        .env("LANG", "zh_CN.UTF-8")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("小区网站预览已经开始。请在浏览器里打开：http://127.0.0.1:"), "{line}");
}

/// Runs `gongshi ARGS` in `dir` with a terminal for standard input (through util-linux's
/// `script`), typing `input`.
fn in_terminal(dir: &std::path::Path, args: &str, input: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("script")
        .args(["-qec", &format!("{} {args}", env!("CARGO_BIN_EXE_gongshi")), "/dev/null"])
        .current_dir(dir)
        .env("LANG", "zh_CN.UTF-8")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux script");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    String::from_utf8_lossy(&child.wait_with_output().unwrap().stdout).into_owned()
}

#[test]
fn init_asks_in_a_terminal_and_retire_asks_for_confirmation() {
    let tmp = tempfile::tempdir().unwrap();
    let out = in_terminal(tmp.path(), "init site", "锦绣苑\nhttps://jxy.example.cn\n1-3\n1-2\n021-5555 0000\n");
    assert!(out.contains("小区名称") && out.contains("有哪些楼栋"), "{out}");
    let site = std::fs::read_to_string(tmp.path().join("site/content/site.yaml")).unwrap();
    assert!(site.contains("name: 锦绣苑") && site.contains("entrances: [\"1\", \"2\"]") && site.contains("021-5555 0000"), "{site}");
    let (code, _, err) = run(&tmp.path().join("site"), &["build"], "zh_CN.UTF-8");
    assert_eq!(code, Some(0), "{err}");

    // Retiring asks first; anything but y leaves it published.
    let sample = tmp.path().join("sample");
    copy_dir(&repo().join("content"), &sample.join("content"));
    let lock = std::fs::read(sample.join("content/publish.lock")).unwrap();
    let out = in_terminal(&sample, "retire n/water-cut-5 --note 重复", "n\n");
    assert!(out.contains("确认撤下吗") && out.contains("没有撤下任何内容"), "{out}");
    assert_eq!(std::fs::read(sample.join("content/publish.lock")).unwrap(), lock);
    let out = in_terminal(&sample, "retire n/water-cut-5 --note 重复", "y\n");
    assert!(out.contains("已撤下 n/water-cut-5"), "{out}");
    assert_ne!(std::fs::read(sample.join("content/publish.lock")).unwrap(), lock);
}
