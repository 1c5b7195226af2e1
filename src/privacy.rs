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
    /// What a reader sees of it (entities, escapes and markup resolved): `13812345678` for
    /// `&#49;3812345678`.
    pub seen: String,
}

/// Runs of digits joined by separators people type between groups (spaces, `-`, `.`, `/`,
/// brackets — after [`Seen`] made every space, dash and full-width form plain), optionally
/// `+`-prefixed and `X`-ended.
static NUMBER_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?[0-9０-９]+(?:[ \-./()]{1,3}[0-9０-９]+)*[XxＸ]?").expect("valid regex"));
/// `3号楼1201室`, `3栋2单元1201`, `12幢1-1201`.
static ROOM_CN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([0-9０-９A-Za-z]{1,3})\s*(?:号\s*楼|[#＃]\s*楼|幢|栋|座|号)\s*-?\s*(?:([0-9０-９]{1,2})\s*(?:单元|门洞|号门|门|-)\s*)?([0-9０-９]{3,4})\s*(室|号|户|房)?",
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

/// Every piece of personal data in `text`, in order: looked for in what a reader sees of it
/// ([`Seen`]), and placed back in `text` as written.
pub fn scan(text: &str) -> Vec<Hit> {
    let mut hits = scan_reading(text, &Seen::of(text, false));
    // A link's text as the page shows it, without its address between (`[138](…)12345678`
    // reads as 13812345678); the addresses themselves were read above.
    if text.contains("](") {
        for h in scan_reading(text, &Seen::of(text, true)) {
            if !overlaps(&hits, h.start, h.end) {
                hits.push(h);
            }
        }
        hits.sort_by_key(|h| h.start);
    }
    hits
}

/// The hits in one reading of `text`, placed back in `text`.
fn scan_reading(text: &str, seen: &Seen<'_>) -> Vec<Hit> {
    let mut hits = scan_seen(&seen.text);
    if !seen.breaks.is_empty() {
        for h in &mut hits {
            let (start, end) = (seen.source(h.start), seen.source(h.end));
            h.seen = std::mem::replace(&mut h.value, text[start..end].to_string());
            (h.start, h.end) = (start, end);
        }
    }
    hits
}

/// Characters that show as nothing (zero-width and joiners, direction marks, soft hyphens,
/// invisible operators, variation selectors).
fn invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}' | '\u{180b}'..='\u{180f}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}')
}

/// Text as a reader sees it, with where each part came from: HTML entities (`&#49;`,
/// `&nbsp;`) and YAML escapes (`\u0031`) resolved, tags (`<span>`), emphasis (`**`, `_`,
/// `` ` ``, `~`) and zero-width characters dropped, every kind of space (no-break, U+3000, a
/// run of them) one space, every dash `-`, full-width `．／（）＿` plain.
pub struct Seen<'a> {
    /// The text.
    pub text: std::borrow::Cow<'a, str>,
    /// `(offset in text, offset in the source)` where a changed part starts or ends; between
    /// two, the text is the source's.
    breaks: Vec<(usize, usize)>,
}

