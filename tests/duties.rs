//! Disclosure duties (公开目录, §8): each duty's state as of `--as-of`, on `/gongkai/`, on the
//! home page and as a warning; the sample community has one duty overdue.

mod common;
use common::*;

fn gongkai_at(day: &str) -> (String, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = gongshi(&repo(), &["build", "--as-of", day, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (page(&out, "gongkai/index.html"), page(&out, "index.html"), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// The state cell of the row of duty `name`.
fn state_of<'a>(html: &'a str, name: &str) -> &'a str {
    let row = html.split("<tr").find(|r| r.contains(&format!("<strong>{name}</strong>"))).unwrap_or_else(|| panic!("no row {name}"));
    row.rsplit("<strong>").next().unwrap().split("</strong>").next().unwrap()
}

#[test]
fn the_sample_has_one_duty_overdue_and_says_so_everywhere() {
    let (html, home, stderr) = gongkai_at(AS_OF);
    assert!(html.contains("8 项公开义务：7 项按时公示，1 项逾期"), "{html}");
    assert_eq!(state_of(&html, "业主委员会工作经费的收支"), "逾期 234 天（应在 2026-03-31 前）");
    assert_eq!(state_of(&html, "物业服务合同"), "按时公示");
    assert_eq!(state_of(&html, "共有部分经营收益（公共收益）的收支"), "按时公示");
    assert!(html.contains("《业主大会和业主委员会指导规则》第三十五条") && html.contains("《民法典》第九百四十三条"), "each rule named");
    assert!(html.contains("href=\"../p/property-contract/\""), "the latest publication is linked");
    assert!(html.contains("class=\"qrbox print-only\""), "it prints as its sheet");
    assert!(home.contains("href=\"gongkai/\">公开目录</a>：8 项公开义务：7 项按时公示，1 项逾期"), "the home page says it");
    assert!(
        stderr.contains("警告：content/site.yaml：公开目录：1 项应当公开的内容逾期或从未公示：业主委员会工作经费的收支（逾期 234 天）"),
        "{stderr}"
    );
}

#[test]
fn a_quarterly_duty_is_due_soon_within_its_days_and_overdue_after() {
    // The public-income ledgers end with October: the fourth quarter ends 2026-12-31 and is
    // due 30 days later.
    let (html, _, _) = gongkai_at("2027-01-15");
    assert_eq!(state_of(&html, "共有部分经营收益（公共收益）的收支"), "2027-01-30 前要公示");
    let (html, _, stderr) = gongkai_at("2027-02-05");
    assert_eq!(state_of(&html, "共有部分经营收益（公共收益）的收支"), "逾期 6 天（应在 2027-01-30 前）");
    assert!(stderr.contains("共有部分经营收益（公共收益）的收支（逾期 6 天）"), "{stderr}");
}

#[test]
fn site_yaml_replaces_the_list() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let site = repo().join("tests/fixtures/warnings/duties-custom");
    let o = gongshi(&site, &["build", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    assert!(o.status.success());
    let html = page(&out, "gongkai/index.html");
    assert!(html.contains("2 项公开义务：1 项按时公示，1 项逾期"), "{html}");
    assert!(html.contains("本小区管理规约第二十条") && !html.contains("物业服务合同"));
    assert_eq!(state_of(&html, "管理规约"), "按时公示");
}
