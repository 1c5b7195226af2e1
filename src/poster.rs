//! An entrance poster's own verification code (§3): the code of what it shows — the place, the
//! site's code (which vouches for the contacts printed on it) and the code of every notice it
//! lists as posted there today, in order. `gongshi publish` records each poster's code in the
//! log whenever it changes, so that `/c/<code>/` answers a poster photographed months ago with
//! what it listed then.

use crate::code::VerificationCode;
use crate::content::Content;
use crate::date::Date;
use crate::site::Place;
use serde::{Deserialize, Serialize};

/// What a poster showed, as the log records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PosterRecord {
    /// The place's id: `6`, `13-1`.
    pub place: String,
    /// The poster's code.
    pub code: String,
    /// The codes of the notices it listed, in order.
    pub shows: Vec<String>,
}

/// The notices posted at `place` today, as its poster lists them (before it cuts the list
/// short): those concerning it, then the community-wide ones, each in the order of
/// `content.notices`. Indices into `content.notices`.
pub fn posted(content: &Content, index: &crate::render::views::PlaceIndex, place: &Place, today: Date) -> Vec<usize> {
    let (here, everywhere) = index.positions(place);
    here.iter().chain(everywhere).copied().filter(|&i| content.notices[i].on_posters(today)).collect()
}

/// The last day on which a poster of `place` listing the notices at `shown` of `content` is
/// still right: the earliest day one of them ends, or the day before another one starts being
/// posted there. `None` when nothing it lists or will list there has a posting period.
pub fn good_until(
    content: &Content,
    index: &crate::render::views::PlaceIndex,
    place: &Place,
    shown: &[usize],
    today: Date,
) -> Option<Date> {
    let ends = shown.iter().filter_map(|&i| content.notices[i].posting.map(|p| p.to)).filter(|to| *to >= today);
    let (here, everywhere) = index.positions(place);
    let starts = here.iter().chain(everywhere).filter_map(|&i| {
        let n = &content.notices[i];
        let from = n.posting?.from;
        (from > today && !n.pinned).then(|| from.0.pred_opt().map(Date)).flatten()
    });
    ends.chain(starts).min()
}

/// The code of a poster of `place` listing the notices at `shown` of `content`.
pub fn code(content: &Content, place: &Place, shown: &[usize]) -> PosterRecord {
    let id = place.id();
    let site = content.site.code.as_str();
    let shows: Vec<String> = shown.iter().map(|&i| content.notices[i].code.as_str().to_string()).collect();
    let text = format!("gongshi poster {id}\nsite {site}\n{}", shows.join("\n"));
    PosterRecord { place: id, code: VerificationCode::of(&text).as_str().to_string(), shows }
}

/// Every poster of the site as it stands on `today`.
pub fn all(content: &Content, today: Date) -> Vec<PosterRecord> {
    let index = crate::render::views::PlaceIndex::new(content);
    content.site.places().iter().map(|p| code(content, p, &posted(content, &index, p, today))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{load, LoadOptions};

    #[test]
    fn a_posters_code_follows_what_it_lists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let content = load(root, LoadOptions { drafts: false }).0.expect("the sample community loads");
        let place = Place::Building("6".into());
        let a = code(&content, &place, &[0, 1]);
        assert_eq!(a, code(&content, &place, &[0, 1]), "the same list, the same code");
        assert_ne!(a.code, code(&content, &place, &[1, 0]).code, "the order is part of it");
        assert_ne!(a.code, code(&content, &place, &[0]).code, "one notice fewer");
        assert_ne!(a.code, code(&content, &Place::Building("7".into()), &[0, 1]).code, "another entrance");
        assert_eq!(a.shows.len(), 2);
    }
}
