//! Exact money: integer fen (分). Sums are exact to the fen; no binary floating point ever
//! touches an amount, not even while parsing YAML numbers.

use crate::source::Refusal;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};

/// An amount in fen (1 yuan = 100 fen). Negative only as a result (a balance), never as input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fen(pub i64);

/// Why a text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    /// More than two decimals: `12.345`.
    TooManyDecimals,
    /// Below zero.
    Negative,
    /// Not a number at all.
    Malformed,
    /// Beyond any community's accounts (over 90 trillion yuan).
    TooLarge,
}

impl Fen {
    /// Parses `18650.5`, `3200`, `"12,345.60"`, `"¥12345.6"`, `"￥1,000 元"`.
    pub fn parse(raw: &str) -> Result<Fen, AmountError> {
        let mut s = raw.trim();
        for prefix in ["¥", "￥", "RMB", "CNY"] {
            s = s.strip_prefix(prefix).unwrap_or(s).trim_start();
        }
        s = s.strip_suffix('元').unwrap_or(s).trim_end();
        if s.starts_with('-') || s.starts_with('−') {
            return Err(AmountError::Negative);
        }
        let s = s.strip_prefix('+').unwrap_or(s);
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return Err(AmountError::Malformed);
        }
        // Thousands separators must be in the right places: `12,345` yes, `1,23` no.
        let groups: Vec<&str> = int.split(',').collect();
        let grouped_ok = groups.len() == 1 || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
        let digits: String = groups.concat();
        if !grouped_ok || !digits.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AmountError::Malformed);
        }
        if frac.len() > 2 {
            return Err(AmountError::TooManyDecimals);
        }
        if digits.len() > 14 {
            return Err(AmountError::TooLarge);
        }
        let yuan: i64 = if digits.is_empty() { 0 } else { digits.parse().map_err(|_| AmountError::Malformed)? };
        let fen: i64 = format!("{frac:0<2}").parse().map_err(|_| AmountError::Malformed)?;
        Ok(Fen(yuan * 100 + fen))
    }

    /// `12345.60`: the open-data form, exactly two decimals, no grouping.
    pub fn plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", a / 100, a % 100)
    }

    /// `¥12,345.60`: the display form.
    pub fn yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let int = (a / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{sign}¥{grouped}.{:02}", a % 100)
    }

    /// Chinese capital numerals (大写) as written on cheques and statements:
    /// 10,005.05 → 壹万零伍元零伍分; 100.00 → 壹佰元整. Negative amounts get 负.
    pub fn daxie(self) -> String {
        const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
        const SMALL: [&str; 4] = ["", "拾", "佰", "仟"];
        const BIG: [&str; 4] = ["", "万", "亿", "万亿"];
        let neg = self.0 < 0;
        let a = self.0.unsigned_abs();
        let (yuan, jiao, fen) = (a / 100, (a / 10 % 10) as usize, (a % 10) as usize);
        let mut out = String::new();
        if neg {
            out.push('负');
        }
        if yuan > 0 {
            // Split into groups of four digits from the right: 个, 万, 亿, 万亿.
            let mut groups = Vec::new();
            let mut y = yuan;
            while y > 0 {
                groups.push((y % 10_000) as usize);
                y /= 10_000;
            }
            let mut pending_zero = false;
            for (gi, &g) in groups.iter().enumerate().rev() {
                if g == 0 {
                    pending_zero = true;
                    continue;
                }
                // A zero is read between groups when this group lacks its thousands.
                if (pending_zero || g < 1000) && !out.trim_start_matches('负').is_empty() {
                    out.push('零');
                }
                pending_zero = false;
                let digits = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
                let mut zero_run = false;
                let mut started = false;
                for (pos, &d) in digits.iter().enumerate() {
                    if d == 0 {
                        zero_run = started;
                        continue;
                    }
                    if zero_run {
                        out.push('零');
                        zero_run = false;
                    }
                    started = true;
                    out.push(DIGITS[d]);
                    out.push_str(SMALL[3 - pos]);
                }
                out.push_str(BIG[gi]);
            }
            out.push('元');
        }
        match (jiao, fen) {
            (0, 0) => {
                if yuan == 0 {
                    out.push_str("零元");
                }
                out.push('整');
            }
            (j, 0) => {
                out.push(DIGITS[j]);
                out.push_str("角整");
            }
            (0, f) => {
                if yuan > 0 {
                    out.push('零');
                }
                out.push(DIGITS[f]);
                out.push('分');
            }
            (j, f) => {
                out.push(DIGITS[j]);
                out.push('角');
                out.push(DIGITS[f]);
                out.push('分');
            }
        }
        out
    }
}

