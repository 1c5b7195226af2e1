//! Verification codes (校验码): a short fingerprint of an item's source, printed on paper and
//! shown online, so that a resident can tell that the sheet on the wall is the version online.

use data_encoding::BASE32_NOPAD;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;

/// The first 40 bits of SHA-256 of the source, in base32, shown as `7K3F-Q2MX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VerificationCode(String, [u8; 32]);

impl VerificationCode {
    /// The code of a source text. The text is hashed after the BOM is removed and line endings
    /// are made LF, so that saving the same words with another editor keeps the same code.
    pub fn of(normalized_source: &str) -> VerificationCode {
        let digest = Sha256::digest(normalized_source.as_bytes());
        let b32 = BASE32_NOPAD.encode(&digest[..5]);
        VerificationCode(format!("{}-{}", &b32[..4], &b32[4..8]), digest.into())
    }

    /// The code of an item: its source text and, when it has any, its attachments (scans and
    /// PDFs under `content/static/`), each by its path and SHA-256, so that replacing a voucher
    /// scan or a contract PDF changes the code as editing the text does. An item without
    /// attachments keeps the code of its text alone.
    pub fn of_item(normalized_source: &str, attachments: &[Attachment]) -> VerificationCode {
        let text = VerificationCode::of(normalized_source);
        if attachments.is_empty() {
            return text;
        }
        let mut all = normalized_source.to_string();
        for a in attachments {
            all.push_str(&format!("\n\u{0}attachment {} sha256:{}", a.path, a.sha256));
        }
        // The code covers the attachments; the digest kept is the source's own, which is what
        // the publishing log records and `content/history/` keeps.
        VerificationCode(VerificationCode::of(&all).0, text.1)
    }

    /// The full SHA-256 of the source, as lowercase hex (the manifest's `sha256`). Without
    /// attachments the code is its start; with them, the code is the start of the SHA-256 of
    /// the source followed by a line `\n\0attachment <path> sha256:<hex>` per attachment.
    pub fn sha256_hex(&self) -> String {
        hex(&self.1)
    }

    /// `7K3F-Q2MX`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VerificationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for VerificationCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A file an item shows or links to (a voucher scan, a contract PDF, a picture), relative to
/// `content/` as the source writes it and as the site serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// `static/vouchers/m-2608-001.png`.
    pub path: String,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
    /// Its size.
    pub bytes: u64,
}

impl Attachment {
    /// Reads and hashes `content/<path>`; `None` when it cannot be read (the loaders have
    /// already reported a missing attachment).
    pub fn read(root: &std::path::Path, path: &str) -> Option<Attachment> {
        let bytes = std::fs::read(root.join("content").join(path)).ok()?;
        Some(Attachment { path: path.to_string(), sha256: hex(&Sha256::digest(&bytes)), bytes: bytes.len() as u64 })
    }

    /// The attachments among `paths`, each once, in the order first named.
    pub fn read_all<'a>(root: &std::path::Path, paths: impl IntoIterator<Item = &'a str>) -> Vec<Attachment> {
        let mut out: Vec<Attachment> = Vec::new();
        for p in paths {
            if !out.iter().any(|a| a.path == p) {
                out.extend(Attachment::read(root, p));
            }
        }
        out
    }

    /// The name its kept copy goes by, in `content/history/files/` and at `/files/` on the
    /// site: its SHA-256 and its extension (`<sha256>.pdf`), so that each bytes is kept once.
    pub fn kept_name(&self) -> String {
        let ext = std::path::Path::new(&self.path)
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| format!(".{}", e.to_lowercase()))
            .unwrap_or_default();
        format!("{}{ext}", self.sha256)
    }
}

/// A digest as lowercase hex.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_eight_base32_characters_with_a_dash() {
        let c = VerificationCode::of("hello");
        // SHA-256("hello") starts 2c f2 4d ba 5f → base32 "FTZE3OS7".
        assert_eq!(c.as_str(), "FTZE-3OS7");
    }

    #[test]
    fn an_attachment_is_part_of_the_code() {
        let a = |sha: &str| Attachment { path: "static/a.pdf".into(), sha256: sha.into(), bytes: 1 };
        assert_eq!(VerificationCode::of_item("x", &[]), VerificationCode::of("x"));
        assert_ne!(VerificationCode::of_item("x", &[a("00")]), VerificationCode::of("x"));
        assert_ne!(VerificationCode::of_item("x", &[a("00")]), VerificationCode::of_item("x", &[a("01")]));
    }

    #[test]
    fn any_change_changes_the_code() {
        assert_ne!(VerificationCode::of("金额 100.00"), VerificationCode::of("金额 100.01"));
    }
}
