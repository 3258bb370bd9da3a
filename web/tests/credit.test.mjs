// Credit Qinghai end to end: the public searches an enterprise by part of its Chinese name,
// opens its page, downloads its credit report, and verifies it by decoding the report's QR
// code and following it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import jsQR from "jsqr";
import { PNG } from "pngjs";

const base = process.env.QY_BASE_URL ?? "http://127.0.0.1:8080";

test("search by partial name, open the subject, download the report, verify it through its QR code", async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ locale: "zh-CN", viewport: { width: 1000, height: 900 } });
    await page.goto(`${base}/credit`);
    await page.fill("#credit-q", "高原牦牛养殖");
    await Promise.all([page.waitForURL(/\/credit\?q=/), page.click("form[role=search] button[type=submit]")]);
    const hit = page.locator(".hits a", { hasText: "格尔木市高原牦牛养殖专业合作社" });
    await assert.doesNotReject(hit.waitFor());
    await Promise.all([page.waitForURL(/\/credit\/subjects\//), hit.click()]);
    assert.equal(await page.locator("h1").innerText(), "格尔木市高原牦牛养殖专业合作社");
    assert.match(await page.locator(".grade").first().innerText(), /^[ABCD]$/);

    await Promise.all([page.waitForURL(/\/credit\/reports\//), page.click("form[action$='/report'] button")]);
    const reportNo = await page.locator("#report-no").innerText();
    const code = await page.locator("#verify-code").innerText();
    assert.match(reportNo, /^QHXY\d{16}$/);

    // Read the QR code as a phone would: from pixels.
    const shot = PNG.sync.read(await page.locator(".qr svg").screenshot());
    const decoded = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
    assert.ok(decoded, "the QR code decodes");
    const url = new URL(decoded.data);
    assert.equal(url.pathname, `/credit/verify/${reportNo}`);
    assert.equal(url.searchParams.get("code"), code);

    await page.goto(decoded.data);
    await assert.doesNotReject(page.locator("#verdict").waitFor());
    assert.match(await page.locator("#verdict").innerText(), /真实/);
    assert.match(await page.locator("#current").innerText(), /现行有效/);

    // A mistyped code is not verified.
    await page.goto(`${base}/credit/verify/${reportNo}?code=0000-0000-0000-0000`);
    assert.match(await page.locator("#verdict").innerText(), /无法核验/);
  } finally {
    await browser.close();
  }
});
