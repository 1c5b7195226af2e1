//! `/data/datapackage.json` (§2.1): a Frictionless Tabular Data Package describing every CSV of
//! the site — each table's path, schema (every field's type and Chinese title), primary key
//! where the rows have one, size in bytes and SHA-256 — with the licence from `site.yaml`. The
//! CSVs a kind has no page of its own for (votes, fees, service tiers) are made here too.

use super::escape::csv_cell;
use crate::content::vote::{Tally, Verdict, Vote};
use crate::content::Content;
use serde_json::json;
use std::fmt::Write as _;

/// A column: its stable ASCII name, its Table Schema type and its Chinese title.
type Field = (&'static str, &'static str, &'static str);

const ACCOUNT_FIELDS: &[Field] = &[
    ("fund", "string", "账户"),
    ("period", "string", "会计期间"),
    ("kind", "string", "收入或支出"),
    ("date", "date", "日期"),
    ("category", "string", "科目"),
    ("amount", "number", "金额（元）"),
    ("counterparty", "string", "对方"),
    ("voucher", "string", "凭证号"),
    ("note", "string", "说明"),
    ("approval", "string", "审批"),
    ("attachment", "string", "附件"),
    ("transfer", "string", "转入或转出的账户"),
];

const REQUEST_FIELDS: &[Field] = &[
    ("id", "string", "编号"),
    ("received", "string", "受理时间"),
    ("tier", "string", "响应等级"),
    ("category", "string", "类别"),
    ("scope", "string", "楼栋"),
    ("summary", "string", "诉求摘要"),
    ("responded", "string", "响应时间"),
    ("resolved", "string", "办结时间"),
    ("followed_up", "string", "回访时间"),
    ("rating", "integer", "满意度评分"),
    ("respond_by", "string", "应响应时限"),
    ("resolve_by", "string", "应办结时限"),
    ("follow_up_by", "string", "应回访时限"),
    ("met_respond", "boolean", "按时响应"),
    ("met_resolve", "boolean", "按时办结"),
    ("met_follow_up", "boolean", "按时回访"),
    ("resolve_minutes", "integer", "办结用时（分钟）"),
    ("note", "string", "备注"),
];

const ALLOCATION_FIELDS: &[Field] = &[
    ("matter", "string", "事项"),
    ("funding", "string", "分摊的资金"),
    ("method", "string", "分摊方法"),
    ("group", "string", "住户分组"),
    ("households", "integer", "户数"),
    ("area", "number", "面积（平方米）"),
    ("weight", "number", "每户系数"),
    ("share", "number", "本组分摊（元）"),
    ("rounded_up", "boolean", "补了1分"),
];

const DONATION_FIELDS: &[Field] = &[
    ("register", "string", "捐款公示"),
    ("kind", "string", "捐款或支出"),
    ("date", "date", "日期"),
    ("donor", "string", "捐款人（未同意公开的为匿名）"),
    ("organisation", "boolean", "单位捐款"),
    ("amount", "number", "金额（元）"),
    ("counterparty", "string", "收款方"),
    ("voucher", "string", "凭证号"),
    ("note", "string", "说明"),
];

const VOTE_FIELDS: &[Field] = &[
    ("vote", "string", "表决"),
    ("zone", "string", "计票范围（全体或分区）"),
    ("title", "string", "表决事项"),
    ("date", "date", "公布日期"),
    ("rule", "string", "表决规则"),
    ("matter", "integer", "民法典第278条第1款第几项"),
    ("eligible_owners", "integer", "有表决权人数"),
    ("eligible_area", "number", "有表决权面积（平方米）"),
    ("participated_owners", "integer", "参与表决人数"),
    ("participated_area", "number", "参与表决面积"),
    ("agree_owners", "integer", "同意人数"),
    ("agree_area", "number", "同意面积"),
    ("against_owners", "integer", "反对人数"),
    ("against_area", "number", "反对面积"),
    ("abstain_owners", "integer", "弃权人数"),
    ("abstain_area", "number", "弃权面积"),
    ("result", "string", "结果"),
];

const FEE_FIELDS: &[Field] = &[
    ("standards", "string", "服务标准"),
    ("item", "string", "收费项目"),
    ("applies_to", "string", "适用范围"),
    ("unit", "string", "计费单位"),
    ("price", "number", "价格（元）"),
    ("pricing", "string", "定价方式"),
    ("basis", "string", "依据"),
    ("note", "string", "说明"),
];

const TIER_FIELDS: &[Field] = &[
    ("standards", "string", "服务标准"),
    ("tier", "string", "响应等级"),
    ("name", "string", "等级名称"),
    ("respond_within", "string", "响应时限"),
    ("resolve_within", "string", "办结时限"),
    ("follow_up_within", "string", "回访时限"),
];

/// `/data/votes.csv`: each vote's counts, the whole and each zone.
pub fn votes_csv(votes: &[Vote]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&VOTE_FIELDS.iter().map(|f| f.0).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for v in votes {
        let rule = match v.rule {
            crate::content::vote::Rule::CivilCode278 => "civil-code-278",
            crate::content::vote::Rule::None => "none",
        };
        let whole = match v.verdict() {
            Some(Verdict::Passed) => "passed",
            Some(Verdict::Failed) => "failed",
            None => "consultation",
        };
        let mut row = |zone: &str, t: &Tally, result: &str| {
            let c = |x: crate::content::vote::Count| format!("{},{}", x.owners, x.area.plain());
            let _ = write!(
                out,
                "{},{},{},{},{rule},{},{},{},{},{},{},{result}\r\n",
                csv_cell(&v.id),
                csv_cell(zone),
                csv_cell(&v.title),
                v.date,
                v.matter.map(|m| m.to_string()).unwrap_or_default(),
                c(t.eligible),
                c(t.participated),
                c(t.agree),
                c(t.against),
                c(t.abstain),
            );
        };
        row("全体", &v.tally(), whole);
        for z in &v.zones {
            let result = match (v.verdict(), z.tally.passes(v.matter)) {
                (None, _) => "consultation",
                (_, true) => "passed",
                (_, false) => "failed",
            };
            row(&z.name, &z.tally, result);
        }
    }
    out
}

/// `/data/fees.csv`: every fee of every fee schedule (明码标价).
pub fn fees_csv(content: &Content) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&FEE_FIELDS.iter().map(|f| f.0).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    let o = |v: &Option<String>| csv_cell(v.as_deref().unwrap_or(""));
    for s in &content.standards {
        for f in &s.fees {
            let _ = write!(
                out,
                "{},{},{},{},{},{},{},{}\r\n",
                csv_cell(&s.id),
                csv_cell(&f.item),
                o(&f.applies_to),
                csv_cell(&f.unit),
                f.price.plain(),
                o(&f.pricing),
                o(&f.basis),
                o(&f.note)
            );
        }
    }
    out
}