impl<'a> Seen<'a> {
    /// What a reader sees of `source`; with `links`, a Markdown link's address is left out
    /// (`[text](address)` reads as its text).
    pub fn of(source: &'a str, links: bool) -> Seen<'a> {
        let special = |c: char| {
            matches!(c, '&' | '\\' | '<' | '*' | '_' | '`' | '~' | '\t' | '\n' | '%' | '·' | '・' | '\u{a0}' | '\u{3000}' | '\u{2212}')
                || invisible(c)
                || ('\u{2000}'..='\u{206f}').contains(&c)
                || ('\u{ff01}'..='\u{ff5e}').contains(&c) && !('０'..='９').contains(&c)
        };
        let spaces = source.contains("  ");
        if !links && !spaces && !source.contains(special) {
            return Seen { text: std::borrow::Cow::Borrowed(source), breaks: Vec::new() };
        }
        let mut text = String::with_capacity(source.len());
        let mut breaks = Vec::new();
        let mut i = 0;
        while i < source.len() {
            let c = source[i..].chars().next().expect("inside the text");
            let (out, used): (Option<char>, usize) = match c {
                '&' => entity(&source[i..]).map_or((Some('&'), 1), |(c, n)| (c, n)),
                '\\' => escape(&source[i..]).map_or((Some('\\'), 1), |(c, n)| (c, n)),
                '%' => percent(&source[i..]).map_or((Some('%'), 1), |c| (Some(c), 3)),
                '<' => tag(&source[i..]).map_or((Some('<'), 1), |n| (None, n)),
                // A line break between digits, inside a paragraph or a folded YAML text, reads
                // as a space; anywhere else it ends the run.
                '\n' => {
                    let rest = &source[i + 1..];
                    let next = rest.trim_start_matches([' ', '\t']);
                    if text.chars().next_back().is_some_and(|p| digit(p).is_some())
                        && next.chars().next().is_some_and(|n| digit(n).is_some())
                    {
                        (Some(' '), 1 + rest.len() - next.len())
                    } else {
                        (Some('\n'), 1)
                    }
                }
                '[' | ']' if links => (None, 1),
                '(' if links && source[..i].ends_with(']') => match source[i..].find(')').filter(|e| !source[i..i + e].contains('\n')) {
                    Some(e) => (None, e + 1),
                    None => (Some('('), 1),
                },
                '*' | '_' | '`' | '~' => (None, 1),
                c if invisible(c) => (None, c.len_utf8()),
                c => (Some(plain(c)), c.len_utf8()),
            };
            // A space after a space (or at the start of a run of them) adds nothing.
            let out = out.filter(|o| !(*o == ' ' && text.ends_with(' ')));
            let changed = out != Some(c) || used != c.len_utf8();
            if changed {
                breaks.push((text.len(), i));
            }
            if let Some(o) = out {
                text.push(o);
            }
            i += used;
            if changed {
                breaks.push((text.len(), i));
            }
        }
        Seen { text: std::borrow::Cow::Owned(text), breaks }
    }

    /// Where the offset `at` of the text is in the source.
    pub fn source(&self, at: usize) -> usize {
        match self.breaks.partition_point(|(t, _)| *t <= at) {
            0 => at,
            n => {
                let (t, s) = self.breaks[n - 1];
                s + (at - t)
            }
        }
    }
}

/// `%20` in an address (`tel:138%201234%205678`): the ASCII character it stands for.
fn percent(s: &str) -> Option<char> {
    let n = u8::from_str_radix(s.get(1..3)?, 16).ok()?;
    (n.is_ascii() && !n.is_ascii_control()).then_some(plain(n as char))
}

/// Spaces, dashes and full-width punctuation as the plain character they show as.
fn plain(c: char) -> char {
    match c {
        '\t' | '\u{a0}' | '\u{3000}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' => ' ',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe63}' | '－' | '\u{2043}' | '·' | '・' => '-',
        '．' => '.',
        '／' => '/',
        '（' => '(',
        '）' => ')',
        '＿' => '_',
        c => c,
    }
}

/// `&#49;`, `&#x31;`, `&nbsp;`…: the character (none for the invisible ones) and the length.
fn entity(s: &str) -> Option<(Option<char>, usize)> {
    let end = s[1..].find(';').filter(|e| *e <= 24)? + 2;
    let name = &s[1..end - 1];
    let c = if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(n).filter(|c| !invisible(*c)).map(plain)
    } else {
        match name {
            "nbsp" | "ensp" | "emsp" | "thinsp" | "numsp" | "puncsp" | "MediumSpace" => Some(' '),
            "shy"
            | "zwj"
            | "zwnj"
            | "ZeroWidthSpace"
            | "NoBreak"
            | "lrm"
            | "rlm"
            | "NegativeThinSpace"
            | "NegativeMediumSpace"
            | "NegativeThickSpace"
            | "NegativeVeryThinSpace"
            | "it"
            | "InvisibleTimes"
            | "ic"
            | "InvisibleComma"
            | "af"
            | "ApplyFunction"
            | "zwsp" => None,
            "ndash" | "mdash" | "minus" | "hyphen" | "dash" => Some('-'),
            "period" => Some('.'),
            "sol" => Some('/'),
            "lpar" => Some('('),
            "rpar" => Some(')'),
            "lowbar" | "UnderBar" => None,
            "ast" | "midast" => None,
            "plus" => Some('+'),
            "amp" => Some('&'),
            _ => return None,
        }
    };
    Some((c, end))
}

