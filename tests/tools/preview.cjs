// Drives `prikaz preview` in headless Chromium as a clerk uses it: the page
// loads with the document's pages, an edit of the plan redraws them, a
// broken edit shows the diagnostic and keeps the pages (marked stale).
// Usage: node preview.cjs URL PLAN SHOT_BEFORE SHOT_AFTER; prints JSON.
"use strict";
const fs = require("node:fs");
const { chromium } = require("playwright-core");

const [url, plan, shotBefore, shotAfter] = process.argv.slice(2);

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const foreign = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith("data:")) foreign.push(r.url());
  });
  const out = { foreign };
  await page.goto(url);
  const pagesLoaded = async () => {
    await page.waitForFunction(() => {
      const imgs = [...document.querySelectorAll("#pages img.page")];
      return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    }, null, { timeout: 15000 });
  };
  await pagesLoaded();
  out.pages = await page.locator("#pages img.page").count();
  out.status = await page.locator("#status").textContent();
  out.document = await page.locator("#documents").inputValue();
  out.documents = await page.locator("#documents option").count();
  await page.screenshot({ path: shotBefore });

  // Another document from the list, then back: each time a new state
  // (the list itself shows the choice at once).
  const version = () => page.locator("#pages").getAttribute("data-version");
  const choose = async (id) => {
    const was = await version();
    await page.selectOption("#documents", id);
    await page.waitForFunction(
      (v) => document.querySelector("#pages").dataset.version !== v, was, { timeout: 5000 });
    await pagesLoaded();
  };
  const options = await page.locator("#documents option").evaluateAll((os) => os.map((o) => o.value));
  await choose(options.find((id) => id !== out.document));
  out.switched = { document: await page.locator("#documents").inputValue(),
    pages: await page.locator("#pages img.page").count() };
  await choose(out.document);
  out.pages_back = await page.locator("#pages img.page").count();

  // An edit the clerk saves: the pages are drawn again.
  const before = await page.locator("#pages").getAttribute("data-version");
  const hashes = () => page.locator("#pages img.page").evaluateAll((is) => is.map((i) => i.dataset.hash));
  const hashesBefore = await hashes();
  const text = fs.readFileSync(plan, "utf8");
  const started = Date.now();
  fs.writeFileSync(plan, text.replace("адресной\n  поддержки", "адресной\n  и постоянной поддержки"));
  await page.waitForFunction(
    (v) => document.querySelector("#pages").dataset.version !== v, before, { timeout: 2000 });
  out.redrawn_ms = Date.now() - started;
  await pagesLoaded();
  const hashesAfter = await hashes();
  out.pages_redrawn = hashesAfter.filter((h, i) => h !== hashesBefore[i]).length;
  out.pages_after_edit = await page.locator("#pages img.page").count();

  // A broken edit: the diagnostic with its place, the last good pages stay.
  const good = fs.readFileSync(plan, "utf8");
  fs.writeFileSync(plan, good.replace("signatory: khnycheva", "signatory: nobody"));
  await page.waitForSelector("#diagnostics li.error", { timeout: 2000 });
  out.diagnostic = await page.locator("#diagnostics li.error").first().textContent();
  out.stale = await page.locator("#pages.stale").count();
  out.pages_when_broken = await page.locator("#pages img.page").count();
  out.status_when_broken = await page.locator("#status").textContent();
  await page.screenshot({ path: shotAfter });
  await browser.close();
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
