// The admin weeks later: the Doctor re-runs every check for the sandbox profile, shows each
// verdict with its fix (whose console link, on the sandbox, opens the simulated console), and
// keeps a history of runs that grows with each run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { openApp, textOf, click, byTestId, eventually, screenshot, shown, choose } from '../support/app.mjs';

let browser;
before(async () => { browser = await openApp(); });
after(async () => { await browser?.deleteSession(); });

async function historyLength() {
  const runs = await browser.$$('[data-testid^="doctor-history-run-"]');
  return runs.length;
}

test('runs every check for the sandbox profile and records the run in the history', async () => {
  await click(browser, 'nav-doctor');
  await shown(browser, 'sandbox-banner', 10000);
  await choose(browser, 'doctor-profile-select', 'Sandbox', 10000);
  await shown(browser, 'doctor-history', 10000);
  const before = await historyLength();

  await click(browser, 'doctor-run');
  const summary = await eventually(browser, async () => {
    const el = await byTestId(browser, 'doctor-summary');
    return (await el.isDisplayed()) && (await el.getText());
  }, 'the doctor did not finish', 30000);
  assert.match(summary, /\d/, summary);

  const credentials = await byTestId(browser, 'doctor-outcome-credentials');
  assert.equal(await credentials.getAttribute('data-status'), 'pass');
  const bot = await byTestId(browser, 'doctor-outcome-bot');
  assert.equal(await bot.getAttribute('data-status'), 'pass');
  const availability = await byTestId(browser, 'doctor-outcome-availability');
  assert.equal(await availability.getAttribute('data-status'), 'unknown', 'availability is not visible to the API');
  const urls = await byTestId(browser, 'doctor-outcome-integrationUrls');
  assert.equal(await urls.getAttribute('data-status'), 'fail', 'the sandbox has no integration URLs yet');
  assert.ok((await textOf(browser, 'doctor-outcome-integrationUrls')).length > 0);

  // The fix link opens the sandbox's simulated console (the stand-in browser of run.sh records
  // it), and that page is really there.
  await click(browser, 'doctor-fix-link-availability');
  const opened = await eventually(browser, async () => {
    const lines = (await readFile(process.env.LARK_OPENED_URLS, 'utf8')).trim().split('\n');
    return lines.find((l) => l.includes('/version'));
  }, 'the console link was not opened', 10000);
  assert.match(opened, /^http:\/\/127\.0\.0\.1:\d+\/app\/cli_[0-9a-f]{16}\/version$/, opened);
  assert.equal(await (await byTestId(browser, 'error-banner')).isExisting(), false, 'no refusal shown');
  const page = await fetch(opened);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Sandbox developer console[\s\S]*Availability/);

  await eventually(browser, async () => (await historyLength()) === before + 1,
    'the run did not appear in the history', 10000);
  const counts = await textOf(browser, 'doctor-history-counts-0');
  assert.match(counts, /\d/);
  assert.match(counts, /not checked by API/, counts);
  assert.equal(await textOf(browser, 'doctor-history-scope-0'), 'Full check');
  await screenshot(browser, 'doctor');
});