/// A YAML escape (`\u0031`, `\x31`, `\U00000031`, `\_`, `\t`) or a Markdown one (`\-`):
/// the character and the length.
fn escape(s: &str) -> Option<(Option<char>, usize)> {
    let next = s[1..].chars().next()?;
    let hex = |n: usize| s.get(2..2 + n).and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32);
    match next {
        'u' => hex(4).map(|c| (Some(plain(c)).filter(|c| !invisible(*c)), 6)),
        'U' => hex(8).map(|c| (Some(plain(c)).filter(|c| !invisible(*c)), 10)),
        'x' => hex(2).map(|c| (Some(plain(c)).filter(|c| !invisible(*c)), 4)),
        // A YAML line continuation (`"138\` then `  12345678`): nothing, with the indent.
        '\n' => Some((None, 2 + s[2..].len() - s[2..].trim_start_matches([' ', '\t']).len())),
        '_' | 't' | ' ' | 'N' | 'L' | 'P' => Some((Some(' '), 2)),
        '0'..='9' => None,
        c if c.is_ascii_punctuation() => Some((Some(plain(c)).filter(|c| !matches!(c, '*' | '_' | '`' | '~')), 2)),
        _ => None,
    }
}

/// An HTML tag (`<span class="x">`, `</b>`, `<!-- -->`): its length.
fn tag(s: &str) -> Option<usize> {
    let second = s[1..].chars().next()?;
    if !(second.is_ascii_alphabetic() || second == '/' || second == '!') {
        return None;
    }
    if let Some(comment) = s.strip_prefix("<!--") {
        return comment.find("-->").map(|e| e + 7);
    }
    let end = s.find('>')?;
    (end <= 2000).then_some(end + 1)
}

/// [`scan`] of text a reader sees.
fn scan_seen(text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    for m in NUMBER_RUN.find_iter(text) {
        scan_run(m.start(), m.as_str(), &mut hits);
    }
    // Each room pattern needs a word or a dash that most texts lack: look for it first.
    let room_cn = ["号", "幢", "栋", "楼", "座"].iter().any(|w| text.contains(w));
    for c in ROOM_CN.captures_iter(if room_cn { text } else { "" }) {
        let m = c.get(0).expect("whole match");
        let room = c.get(3).expect("room group");
        let next = text[m.end()..].chars().next();
        let counted = |n: char| n.is_ascii_digit() || "年月日元层户米平人天次:.%名个位辆套间把张份件台".contains(n);
        if c.get(4).is_none_or(|s| s.is_empty()) && next.is_some_and(counted) {
            continue;
        }
        // `3号楼120户已签字` counts households; a room is four digits before 户.
        if c.get(4).is_some_and(|s| s.as_str() == "户") && room.as_str().chars().count() < 4 {
            continue;
        }
        // A letter is a building only before 座 (`A座1201室`).
        if c[1].chars().any(|ch| ch.is_ascii_alphabetic()) && !m.as_str().contains('座') {
            continue;
        }
        if plausible_room(room.as_str()) && !overlaps(&hits, m.start(), m.end()) && !public_venue(text, m.start(), m.end()) {
            hits.push(Hit::new(Kind::Room, m.start(), m.end(), m.as_str()));
        }
    }
    for m in ROOM_DASH.find_iter(if text.contains('-') { text } else { "" }) {
        let groups: Vec<&str> = m.as_str().split('-').collect();
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].trim_start_matches(' ').chars().next();
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || digit(c).is_some() || ":./-_年月日第~".contains(c));
        // A range of amounts or sizes (`60-120平方米`, `10-120 元`).
        let unit = after.is_some_and(|c| "平米元人户名个位辆套间天次号层%℃".contains(c));
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
            && !unit
            && !overlaps(&hits, m.start(), m.end())
            && !public_venue(text, m.start(), m.end())
        {
            hits.push(Hit::new(Kind::Room, m.start(), m.end(), m.as_str()));
        }
    }
    // A room without its building (`1201室`) says whose home it is only beside a name.
    for c in BARE_ROOM.captures_iter(if text.contains(['室', '户', '房']) { text } else { "" }) {
        let m = c.get(0).expect("whole match");
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|b| digit(b).is_some() || b == '-')
            || !plausible_room(&c[1])
            || overlaps(&hits, m.start(), m.end())
            || !(name_before(&text[..m.start()]) || name_after(&text[m.end()..]))
        {
            continue;
        }
        hits.push(Hit::new(Kind::Room, m.start(), m.end(), m.as_str()));
    }
    hits.sort_by_key(|h| h.start);
    hits
}

