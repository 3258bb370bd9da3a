// Traceability end to end: a cooperative member records a harvest lot through the form,
// prints its label sheet, and the consumer page reached by decoding the label's QR code shows
// the lot's history in Chinese and, after switching language, in Tibetan.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import jsQR from "jsqr";
import { PNG } from "pngjs";

const base = process.env.QY_BASE_URL ?? "http://127.0.0.1:8080";

test("a cooperative records a lot, prints its QR label, and the consumer page shows its history in zh-CN and bo", async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ locale: "zh-CN", viewport: { width: 420, height: 900 } });
    await page.goto(base + "/login");
    await page.fill("#username", "yak.coop");
    await page.fill("#password", "qingyun-demo-2026");
    await Promise.all([page.waitForURL(base + "/account"), page.click("form[action='/login'] button[type=submit]")]);

    await page.goto(base + "/trace/record");
    const lot = "QK" + Date.now().toString().slice(-8);
    await page.selectOption("#lot-gtin", "09521234000037");
    await page.fill("#lot-lot", lot);
    await page.fill("#lot-quantity", "850.5");
    await Promise.all([page.waitForURL(/done=lot/), page.click("#form-lot button[type=submit]")]);
    assert.match(await page.locator("#done").innerText(), /已登记批次/);

    // A wrong quantity is refused with a readable message, nothing recorded.
    await page.fill("#lot-lot", lot + "B");
    await page.fill("#lot-quantity", "-3");
    await page.click("#form-lot button[type=submit]");
    await page.locator("#error").waitFor();
    assert.match(await page.locator("#error").innerText(), /数量/);

    await page.goto(base + "/trace/record?done=lot&gtin=09521234000037&lot=" + lot);
    await Promise.all([page.waitForURL(/\/trace\/labels\//), page.click("#label-sheet")]);
    await page.screenshot({ path: "web/test-results/trace-labels.png", fullPage: true });
    const shot = PNG.sync.read(await page.locator(".label svg").first().screenshot());
    const decoded = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
    assert.ok(decoded, "the label's QR code decodes");
    const url = new URL(decoded.data);
    assert.equal(url.pathname, `/01/09521234000037/10/${lot}`, "a GS1 Digital Link of the lot");

    // The consumer, on a phone, in Chinese.
    const phone = await browser.newPage({ locale: "zh-CN", viewport: { width: 390, height: 844 } });
    await phone.goto(decoded.data);
    assert.equal(await phone.locator("#product-name").innerText(), "高原青稞");
    assert.equal(await phone.locator("#lot").innerText(), lot);
    const stages = await phone.locator("#timeline li").allInnerTexts();
    assert.ok(stages.length >= 1 && /养殖|种植/.test(stages[0]), stages.join(" | "));
    assert.match(await phone.locator("#origin").innerText(), /格尔木市高原牦牛养殖专业合作社/);
    await phone.screenshot({ path: "web/test-results/trace-consumer-zh.png", fullPage: true });

    // …and in Tibetan.
    await phone.selectOption("#lang-select", "bo");
    await phone.waitForSelector('html[lang="bo"]', { state: "attached" });
    assert.equal(await phone.locator("#product-name").innerText(), "ནས།");
    assert.match(await phone.locator("#timeline").innerText(), /[\u0F00-\u0FFF]/, "the timeline in Tibetan script");
    await phone.screenshot({ path: "web/test-results/trace-consumer-bo.png", fullPage: true });

    // The demo's yak meat lot: the whole chain from the farm to the shop, with its cold chain.
    await phone.goto(base + "/01/09521234000013/10/YK20261015A");
    const yak = await phone.locator("#timeline li").count();
    assert.ok(yak >= 7, `the yak chain has ${yak} steps`);
    await assert.doesNotReject(phone.locator("#cold-chain-chart").waitFor());
  } finally {
    await browser.close();
  }
});
