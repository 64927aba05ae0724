// Opens the real Lark Companion window through tauri-driver (started by run.sh) and offers the
// few helpers every spec needs. Selectors are data-testid attributes, never styles or text.
import { writeFileSync } from 'node:fs';
import { remote } from 'webdriverio';
import { cropPng } from './png.mjs';

const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const application = process.env.LARK_COMPANION_BIN;

export async function openApp() {
  if (!application) throw new Error('LARK_COMPANION_BIN is not set (run through tests/webdriver/run.sh)');
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'warn',
    connectionRetryCount: 2,
    capabilities: { 'tauri:options': { application } },
  });
  await browser.setTimeout({ implicit: 0 });
  return browser;
}

export const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);

/**
 * WebKitWebDriver can hand back an element that React replaces a moment later ("stale element"):
 * every helper below looks the element up again on each try instead of failing the test.
 */
const isStale = (e) => /stale element/i.test(`${e?.name} ${e?.message}`);
async function retryStale(browser, attempt, message, timeout) {
  let last;
  await browser.waitUntil(async () => {
    try {
      return (last = await attempt());
    } catch (e) {
      if (isStale(e)) return false;
      throw e;
    }
  }, { timeout, interval: 100, timeoutMsg: message });
  return last;
}

/** Waits until the element `id` is displayed. */
export async function shown(browser, id, timeout = 10000) {
  await retryStale(browser, async () => (await byTestId(browser, id)).isDisplayed(),
    `${id} was not displayed within ${timeout} ms`, timeout);
}

/** Waits until the element shows and returns its visible text. */
export async function textOf(browser, id, timeout = 10000) {
  return retryStale(browser, async () => {
    const el = await byTestId(browser, id);
    if (!(await el.isDisplayed())) return false;
    return { text: (await el.getText()).trim() };
  }, `${id} was not displayed within ${timeout} ms`, timeout).then((r) => r.text);
}

/** Replaces the value of the input `id` with `value`. */
export async function typeInto(browser, id, value) {
  await retryStale(browser, async () => {
    const el = await byTestId(browser, id);
    if (!(await el.isDisplayed())) return false;
    await el.clearValue();
    await el.setValue(value);
    return true;
  }, `${id} was not displayed within 10000 ms`, 10000);
}

/** Chooses the option with value `value` in select `id`, looking the select up again on each try
 * (a screen loaded on first use may replace it while it settles). */
export async function choose(browser, id, value, timeout = 15000) {
  await retryStale(browser, async () => {
    const el = await byTestId(browser, id);
    if (!(await el.isDisplayed())) return false;
    await el.selectByAttribute('value', value);
    return true;
  }, `${id} was not displayed within ${timeout} ms`, timeout);
}

export async function click(browser, id, timeout = 10000) {
  await retryStale(browser, async () => {
    const el = await byTestId(browser, id);
    if (!(await el.isClickable())) return false;
    await el.click();
    return true;
  }, `${id} was not clickable within ${timeout} ms`, timeout);
}

/** Waits until `fn` returns a truthy value (a stale element counts as not yet); bounded by `timeout`. */
export async function eventually(browser, fn, message, timeout = 10000) {
  return retryStale(browser, fn, message, timeout);
}

/** Saves the window as docs/screenshots/NAME.png when LARK_SCREENSHOT_DIR is set (for the README). */
export async function screenshot(browser, name) {
  const dir = process.env.LARK_SCREENSHOT_DIR;
  if (!dir) return;
  await browser.saveScreenshot(`${dir}/${name}.png`);
}

/**
 * Saves one element as NAME.png when LARK_SCREENSHOT_DIR is set: cut from a screenshot of the
 * window (WebKit's own element screenshot leaves what is beyond about 2,400 px black), so the
 * element must be inside the window.
 */
export async function screenshotOf(browser, id, name) {
  const dir = process.env.LARK_SCREENSHOT_DIR;
  if (!dir) return;
  const rect = await browser.execute((testId) => {
    const r = document.querySelector(`[data-testid="${testId}"]`).getBoundingClientRect();
    const scale = window.devicePixelRatio || 1;
    return { x: r.left * scale, y: r.top * scale, width: r.width * scale, height: r.height * scale };
  }, id);
  const window = Buffer.from(await browser.takeScreenshot(), 'base64');
  writeFileSync(`${dir}/${name}.png`, cropPng(window, rect));
}