/// `1201室`, `302户`.
static BARE_ROOM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([0-9０-９]{3,4})\s*(?:室|号房|房|户)").expect("valid regex"));

/// Common surnames (the first character of most residents' names).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝辛靳管柴蒙鲍华喻祁蒲房滕屈饶牟艾尤阳穆农司卓古吉缪简项芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬师仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝";
/// Two-character surnames.
const COMPOUND_SURNAMES: [&str; 12] = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒"];
/// How a person is called after the surname.
const TITLES: [&str; 15] =
    ["先生", "女士", "阿姨", "师傅", "老师", "大爷", "大妈", "奶奶", "爷爷", "同志", "老人", "小姐", "太太", "伯伯", "叔叔"];
/// Words that follow a name in a notice (`张三反映`).
const AFTER_A_NAME: [&str; 14] = ["反映", "投诉", "报修", "来电", "说", "称", "表示", "家", "等", "的", "住", "一家", "夫妇", "业主"];
/// Words before a name (`业主张三`).
const BEFORE_A_NAME: [&str; 21] = [
    "业主",
    "住户",
    "居民",
    "租户",
    "户主",
    "联系人",
    "由",
    "请",
    "找",
    "是",
    "和",
    "与",
    "主任",
    "经理",
    "书记",
    "委员",
    "主席",
    "秘书",
    "管家",
    "电工",
    "保安",
];
/// Words of a place that is not a home: a room named right after one of them (`物业服务中心在1号楼
/// 101室`, `活动室设在5-101`) or right before one (`101室（业委会办公室）`) may be published.
const VENUES: [&str; 28] = [
    "服务中心",
    "服务站",
    "服务点",
    "物业管理处",
    "物业前台",
    "办公室",
    "会所",
    "活动室",
    "活动中心",
    "值班室",
    "门卫室",
    "警务室",
    "居委会",
    "业委会",
    "党群服务",
    "会议室",
    "阅览室",
    "图书室",
    "卫生室",
    "驿站",
    "仓库",
    "配电室",
    "机房",
    "泵房",
    "快递柜",
    "超市",
    "便利店",
    "监控室",
];

fn han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Whether `s` (the text right after a room) starts with a person's name.
fn name_after(s: &str) -> bool {
    let s = s.trim_start_matches([' ', '(', ')', '的', '，', ',', '：', ':']);
    let rest = match COMPOUND_SURNAMES.iter().find_map(|c| s.strip_prefix(c)) {
        Some(r) => r,
        None => match s.chars().next().filter(|c| SURNAMES.contains(*c)) {
            Some(c) => &s[c.len_utf8()..],
            None => return false,
        },
    };
    if TITLES.iter().any(|t| rest.starts_with(t)) {
        return true;
    }
    let mut given = rest.char_indices().take_while(|(_, c)| han(*c)).map(|(i, c)| i + c.len_utf8());
    [given.next(), given.next()].into_iter().flatten().any(|end| {
        let after = &rest[end..];
        after.chars().next().is_none_or(|c| !han(c)) || AFTER_A_NAME.iter().any(|w| after.starts_with(w))
    })
}

