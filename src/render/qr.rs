//! QR codes, made at build time as inline SVG: error correction level M, a quiet zone of four
//! modules, one `<path>` of horizontal runs. The printed size is set by CSS, so the same code
//! serves a 3.5 cm sheet corner and a 9 cm entrance poster. Each URL is encoded once per build.

use qrcode::{Color, EcLevel, QrCode};
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
    let code = QrCode::with_error_correction_level(url, EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(url, EcLevel::L))
        .expect("a URL fits in a QR code");
    let w = code.width();
    let colors = code.to_colors();
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
