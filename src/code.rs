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

    /// The full SHA-256 the code is the start of, as lowercase hex (the manifest's `sha256`).
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
    fn any_change_changes_the_code() {
        assert_ne!(VerificationCode::of("金额 100.00"), VerificationCode::of("金额 100.01"));
    }
}