/// `/data/standards.csv`: every response tier of every set of standards and its deadlines.
pub fn standards_csv(content: &Content) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&TIER_FIELDS.iter().map(|f| f.0).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    let span = |s: &Option<crate::calendar::Span>| s.map(|s| s.to_string()).unwrap_or_default();
    for s in &content.standards {
        for t in &s.tiers {
            let _ = write!(
                out,
                "{},{},{},{},{},{}\r\n",
                csv_cell(&s.id),
                csv_cell(&t.tier),
                csv_cell(&t.name),
                span(&t.respond_within),
                span(&t.resolve_within),
                span(&t.follow_up_within)
            );
        }
    }
    out
}

/// One table of the package: where it is (relative to `data/`), what it is, and its bytes.
struct Table {
    name: String,
    path: String,
    title: String,
    fields: &'static [Field],
    key: &'static [&'static str],
    bytes: Vec<u8>,
}

/// Every CSV of the site, made as the plan makes them.
fn tables(r: &super::Renderer<'_>, x: &super::Shared<'_>) -> Vec<Table> {
    let c = r.content;
    let table = |name: String, path: String, title: String, fields, key, text: String| Table {
        name,
        path,
        title,
        fields,
        key,
        bytes: text.into_bytes(),
    };
    let mut out = vec![table(
        "accounts".into(),
        "accounts.csv".into(),
        "全部账目明细".into(),
        ACCOUNT_FIELDS,
        &[],
        super::accounts::all_csv(&c.ledgers),
    )];
    for l in &c.ledgers {
        let name = format!("accounts-{}-{}", l.fund, l.period.key).to_lowercase();
        let title = format!("{} {} 明细", c.site.fund_name(&l.fund), l.period.key);
        out.push(table(
            name,
            format!("accounts/{}/{}.csv", l.fund, l.period.key),
            title,
            ACCOUNT_FIELDS,
            &[],
            super::accounts::ledger_csv(l),
        ));
    }
    if !c.requests.is_empty() {
        out.push(table(
            "requests".into(),
            "requests.csv".into(),
            "诉求台账".into(),
            REQUEST_FIELDS,
            &["id"],
            super::services::requests_csv(x.outcomes, &c.site),
        ));
    }
    if !c.votes.is_empty() {
        out.push(table("votes".into(), "votes.csv".into(), "表决结果".into(), VOTE_FIELDS, &["vote", "zone"], votes_csv(&c.votes)));
    }
    if c.standards.iter().any(|s| !s.fees.is_empty()) {
        out.push(table("fees".into(), "fees.csv".into(), "收费标准（明码标价）".into(), FEE_FIELDS, &[], fees_csv(c)));
    }
    if c.standards.iter().any(|s| !s.tiers.is_empty()) {
        out.push(table(
            "standards".into(),
            "standards.csv".into(),
            "服务响应等级和时限".into(),
            TIER_FIELDS,
            &["standards", "tier"],
            standards_csv(c),
        ));
    }
    for m in c.matters.iter().filter(|m| m.allocation.is_some()) {
        let path = crate::address::matter_data(&m.id, "csv");
        out.push(table(
            format!("matter-{}-allocation", m.id),
            path.trim_start_matches("data/").to_string(),
            format!("{} 分摊表", m.title),
            ALLOCATION_FIELDS,
            &["matter", "group"],
            super::matters::allocation_csv(m),
        ));
    }
    for d in &c.donations {
        let path = crate::address::donation_data(&d.id, "csv");
        out.push(table(
            format!("donation-{}", d.id),
            path.trim_start_matches("data/").to_string(),
            format!("{} 捐款和支出", d.title),
            DONATION_FIELDS,
            &[],
            super::donations::donation_csv(d),
        ));
    }
    out
}

