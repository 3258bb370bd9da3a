// Browser test: home page in zh-CN, switch to Tibetan, log in as demo staff, see the account page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const base = process.env.QY_BASE_URL ?? "http://127.0.0.1:8080";

// Debian's Chromium, headless, without the background services that this network refuses.
const launch = () => chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

test("home in zh-CN, switch to Tibetan, staff login reaches the account page", async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ locale: "zh-CN" });
    await page.goto(base + "/");
    assert.equal(await page.getAttribute("html", "lang"), "zh-Hans-CN");
    assert.match(await page.textContent("body"), /青云/);

    // Picking a language submits the form and reloads the same URL: wait for the new page,
    // not for the URL (which is "/" before and after).
    await page.selectOption("#lang-select", "bo");
    await page.waitForSelector('html[lang="bo"]', { state: "attached" });
    assert.equal(await page.getAttribute("html", "lang"), "bo");
    assert.match(await page.textContent("body"), /[\u0F00-\u0FFF]/, "Tibetan script on the page");

    await page.goto(base + "/login");
    await page.fill("#username", "golmud.officer");
    await page.fill("#password", "qingyun-demo-2026");
    await page.click("form[action='/login'] button[type=submit]");
    await page.waitForURL(base + "/account");
    const body = await page.textContent("body");
    assert.match(body, /马晓兰/);
    assert.match(body, /golmud\.officer/);
    await page.screenshot({ path: "web/test-results/account-bo.png", fullPage: true });
  } finally {
    await browser.close();
  }
});

test("region search updates as one types (htmx) and works without JavaScript", async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ locale: "zh-CN" });
    await page.goto(base + "/regions");
    await page.fill("#q", "格尔木");
    await page.waitForSelector("#results a[href='/regions/632801']");
    assert.equal(new URL(page.url()).pathname, "/regions");

    const noJs = await browser.newPage({ javaScriptEnabled: false, locale: "zh-CN" });
    await noJs.goto(base + "/regions");
    await noJs.fill("#q", "格尔木");
    await noJs.press("#q", "Enter");
    await noJs.waitForSelector("#results a[href='/regions/632801']");
  } finally {
    await browser.close();
  }
});

test("the live map draws Qinghai and the stations coloured by AQI", async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ locale: "zh-CN" });
    await page.goto(base + "/eco/map");
    // Prefecture polygons plus one circle per station.
    await page.waitForFunction(() => document.querySelectorAll("#map path.leaflet-interactive").length >= 8 + 20);
    const fills = await page.$$eval("#map path.leaflet-interactive", (ps) => ps.map((p) => p.getAttribute("fill")));
    assert.ok(fills.some((f) => ["#00E400", "#FFFF00", "#FF7E00", "#FF0000", "#99004C", "#7E0023"].includes(f)), "AQI colours");
    assert.match(await page.textContent(".leaflet-control-attribution"), /OpenStreetMap/);
  } finally {
    await browser.close();
  }
});

test("a station page draws interactive ECharts over its SVG charts, and keeps the SVG without JavaScript", async () => {
  const stations = await (await fetch(base + "/api/v1/eco/stations")).json();
  const air = stations.find((s) => s.kind === "air");
  assert.ok(air, "the demo has an air station");
  const browser = await launch();
  try {
    const page = await browser.newPage({ locale: "zh-CN", viewport: { width: 1200, height: 900 } });
    await page.goto(`${base}/eco/stations/${air.id}`);
    await page.locator(".charts").scrollIntoViewIfNeeded();
    await page.waitForSelector("figure[data-rendered=echarts] .echart svg");
    // Hovering a chart shows the value with its time in Beijing time and the unit.
    const chart = page.locator("figure[data-rendered=echarts] .echart").first();
    const box = await chart.boundingBox();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
    await page.waitForFunction(() => /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(
      [...document.querySelectorAll(".echart div")].map((d) => d.textContent).join(" ")));
    await page.locator(".charts").screenshot({ path: "web/test-results/eco-station-charts.png" });

    const noJs = await browser.newPage({ javaScriptEnabled: false, locale: "zh-CN" });
    await noJs.goto(`${base}/eco/stations/${air.id}`);
    assert.ok(await noJs.locator(".charts svg.chart path.line").count() > 0, "server-rendered SVG charts");
  } finally {
    await browser.close();
  }
});
