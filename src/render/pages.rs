//! Free pages (规约, 明白卡, about): each one's page, which prints as its sheet.

use super::{Plan, Renderer, Shared, Shows};
use crate::address;

pub(super) fn plan<'a>(r: &'a Renderer<'a>, x: &'a Shared<'a>, plan: &mut Plan<'a>) {
    for v in x.pages {
        plan.page(address::page(v.card.id), Shows::Other, move |at| {
            let mut ctx = r.item(at, "kind_page", v.card.title, v.card.code);
            ctx.insert("page", &v.card);
            ctx.insert("body", &v.body_html);
            ctx.insert("revisions", &v.revisions);
            r.page(at, "page.html", &ctx)
        });
    }
}
