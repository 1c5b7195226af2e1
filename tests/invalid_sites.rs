//! Every broken site in `tests/fixtures/invalid/<case>/` must fail with exactly the message in
//! its `expected` file and the exit status in `exit` (1 when absent), and must leave an
//! existing `public/` and its `content/` byte for byte as they were. The command is `build`,
//! or the one named in the case's `command` file (`publish`), with the case's `args`.

mod common;
use common::*;
use std::fs;

#[test]
fn each_bad_input_gives_its_exact_message_and_leaves_public_untouched() {
    let cases = repo().join("tests/fixtures/invalid");
    let mut names: Vec<_> = fs::read_dir(&cases).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert!(names.len() >= 14, "fixtures went missing: {names:?}");
    let mut failures = Vec::new();
    for name in names {
        let case = cases.join(&name);
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        copy_dir(&case, &site);
        // A public/ from an earlier good build must survive the failed one.
        let good = gongshi(
            &repo().join("tests/fixtures/valid/minimal"),
            &["build", "--as-of", AS_OF, "--output", site.join("public").to_str().unwrap()],
        );
        assert!(good.status.success());
        let before = snapshot(&site.join("public"));
        let before_content = snapshot(&site.join("content"));

        let extra = fs::read_to_string(case.join("args")).unwrap_or_default();
        let command = fs::read_to_string(case.join("command")).unwrap_or_else(|_| "build".into());
        let mut args = vec![command.trim(), "--as-of", AS_OF];
        args.extend(extra.split_whitespace());
        let o = gongshi(&site, &args);
        let code: i32 = fs::read_to_string(case.join("exit")).map(|s| s.trim().parse().unwrap()).unwrap_or(1);
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        let expected_path = case.join("expected");
        if std::env::var_os("GONGSHI_BLESS").is_some() {
            fs::write(&expected_path, &stderr).unwrap();
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        let name = name.to_string_lossy();
        if o.status.code() != Some(code) {
            failures.push(format!("{name}: exit {:?}, expected {code}\n{stderr}", o.status.code()));
        }
        if stderr != expected {
            failures.push(format!("{name}: message differs\n--- got ---\n{stderr}--- expected ---\n{expected}"));
        }
        if snapshot(&site.join("public")) != before {
            failures.push(format!("{name}: public/ changed after a failed build"));
        }
        if snapshot(&site.join("content")) != before_content {
            failures.push(format!("{name}: content/ changed"));
        }
        // `check` agrees with `build` on the sources (it has no output folder to refuse).
        let mut check_args = args.clone();
        check_args[0] = "check";
        let c = gongshi(&site, &check_args);
        let check_applies = extra.is_empty() && command.trim() == "build";
        if check_applies && (c.status.code() != Some(code) || String::from_utf8_lossy(&c.stderr) != expected) {
            failures.push(format!("{name}: check disagrees with build"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn windows_files_with_crlf_bom_and_a_chinese_name_build() {
    let tmp = tempfile::tempdir().unwrap();
    let site = repo().join("tests/fixtures/valid/windows");
    let raw = fs::read(site.join("content/notices/power-2.md")).unwrap();
    assert!(raw.starts_with(b"\xef\xbb\xbf---\r\n"), "fixture lost its BOM or CRLF (see .gitattributes)");
    let out = tmp.path().join("public");
    let o = gongshi(&site, &["build", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = page(&out, "n/power-2/index.html");
    assert!(html.contains("<h1>2号楼停电（CRLF）</h1>"), "{html}");
    assert!(!html.contains('\r'));
    assert!(page(&out, "n/water-2/index.html").contains("中文文件名的通知"));
    // The BOM and CRLF do not change the verification code: the words are the same.
    let lf = String::from_utf8(raw[3..].to_vec()).unwrap().replace("\r\n", "\n");
    let code = gongshi::code::VerificationCode::of(&lf);
    assert!(html.contains(code.as_str()));
}

#[test]
fn windows_backslash_paths_are_read_as_slashes_and_litter_stays_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let site = repo().join("tests/fixtures/warnings/windows-paths");
    let out = tmp.path().join("public");
    let o = gongshi(&site, &["build", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // `attachment: static\vouchers\07-009.png` in the ledger, `![凭证](static\vouchers\07-009.png)` in a notice.
    let ledger = page(&out, "a/public-income/2026-Q3/index.html");
    assert!(ledger.contains("href=\"../../../static/vouchers/07-009.png\""), "{ledger}");
    let notice = page(&out, "n/power-2/index.html");
    assert!(notice.contains("<img src=\"../../static/vouchers/07-009.png\""), "{notice}");
    assert!(!notice.contains('\\'), "{notice}");
    assert!(out.join("static/vouchers/07-009.png").is_file());
    assert!(!out.join("static/desktop.ini").exists(), "litter was published");
}

/// Every site in `tests/fixtures/warnings/<case>/` is valid but worth a warning: `check` and
/// `build` succeed and say exactly what is in its `expected` file.
#[test]
fn each_questionable_input_builds_with_its_exact_warning() {
    let cases = repo().join("tests/fixtures/warnings");
    let mut names: Vec<_> = fs::read_dir(&cases).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert!(names.len() >= 3, "fixtures went missing: {names:?}");
    let mut failures = Vec::new();
    for name in names {
        let case = cases.join(&name);
        let name = name.to_string_lossy();
        let o = gongshi(&case, &["check", "--as-of", AS_OF]);
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        let expected_path = case.join("expected");
        if std::env::var_os("GONGSHI_BLESS").is_some() {
            fs::write(&expected_path, &stderr).unwrap();
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if !o.status.success() {
            failures.push(format!("{name}: check failed\n{stderr}"));
        }
        if !stderr.starts_with("警告：") || stderr != expected {
            failures.push(format!("{name}: message differs\n--- got ---\n{stderr}--- expected ---\n{expected}"));
        }
        let tmp = tempfile::tempdir().unwrap();
        let b = gongshi(&case, &["build", "--as-of", AS_OF, "--output", tmp.path().join("out").to_str().unwrap()]);
        if !b.status.success() || !String::from_utf8_lossy(&b.stderr).starts_with(expected.lines().next().unwrap_or("?")) {
            failures.push(format!("{name}: build does not warn the same\n{}", String::from_utf8_lossy(&b.stderr)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
