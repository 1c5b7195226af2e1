//! `gongshi import ledger` (§4): a treasurer's sheet — an `.xlsx` written as a spreadsheet
//! program writes it, a UTF-8 CSV with BOM, a GBK CSV from Excel on Chinese Windows — becomes a
//! draft ledger whose totals are the sheet's to the fen and which builds; a bad cell is named
//! by its row and column; nothing is ever overwritten.

mod common;
use common::*;
use std::fs;
use std::path::{Path, PathBuf};

fn site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo().join("content"), &root.join("content"));
    (tmp, root)
}

fn import(root: &Path, period: &str, file: &Path) -> (bool, String) {
    let o = gongshi(root, &["import", "ledger", "public-income", period, file.to_str().unwrap()]);
    (o.status.success(), format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
}

#[test]
fn an_xlsx_sheet_is_imported_with_its_totals_to_the_fen_and_builds() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let (tmp, root) = site();
    let xlsx = tmp.path().join("公共收益2026年11月.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("11月").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_string(0, 0, "湖畔花园公共收益 2026年11月").unwrap();
    for (c, h) in ["凭证号", "日期", "科目", "摘要", "对方单位", "收入（元）", "支出（元）", "经手人"].iter().enumerate()
    {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    // Voucher, day, category, note, counterparty, income, expense: a spreadsheet keeps its
    // numbers as doubles, which is what the importer must turn back into exact fen.
    let lines: [SheetLine<'_>; 4] = [
        ("公-2611-001", 5, "停车费", "11月临时停车收入", "临时停车收费", Some(18234.6), None),
        ("公-2611-002", 10, "广告费", "11月电梯轿厢广告", "某某传媒有限公司", Some(4500.0), None),
        ("公-2611-003", 18, "维修", "3号楼单元门禁更换，含人工", "某某电器维修部", None, Some(2380.15)),
        ("公-2611-004", 25, "保洁", "垃圾分类桶更换", "某某环卫用品公司", None, Some(960.05)),
    ];
    for (i, (v, day, cat, note, who, inc, exp)) in lines.iter().enumerate() {
        let r = i as u32 + 2;
        sheet.write_string(r, 0, *v).unwrap();
        sheet.write_datetime_with_format(r, 1, ExcelDateTime::from_ymd(2026, 11, *day).unwrap(), &date).unwrap();
        sheet.write_string(r, 2, *cat).unwrap();
        sheet.write_string(r, 3, *note).unwrap();
        sheet.write_string(r, 4, *who).unwrap();
        if let Some(x) = inc {
            sheet.write_number(r, 5, *x).unwrap();
        }
        if let Some(x) = exp {
            sheet.write_number(r, 6, *x).unwrap();
        }
        sheet.write_string(r, 7, "王会计").unwrap();
    }
    sheet.write_string(6, 0, "合计").unwrap();
    sheet.write_number(6, 5, 18234.6 + 4500.0).unwrap();
    sheet.write_number(6, 6, 2380.15 + 960.05).unwrap();
    book.save(&xlsx).unwrap();

    let (ok, said) = import(&root, "2026-11", &xlsx);
    assert!(ok, "{said}");
    assert!(said.contains("已导入 2 笔收入、2 笔支出") && said.contains("合计行（2 个合计）") && said.contains("经手人"), "{said}");
    let yaml = fs::read_to_string(root.join("content/accounts/public-income/2026-11.yaml")).unwrap();
    assert!(yaml.contains("draft: true") && yaml.contains("工作表「11月」"), "{yaml}");
    assert!(yaml.contains("{date: 2026-11-05, category: 停车费, amount: 18234.60, counterparty: 临时停车收费, voucher: 公-2611-001, note: 11月临时停车收入}   # 第 3 行"), "{yaml}");
    assert!(yaml.contains("amount: 2380.15") && yaml.contains("amount: 960.05"), "{yaml}");
    // The opening balance is the closing of 2026-10 (as the sample's October page shows it).
    assert!(yaml.contains("# 期初余额 = 上一期 2026-10 的期末余额"), "{yaml}");
    let opening: i64 = fen(yaml.split("opening_balance: ").nth(1).unwrap().split_whitespace().next().unwrap());
    let closing: i64 = fen(yaml.split("closing_balance: ").nth(1).unwrap().split_whitespace().next().unwrap());
    assert_eq!(closing - opening, 1_823_460 + 450_000 - 238_015 - 96_005, "to the fen");

    // It builds as a draft, and its page shows the sheet's totals.
    let out = tmp.path().join("public");
    let o = gongshi(&root, &["build", "--drafts", "--as-of", "2026-11-30", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = page(&out, "a/public-income/2026-11/index.html");
    assert!(html.contains("22,734.60") && html.contains("3,340.20"), "income and expense totals");

    // Never over an existing file.
    let before = fs::read(root.join("content/accounts/public-income/2026-11.yaml")).unwrap();
    let (ok, said) = import(&root, "2026-11", &xlsx);
    assert!(!ok && said.contains("已经存在，没有覆盖"), "{said}");
    assert_eq!(fs::read(root.join("content/accounts/public-income/2026-11.yaml")).unwrap(), before);
}

type SheetLine<'a> = (&'a str, u8, &'a str, &'a str, &'a str, Option<f64>, Option<f64>);

fn fen(s: &str) -> i64 {
    let (y, f) = s.split_once('.').unwrap();
    y.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap()
}

const CSV: &str = "日期,摘要,类别,收入,支出,凭证号,对方\n\
2026/11/5,11月临时停车收入,停车费,\"18,234.60\",,公-2611-001,临时停车收费\n\
2026/11/18,门禁更换,维修,,2380.15,公-2611-003,某某电器维修部\n\
合计,,,18234.60,2380.15,,\n";

#[test]
fn csv_in_gbk_and_in_utf8_with_bom_read_the_same() {
    for (name, bytes) in
        [("gbk.csv", encoding_rs::GBK.encode(CSV).0.into_owned()), ("bom.csv", [b"\xEF\xBB\xBF".as_slice(), CSV.as_bytes()].concat())]
    {
        let (tmp, root) = site();
        let file = tmp.path().join(name);
        fs::write(&file, bytes).unwrap();
        let (ok, said) = import(&root, "2026-11", &file);
        assert!(ok, "{name}: {said}");
        let yaml = fs::read_to_string(root.join("content/accounts/public-income/2026-11.yaml")).unwrap();
        assert!(yaml.contains("{date: 2026-11-05, category: 停车费, amount: 18234.60, counterparty: 临时停车收费, voucher: 公-2611-001, note: 11月临时停车收入}   # 第 2 行"), "{name}: {yaml}");
        assert!(yaml.contains("category: 维修, amount: 2380.15"), "{name}: {yaml}");
    }
}

#[test]
fn every_bad_cell_is_named_by_its_row_and_column_and_nothing_is_written() {
    let (tmp, root) = site();
    let file = tmp.path().join("bad.csv");
    fs::write(
        &file,
        "日期,摘要,科目,收入,支出,凭证号\n\
         2026/11/5,停车,停车费,18234.605,,公-1\n\
         2026/11/31,广告,广告费,4500,,公-2\n\
         2026/11/8,保洁,,,300,公-3\n\
         2026/11/9,维修,维修,100,200,公-4\n",
    )
    .unwrap();
    let before = snapshot(&root.join("content"));
    let (ok, said) = import(&root, "2026-11", &file);
    assert!(!ok);
    for want in [
        "第 2 行「收入」列：18234.605 元超过两位小数",
        "第 3 行「日期」列：「2026/11/31」不是日期",
        "第 4 行「科目」列：没有写类别",
        "第 5 行：收入和支出都有金额",
    ] {
        assert!(said.contains(want), "lacks `{want}`:\n{said}");
    }
    assert_eq!(snapshot(&root.join("content")), before, "content/ untouched");
}

/// Every case of `tests/fixtures/import/<case>/`: `args` (`ledger public-income 2026-11`,
/// `requests 2026-12`) and a `sheet.*` imported into a copy of the sample community. A good
/// sheet writes exactly `expected.yaml`; a bad one fails with exactly `expected` on stderr and
/// leaves `content/` as it was. Bless with `GONGSHI_BLESS=1`.
#[test]
fn each_import_fixture_writes_its_expected_yaml_or_gives_its_exact_message() {
    let cases = repo().join("tests/fixtures/import");
    let mut names: Vec<_> = fs::read_dir(&cases).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert!(names.len() >= 8, "fixtures went missing: {names:?}");
    let bless = std::env::var_os("GONGSHI_BLESS").is_some();
    let mut failures = Vec::new();
    for name in names {
        let case = cases.join(&name);
        let name = name.to_string_lossy().into_owned();
        let (_tmp, root) = site();
        let sheet = fs::read_dir(&case)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|f| f.starts_with("sheet."))
            .expect("a sheet");
        fs::copy(case.join(&sheet), root.join(&sheet)).unwrap();
        let args = fs::read_to_string(case.join("args")).unwrap();
        let mut argv = vec!["import"];
        argv.extend(args.split_whitespace());
        argv.push(&sheet);
        let before = snapshot(&root.join("content"));
        let o = gongshi(&root, &argv);
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        let written: Vec<_> = {
            let after = snapshot(&root.join("content"));
            after.into_iter().filter(|(p, b)| before.get(p) != Some(b)).collect()
        };
        if o.status.success() {
            let [(path, bytes)] = written.as_slice() else {
                failures.push(format!("{name}: wrote {} files", written.len()));
                continue;
            };
            let yaml = String::from_utf8_lossy(bytes).into_owned();
            if bless {
                fs::write(case.join("expected.yaml"), &yaml).unwrap();
            }
            let want = fs::read_to_string(case.join("expected.yaml")).unwrap_or_default();
            if yaml != want {
                failures.push(format!("{name}: {path:?} differs\n--- got ---\n{yaml}--- expected ---\n{want}"));
            }
            // What was written builds, as a draft.
            let out = root.join("out");
            let b = gongshi(&root, &["build", "--drafts", "--as-of", "2026-12-31", "--output", out.to_str().unwrap()]);
            if !b.status.success() {
                failures.push(format!("{name}: the import does not build\n{}", String::from_utf8_lossy(&b.stderr)));
            }
        } else {
            if bless {
                fs::write(case.join("expected"), &stderr).unwrap();
            }
            let want = fs::read_to_string(case.join("expected")).unwrap_or_default();
            if stderr != want || case.join("expected.yaml").exists() {
                failures.push(format!("{name}: message differs\n--- got ---\n{stderr}--- expected ---\n{want}"));
            }
            if !written.is_empty() {
                failures.push(format!("{name}: a failed import changed content/"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_request_sheet_from_xlsx_is_imported_without_personal_data_and_builds() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let (tmp, root) = site();
    let xlsx = tmp.path().join("12月报修台账.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("报修登记").unwrap();
    let when = Format::new().set_num_format("yyyy/m/d h:mm");
    let headers =
        ["编号", "受理时间", "业主姓名", "联系电话", "房号", "档位", "类别", "楼栋", "事由", "响应时间", "办结时间", "回访时间", "评分"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    // Id, (day, hour, minute) received, name, phone, room, tier as the desk writes it,
    // category, building as people write it, summary, minutes to respond, to resolve, rating.
    type Request<'a> = (&'a str, (u8, u16, u8), &'a str, &'a str, &'a str, &'a str, &'a str, &'a str, &'a str, u16, u16, u8);
    let rows: [Request<'_>; 3] = [
        ("R-2612-001", (2, 8, 15), "张建国", "13812345678", "5-2-301", "紧急", "漏水", "5号楼2单元", "楼道水管漏水", 20, 100, 5),
        ("R-2612-002", (3, 14, 0), "李秀英", "13987654321", "7-1-502", "一般", "照明", "7栋", "楼道灯不亮", 60, 1500, 4),
        ("R-2612-003", (5, 9, 30), "王芳", "13700001111", "12-602", "疑难", "渗漏", "12", "顶层屋面渗水", 90, 4320, 3),
    ];
    let at = |day: u8, h: u16, m: u8, plus: u16| {
        let total = h * 60 + m as u16 + plus;
        let (d, rest) = (day as u16 + total / 1440, total % 1440);
        ExcelDateTime::from_ymd(2026, 12, d as u8).unwrap().and_hms(rest / 60, (rest % 60) as u8, 0).unwrap()
    };
    for (i, (id, (day, h, m), name, phone, room, tier, cat, building, summary, respond, resolve, rating)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, *id).unwrap();
        sheet.write_datetime_with_format(r, 1, at(*day, *h, *m, 0), &when).unwrap();
        for (c, v) in [(2, *name), (3, *phone), (4, *room), (5, *tier), (6, *cat), (7, *building), (8, *summary)] {
            sheet.write_string(r, c, v).unwrap();
        }
        sheet.write_datetime_with_format(r, 9, at(*day, *h, *m, *respond), &when).unwrap();
        sheet.write_datetime_with_format(r, 10, at(*day, *h, *m, *resolve), &when).unwrap();
        sheet.write_datetime_with_format(r, 11, at(*day, *h, *m, *resolve + 1440), &when).unwrap();
        sheet.write_number(r, 12, *rating as f64).unwrap();
    }
    book.save(&xlsx).unwrap();

    let o = gongshi(&root, &["import", "requests", "2026-12", xlsx.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{said}");
    assert!(said.contains("已导入 3 件诉求") && said.contains("含个人信息的列没有读取：业主姓名、联系电话、房号"), "{said}");
    let yaml = fs::read_to_string(root.join("content/requests/2026-12.yaml")).unwrap();
    assert!(
        yaml.contains("{id: R-2612-001, received: 2026-12-02 08:15, tier: urgent, category: 漏水, scope: \"5-2\", summary: 楼道水管漏水, responded: 2026-12-02 08:35, resolved: 2026-12-02 09:55, followed_up: 2026-12-03 09:55, rating: 5}   # 第 2 行"),
        "{yaml}"
    );
    assert!(
        yaml.contains("tier: routine, category: 照明, scope: \"7\"") && yaml.contains("tier: complex, category: 渗漏, scope: \"12\""),
        "{yaml}"
    );
    for secret in ["张建国", "李秀英", "王芳", "13812345678", "5-2-301", "7-1-502"] {
        assert!(!yaml.contains(secret), "{secret} reached the log");
    }

    // It builds as a draft; the open data has the requests and none of the personal data.
    let out = tmp.path().join("public");
    let b = gongshi(&root, &["build", "--drafts", "--as-of", "2026-12-31", "--output", out.to_str().unwrap()]);
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let csv = fs::read_to_string(out.join("data/requests.csv")).unwrap();
    assert!(csv.contains("R-2612-001") && csv.contains("R-2612-003"), "{csv}");
    for (path, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("13812345678") && !text.contains("张建国"), "personal data in {path:?}");
    }
}
