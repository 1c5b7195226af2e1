//! The open data as an auditor receives it (§2.1): `/data/datapackage.json` describes every CSV
//! of the site with its size and SHA-256, and Frictionless validates the package.

mod common;
use common::*;
use std::fs;

#[test]
fn the_data_package_lists_every_csv_with_its_size_hash_and_schema() {
    let (_tmp, out) = sample_site();
    let pkg: serde_json::Value = serde_json::from_str(&page(&out, "data/datapackage.json")).unwrap();
    assert_eq!(pkg["profile"], "tabular-data-package");
    assert_eq!(pkg["licenses"][0]["name"], "CC-BY-4.0");
    let resources = pkg["resources"].as_array().unwrap();
    let listed: std::collections::BTreeSet<String> = resources.iter().map(|r| format!("data/{}", r["path"].as_str().unwrap())).collect();
    let on_disk: std::collections::BTreeSet<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
        .map(|e| e.path().strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    assert_eq!(listed, on_disk, "every CSV, and only those");
    for name in ["data/votes.csv", "data/fees.csv", "data/standards.csv", "data/accounts.csv", "data/donations/garden-2026.csv"] {
        assert!(listed.contains(name), "{name}");
    }
    for r in resources {
        let bytes = fs::read(out.join("data").join(r["path"].as_str().unwrap())).unwrap();
        assert_eq!(r["bytes"], bytes.len(), "{}", r["path"]);
        let hash = format!("sha256:{}", gongshi::log::sha256_hex(&bytes));
        assert_eq!(r["hash"], hash.as_str(), "{}", r["path"]);
        let header = String::from_utf8_lossy(&bytes).lines().next().unwrap().trim_start_matches('\u{feff}').to_string();
        let fields: Vec<&str> = r["schema"]["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(header, fields.join(","), "{}: the schema names the columns in order", r["path"]);
        assert!(
            r["schema"]["fields"].as_array().unwrap().iter().all(|f| f["title"].as_str().is_some_and(|t| !t.is_empty())),
            "Chinese titles"
        );
    }
    // A vote counted in zones has a row for the whole and one per zone.
    let votes = page(&out, "data/votes.csv");
    assert!(
        votes.contains("\nrenew-property-2026,全体,")
            && votes.contains("\nrenew-property-2026,一期,")
            && votes.contains("\nrenew-property-2026,二期,")
    );
}

#[test]
#[allow(clippy::assertions_on_constants)] // the constant is what build.rs found on this machine
fn ci_validates_the_data_package() {
    if std::env::var_os("CI").is_some() {
        assert!(cfg!(frictionless), "CI must install frictionless from PyPI (see .ci/run)");
    }
}

#[test]
#[cfg_attr(not(frictionless), ignore = "needs frictionless (pip install frictionless)")]
fn frictionless_validates_the_sample_data_package_and_catches_a_changed_file() {
    let (_tmp, out) = sample_site();
    let pkg = out.join("data/datapackage.json");
    let run = || std::process::Command::new("frictionless").arg("validate").arg(&pkg).output().unwrap();
    let o = run();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let votes = out.join("data/votes.csv");
    fs::write(&votes, fs::read_to_string(&votes).unwrap().replace("passed", "failed")).unwrap();
    let o = run();
    assert!(!o.status.success(), "a changed CSV no longer matches its hash");
    assert!(String::from_utf8_lossy(&o.stdout).contains("hash-count"), "{}", String::from_utf8_lossy(&o.stdout));
}
