//! Votes counted per zone (§1.6): each zone judged by the same rule, the whole the zones' sum
//! when left out, and under `zone_rule: every` one failing zone fails the vote — said on the
//! page in plain words, with the zone and how much it lacked.

mod common;
use common::*;

#[test]
fn one_zone_failing_under_every_fails_the_vote_and_the_page_says_which_and_by_how_much() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let site = repo().join("tests/fixtures/valid/zone-veto");
    let o = gongshi(&site, &["build", "--as-of", AS_OF, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = page(&out, "v/south-gate/index.html");
    assert!(html.contains("<strong>未通过</strong>"), "the whole passes, 二区 does not: the vote fails");
    // 二区: 30 of 70 in favour; more than half of 70 is 36 owners, of 7,000.00 m² at least 3,500.01 m².
    assert!(html.contains("「二区」没有通过：同意的人数占 42.9%、面积占 42.9%，要超过一半还差 6 人、500.01 平方米。"), "{html}");
    assert!(html.contains("有一个区不通过，这项表决就不通过"));
    let verdict = html.find("class=\"verdict").unwrap();
    assert!(html[verdict..].find("「二区」没有通过").unwrap() < 600, "the reason comes right after the result");
    assert!(page(&out, "index.html").contains("「二区」没有通过"), "the home page says it too");
    let json: serde_json::Value = serde_json::from_str(&page(&out, "data/votes/south-gate.json")).unwrap();
    assert_eq!(json["result"], "failed");
    assert_eq!(json["zone_rule"], "every");
    let zones = json["zones"].as_array().unwrap();
    assert_eq!(zones.len(), 2);
    assert_eq!((zones[0]["zone"].as_str(), zones[0]["result"].as_str()), (Some("一区"), Some("passed")));
    assert_eq!((zones[1]["zone"].as_str(), zones[1]["result"].as_str()), (Some("二区"), Some("failed")));
    assert_eq!(zones[1]["agreement"]["met"], false);
    // The whole was left out: it is the zones' sum, with the same fields.
    assert_eq!(json["participated"]["owners"], 150);
    assert_eq!(json["agree"]["area"], "9000.00");
    assert_eq!(json["agreement"]["met"], true);
    for key in ["eligible", "participated", "agree", "against", "abstain", "participation", "agreement", "result"] {
        assert!(!zones[0][key].is_null(), "a zone has `{key}` like the whole");
    }
}

#[test]
fn the_sample_vote_counted_in_two_zones_shows_both() {
    let (_tmp, out) = sample_site();
    let html = page(&out, "v/renew-property-2026/index.html");
    assert!(html.contains("各区的结果") && html.contains("一期") && html.contains("二期"));
    assert!(!html.contains("没有通过："), "both zones pass");
    assert!(html.contains("<strong>通过</strong>"));
}
