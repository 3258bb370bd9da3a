// Open data end to end: a member of the public searches the portal in Chinese, opens the
// demo's list of A-class scenic areas, sees its preview table, and downloads it as CSV (UTF-8
// with a byte-order mark, the header the preview shows, the rows it shows). The search also
// works without JavaScript.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { chromium } from "playwright-core";

const base = process.env.QY_BASE_URL ?? "http://127.0.0.1:8080";
const dataset = "青海省A级旅游景区名录";

// Debian's Chromium, headless, without the background services that this network refuses.
const launch = () => chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

test("search 旅游景区, open the scenic-area list, see its preview and download it as CSV", async () => {
  const browser = await launch();
  try {
    const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 844 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${base}/open`);
    await page.fill("#open-q", "旅游景区");
    await Promise.all([page.waitForURL(/\/open\?q=/), page.click("form[role=search] button[type=submit]")]);
    const hit = page.locator(".catalog-list a", { hasText: dataset });
    await assert.doesNotReject(hit.first().waitFor());
    await Promise.all([page.waitForURL(/\/open\/datasets\//), hit.first().click()]);
    assert.match(await page.locator("h1").innerText(), new RegExp(dataset));

    // The preview: a header of item names and at least one row.
    const rows = page.locator("#preview table tbody tr");
    assert.ok(await rows.count() >= 1, "the preview has rows");
    const header = await page.locator("#preview table thead th").evaluateAll(
      (ths) => ths.map((th) => th.firstChild.textContent.trim()));
    assert.ok(header.length >= 2, `preview header ${header}`);
    const firstCell = (await rows.first().locator("td").first().innerText()).trim();
    assert.ok(firstCell.length > 0);

    // The CSV download: BOM, the same header, the same first row.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("a[href$='/download.csv']"),
    ]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const bytes = await readFile(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 byte-order mark");
    const lines = bytes.subarray(3).toString("utf8").split(/\r?\n/).filter((l) => l.length > 0);
    assert.equal(lines[0], header.join(","));
    assert.ok(lines.length >= 2, "the CSV has data rows");
    assert.ok(lines[1].startsWith(firstCell) || lines[1].startsWith(`"${firstCell}`), `${lines[1]} / ${firstCell}`);

    // The JSON download is an array of objects keyed by column name.
    const json = await (await page.request.get(page.url() + "/download.json")).json();
    assert.ok(Array.isArray(json) && json.length === lines.length - 1, "as many JSON objects as CSV rows");
    await page.screenshot({ path: "web/test-results/open-data-dataset.png", fullPage: true });

    // Without JavaScript the search form still finds it.
    const noJs = await browser.newPage({ javaScriptEnabled: false, locale: "zh-CN" });
    await noJs.goto(`${base}/open`);
    await noJs.fill("#open-q", "旅游景区");
    await noJs.press("#open-q", "Enter");
    await noJs.waitForSelector(`.catalog-list a:has-text("${dataset}")`);
  } finally {
    await browser.close();
  }
});
