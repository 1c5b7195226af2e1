//! The accounts of the sample community: the page, the JSON, the CSV and the YAML agree to
//! the fen. The test recounts the YAML on its own, in integer fen from the written text.

mod common;
use common::*;
use std::fs;

/// `18650.5` / `"¥1,000.50"` → fen, by string handling only (independent of gongshi's parser).
fn fen(v: &serde_yaml::Value) -> i64 {
    let s = match v {
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).unwrap().trim().to_string(),
    };
    let s: String = s.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    let (i, f) = s.split_once('.').unwrap_or((&s, ""));
    i.parse::<i64>().unwrap_or(0) * 100 + format!("{f:0<2}").parse::<i64>().unwrap()
}

fn yuan(f: i64) -> String {
    let int = (f / 100).to_string();
    let mut g = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            g.push(',');
        }
        g.push(c);
    }
    format!("¥{g}.{:02}", f % 100)
}

#[test]
fn page_json_csv_and_yaml_agree_to_the_fen() {
    let (_tmp, out) = sample_site();
    let all_csv = fs::read_to_string(out.join("data/accounts.csv")).unwrap();
    assert!(all_csv.starts_with('\u{feff}'), "CSV needs a BOM for Excel");
    let mut all_csv_sum = 0i64;
    for line in all_csv.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        all_csv_sum += fen(&serde_yaml::Value::String(cols[5].into())) * if cols[2] == "income" { 1 } else { -1 };
    }
    let mut checked = 0;
    let mut net = 0i64;
    for fund in ["public-income", "maintenance"] {
        let mut prev_closing: Option<i64> = None;
        let mut files: Vec<_> = fs::read_dir(repo().join("content/accounts").join(fund)).unwrap().map(|e| e.unwrap().path()).collect();
        // In calendar order: 2026-Q3 before 2026-10 (file names sort the other way).
        let start = |p: &std::path::PathBuf| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let (year, part) = stem.split_once('-').unwrap_or((&stem, "01"));
            let month = match part.as_bytes()[0] {
                b'Q' => (part[1..].parse::<u32>().unwrap() - 1) * 3 + 1,
                b'H' => (part[1..].parse::<u32>().unwrap() - 1) * 6 + 1,
                _ => part.parse().unwrap(),
            };
            (year.to_string(), month)
        };
        files.sort_by_key(start);
        assert!(files.len() >= 4, "{fund}: four quarters at least");
        for path in files {
            let period = path.file_stem().unwrap().to_string_lossy().into_owned();
            let y: serde_yaml::Value = serde_yaml::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
            let sum = |k: &str| y[k].as_sequence().map(|s| s.iter().map(|l| fen(&l["amount"])).sum::<i64>()).unwrap_or(0);
            let (open, inc, exp) = (fen(&y["opening_balance"]), sum("income"), sum("expense"));
            let close = open + inc - exp;
            net += inc - exp;
            if let Some(p) = prev_closing {
                assert_eq!(p, open, "{fund}/{period} chains");
            }
            prev_closing = Some(close);
            if !y["closing_balance"].is_null() {
                assert_eq!(fen(&y["closing_balance"]), close);
            }
            let json: serde_json::Value =
                serde_json::from_str(&fs::read_to_string(out.join(format!("data/accounts/{fund}/{period}.json"))).unwrap()).unwrap();
            let plain = |f: i64| format!("{}.{:02}", f / 100, f % 100);
            assert_eq!(json["opening_balance"], plain(open));
            assert_eq!(json["income_total"], plain(inc));
            assert_eq!(json["expense_total"], plain(exp));
            assert_eq!(json["closing_balance"], plain(close));
            let by_cat: i64 = json["by_category"]["expense"]
                .as_object()
                .unwrap()
                .values()
                .map(|v| fen(&serde_yaml::Value::String(v.as_str().unwrap().into())))
                .sum();
            assert_eq!(by_cat, exp);
            let csv = fs::read_to_string(out.join(format!("data/accounts/{fund}/{period}.csv"))).unwrap();
            let csv_inc: i64 = csv
                .lines()
                .filter(|l| l.split(',').nth(2) == Some("income"))
                .map(|l| fen(&serde_yaml::Value::String(l.split(',').nth(5).unwrap().into())))
                .sum();
            assert_eq!(csv_inc, inc);
            let html = page(&out, &format!("a/{fund}/{period}/index.html"));
            for want in [yuan(open), yuan(inc), yuan(exp), yuan(close)] {
                assert!(html.contains(&want), "{fund}/{period} page lacks {want}");
            }
            checked += 1;
        }
        let fund_page = page(&out, &format!("a/{fund}/index.html"));
        assert!(fund_page.contains("<div class=\"bars\">") && fund_page.contains("class=\"bar-row\""));
        assert!(page(&out, "index.html").contains(&yuan(prev_closing.unwrap())), "home shows {fund}'s latest balance");
        assert!(page(&out, "b/5-1/index.html").contains(&yuan(prev_closing.unwrap())), "entrance pages too");
    }
    assert!(checked >= 8);
    assert_eq!(all_csv_sum, net, "accounts.csv holds every line of every statement");
    // Budget against actual, attachments linked, and 大写 on the statement.
    let q3 = page(&out, "a/public-income/2026-Q3/index.html");
    assert!(q3.contains("¥10,000.00") && q3.contains("与预算对比"));
    let q3_json: serde_json::Value = serde_json::from_str(&page(&out, "data/accounts/public-income/2026-Q3.json")).unwrap();
    let closing = gongshi::money::Fen::parse(q3_json["closing_balance"].as_str().unwrap()).unwrap();
    assert!(q3.contains(&closing.daxie()), "the closing balance in 大写 is on the statement");
    // Who issued it by name, when it was approved and what it says, as on the page.
    assert_eq!(q3_json["issuer"], "湖畔花园业主委员会");
    assert_eq!(q3_json["issuer_key"], "committee");
    assert_eq!(q3_json["approved"], "2026-09-28 业委会第12次会议审议");
    assert!(q3_json["summary"].as_str().is_some_and(|s| s.starts_with("本季度收入主要来自")));
    let m = page(&out, "a/maintenance/2025-Q4/index.html");
    assert!(m.contains("href=\"../../../static/vouchers/m-2511-001.png\""));
    assert!(out.join("static/vouchers/m-2511-001.png").is_file());
}

