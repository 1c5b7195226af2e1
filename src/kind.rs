//! The kinds of published item, registered here once. Every kind has a name (as the manifest
//! and the lock spell it), an address for each of its items, and a type that implements
//! [`Item`]; the lock, the fingerprint, the manifest and the render plan go through
//! [`Content::items`] instead of naming kinds one by one.
//!
//! Adding a kind: a variant below (every `match` on [`Kind`] then asks for it), a field of
//! [`Content`] (the destructuring in [`Content::items`] and in the render plan then asks for
//! it), its content file (`content/<kind>.rs`, with its `impl Item`), its render file
//! (`render/<kind>.rs`, with its `plan`), its templates and its strings.

use crate::address::{self, Address};
use crate::code::VerificationCode;
use crate::content::{Content, Revision};
use crate::site::Site;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The kinds of published item, as named in `manifest.json` and `publish.lock`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A notice (公告 / 公示).
    Notice,
    /// A ledger: one fund, one period (晒账目).
    Account,
    /// Service standards (晒服务标准).
    Standards,
    /// A request log: one period (诉求台账).
    Requests,
    /// A vote or consultation (表决 / 征询).
    Vote,
    /// A free page (规约, 明白卡…).
    Page,
    /// A matter (事项): one decision followed from proposal to money.
    Matter,
    /// A donation register (捐款 / 众筹).
    Donation,
    /// The minutes of a meeting (会议纪要).
    Minutes,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 9] =
        [Kind::Notice, Kind::Account, Kind::Standards, Kind::Requests, Kind::Vote, Kind::Page, Kind::Matter, Kind::Donation, Kind::Minutes];

    /// `公告`…
    pub fn zh(self) -> &'static str {
        match self {
            Kind::Notice => "公告",
            Kind::Account => "账目",
            Kind::Standards => "服务标准",
            Kind::Requests => "诉求台账",
            Kind::Vote => "表决结果",
            Kind::Page => "页面",
            Kind::Matter => "事项",
            Kind::Donation => "捐款公示",
            Kind::Minutes => "会议纪要",
        }
    }

    /// `notice`…
    pub fn en(self) -> &'static str {
        match self {
            Kind::Notice => "notice",
            Kind::Account => "ledger",
            Kind::Standards => "service standards",
            Kind::Requests => "request log",
            Kind::Vote => "vote",
            Kind::Page => "page",
            Kind::Matter => "matter",
            Kind::Donation => "donation register",
            Kind::Minutes => "minutes",
        }
    }

    /// The folder of `content/` its sources are in.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Notice => "notices",
            Kind::Account => "accounts",
            Kind::Standards => "standards",
            Kind::Requests => "requests",
            Kind::Vote => "votes",
            Kind::Page => "pages",
            Kind::Matter => "matters",
            Kind::Donation => "donations",
            Kind::Minutes => "minutes",
        }
    }

    /// The short name used on the command line: `gongshi retire n/water-cut-5`.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Notice => "n",
            Kind::Account => "a",
            Kind::Standards => "s",
            Kind::Requests => "r",
            Kind::Vote => "v",
            Kind::Page => "p",
            Kind::Matter => "m",
            Kind::Donation => "d",
            Kind::Minutes => "k",
        }
    }

    /// The kind named by a short name (`n`).
    pub fn from_prefix(p: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.prefix() == p)
    }

    /// The page of item `id` of this kind (the request logs of every period share `r/`).
    pub fn address(self, id: &str) -> Address {
        match self {
            Kind::Notice => address::notice(id),
            Kind::Account => match id.split_once('/') {
                Some((fund, period)) => address::statement(fund, period),
                None => address::fund(id),
            },
            Kind::Standards => address::standards(id),
            Kind::Requests => address::requests(),
            Kind::Vote => address::vote(id),
            Kind::Page => address::page(id),
            Kind::Matter => address::matter(id),
            Kind::Donation => address::donation(id),
            Kind::Minutes => address::minutes(id),
        }
    }
}

/// What every published item has, whatever its kind.
pub trait Item: Sync {
    /// Its kind.
    fn kind(&self) -> Kind;
    /// Its id within the kind (`water-cut-5`, `public-income/2026-Q3`, `2026-10`).
    fn id(&self) -> String;
    /// Its title, as tombstones and messages name it.
    fn title(&self, site: &Site) -> String;
    /// 校验码 of its source.
    fn code(&self) -> &VerificationCode;
    /// The revisions its source records.
    fn revisions(&self) -> &[Revision];
    /// Its source file, relative to the site root.
    fn source(&self) -> &Path;
    /// A draft: never published unless `--drafts`.
    fn draft(&self) -> bool {
        false
    }
    /// The files under `content/static/` it shows or links to, hashed into its code.
    fn attachments(&self) -> &[crate::code::Attachment] {
        &[]
    }
    /// Its page.
    fn address(&self) -> Address {
        self.kind().address(&self.id())
    }
}

/// The parts of an [`Item`] that every kind keeps in fields of the same names (`code`,
/// `revisions`, `source`, `draft`), for use inside its `impl Item`.
#[macro_export]
#[doc(hidden)]
macro_rules! item_fields {
    () => {
        fn code(&self) -> &$crate::code::VerificationCode {
            &self.code
        }
        fn revisions(&self) -> &[$crate::content::Revision] {
            &self.revisions
        }
        fn source(&self) -> &std::path::Path {
            &self.source
        }
        fn draft(&self) -> bool {
            self.draft
        }
    };
    (attachments) => {
        $crate::item_fields!();
        fn attachments(&self) -> &[$crate::code::Attachment] {
            &self.attachments
        }
    };
}

impl Content {
    /// Every item of the site, of every kind, in the order of their lists.
    pub fn items(&self) -> Vec<&dyn Item> {
        // Named field by field, so that a new kind's list cannot be left out.
        let Content { site: _, notices, pages, ledgers, standards, requests, votes, matters, donations, minutes } = self;
        let mut out: Vec<&dyn Item> = Vec::new();
        out.extend(notices.iter().map(|i| i as &dyn Item));
        out.extend(ledgers.iter().map(|i| i as &dyn Item));
        out.extend(standards.iter().map(|i| i as &dyn Item));
        out.extend(requests.iter().map(|i| i as &dyn Item));
        out.extend(votes.iter().map(|i| i as &dyn Item));
        out.extend(pages.iter().map(|i| i as &dyn Item));
        out.extend(matters.iter().map(|i| i as &dyn Item));
        out.extend(donations.iter().map(|i| i as &dyn Item));
        out.extend(minutes.iter().map(|i| i as &dyn Item));
        out
    }

    /// Drops the drafts of every kind (a build without `--drafts`).
    pub(crate) fn drop_drafts(&mut self) {
        let Content { site: _, notices, pages, ledgers, standards, requests, votes, matters, donations, minutes } = self;
        matters.retain(|i| !i.draft());
        donations.retain(|i| !i.draft());
        minutes.retain(|i| !i.draft());
        notices.retain(|i| !i.draft());
        pages.retain(|i| !i.draft());
        ledgers.retain(|i| !i.draft());
        standards.retain(|i| !i.draft());
        requests.retain(|i| !i.draft());
        votes.retain(|i| !i.draft());
    }
}
