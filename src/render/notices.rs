//! Notices: each one's page (which prints as its sheet and carries the text to paste into a
//! building's WeChat group), the archive by month, and the Atom feed.

use super::views::{self, NoticeView};
use super::{Plan, Renderer, Shared, Shows};
use crate::address::{self, Address};
use crate::diagnostics::{Diagnostic, Lang};
use tera::Context;

pub(super) fn plan<'a>(r: &'a Renderer<'a>, x: &'a Shared<'a>, plan: &mut Plan<'a>) {
    let site = &r.content.site;
    for v in x.notices {
        plan.page(address::notice(v.card.id), Shows::Notice(v.card.id.to_string()), move |at| {
            let ctx = context(r, v, at, false, &v.body_html);
            r.page(at, "notice.html", &ctx)
        });
    }
    plan.page(address::archive(), Shows::Listings, move |at| {
        let mut ctx = r.base(at, r.theme.t("archive"));
        let mut months: Vec<views::Month<'_>> = Vec::new();
        for c in x.cards {
            let key = &c.date[..7];
            match months.last_mut() {
                Some(m) if m.key == key => m.notices.push(c.line()),
                _ => months.push(views::Month { key: key.to_string(), label: views::month_label(key, site.lang), notices: vec![c.line()] }),
            }
        }
        ctx.insert("months", &months);
        r.page(at, "archive.html", &ctx)
    });
    plan.file(address::FEED.into(), Shows::Listings, move || {
        Ok(super::feed::atom(site, &r.opts.base_url, x.cards, &r.content.matters).into())
    });
}

/// The context of notice `v` on a page at `at`, with its body as rendered for that page's
/// depth: its own page, or a bundle (`in_bundle`) that prints it among others.
fn context(r: &Renderer<'_>, v: &NoticeView<'_>, at: &Address, in_bundle: bool, body: &str) -> Context {
    let own = address::notice(v.card.id);
    let mut ctx = r.base(at, v.card.title);
    r.sheet(&mut ctx, &own, "kind_notice", v.card.code);
    ctx.insert("notice", &v.card);
    ctx.insert("body", body);
    ctx.insert("revisions", &v.revisions);
    ctx.insert("scope", &v.scope_links);
    ctx.insert("in_bundle", &in_bundle);
    ctx.insert("meeting", &super::minutes::meeting_view(v.notice(), r.content));
    if !in_bundle {
        let site = &r.content.site;
        ctx.insert("wechat", &wechat_text(v, &site.name, &own.url(&r.opts.base_url), site.lang));
    }
    ctx
}

/// Notice `v` as one sheet of the bundle at `at`.
pub(super) fn sheet(r: &Renderer<'_>, v: &NoticeView<'_>, at: &Address) -> Result<String, Diagnostic> {
    let body = v.body_at(&at.root());
    r.render_text("items/notice.html", &context(r, v, at, true, &body), &at.file())
}

/// What a committee member pastes into a building's WeChat group: plain text, shown on the
/// notice's page under the notice (and not printed).
pub fn wechat_text(v: &NoticeView<'_>, community: &str, url: &str, lang: Lang) -> String {
    let card = &v.card;
    let en = lang == Lang::En;
    let mut out = format!("【{community}】{}\n", card.title);
    out.push_str(&format!("{}{}\n", if en { "Date: " } else { "日期：" }, card.date));
    out.push_str(&format!("{}{}\n", if en { "From: " } else { "发布：" }, card.issuer));
    if let Some(p) = &card.posting {
        out.push_str(&format!("{}{} {} {}\n", if en { "Posted: " } else { "公示期：" }, p.from, if en { "to" } else { "至" }, p.to));
    }
    if !card.scope.is_empty() {
        out.push_str(&format!("{}{}\n", if en { "For: " } else { "范围：" }, card.scope.join(if en { ", " } else { "、" })));
    }
    out.push_str(&format!("\n{}\n\n", card.summary));
    out.push_str(&format!("{}{url}\n", if en { "Details: " } else { "详情：" }));
    out.push_str(&format!("{}{}", if en { "Verification code: " } else { "校验码：" }, card.code));
    out
}
