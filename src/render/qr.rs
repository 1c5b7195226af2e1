//! QR codes, made at build time as inline SVG: error correction level M, a quiet zone of four
//! modules, one `<path>` of horizontal runs. The printed size is set by CSS, so the same code
//! serves a 3.5 cm sheet corner and a 9 cm entrance poster. Each URL is encoded once per build.
//!
//! The mask is fixed (pattern 0, the checkerboard) instead of trying all eight and scoring
//! them: any mask is a valid code, the scoring was most of a 10,000-notice build's time, and
//! the print tests decode every sheet of the sample with a real decoder, posters at 100 dpi.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

/// Modules of white around the code, as the QR specification asks.
const QUIET_ZONE: usize = 4;

/// A cache of QR codes by URL.
#[derive(Default)]
pub struct QrCache {
    codes: Mutex<HashMap<String, Arc<str>>>,
}

impl QrCache {
    /// The SVG for `url`, made on first use. `label` becomes its accessible name.
    pub fn svg(&self, url: &str) -> Arc<str> {
        if let Some(svg) = self.codes.lock().expect("QR cache").get(url) {
            return svg.clone();
        }
        let svg: Arc<str> = Arc::from(svg_of(url));
        self.codes.lock().expect("QR cache").insert(url.to_string(), svg.clone());
        svg
    }
}

/// Encodes `url` as an SVG QR code. Falls back to level L only for data too long for M at the
/// largest version, which no URL gongshi makes comes near.
pub fn svg_of(url: &str) -> String {
    let (colors, w) = [EcLevel::M, EcLevel::L].into_iter().find_map(|ec| encode(url.as_bytes(), ec)).expect("a URL fits in a QR code");
    let size = w + 2 * QUIET_ZONE;
    let mut path = String::with_capacity(w * w);
    for y in 0..w {
        let mut x = 0;
        while x < w {
            if colors[y * w + x] == Color::Dark {
                let start = x;
                while x < w && colors[y * w + x] == Color::Dark {
                    x += 1;
                }
                let _ = write!(path, "M{},{}h{}v1h-{}z", start + QUIET_ZONE, y + QUIET_ZONE, x - start, x - start);
            } else {
                x += 1;
            }
        }
    }
    format!(
        "<svg class=\"qr\" viewBox=\"0 0 {size} {size}\" xmlns=\"http://www.w3.org/2000/svg\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR {}\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
        super::feed::xml_escape(url)
    )
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
        assert!(Arc::ptr_eq(&a, &b));
        // Version 3 (29 modules) for a URL this short at level M, plus 4 + 4 quiet modules.
        assert!(a.contains("viewBox=\"0 0 37 37\""), "{a}");
        assert!(a.contains("M4,4h7"), "the finder pattern starts after the quiet zone");
    }
}
