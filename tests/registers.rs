//! Donation registers (§1.9) and meetings with their minutes (§1.10), end to end: on a small
//! site of their own (a private donor whose name must never be published, a committee
//! meeting and its minutes) and on the sample community.

mod common;
use common::*;
use std::fs;
use std::path::{Path, PathBuf};

fn fen(s: &str) -> i64 {
    let (y, f) = s.split_once('.').unwrap();
    y.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap()
}

/// The fixture `valid/donation-and-minutes`, built.
fn small_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let site = repo().join("tests/fixtures/valid/donation-and-minutes");
    let o = gongshi(&site, &["build", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (tmp, out)
}

fn every_file(out: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn a_private_donor_is_never_published_anywhere() {
    let (_tmp, out) = small_site();
    let source = fs::read_to_string(repo().join("tests/fixtures/valid/donation-and-minutes/content/donations/garden.yaml")).unwrap();
    assert!(source.contains("donor: 刘美华, amount: 2000}"), "the fixture keeps its private donor");
    for (path, bytes) in every_file(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("刘美华"), "{} publishes a private donor's name", path.display());
    }
    let html = page(&out, "d/garden/index.html");
    let gifts = html.split("class=\"lines gifts\"").nth(1).unwrap().split("</table>").next().unwrap();
    assert!(gifts.contains("测试党支部") && gifts.contains("高建国"), "organisations and consenting donors are named");
    assert_eq!(gifts.matches(">匿名<").count(), 2, "the private donor and the nameless gift show as 匿名");
}

#[test]
fn a_register_leads_with_raised_spent_and_balance_and_its_data_add_up() {
    let (_tmp, out) = small_site();
    let html = page(&out, "d/garden/index.html");
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("no `{s}`"));
    assert!(html.contains("已收到 4 笔捐款共 ¥17,300.00，达到目标 ¥50,000.00 的 34.6%；已用 ¥12,000.00，结余 ¥5,300.00。"));
    assert!(at("class=\"status") < at("每一笔捐款") && at("每一笔捐款") < at("钱花在了哪里"), "totals first, then gifts, then spending");
    assert!(html.contains("style=\"width:34%\""), "the progress bar");
    assert!(html.contains("class=\"qrbox print-only\"") && html.contains("https://test.example.cn/d/garden/"), "it prints as its sheet");

    let json: serde_json::Value = serde_json::from_str(&page(&out, "data/donations/garden.json")).unwrap();
    let gifts = json["gifts"].as_array().unwrap();
    let raised: i64 = gifts.iter().map(|g| fen(g["amount"].as_str().unwrap())).sum();
    assert_eq!(raised, fen(json["raised"].as_str().unwrap()));
    let spent: i64 = json["spending"].as_array().unwrap().iter().map(|s| fen(s["amount"].as_str().unwrap())).sum();
    assert_eq!(spent, fen(json["spent"].as_str().unwrap()));
    assert_eq!(raised - spent, fen(json["balance"].as_str().unwrap()));
    assert_eq!((json["raised"].as_str(), json["balance"].as_str()), (Some("17300.00"), Some("5300.00")));
    let anonymous: Vec<_> = gifts.iter().filter(|g| g["anonymous"] == true).collect();
    assert_eq!(anonymous.len(), 2);
    assert!(anonymous.iter().all(|g| g["donor"].is_null()), "no name behind 匿名 in the data");

    // The CSV: one row per gift, one per spending line, for Excel.
    let csv = page(&out, "data/donations/garden.csv");
    assert!(csv.starts_with("\u{feff}register,kind,date,donor,organisation,amount,counterparty,voucher,note\r\n"));
    let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.iter().filter(|r| r[1] == "gift").count(), 4);
    assert_eq!(rows.iter().filter(|r| r[1] == "spending").count(), 1);
    let csv_raised: i64 = rows.iter().filter(|r| r[1] == "gift").map(|r| fen(r[5])).sum();
    assert_eq!(csv_raised, raised);

    let home = page(&out, "index.html");
    assert!(home.contains("href=\"d/garden/\""), "the home page lists the register");
    let manifest = page(&out, "data/manifest.json");
    assert!(manifest.contains("\"kind\": \"donation\"") && manifest.contains("\"kind\": \"minutes\""), "{manifest}");
}

#[test]
fn a_meeting_notice_and_its_minutes_link_both_ways() {
    let (_tmp, out) = small_site();
    let notice = page(&out, "n/meeting-11/index.html");
    let meeting = notice.split("<section class=\"meeting\">").nth(1).expect("the meeting").split("</section>").next().unwrap();
    for must in ["业主委员会会议", "2026年11月14日 19:00", "会所二楼", "审议公共收益使用", "href=\"../../k/meeting-11/\""]
    {
        assert!(meeting.contains(must), "the notice's meeting lacks `{must}`: {meeting}");
    }
    let minutes = page(&out, "k/meeting-11/index.html");
    assert!(minutes.contains("href=\"../../n/meeting-11/\""), "the minutes link their meeting's notice");
    assert!(minutes.contains("5 人") && minutes.contains("王建华、李秀英、陈志明"));
    let table = minutes.split("<section class=\"decisions\">").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(table.contains("同意花园二期施工") && table.contains(">3</td>") && table.contains(">1</td>"), "{table}");
    assert!(minutes.contains("class=\"qrbox print-only\"") && minutes.contains("https://test.example.cn/k/meeting-11/"));
    assert!(page(&out, "index.html").contains("href=\"k/meeting-11/\""), "the home page lists recent minutes");
}