/// The licence's title and address, for the common ones.
fn licence(id: &str) -> serde_json::Value {
    let known = [
        ("CC-BY-4.0", "Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
        ("CC0-1.0", "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
        ("ODC-BY-1.0", "Open Data Commons Attribution License 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
        ("CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    ];
    match known.iter().find(|(k, _, _)| k.eq_ignore_ascii_case(id)) {
        Some((k, title, path)) => json!({"name": k, "title": title, "path": path}),
        None => json!({"name": id}),
    }
}

/// The CSVs a kind has no page of its own for, and `/data/datapackage.json`.
pub(super) fn plan<'a>(r: &'a super::Renderer<'a>, x: &'a super::Shared<'a>, plan: &mut super::Plan<'a>) {
    let c = r.content;
    if !c.votes.is_empty() {
        plan.file("data/votes.csv".into(), super::Shows::Other, move || Ok(votes_csv(&c.votes).into()));
    }
    if c.standards.iter().any(|s| !s.fees.is_empty()) {
        plan.file("data/fees.csv".into(), super::Shows::Other, move || Ok(fees_csv(c).into()));
    }
    if c.standards.iter().any(|s| !s.tiers.is_empty()) {
        plan.file("data/standards.csv".into(), super::Shows::Other, move || Ok(standards_csv(c).into()));
    }
    plan.file(crate::address::DATAPACKAGE.into(), super::Shows::Other, move || Ok(json(r, x).into_bytes()));
}

/// `/data/datapackage.json`.
fn json(r: &super::Renderer<'_>, x: &super::Shared<'_>) -> String {
    let site = &r.content.site;
    let resources: Vec<serde_json::Value> = tables(r, x)
        .into_iter()
        .map(|t| {
            let fields: Vec<serde_json::Value> =
                t.fields.iter().map(|(name, ty, title)| json!({"name": name, "type": ty, "title": title})).collect();
            let mut schema = json!({"fields": fields, "missingValues": [""]});
            if !t.key.is_empty() {
                schema["primaryKey"] = json!(t.key);
            }
            json!({
                "name": t.name,
                "path": t.path,
                "title": t.title,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "bytes": t.bytes.len(),
                "hash": format!("sha256:{}", crate::log::sha256_hex(&t.bytes)),
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": true},
                "schema": schema,
            })
        })
        .collect();
    let doc = json!({
        "profile": "tabular-data-package",
        "name": crate::source::slugify(&site.base_url.split("//").nth(1).unwrap_or("community").replace('.', "-")),
        "title": format!("{}公开数据", site.name),
        "homepage": format!("{}/", site.base_url),
        "licenses": [licence(&site.data_license)],
        "resources": resources,
    });
    serde_json::to_string_pretty(&doc).expect("JSON of plain values") + "\n"
}
