//! 晒服务标准 and 履行情况, and votes, on the sample community: the figures on `/r/`, in
//! `summary.json` and on the vote pages equal an independent recount of the YAML done here,
//! with its own date arithmetic and its own reading of 民法典第二百七十八条.

mod common;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use common::*;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;

fn yaml(rel: &str) -> Yaml {
    serde_yaml::from_str(&fs::read_to_string(repo().join(rel)).unwrap()).unwrap()
}

fn s(v: &Yaml) -> String {
    match v {
        Yaml::String(s) => s.clone(),
        other => serde_yaml::to_string(other).unwrap().trim().to_string(),
    }
}

fn at(v: &Yaml) -> Option<NaiveDateTime> {
    v.as_str().map(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").unwrap())
}

/// The limit in minutes, or the working-day count, of `30m` / `2h` / `14d` / `5wd`.
fn deadline(from: NaiveDateTime, spec: &str, off: &BTreeSet<NaiveDate>, on: &BTreeSet<NaiveDate>) -> NaiveDateTime {
    if let Some(n) = spec.strip_suffix("wd") {
        let mut left: u32 = n.parse().unwrap();
        let mut day = from.date();
        while left > 0 {
            day += Duration::days(1);
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            if on.contains(&day) || (!weekend && !off.contains(&day)) {
                left -= 1;
            }
        }
        // Due by the end of that day.
        return (day + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap();
    }
    let (n, unit) = spec.split_at(spec.len() - 1);
    let n: i64 = n.parse().unwrap();
    from + match unit {
        "m" => Duration::minutes(n),
        "h" => Duration::hours(n),
        "d" => Duration::days(n),
        _ => panic!("unit {unit}"),
    }
}

#[derive(Default, Debug, PartialEq)]
struct Count {
    count: u64,
    resolved: u64,
    open: u64,
    met_respond: u64,
    met_resolve: u64,
    met_follow_up: u64,
    overdue: u64,
    minutes: Vec<i64>,
}

impl Count {
    fn median(&self) -> Option<i64> {
        let mut v = self.minutes.clone();
        v.sort();
        let n = v.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(v[n / 2]),
            _ => Some((v[n / 2 - 1] + v[n / 2]) / 2),
        }
    }

    /// `defines(deadline)`: whether the tier sets that deadline (else its count is `null`).
    fn matches(&self, j: &Json, what: &str, defines: impl Fn(&str) -> bool) {
        for (k, want) in [("count", self.count), ("resolved", self.resolved), ("open", self.open), ("overdue", self.overdue)] {
            assert_eq!(j[k].as_u64(), Some(want), "{what}: {k}");
        }
        for (k, deadline, want) in [
            ("met_respond", "respond_within", self.met_respond),
            ("met_resolve", "resolve_within", self.met_resolve),
            ("met_follow_up", "follow_up_within", self.met_follow_up),
        ] {
            if defines(deadline) {
                assert_eq!(j[k].as_u64(), Some(want), "{what}: {k}");
            } else {
                assert!(j[k].is_null(), "{what}: {k} is null where the tier sets no such deadline, not {}", j[k]);
            }
        }
        assert_eq!(j["median_resolve_minutes"].as_i64(), self.median(), "{what}: median");
    }
}

#[test]
fn performance_page_and_summary_equal_a_recount_of_the_sample_log() {
    let site = yaml("content/site.yaml");
    let dates = |k: &str| -> BTreeSet<NaiveDate> {
        site[k].as_sequence().unwrap().iter().map(|d| NaiveDate::parse_from_str(&s(d), "%Y-%m-%d").unwrap()).collect()
    };
    let (off, on) = (dates("holidays"), dates("workdays"));
    let standards = yaml("content/standards/property-2026.yaml");
    let tiers: Vec<(String, String, BTreeMap<String, String>)> = standards["response"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|t| {
            let limits = ["respond_within", "resolve_within", "follow_up_within"]
                .iter()
                .filter_map(|k| t.get(*k).map(|v| (k.to_string(), s(v))))
                .collect();
            (s(&t["tier"]), s(&t["name"]), limits)
        })
        .collect();

    // "Now" is the end of the --as-of day.
    let now = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap().and_hms_opt(0, 0, 0).unwrap() + Duration::days(1);
    let mut per_tier: BTreeMap<String, Count> = BTreeMap::new();
    let mut per_month: BTreeMap<(String, String), Count> = BTreeMap::new();
    let mut entries = 0;
    let mut months = BTreeSet::new();
    for f in fs::read_dir(repo().join("content/requests")).unwrap() {
        let log: Yaml = serde_yaml::from_str(&fs::read_to_string(f.unwrap().path()).unwrap()).unwrap();
        for e in log["entries"].as_sequence().unwrap() {
            entries += 1;
            let tier = s(&e["tier"]);
            let limits = &tiers.iter().find(|t| t.0 == tier).unwrap().2;
            let received = at(&e["received"]).unwrap();
            let month = received.format("%Y-%m").to_string();
            months.insert(month.clone());
            let (responded, resolved, followed) = (at(&e["responded"]), at(&e["resolved"]), at(&e["followed_up"]));
            let met = |limit: &str, from: Option<NaiveDateTime>, done: Option<NaiveDateTime>| -> u64 {
                match (limits.get(limit), from, done) {
                    (Some(spec), Some(from), Some(done)) => u64::from(done <= deadline(from, spec, &off, &on)),
                    _ => 0,
                }
            };
            for c in [per_tier.entry(tier.clone()).or_default(), per_month.entry((tier.clone(), month)).or_default()] {
                c.count += 1;
                c.resolved += u64::from(resolved.is_some());
                c.open += u64::from(resolved.is_none());
                c.met_respond += met("respond_within", Some(received), responded);
                c.met_resolve += met("resolve_within", Some(received), resolved);
                c.met_follow_up += met("follow_up_within", resolved, followed);
                c.minutes.extend(resolved.map(|r| (r - received).num_minutes()));
                if let (None, Some(spec)) = (resolved, limits.get("resolve_within")) {
                    c.overdue += u64::from(deadline(received, spec, &off, &on) < now);
                }
            }
        }
    }
    assert!(entries >= 100, "the sample log should hold about 100 requests, has {entries}");
    assert!(months.len() >= 3, "at least three months of requests");

    let (_tmp, out) = sample_site();
    let summary: Json = serde_json::from_str(&fs::read_to_string(out.join("data/requests/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["as_of"], AS_OF);
    let listed = summary["tiers"].as_array().unwrap();
    assert_eq!(listed.len(), tiers.len());
    for j in listed {
        let tier = j["tier"].as_str().unwrap();
        let limits = &tiers.iter().find(|(k, _, _)| k == tier).unwrap().2;
        let defines = |d: &str| limits.contains_key(d);
        per_tier[tier].matches(j, tier, defines);
        for m in j["months"].as_array().unwrap() {
            let month = m["month"].as_str().unwrap().to_string();
            per_month[&(tier.to_string(), month.clone())].matches(m, &format!("{tier} {month}"), defines);
        }
        assert_eq!(j["months"].as_array().unwrap().len(), per_month.keys().filter(|(t, _)| t == tier).count());
    }

    // The page says the same in plain words.
    let html = page(&out, "r/index.html");
    for (key, name, limits) in &tiers {
        let c = &per_tier[key];
        assert!(html.contains(&format!("{name}：{} 件", c.count)), "{name} heading");
        if limits.contains_key("resolve_within") {
            let due = c.resolved + c.overdue;
            assert!(html.contains(&format!("应办结 {due} 件，{} 件在", c.met_resolve)), "{name}: resolved in time");
        }
        if limits.contains_key("respond_within") {
            assert!(html.contains(&format!("{} 件中 {} 件在", c.count, c.met_respond)), "{name}: responded in time");
        }
    }
    let csv = fs::read_to_string(out.join("data/requests.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(csv.lines().count(), entries + 1, "one CSV row per request");
    // The home page carries the summary.
    let home = page(&out, "index.html");
    assert!(home.contains("服务履行情况") && home.contains("r/"), "home page links the performance summary");
    for (_, name, _) in &tiers {
        assert!(home.contains(name.as_str()), "home summary names tier {name}");
    }
}

/// 民法典第二百七十八条, read independently: u128 cross-multiplication, ⅔ and ¾ inclusive, ½ exclusive.
fn expected_result(v: &Yaml) -> Option<(bool, bool, &'static str)> {
    if s(&v["rule"]) == "none" {
        return None;
    }
    let n = |k: &str, f: &str| -> u128 {
        let t = s(&v[k][f]);
        let (i, d) = t.split_once('.').unwrap_or((&t, ""));
        (i.parse::<u128>().unwrap() * 100) + format!("{d:0<2}").parse::<u128>().unwrap()
    };
    let turnout =
        3 * n("participated", "area") >= 2 * n("eligible", "area") && 3 * n("participated", "owners") >= 2 * n("eligible", "owners");
    let matter: u8 = s(&v["matter"]).parse().unwrap();
    let agree = if (6..=8).contains(&matter) {
        4 * n("agree", "area") >= 3 * n("participated", "area") && 4 * n("agree", "owners") >= 3 * n("participated", "owners")
    } else {
        2 * n("agree", "area") > n("participated", "area") && 2 * n("agree", "owners") > n("participated", "owners")
    };
    Some((turnout, agree, if turnout && agree { "passed" } else { "failed" }))
}

#[test]
fn vote_pages_and_data_state_the_lawful_result_in_plain_words() {
    let (_tmp, out) = sample_site();
    let mut kinds = BTreeSet::new();
    let files: Vec<_> = fs::read_dir(repo().join("content/votes")).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(files.len() >= 3, "at least three sample votes");
    for path in files {
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        let v: Yaml = serde_yaml::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let json: Json = serde_json::from_str(&fs::read_to_string(out.join(format!("data/votes/{id}.json"))).unwrap()).unwrap();
        let html = page(&out, &format!("v/{id}/index.html"));
        match expected_result(&v) {
            None => {
                assert!(json["result"].is_null(), "{id}: a consultation has no result");
                assert!(html.contains("征求意见"), "{id}");
                kinds.insert("consultation");
            }
            Some((turnout, agree, result)) => {
                assert_eq!(json["result"], result, "{id}");
                assert_eq!(json["participation"]["met"], turnout, "{id}");
                assert_eq!(json["agreement"]["met"], agree, "{id}");
                let verdict = if result == "passed" { "通过" } else { "未通过" };
                assert!(html.contains(&format!("<strong>{verdict}</strong>")), "{id}: verdict");
                let turnout_word = if turnout { "，达到三分之二" } else { "，未达到三分之二" };
                assert!(
                    html.contains(&format!("参与表决的专有部分面积占 {}{turnout_word}", pct(&v, "participated", "eligible", "area"))),
                    "{id}: turnout sentence"
                );
                let matter: u8 = s(&v["matter"]).parse().unwrap();
                if (6..=8).contains(&matter) {
                    kinds.insert("major");
                    assert!(html.contains(&format!("同意的人数占 {}，达到四分之三", pct(&v, "agree", "participated", "owners"))), "{id}");
                } else if !turnout {
                    kinds.insert("failed for turnout");
                } else if result == "passed" {
                    kinds.insert("ordinary passed");
                    assert!(html.contains(&format!("同意的专有部分面积占 {}，超过一半", pct(&v, "agree", "participated", "area"))), "{id}");
                }
            }
        }
    }
    for k in ["major", "failed for turnout", "ordinary passed"] {
        assert!(kinds.contains(k), "the sample needs a vote that is {k}");
    }
}

/// `71.6%`, half up, from the YAML's text.
fn pct(v: &Yaml, part: &str, whole: &str, field: &str) -> String {
    let n = |k: &str| -> u128 {
        let t = s(&v[k][field]);
        let (i, d) = t.split_once('.').unwrap_or((&t, ""));
        i.parse::<u128>().unwrap() * 100 + format!("{d:0<2}").parse::<u128>().unwrap()
    };
    let (p, w) = (n(part), n(whole));
    let permille = (p * 2000 + w) / (2 * w);
    format!("{}.{}%", permille / 10, permille % 10)
}

#[test]
fn standards_page_shows_fees_services_and_tiers() {
    let (_tmp, out) = sample_site();
    let html = page(&out, "s/property-2026/index.html");
    let std = yaml("content/standards/property-2026.yaml");
    for f in std["fees"].as_sequence().unwrap() {
        let price = s(&f["price"]);
        let (i, d) = price.split_once('.').unwrap_or((&price, ""));
        let shown = format!("{i}.{d:0<2} {}", s(&f["unit"]));
        assert!(html.contains(&s(&f["item"])) && html.contains(&shown), "fee {shown}");
    }
    assert!(html.contains("1.80 元/平方米·月"), "the price is shown to the fen with its unit");
    for t in std["response"].as_sequence().unwrap() {
        assert!(html.contains(&s(&t["name"])));
    }
    assert!(html.contains("5个工作日") && html.contains("30分钟") && html.contains("14天"));
    for x in std["services"].as_sequence().unwrap() {
        assert!(html.contains(&s(&x["standard"])));
    }
}
