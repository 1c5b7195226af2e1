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