impl Add for Fen {
    type Output = Fen;
    fn add(self, o: Fen) -> Fen {
        Fen(self.0 + o.0)
    }
}

impl Sub for Fen {
    type Output = Fen;
    fn sub(self, o: Fen) -> Fen {
        Fen(self.0 - o.0)
    }
}

impl Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        Fen(iter.map(|f| f.0).sum())
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.yuan())
    }
}

impl<'de> Deserialize<'de> for Fen {
    /// YAML numbers are taken from their source text, not through f64: `0.1` stays one jiao.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_hundredths(d, explain_bad_amount).map(Fen)
    }
}

/// Reads a number with at most two decimals, in hundredths, from the text of a YAML number or
/// string (money, and also areas in m²); `message` says why a text was refused.
pub(crate) fn deserialize_hundredths<'de, D: Deserializer<'de>>(d: D, refusal: fn(&AmountError, &str) -> Refusal) -> Result<i64, D::Error> {
    struct V(fn(&AmountError, &str) -> Refusal);
    impl Visitor<'_> for V {
        type Value = i64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number such as 1234.50")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
            Fen::parse(v).map(|f| f.0).map_err(|e| crate::source::refuse((self.0)(&e, v)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
            // serde_yaml hands plain decimals over as f64; its shortest round-trip text is
            // exactly what was written for any amount with at most 15 significant digits.
            self.visit_str(&format!("{v}"))
        }
    }
    d.deserialize_any(V(refusal))
}

