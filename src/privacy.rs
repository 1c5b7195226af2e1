//! The privacy guard: finds residents' personal data in text that is about to be published —
//! mainland mobile numbers in any common spelling, 18-digit ID numbers (checksum-validated),
//! bank-card numbers (Luhn-validated) and full room numbers (`3号楼1201室`, `3-1201`) — and
//! masks them for templates (`138****5678`, `3号楼12**室`).
//!
//! Amounts (`18650.00`), dates (`2025-10-08`), times (`8:00-17:00`), landlines
//! (`021-5781 0000`) and voucher numbers (`记-07-001`) must never trigger it.

use regex::Regex;
use std::sync::LazyLock;

/// What was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 手机号.
    Mobile,
    /// 身份证号.
    IdNumber,
    /// 银行卡号.
    BankCard,
    /// 房号.
    Room,
}

impl Kind {
    /// Plain name in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Kind::Mobile => "手机号",
            Kind::IdNumber => "身份证号",
            Kind::BankCard => "银行卡号",
            Kind::Room => "房号",
        }
    }

    /// Plain name in English.
    pub fn en(self) -> &'static str {
        match self {
            Kind::Mobile => "mobile number",
            Kind::IdNumber => "ID number",
            Kind::BankCard => "bank-card number",
            Kind::Room => "room number",
        }
    }
}

/// One finding: its kind and where it is (byte offsets into the scanned text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Kind.
    pub kind: Kind,
    /// Start (bytes).
    pub start: usize,
    /// End (bytes, exclusive).
    pub end: usize,
    /// The text as written.
    pub value: String,
}

/// Runs of digits joined by single spaces or dashes, optionally `+`-prefixed and `X`-ended.
static NUMBER_RUN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\+?[0-9０-９]+(?:[ \-][0-9０-９]+)*[XxＸ]?").expect("valid regex"));
/// `3号楼1201室`, `3栋2单元1201`, `12幢1-1201`.
static ROOM_CN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([0-9０-９]{1,3})\s*(?:号楼|幢|栋|号)\s*(?:([0-9０-９]{1,2})\s*(?:单元|门洞|号门|门|-)\s*)?([0-9０-９]{3,4})\s*(室|号|户)?",
    )
    .expect("valid regex")
});
/// `3-1201`, `3-1-1201`.
static ROOM_DASH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[0-9０-９]+(?:-[0-9０-９]+){1,2}").expect("valid regex"));

/// The value of an ASCII or full-width digit (people type `１３８…` with a Chinese input method).
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// The digits of `s` as ASCII (`X` kept for ID numbers).
fn ascii_digits(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'X' | 'x' | 'Ｘ' => Some('X'),
            c => digit(c).and_then(|d| char::from_digit(d, 10)),
        })
        .collect()
}

/// Every piece of personal data in `text`, in order.
pub fn scan(text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    for m in NUMBER_RUN.find_iter(text) {
        scan_run(m.start(), m.as_str(), &mut hits);
    }
    // Each room pattern needs a word or a dash that most texts lack: look for it first.
    let room_cn = ["号", "幢", "栋"].iter().any(|w| text.contains(w));
    for c in ROOM_CN.captures_iter(if room_cn { text } else { "" }) {
        let m = c.get(0).expect("whole match");
        let room = c.get(3).expect("room group");
        let next = text[m.end()..].chars().next();
        if c.get(4).is_none_or(|s| s.is_empty()) && next.is_some_and(|n| n.is_ascii_digit() || "年月日元层户米平人天次:.%".contains(n))
        {
            continue;
        }
        if plausible_room(room.as_str()) && !overlaps(&hits, m.start(), m.end()) {
            hits.push(Hit { kind: Kind::Room, start: m.start(), end: m.end(), value: m.as_str().to_string() });
        }
    }
    for m in ROOM_DASH.find_iter(if text.contains('-') { text } else { "" }) {
        let groups: Vec<&str> = m.as_str().split('-').collect();
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || digit(c).is_some() || ":./-_年月日".contains(c));
        let len = |g: &str| g.chars().count();
        let first_ok = len(groups[0]) <= 2 && ascii_digits(groups[0]) != "0";
        let middle_ok = groups.len() == 2 || len(groups[1]) <= 2;
        let last = groups[groups.len() - 1];
        if first_ok
            && middle_ok
            && (3..=4).contains(&len(last))
            && plausible_room(last)
            && !glued(before)
            && !glued(after)
            && !overlaps(&hits, m.start(), m.end())
        {
            hits.push(Hit { kind: Kind::Room, start: m.start(), end: m.end(), value: m.as_str().to_string() });
        }
    }
    hits.sort_by_key(|h| h.start);
    hits
}

