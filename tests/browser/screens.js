// Phone screenshots to look at: `node tests/browser/screens.js PUBLIC_DIR OUT_DIR [page …]`
// writes the first screen (390 × 844, as a phone shows it) of each page of the built site in
// PUBLIC_DIR (`b/5-1/`, `` for the home page) into OUT_DIR as PNG; COLOR_SCHEME=dark for the
// dark scheme, FULL=1 for whole pages. Not a test: a person looks at what it makes, before and
// after a change (ImageMagick's `montage` puts them side by side).
const path = require('path');
const fs = require('fs');
const puppeteer = require('puppeteer-core');

(async () => {
  const [dir, out, ...pages] = process.argv.slice(2);
  fs.mkdirSync(out, {recursive: true});
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  await page.setViewport({width: 390, height: 844, deviceScaleFactor: 1});
  await page.emulateMediaFeatures([{name: 'prefers-color-scheme', value: process.env.COLOR_SCHEME || 'light'}]);
  for (const p of pages) {
    const file = path.join(dir, p.endsWith('.html') ? p : p + 'index.html');
    await page.goto('file://' + path.resolve(file));
    const name = (p.replace(/\/$/, '').replace(/\//g, '_') || 'home') + '.png';
    await page.screenshot({path: path.join(out, name), fullPage: !!process.env.FULL});
  }
  await browser.close();
})();