/// Why `value` is not an amount, and what to write instead.
fn explain_bad_amount(e: &AmountError, value: &str) -> Refusal {
    let (m, h) = match e {
        AmountError::TooManyDecimals => (
            crate::msg!(
                "金额 `{value}` 超过两位小数：金额只能精确到分",
                "the amount `{value}` has more than two decimals: amounts go to the fen"
            ),
            crate::msg!(
                "保留到分，例如 12.35；如果是单价或分摊算出来的，请写实际收付的金额",
                "round to the fen, e.g. 12.35: write the amount actually paid"
            ),
        ),
        AmountError::Negative => (
            crate::msg!("金额 `{value}` 是负数", "the amount `{value}` is negative"),
            crate::msg!(
                "退款或冲销请写在对面一栏（收入写成支出，或反之），并在 note 里说明",
                "record refunds on the other side (income as expense or vice versa) with a note"
            ),
        ),
        AmountError::TooLarge => (
            crate::msg!("金额 `{value}` 大得不合理", "the amount `{value}` is implausibly large"),
            crate::msg!("请检查是否多写了几位数", "check for extra digits"),
        ),
        AmountError::Malformed => (
            crate::msg!("`{value}` 不是金额", "`{value}` is not an amount"),
            crate::msg!("写成 18650.00、3200 或 \"¥12,345.60\"", "write 18650.00, 3200 or \"¥12,345.60\""),
        ),
    };
    Refusal { message: m, hint: Some(h), value: Some(value.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_ways_people_write_amounts() {
        assert_eq!(Fen::parse("18650.5"), Ok(Fen(1_865_050)));
        assert_eq!(Fen::parse("3200"), Ok(Fen(320_000)));
        assert_eq!(Fen::parse("¥12,345.60"), Ok(Fen(1_234_560)));
        assert_eq!(Fen::parse("￥1,000 元"), Ok(Fen(100_000)));
        assert_eq!(Fen::parse(".5"), Ok(Fen(50)));
        assert_eq!(Fen::parse("0.01"), Ok(Fen(1)));
        assert_eq!(Fen::parse("12.345"), Err(AmountError::TooManyDecimals));
        assert_eq!(Fen::parse("-5"), Err(AmountError::Negative));
        assert_eq!(Fen::parse("1,23.00"), Err(AmountError::Malformed));
        assert_eq!(Fen::parse("12元5角"), Err(AmountError::Malformed));
        assert_eq!(Fen::parse(""), Err(AmountError::Malformed));
        assert_eq!(Fen::parse("1e5"), Err(AmountError::Malformed));
    }

    #[test]
    fn yaml_numbers_never_go_through_floating_point_sums() {
        #[derive(Deserialize)]
        struct A {
            a: Vec<Fen>,
        }
        let a: A = serde_yaml::from_str("a: [0.1, 0.2, 18650.5, 3200, \"¥12,345.60\", 99999999999.99]").unwrap();
        assert_eq!(a.a, vec![Fen(10), Fen(20), Fen(1_865_050), Fen(320_000), Fen(1_234_560), Fen(9_999_999_999_999)]);
        assert_eq!(Fen(10) + Fen(20), Fen(30));
        assert!(serde_yaml::from_str::<A>("a: [12.345]").is_err());
    }

    #[test]
    fn ten_thousand_fen_sum_to_exactly_one_hundred_yuan() {
        let lines = vec![Fen::parse("0.01").unwrap(); 10_000];
        assert_eq!(lines.into_iter().sum::<Fen>().plain(), "100.00");
    }

    /// Random ledgers (a fixed xorshift seed, so failures reproduce): every amount written in
    /// any accepted form parses back to its fen, and opening + income − expense always equals
    /// the closing balance computed line by line.
    #[test]
    fn random_ledgers_always_reconcile() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..2_000 {
            let opening = Fen((next() % 10_000_000_000) as i64);
            let mut running = opening;
            let (mut inc, mut exp) = (Fen(0), Fen(0));
            for _ in 0..(next() % 40) {
                let f = Fen((next() % 100_000_000) as i64);
                let written = match next() % 3 {
                    0 => f.plain(),
                    1 => f.yuan(),
                    _ => format!("{}", f.0 as f64 / 100.0),
                };
                assert_eq!(Fen::parse(&written), Ok(f), "{written}");
                if next() % 2 == 0 {
                    inc = inc + f;
                    running = running + f;
                } else {
                    exp = exp + f;
                    running = running - f;
                }
            }
            assert_eq!(opening + inc - exp, running);
            assert_eq!(Fen::parse(&running.plain().replace('-', "")).map(|f| f.0), Ok(running.0.abs()));
        }
    }

    #[test]
    fn display_forms() {
        assert_eq!(Fen(1_234_560).yuan(), "¥12,345.60");
        assert_eq!(Fen(5).yuan(), "¥0.05");
        assert_eq!(Fen(-123_456_789).yuan(), "-¥1,234,567.89");
        assert_eq!(Fen(1_865_000).plain(), "18650.00");
        assert_eq!(Fen(-5).plain(), "-0.05");
    }

    #[test]
    fn daxie_hard_cases() {
        let d = |s: &str| Fen::parse(s).unwrap().daxie();
        assert_eq!(d("10005.05"), "壹万零伍元零伍分");
        assert_eq!(d("12345.60"), "壹万贰仟叁佰肆拾伍元陆角整");
        assert_eq!(d("100"), "壹佰元整");
        assert_eq!(d("0.05"), "伍分");
        assert_eq!(d("0"), "零元整");
        assert_eq!(d("1010"), "壹仟零壹拾元整");
        assert_eq!(d("100000"), "壹拾万元整");
        assert_eq!(d("100010"), "壹拾万零壹拾元整");
        assert_eq!(d("10000"), "壹万元整");
        assert_eq!(d("105000"), "壹拾万伍仟元整");
        assert_eq!(d("1000001"), "壹佰万零壹元整");
        assert_eq!(d("100000000"), "壹亿元整");
        assert_eq!(d("100000001"), "壹亿零壹元整");
        assert_eq!(d("120000000.30"), "壹亿贰仟万元叁角整");
        assert_eq!(d("812034.50"), "捌拾壹万贰仟零叁拾肆元伍角整");
        assert_eq!(d("3200.01"), "叁仟贰佰元零壹分");
        assert_eq!(Fen(-100).daxie(), "负壹元整");
    }
}