fn overlaps(hits: &[Hit], start: usize, end: usize) -> bool {
    hits.iter().any(|h| h.start < end && start < h.end)
}

/// `1201`: floor 1–60, unit 01–30.
fn plausible_room(room: &str) -> bool {
    let d = ascii_digits(room);
    if d.len() < 3 {
        return false;
    }
    let (floor, unit) = d.split_at(d.len() - 2);
    let floor: u32 = floor.parse().unwrap_or(0);
    let unit: u32 = unit.parse().unwrap_or(0);
    (1..=60).contains(&floor) && (1..=30).contains(&unit)
}

/// Looks for a mobile, ID or card number in any window of consecutive groups of one run, so
/// that `2025-10-03 13812345678` finds the phone and `+86 138 1234 5678` is one number.
fn scan_run(offset: usize, run: &str, hits: &mut Vec<Hit>) {
    // Byte ranges of the groups inside `run`.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in run.char_indices() {
        let part = digit(c).is_some() || c == '+' || c == 'X' || c == 'x' || c == 'Ｘ';
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                groups.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        groups.push((s, run.len()));
    }
    let mut i = 0;
    while i < groups.len() {
        let mut found = None;
        // Longest window first, so that a card is not read as a shorter number.
        for j in (i..groups.len()).rev() {
            let (s, e) = (groups[i].0, groups[j].1);
            let digits = ascii_digits(&run[s..e]);
            if let Some(kind) = classify(&digits) {
                found = Some((kind, s, e, j));
                break;
            }
        }
        match found {
            Some((kind, s, e, j)) => {
                hits.push(Hit { kind, start: offset + s, end: offset + e, value: run[s..e].to_string() });
                i = j + 1;
            }
            None => i += 1,
        }
    }
}

/// The digits that identify a phone number, however it is written: `+86 138-1234-5678` and
/// `13812345678` give the same key (the country code goes; so does an `X`).
pub fn phone_key(s: &str) -> String {
    let d = ascii_digits(s).replace('X', "");
    without_country_code(&d).to_string()
}

fn without_country_code(digits: &str) -> &str {
    digits.strip_prefix("0086").or_else(|| digits.strip_prefix("86")).filter(|d| d.len() == 11).unwrap_or(digits)
}

fn classify(digits: &str) -> Option<Kind> {
    let body = without_country_code(digits);
    let b = body.as_bytes();
    if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && body.bytes().all(|c| c.is_ascii_digit()) {
        return Some(Kind::Mobile);
    }
    if digits.len() == 18 && id_checksum_ok(digits) {
        return Some(Kind::IdNumber);
    }
    if (16..=19).contains(&digits.len()) && digits.bytes().all(|c| c.is_ascii_digit()) && luhn_ok(digits) {
        return Some(Kind::BankCard);
    }
    None
}

/// GB 11643: weighted sum of the first 17 digits mod 11 gives the check character.
pub fn id_checksum_ok(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..17].iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    CHECK[(sum % 11) as usize] == b[17].to_ascii_uppercase()
}