#[test]
fn the_sample_community_has_a_register_a_meeting_and_its_minutes() {
    let (_tmp, out) = sample_site();
    let json: serde_json::Value = serde_json::from_str(&page(&out, "data/donations/garden-2026.json")).unwrap();
    let raised: i64 = json["gifts"].as_array().unwrap().iter().map(|g| fen(g["amount"].as_str().unwrap())).sum();
    assert_eq!(raised, fen(json["raised"].as_str().unwrap()));
    assert!(fen(json["balance"].as_str().unwrap()) >= 0);
    assert!(!page(&out, "d/garden-2026/index.html").contains("刘美华"), "the sample's private donor stays 匿名");
    let notice = page(&out, "n/committee-meeting-2026-11/index.html");
    assert!(notice.contains("href=\"../../k/committee-2026-11/\""));
    let assembly = page(&out, "n/owners-meeting/index.html");
    assert!(assembly.contains("业主大会会议") && assembly.contains("2026年12月13日 14:00"));
}

#[test]
fn new_donation_and_minutes_write_drafts_that_build_and_are_never_published_unfilled() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures/valid/donation-and-minutes"), &site);
    let o = gongshi(&site, &["new", "donation", "court", "--title", "篮球场众筹"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The meeting has its minutes already: a second set is refused before it is written.
    let o = gongshi(&site, &["new", "minutes", "meeting-11-extra", "--meeting", "meeting-11"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("会议 `meeting-11` 已经有纪要：content/minutes/meeting-11.md"));
    assert!(!site.join("content/minutes/meeting-11-extra.md").exists());
    fs::remove_file(site.join("content/minutes/meeting-11.md")).unwrap();
    let o = gongshi(&site, &["new", "minutes", "meeting-11-extra"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let minutes = fs::read_to_string(site.join("content/minutes/meeting-11-extra.md")).unwrap();
    assert!(minutes.contains("title: 业委会11月例会纪要") && minutes.contains("meeting: meeting-11"), "the latest meeting: {minutes}");
    assert!(minutes.contains("对“审议公共收益使用”的决定"), "one decision per agenda item");
    let out = tmp.path().join("out");
    let o = gongshi(&site, &["build", "--drafts", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "the drafts are valid: {}", String::from_utf8_lossy(&o.stderr));
    assert!(page(&out, "d/court/index.html").contains("篮球场众筹"));
    // Made public unfilled, they are refused, each placeholder at its line.
    for f in ["content/donations/court.yaml", "content/minutes/meeting-11-extra.md"] {
        let p = site.join(f);
        fs::write(&p, fs::read_to_string(&p).unwrap().replace("draft: true", "draft: false")).unwrap();
    }
    let o = gongshi(&site, &["check", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("content/donations/court.yaml:7:10：这一项还没有填写：钱用来做什么"), "{err}");
    assert!(err.contains("content/donations/court.yaml:11:31：这一项还没有填写：捐款单位"), "{err}");
    assert!(err.contains("content/minutes/meeting-11-extra.md:8:13：这一项还没有填写：签字委员的姓名"), "{err}");
    // Without a meeting notice there is nothing to take minutes of.
    let bare = tmp.path().join("bare");
    copy_dir(&repo().join("tests/fixtures/valid/minimal"), &bare);
    let o = gongshi(&bare, &["new", "minutes"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("还没有开会通知"), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_private_donor_named_in_another_file_or_with_a_space_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures/valid/donation-and-minutes"), &site);
    let register = site.join("content/donations/garden.yaml");
    let text = fs::read_to_string(&register).unwrap();
    fs::write(&register, text.replace("note: 花园施工", "note: 花园施工，刘 美华垫付")).unwrap();
    fs::write(
        site.join("content/notices/thanks.md"),
        "---\ntitle: 感谢信\ndate: 2026-09-20\nissuer: committee\n---\n感谢刘美华等业主为花园捐款。\n",
    )
    .unwrap();
    let o = gongshi(&site, &["check", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("content/donations/garden.yaml:11:93：捐款人「刘美华」没有同意公开姓名（第 8 行没有 public: true）"), "{err}");
    assert!(
        err.contains("content/notices/thanks.md:6:3：捐款人「刘美华」没有同意公开姓名（content/donations/garden.yaml 第 8 行）"),
        "{err}"
    );
    assert!(err.contains("共 2 处错误"), "{err}");
}

#[test]
fn a_private_donors_name_is_not_in_the_code_the_log_or_the_history() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures/valid/donation-and-minutes"), &site);
    let out = tmp.path().join("out");
    let o = gongshi(&site, &["publish", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let code = |out: &Path| {
        let html = page(out, "d/garden/index.html");
        html.split("<code class=\"code\">").nth(1).unwrap().split('<').next().unwrap().to_string()
    };
    let first = code(&out);
    for f in ["content/publish.lock", "content/history/donation/garden/v1.yaml"] {
        let kept = fs::read_to_string(site.join(f)).unwrap();
        assert!(!kept.contains("刘美华"), "{f} keeps a private donor's name");
    }
    assert!(fs::read_to_string(site.join("content/history/donation/garden/v1.yaml")).unwrap().contains("donor: 匿名, amount: 2000"));
    // Another private name gives the same code: the code cannot test a guess at the donor.
    let register = site.join("content/donations/garden.yaml");
    fs::write(&register, fs::read_to_string(&register).unwrap().replace("刘美华", "王芳")).unwrap();
    let out2 = tmp.path().join("out2");
    let o = gongshi(&site, &["build", "--as-of", AS_OF, "--output", out2.to_str().unwrap()]);
    assert!(o.status.success(), "a private name is not a published change: {}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(code(&out2), first);
}