/// Whether `s` (the text right before a room) ends with a person's name.
fn name_before(s: &str) -> bool {
    let mut s = s.trim_end_matches([' ', '(', '（', '住', '家', '在', '的', '是', '，', ',', '：', ':']);
    // `李娜（业委会委员）住…`: the role in brackets after the name.
    if s.ends_with(['）', ')']) {
        if let Some(open) = s.rfind(['（', '(']) {
            s = s[..open].trim_end();
        }
    }
    if let Some(t) = TITLES.iter().find_map(|t| s.strip_suffix(t)) {
        // `王先生`, `王建国先生`, `欧阳建国先生`.
        let tail: Vec<char> = t.chars().rev().take(3).collect();
        let last4: String = t.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        return tail.iter().any(|c| SURNAMES.contains(*c)) || COMPOUND_SURNAMES.iter().any(|c| last4.contains(c));
    }
    let tail: Vec<(usize, char)> = s.char_indices().rev().take(4).collect();
    (1..=2).any(|given| {
        let Some(&(at, surname)) = tail.get(given) else { return false };
        if !tail[..given].iter().all(|(_, c)| han(*c)) || !SURNAMES.contains(surname) {
            return false;
        }
        let before = &s[..at];
        before.chars().next_back().is_none_or(|c| !han(c)) || BEFORE_A_NAME.iter().any(|w| before.ends_with(w))
    })
}

/// Whether the room at `start..end` of `text` is a public place's (`物业服务中心在1号楼101室`):
/// a word of one just before it (at most 8 characters before, on its line) or just after it,
/// and no person's name beside it.
fn public_venue(text: &str, start: usize, end: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let chars: Vec<char> = text[line_start..start].chars().collect();
    let window = |n: usize| chars[chars.len().saturating_sub(n)..].iter().collect::<String>();
    let before = VENUES.iter().any(|v| window(8 + v.chars().count()).contains(v));
    let after = text[end..].trim_start_matches([' ', '(', '（', '，', ',', '：', ':']);
    let venue = before || VENUES.iter().any(|v| after.starts_with(v));
    // `物业办公室接到3号楼1201室业主反映`, `便利店楼上3号楼1201室`: a home near a place, not the place.
    let home =
        ["业主", "住户", "居民", "租户", "户主", "家", "一家", "的业主", "的住户", "的居民", "的住户"].iter().any(|w| after.starts_with(w))
            || ["楼上", "楼下", "隔壁", "对面", "旁边", "旁的", "附近", "旁"].iter().any(|w| window(8).contains(w));
    venue && !home && !name_before(&text[..start]) && !name_after(&text[end..])
}

