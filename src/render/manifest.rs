//! `/data/manifest.json`: every published item with its address and verification code, and
//! every retired one, so that anyone can check a sheet from the wall against the site.

use serde::Serialize;

/// `/data/manifest.json`: every published item with its verification code, and every retired one.
pub(super) fn json(items: &[crate::lock::Current], lock: &crate::lock::Lock, history: &super::versions::History, base_url: &str) -> String {
    #[derive(Serialize)]
    struct Version {
        code: String,
        date: String,
        note: Option<String>,
        number: usize,
        sha256: String,
        url: String,
    }
    let versions = |kind: crate::kind::Kind, id: &str| -> Vec<Version> {
        history
            .of(kind, id)
            .iter()
            .map(|v| Version {
                code: v.code.clone(),
                date: v.date.to_string(),
                note: (!v.notes.is_empty()).then(|| v.notes.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("；")),
                number: v.number,
                sha256: v.sha256.clone(),
                url: v.address().url(base_url),
            })
            .collect()
    };
    #[derive(Serialize)]
    struct File<'a> {
        bytes: u64,
        path: &'a str,
        sha256: &'a str,
        url: String,
    }
    #[derive(Serialize)]
    // Keys in alphabetical order, as the manifest has always had them.
    struct Current<'a> {
        #[serde(skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<File<'a>>,
        code: &'a str,
        first_published: Option<String>,
        id: &'a str,
        kind: crate::kind::Kind,
        revisions: usize,
        sha256: String,
        title: &'a str,
        url: String,
        versions: Vec<Version>,
    }
    #[derive(Serialize)]
    struct Retired<'a> {
        code: &'a str,
        first_published: String,
        id: &'a str,
        kind: crate::kind::Kind,
        note: &'a str,
        retired: String,
        revisions: usize,
        title: &'a str,
        url: String,
        versions: Vec<Version>,
    }
    #[derive(Serialize)]
    struct Manifest<'a> {
        items: Vec<Current<'a>>,
        retired: Vec<Retired<'a>>,
    }
    let items = items
        .iter()
        .map(|i| Current {
            attachments: i
                .attachments
                .iter()
                .map(|a| File {
                    bytes: a.bytes,
                    path: &a.path,
                    sha256: &a.sha256,
                    url: format!("{}/{}", base_url.trim_end_matches('/'), a.path),
                })
                .collect(),
            code: &i.code,
            first_published: lock.get(i.kind, &i.id).map(|e| e.first_published.to_string()),
            id: &i.id,
            kind: i.kind,
            revisions: i.revisions,
            sha256: i.sha256.clone(),
            title: &i.title,
            url: i.url.url(base_url),
            versions: versions(i.kind, &i.id),
        })
        .collect();
    let retired = lock
        .entries
        .iter()
        .filter_map(|e| {
            let r = e.retired.as_ref()?;
            Some(Retired {
                code: &e.code,
                first_published: e.first_published.to_string(),
                id: &e.id,
                kind: e.kind,
                note: &r.note,
                retired: r.date.to_string(),
                revisions: e.revisions,
                title: &e.title,
                url: e.url().url(base_url),
                versions: versions(e.kind, &e.id),
            })
        })
        .collect();
    serde_json::to_string_pretty(&Manifest { items, retired }).expect("JSON of plain values") + "\n"
}
