// Browser tests of the HTML edition, in Debian's headless Chromium driven by playwright-core:
// search and follow a result, toggle and remember dark mode, follow a cross-reference, use the
// arrow keys, copy buttons, the phone menu, from file:// and from a web server; screenshots at
// desktop and phone widths. Usage: node reader.mjs OUT_HTML_DIR SCREENSHOT_DIR
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const [site, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });
let passed = 0;
let failed = 0;
async function test(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`PASS ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}: ${error.message}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function serve(dir) {
  const types = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".png": "image/png", ".svg": "image/svg+xml", ".otf": "font/otf", ".ttf": "font/ttf" };
  const server = http.createServer((request, response) => {
    const file = path.join(dir, decodeURIComponent(new URL(request.url, "http://x").pathname));
    fs.readFile(file.endsWith("/") ? path.join(file, "index.html") : file, (error, data) => {
      if (error) { response.writeHead(404); response.end(); return; }
      response.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
      response.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
const server = await serve(site);
const bases = { file: "file://" + path.resolve(site) + "/", http: `http://127.0.0.1:${server.address().port}/` };

for (const [kind, base] of Object.entries(bases)) {
  await test(`${kind}: search finds a word and the result opens its section`, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(base + "index.html");
    await page.keyboard.press("/");
    assert(await page.evaluate(() => document.activeElement.id === "search-input"), "/ focuses the search box");
    await page.keyboard.type("idempotency");
    await page.waitForSelector("#search-results a", { timeout: 5000 });
    const count = await page.locator("#search-results a").count();
    assert(count > 0, "results are listed");
    const place = await page.locator("#search-results .search-place").first().textContent();
    assert(/Chapter|Case Study/.test(place), `a result names its chapter: ${place}`);
    const snippet = (await page.locator("#search-results .search-snippet").first().textContent()).toLowerCase();
    assert(snippet.includes("idempoten"), `the snippet shows the word: ${snippet}`);
    if (kind === "file") await page.screenshot({ path: path.join(shots, "search.png") });
    const href = await page.locator("#search-results a").first().getAttribute("href");
    await page.locator("#search-results a").first().click();
    await page.waitForLoadState("load");
    const url = page.url();
    assert(url.endsWith(href), `followed ${href}, at ${url}`);
    const hash = new URL(url).hash.slice(1);
    if (hash) assert(await page.locator(`[id="${hash}"]`).count() === 1, `the target #${hash} exists`);
    await page.close();
  });
}

await test("dark mode toggles and is remembered", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(bases.http + "index.html");
  await page.screenshot({ path: path.join(shots, "desktop-light.png") });
  await page.click("#theme-toggle");
  assert(await page.evaluate(() => document.documentElement.getAttribute("data-theme")) === "dark", "data-theme is dark");
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert(background !== "rgb(253, 252, 249)", `the background changed: ${background}`);
  const chapter = await page.locator("nav.sidebar a[href$='.html']").nth(4).getAttribute("href");
  await page.goto(bases.http + chapter);
  assert(await page.evaluate(() => document.documentElement.getAttribute("data-theme")) === "dark", "the choice is remembered on the next page");
  await page.screenshot({ path: path.join(shots, "desktop-dark.png") });
  await context.close();
});

await test("a cross-reference leads to its target", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(bases.http + "04-caching.html");
  const xref = page.locator("a.xref").first();
  const text = await xref.textContent();
  const href = await xref.getAttribute("href");
  await xref.click();
  await page.waitForLoadState("load");
  const hash = new URL(page.url()).hash.slice(1);
  assert(hash && (await page.locator(`[id="${hash}"]`).count()) === 1, `${text} (${href}) lands on an element`);
  await page.close();
});

await test("arrow keys go to the previous and next chapter", async () => {
  const page = await browser.newPage();
  await page.goto(bases.http + "04-caching.html");
  const next = await page.locator("a[rel=next]").getAttribute("href");
  await page.keyboard.press("ArrowRight");
  await page.waitForURL("**/" + next);
  await page.keyboard.press("ArrowLeft");
  await page.waitForURL("**/04-caching.html");
  await page.close();
});

await test("code blocks have copy buttons", async () => {
  const page = await browser.newPage();
  await page.goto(bases.http + "04-caching.html");
  assert(await page.locator("pre.code .copy-button").count() > 0, "a copy button is present");
  await page.close();
});

await test("phone width: readable page and a menu that opens the contents", async () => {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  await page.goto(bases.http + "04-caching.html");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= 360, `no horizontal scrolling (${width}px)`);
  await page.screenshot({ path: path.join(shots, "phone.png") });
  assert(!(await page.locator("#sidebar").isVisible()), "the contents are folded away");
  await page.click("#menu-toggle");
  assert(await page.locator("#sidebar").isVisible(), "the menu opens the contents");
  await page.screenshot({ path: path.join(shots, "phone-menu.png") });
  await page.close();
});

await test("the 404 page and the one-page edition load", async () => {
  const page = await browser.newPage();
  const response = await page.goto(bases.http + "404.html");
  assert(response.ok(), "404.html exists");
  await page.goto(bases.http + "print.html");
  assert(await page.locator("article.print-chapter").count() > 10, "print.html holds every chapter");
  await page.close();
});

await browser.close();
server.close();
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
