//! Finds the programs the browser and print tests drive (Chromium, zbarimg, poppler's
//! pdfinfo/pdftoppm/pdftotext, ImageMagick's convert). Where all are installed, `browser_tools` is set; where any is
//! missing, those tests are marked ignored with the reason, so that `cargo test` shows them as
//! skipped instead of passing without having run. `axe` is set where axe-core and
//! puppeteer-core are installed in tests/browser/ too.

use std::path::PathBuf;

const TOOLS: [&str; 6] = ["chromium", "zbarimg", "pdfinfo", "pdftoppm", "pdftotext", "convert"];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(browser_tools)");
    println!("cargo::rustc-check-cfg=cfg(frictionless)");
    println!("cargo::rustc-check-cfg=cfg(axe)");
    println!("cargo::rerun-if-env-changed=PATH");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    let mut all = true;
    for tool in TOOLS {
        match dirs.iter().find(|d| d.join(tool).is_file()) {
            Some(d) => println!("cargo::rerun-if-changed={}", d.join(tool).display()),
            None => all = false,
        }
    }
    // Installing a missing tool adds it to one of these folders, changing the folder.
    for d in dirs.iter().filter(|d| d.starts_with("/usr") && d.is_dir()) {
        println!("cargo::rerun-if-changed={}", d.display());
    }
    if all {
        println!("cargo::rustc-cfg=browser_tools");
    }
    // axe-core runs in Chromium through puppeteer-core, both from the npm registry
    // (`npm ci --prefix tests/browser`, as .ci/run does), with the machine's Node.js.
    println!("cargo::rerun-if-changed=tests/browser/node_modules");
    let modules = std::path::Path::new("tests/browser/node_modules");
    let node = dirs.iter().any(|d| d.join("node").is_file());
    if all && node && modules.join("axe-core/axe.min.js").is_file() && modules.join("puppeteer-core/package.json").is_file() {
        println!("cargo::rustc-cfg=axe");
    }
    // The open-data test validates the sample's data package with Frictionless (PyPI).
    if let Some(d) = dirs.iter().find(|d| d.join("frictionless").is_file()) {
        println!("cargo::rerun-if-changed={}", d.join("frictionless").display());
        println!("cargo::rustc-cfg=frictionless");
    }
}
