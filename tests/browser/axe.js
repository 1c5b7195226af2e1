// axe-core in the system Chromium at a phone's width, for tests/browser.rs.
//
//   [COLOR_SCHEME=dark] node tests/browser/axe.js PUBLIC_DIR WIDTH PAGE...
//
// Opens each PAGE (a path under PUBLIC_DIR, e.g. `n/water-cut-5/index.html`) from the file
// system in a viewport WIDTH px wide, runs every axe rule that is not experimental, and prints
// one JSON line per page: {"page", "violations": [{"id", "impact", "help", "nodes": [target]}]}.
// Chromium is `$CHROMIUM` (a path, or a name on PATH; default `chromium`), headless, with the
// flags the other browser tests use.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const puppeteer = require("puppeteer-core");

// A program name found on PATH, or a path as given.
function executable(name) {
  if (name.includes("/")) return name;
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  return name;
}

async function main() {
  const [root, width, ...pages] = process.argv.slice(2);
  const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "gongshi-axe-"));
  const browser = await puppeteer.launch({
    executablePath: executable(process.env.CHROMIUM || "chromium"),
    headless: true,
    userDataDir: profile,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: Number(width), height: 844, deviceScaleFactor: 1 });
    // COLOR_SCHEME=dark: as a phone set to the dark scheme shows the site.
    if (process.env.COLOR_SCHEME) {
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: process.env.COLOR_SCHEME }]);
    }
    for (const rel of pages) {
      const url = "file://" + path.resolve(root, rel);
      await page.goto(url, { waitUntil: "load" });
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document);
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => n.target.join(" ")),
        }));
      });
      process.stdout.write(JSON.stringify({ page: rel, violations: result }) + "\n");
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(2);
});
