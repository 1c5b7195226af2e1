//! QR codes, made at build time as inline SVG: error correction level Q, a quiet zone of four
//! modules, one `<path>` of horizontal runs. The printed size is set by CSS, so the same code
//! serves a 3.5 cm sheet corner and a 9 cm entrance poster. Each URL is encoded once per build.
//!
//! The mask is fixed (pattern 0, the checkerboard) instead of trying all eight and scoring
//! them: any mask is a valid code, the scoring was most of a 10,000-notice build's time, and
//! the print tests decode every sheet of the sample with a real decoder, posters at 100 dpi.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Modules of white around the code, as the QR specification asks.
const QUIET_ZONE: usize = 4;

/// A cache of QR codes by URL. A code is kept from its second use on: most URLs (a notice's
/// own sheet) are drawn once, and keeping those would hold every code of a large site in memory;
/// the ones drawn again (entrance posters, notices in the print bundles) are then drawn once more
/// and kept.
#[derive(Default)]
pub struct QrCache {
    codes: Mutex<HashMap<String, Option<Arc<str>>>>,
}

impl QrCache {
    /// The SVG for `url`.
    pub fn svg(&self, url: &str) -> Arc<str> {
        let seen = match self.codes.lock().expect("QR cache").get(url) {
            Some(Some(svg)) => return svg.clone(),
            Some(None) => true,
            None => false,
        };
        let svg: Arc<str> = Arc::from(svg_of(url));
        self.codes.lock().expect("QR cache").insert(url.to_string(), seen.then(|| svg.clone()));
        svg
    }
}

/// Encodes `url` as an SVG QR code at level Q (a quarter of the code may be lost to a smudge,
/// a fold or glare), falling back to M and L only for data too long for Q at the largest
/// version, which no URL gongshi makes comes near.
///
/// Each row's dark runs are strokes one module wide along the row's middle line: `M4 4.5h7`
/// starts a row, `m2 0h1` is the next run two modules further on.
pub fn svg_of(url: &str) -> String {
    let (colors, w) =
        [EcLevel::Q, EcLevel::M, EcLevel::L].into_iter().find_map(|ec| encode(url.as_bytes(), ec)).expect("a URL fits in a QR code");
    let size = w + 2 * QUIET_ZONE;
    let mut svg = String::with_capacity(w * w * 2 + 400);
    svg.push_str("<svg class=\"qr\" viewBox=\"0 0 ");
    push_num(&mut svg, size);
    svg.push(' ');
    push_num(&mut svg, size);
    svg.push_str("\" xmlns=\"http://www.w3.org/2000/svg\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR ");
    svg.push_str(&super::escape::markup(url));
    svg.push_str("\"><rect width=\"");
    push_num(&mut svg, size);
    svg.push_str("\" height=\"");
    push_num(&mut svg, size);
    svg.push_str("\" fill=\"#fff\"/><path stroke=\"#000\" stroke-width=\"1\" d=\"");
    for (y, row) in colors.chunks_exact(w).enumerate() {
        let mut x = 0;
        let mut pen: Option<usize> = None;
        while x < w {
            if row[x] != Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < w && row[x] == Color::Dark {
                x += 1;
            }
            match pen {
                None => {
                    svg.push('M');
                    push_num(&mut svg, start + QUIET_ZONE);
                    svg.push(' ');
                    push_num(&mut svg, y + QUIET_ZONE);
                    svg.push_str(".5h");
                }
                Some(end) => {
                    svg.push('m');
                    push_num(&mut svg, start - end);
                    svg.push_str(" 0h");
                }
            }
            push_num(&mut svg, x - start);
            pen = Some(x);
        }
    }
    svg.push_str("\"/></svg>");
    svg
}

/// Appends the decimal digits of `n` (a module count, so small).
fn push_num(out: &mut String, n: usize) {
    if n >= 10 {
        push_num(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// The modules of `data` at level `ec`, with the checkerboard mask, and the code's width.
fn encode(data: &[u8], ec: EcLevel) -> Option<(Vec<Color>, usize)> {
    let bits = qrcode::bits::encode_auto(data, ec).ok()?;
    let version = bits.version();
    let (codewords, ec_codewords) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec).ok()?;
    let mut canvas = Canvas::new(version, ec);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&codewords, &ec_codewords);
    canvas.apply_mask(MaskPattern::Checkerboard);
    let colors = canvas.into_colors();
    let w = (colors.len() as f64).sqrt() as usize;
    Some((colors, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_has_quiet_zone_and_is_cached() {
        let cache = QrCache::default();
        let a = cache.svg("https://hupan.example.cn/b/5-1/");
        let b = cache.svg("https://hupan.example.cn/b/5-1/");
        let c = cache.svg("https://hupan.example.cn/b/5-1/");
        assert!(!Arc::ptr_eq(&a, &b) && Arc::ptr_eq(&b, &c), "kept from the second use on");
        assert_eq!(a, b);
        // Version 3 (29 modules) for a URL this short at level Q, plus 4 + 4 quiet modules.
        assert!(a.contains("viewBox=\"0 0 37 37\""), "{a}");
        assert!(a.contains("d=\"M4 4.5h7m"), "the finder pattern starts after the quiet zone: {a}");
    }

    #[test]
    fn the_path_draws_exactly_the_dark_modules() {
        for url in ["https://hupan.example.cn/b/5-1/", "https://hupan.example.cn/print/n/elevator-repair-2026-11/", "http://x/"] {
            let (colors, w) = encode(url.as_bytes(), EcLevel::Q).unwrap();
            let svg = svg_of(url);
            let d = svg.split("d=\"").nth(1).unwrap().split('"').next().unwrap();
            // Replay the path: M x y.5 moves absolutely, m dx 0 relatively, h n draws n modules.
            let mut drawn = vec![false; w * w];
            let (mut x, mut y) = (0usize, 0usize);
            let mut rest = d;
            while let Some(cmd) = rest.chars().next() {
                let end = rest[1..].find(|c: char| c.is_ascii_alphabetic()).map_or(rest.len(), |i| i + 1);
                let args: Vec<&str> = rest[1..end].split(' ').collect();
                match cmd {
                    'M' => {
                        x = args[0].parse().unwrap();
                        y = args[1].strip_suffix(".5").unwrap().parse().unwrap();
                    }
                    'm' => {
                        assert_eq!(args[1], "0");
                        x += args[0].parse::<usize>().unwrap();
                    }
                    'h' => {
                        let n: usize = args[0].parse().unwrap();
                        for i in x..x + n {
                            drawn[(y - QUIET_ZONE) * w + i - QUIET_ZONE] = true;
                        }
                        x += n;
                    }
                    other => panic!("unexpected command {other} in {d}"),
                }
                rest = &rest[end..];
            }
            let dark: Vec<bool> = colors.iter().map(|c| *c == Color::Dark).collect();
            assert_eq!(drawn, dark, "{url}");
        }
    }
}