impl Hit {
    fn new(kind: Kind, start: usize, end: usize, value: &str) -> Hit {
        Hit { kind, start, end, value: value.to_string(), seen: value.to_string() }
    }
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
            // Groups of one or two digits are dates, amounts and floors (`2025.10.03`,
            // `15.00`), not parts of a number people space out — but a country code leads.
            let short = |k: usize| ascii_digits(&run[groups[k].0..groups[k].1]).len() < 3;
            let code = matches!(ascii_digits(&run[groups[i].0..groups[i].1]).as_str(), "86" | "0086");
            let lens: Vec<usize> = (i..=j).map(|k| ascii_digits(&run[groups[k].0..groups[k].1]).len()).collect();
            // …except a number spelt out digit by digit, or as 138 12 34 56 78.
            let spelt = lens.len() == 11 && lens.iter().all(|l| *l == 1) || lens == [3, 2, 2, 2, 2];
            if j > i && !spelt && (i..=j).any(|k| short(k) && !(k == i && code)) {
                continue;
            }
            let (s, e) = (groups[i].0, groups[j].1);
            let digits = ascii_digits(&run[s..e]);
            if let Some(kind) = classify(&digits) {
                found = Some((kind, s, e, j));
                break;
            }
        }
        match found {
            Some((kind, s, e, j)) => {
                hits.push(Hit::new(kind, offset + s, offset + e, &run[s..e]));
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
            "2026.11.20",
            "2026/11/20 13:00",
            "15.00 12345.67",
            "第 3 期 1,380.00 元",
            "138****5678",
            "5号楼1单元 2026.10.03 18:00",
            "**2026年11月20日**",
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

    /// The spellings that reach a reader as a plain number, however the source hides it.
    #[test]
    fn what_a_reader_would_see_is_what_is_checked() {
        for s in [
            "&#49;3812345678",
            "&#x31;3812345678",
            "\\u00313812345678",
            "138**1234**5678",
            "138<span>1234</span>5678",
            "138.1234.5678",
            "138/1234/5678",
            "138  1234  5678",
            "138\u{a0}1234\u{a0}5678",
            "138\u{3000}1234\u{3000}5678",
            "138–1234–5678",
            "138－1234－5678",
            "138_1234_5678",
            "(138)1234-5678",
            "138&nbsp;1234&nbsp;5678",
            "138\u{200b}1234\u{200b}5678",
            "138&#8203;1234&#x200B;5678",
            "138&NegativeThinSpace;1234&it;5678",
            "138\u{200e}1234\u{2062}5678",
            "138\n1234 5678",
            "138<!--\n-->12345678",
            "138<span\nclass=\"a\">1234</span>5678",
            "\"138\\\n  12345678\"",
            "tel:138%201234%205678",
            "138·1234·5678",
            "1 3 8 1 2 3 4 5 6 7 8",
            "138 12 34 56 78",
        ] {
            let text = format!("联系王先生{s}。");
            let found = scan(&text);
            assert_eq!(found.len(), 1, "{s}: {found:?}");
            assert_eq!((found[0].kind, found[0].seen.chars().filter(char::is_ascii_digit).count()), (Kind::Mobile, 11), "{s}");
            assert_eq!(&text[found[0].start..found[0].end], found[0].value, "{s}: placed back where it is written");
            assert!(found[0].value.starts_with(['&', '\\', '1', '(', '"']) || s.starts_with("tel:"), "{s}: {found:?}");
        }
        assert_eq!(scan("卡号 6222  0202  0000  0000  006")[0].kind, Kind::BankCard);
        // A link's text reads on into what follows it.
        let link = scan("[138](https://a.example)12345678");
        assert_eq!((link.len(), link[0].seen.as_str()), (1, "13812345678"), "{link:?}");
        assert_eq!(scan("身份证 110105&#49;9491231002X")[0].kind, Kind::IdNumber);
        // The line is that of the source.
        let text = "第一行\n第二行 &#49;3812345678";
        assert_eq!(&text[..scan(text)[0].start].matches('\n').count(), &1);
    }

    #[test]
    fn a_room_beside_a_name_in_either_order_and_a_public_venue() {
        for s in [
            "1201室 张三反映",
            "张三（1201室）",
            "王先生家住1201室",
            "1201室的王阿姨",
            "业主李娜住1201室",
            "1201室欧阳明说",
            "业主王建国先生家住1201室",
            "李娜（业委会委员）住1201室",
            "1201房 张三反映",
            "3 号 楼 1201 室漏水",
            "3#楼1201室漏水",
            "A座1201室漏水",
            "3栋-1201漏水",
            "物业办公室接到3号楼1201室业主反映",
            "便利店楼上3号楼1201室",
        ] {
            let found = kinds(s);
            assert_eq!(found.len(), 1, "{s}: {found:?}");
            assert_eq!(found[0].0, Kind::Room, "{s}");
        }
        for s in [
            "物业服务中心在1号楼101室",
            "业委会办公室：3号楼102室",
            "活动室设在5-101",
            "1201室漏水",
            "1201室马桶堵塞已修好",
            "会议室（301室）",
            "101室（业委会办公室）",
            "共302户",
            "面积 60-120平方米",
            "停车费每月 10-120 元",
            "面积 60–120 平方米",
            "11月5号 120名志愿者参加",
            "3号楼120户已签字",
            "会议地点：1201室，时间：周五",
            "5号楼120个车位",
            "第1-120号",
            "3号楼 102名业主签字",
        ] {
            assert!(kinds(s).is_empty(), "{s}: {:?}", kinds(s));
        }
        // A venue word does not make a resident's room public.
        assert_eq!(kinds("业委会主任张三住3号楼1201室").len(), 1);
        assert_eq!(kinds("物业通知：3号楼1201室漏水影响楼下").len(), 1, "物业 alone is not a place");
        assert_eq!(kinds("3-1201 多交的物业费").len(), 1);
        assert_eq!(kinds("居委会提醒，周末有人看到3号楼1201室门口堆物").len(), 1, "too far from the word");
    }

    #[test]
    fn masks() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("+86 138-1234-5678"), "138****5678");
        assert_eq!(mask_rooms("3号楼1201室漏水"), "3号楼12**室漏水");
        assert_eq!(mask_rooms("3-1201 和 5号楼302"), "3-12** 和 5号楼3**");
    }
}
