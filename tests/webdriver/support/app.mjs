// Opens the real Lark Companion window through tauri-driver (started by run.sh) and offers the
// few helpers every spec needs. Selectors are data-testid attributes, never styles or text.
import { remote } from 'webdriverio';

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

/** Waits until the element shows and returns its visible text. */
export async function textOf(browser, id, timeout = 10000) {
  const el = await byTestId(browser, id);
  await el.waitForDisplayed({ timeout });
  return (await el.getText()).trim();
}

/** Replaces the value of the input `id` with `value`. */
export async function typeInto(browser, id, value) {
  const el = await byTestId(browser, id);
  await el.waitForDisplayed({ timeout: 10000 });
  await el.clearValue();
  await el.setValue(value);
}

export async function click(browser, id, timeout = 10000) {
  const el = await byTestId(browser, id);
  await el.waitForClickable({ timeout });
  await el.click();
}

/** Waits until `fn` returns a truthy value; bounded by `timeout`. */
export async function eventually(browser, fn, message, timeout = 10000) {
  let last;
  await browser.waitUntil(async () => (last = await fn()), { timeout, interval: 100, timeoutMsg: message });
  return last;
}

/** Saves the window as docs/screenshots/NAME.png when LARK_SCREENSHOT_DIR is set (for the README). */
export async function screenshot(browser, name) {
  const dir = process.env.LARK_SCREENSHOT_DIR;
  if (!dir) return;
  await browser.saveScreenshot(`${dir}/${name}.png`);
}