#[test]
fn a_ledger_with_quoted_and_grouped_amounts_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = gongshi(&repo().join("tests/fixtures/valid/accounts"), &["build", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json = page(&out, "data/accounts/public-income/2026-Q4.json");
    assert!(json.contains("\"income_total\": \"1000.50\""), "{json}");
    assert!(json.contains("\"closing_balance\": \"17450.50\""));
}

/// A statement says when it was published and who approved it, or that nobody is named: a
/// resident reading the sheet on the board can tell a checked account from an unchecked one.
#[test]
fn a_statement_gives_its_publication_day_and_its_approval() {
    let (_tmp, out) = sample_site();
    let approved = page(&out, "a/public-income/2026-10/index.html");
    assert!(approved.contains("<dt>公布日期</dt><dd><span class=\"date\">"), "{approved}");
    assert!(approved.contains("<dt>审议</dt><dd>2026-11-06 业委会第13次会议审议</dd>"), "{approved}");
    let unapproved = page(&out, "a/maintenance/2026-Q3/index.html");
    assert!(unapproved.contains("<dt>审议</dt><dd>未写明</dd>"), "{unapproved}");
    // The way back names the period as people say it, not by its file name.
    assert!(unapproved.contains("专项维修资金</a> · 2026年第三季度</p>"), "{unapproved}");
}

/// A ledger longer than any period's account (a pasted log, a bomb) is refused by its count,
/// in plain words, before its lines are checked or rendered: a build's memory stays bounded.
#[test]
fn a_ledger_of_more_lines_than_a_period_can_hold_is_refused_with_its_count() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_dir(&repo().join("tests/fixtures/valid/accounts"), &site);
    let ledger = site.join("content/accounts/public-income/2026-Q4.yaml");
    let mut text = String::from("issuer: committee\nopening_balance: 0\nincome:\n");
    for i in 0..5001 {
        text.push_str(&format!("  - {{date: 2026-10-03, category: 停车费, amount: 1.00, voucher: 记-{i:05}}}\n"));
    }
    text.push_str("expense: []\nclosing_balance: 5001.00\n");
    std::fs::write(&ledger, text).unwrap();
    let o = gongshi(&site, &["build", "--as-of", AS_OF]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(stderr.contains("这一期账目有 5001 笔，一期最多 5000 笔"), "{stderr}");
    assert!(stderr.contains("按月分成几期"), "{stderr}");
    assert_eq!(stderr.matches("错误：").count(), 1, "one message, not one per line: {stderr}");
    assert!(!site.join("public").exists());
}