/// The Luhn check of card numbers.
pub fn luhn_ok(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(c - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// `138****5678`: keeps the first three and last four digits of a mobile number.
pub fn mask_phone(s: &str) -> String {
    let digits: Vec<char> = ascii_digits(s).chars().filter(char::is_ascii_digit).collect();
    let d: Vec<char> = if digits.len() > 11 { digits[digits.len() - 11..].to_vec() } else { digits };
    if d.len() < 7 {
        return "*".repeat(d.len());
    }
    let head: String = d[..3].iter().collect();
    let tail: String = d[d.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(d.len() - 7))
}

/// `3号楼12**室`, `3-12**`: hides the last two digits of every room number in `s`.
pub fn mask_rooms(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for h in scan(s).into_iter().filter(|h| h.kind == Kind::Room) {
        out.push_str(&s[last..h.start]);
        out.push_str(&mask_room(&h.value));
        last = h.end;
    }
    out.push_str(&s[last..]);
    out
}

fn mask_room(room: &str) -> String {
    // The room proper is the last run of 3–4 digits; its last two digits go.
    let mut chars: Vec<char> = room.chars().collect();
    if let Some(end) = chars.iter().rposition(|c| digit(*c).is_some()) {
        for c in chars[end.saturating_sub(1)..=end].iter_mut() {
            *c = '*';
        }
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        scan(text).into_iter().map(|h| (h.kind, h.value)).collect()
    }

    #[test]
    fn mobile_numbers_in_every_common_spelling() {
        for s in
            ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+8613812345678", "86-138-1234-5678", "0086 13812345678"]
        {
            let found = kinds(&format!("联系王先生{s}。"));
            assert_eq!(found.len(), 1, "{s}: {found:?}");
            assert_eq!(found[0].0, Kind::Mobile, "{s}");
            assert_eq!(found[0].1, s, "{s}");
        }
        assert_eq!(kinds("2025-10-03 13912345678 报修")[0].1, "13912345678");
    }

    #[test]
    fn ids_and_cards_are_validated() {
        // A made-up ID with a correct check digit, and the same with a wrong one.
        assert_eq!(kinds("身份证 11010519491231002X")[0].0, Kind::IdNumber);
        assert!(kinds("编号 110105194912310021").is_empty());
        // The Luhn test number and a one-digit change of it.
        assert_eq!(kinds("卡号 4111 1111 1111 1111")[0].0, Kind::BankCard);
        assert_eq!(kinds("卡号 6222-0202-0000-0000-006")[0].0, Kind::BankCard);
        assert!(kinds("卡号 4111 1111 1111 1112").is_empty());
    }

    #[test]
    fn room_numbers() {
        for s in ["3号楼1201室", "3号楼1单元1201室", "12栋2单元302", "5幢101", "3-1201", "3-1-1201"] {
            let found = kinds(&format!("住户（{s}）反映"));
            assert_eq!(found, vec![(Kind::Room, s.to_string())], "{s}");
        }
    }

    #[test]
    fn amounts_dates_times_landlines_and_vouchers_are_not_personal_data() {
        for s in [
            "18650.00",
            "¥12,345.60",
            "2025-10-08",
            "2025-10-03 07:43",
            "8:00-17:00",
            "021-5781 0000",
            "021-57810001",
            "12345",
            "记-07-001",
            "R-2510-001",
            "5号楼12层",
            "5号楼2026年",
            "3-5天",
            "第1-100号",
            "2024年第2次业主大会",
            "面积 98120.40 平方米，784 户",
            "10月10日9点到16点5号楼停水",
            "5号楼10-16层",
            "2025-Q3",
            "4111",
        ] {
            assert!(kinds(s).is_empty(), "{s}: {:?}", kinds(s));
        }
    }

    #[test]
    fn full_width_and_other_scripts_digits() {
        assert_eq!(kinds("电话１３８１２３４５６７８")[0].0, Kind::Mobile);
        assert_eq!(kinds("住３号楼１２０１室")[0].0, Kind::Room);
        assert_eq!(mask_rooms("３号楼１２０１室"), "３号楼１２**室");
        // Arabic-Indic digits are not what anyone writes here, and must not break the scan.
        assert!(kinds("86۷0 5-86۷0").is_empty());
    }

    #[test]
    fn masks() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("+86 138-1234-5678"), "138****5678");
        assert_eq!(mask_rooms("3号楼1201室漏水"), "3号楼12**室漏水");
        assert_eq!(mask_rooms("3-1201 和 5号楼302"), "3-12** 和 5号楼3**");
    }
}
